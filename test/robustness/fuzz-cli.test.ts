/** Fuzzing the CLI (`allowlist lint`) with the corpus and generated allowlists, catalogs and `.allowlistrc.yaml`
 * configs (fuzz-inputs.ts): it exits 0, 1 or 2, never prints a stack trace or a JavaScript error, reports every
 * file, and its JSON and SARIF parse. The allowlists and catalogs are linted in one folder by the built CLI
 * (a process costs ~100 ms: one per format, not per file); each config needs its own folder and runs in-process. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { test } from 'node:test';
import { generateAllowlist } from '../generate';
import { ACME_CATALOG, run, tempTree, type RunResult } from '../cli/helpers';
import { corpusInputs, crashSigns, failureReport, fileNameOf, generatedInputs, type FuzzInput } from './fuzz-inputs';

const CLI = resolve(__dirname, '../../dist/cli.js');
const TODAY = '2026-06-01';
const FORMATS = ['json', 'sarif', 'text', 'github'] as const;
type Format = (typeof FORMATS)[number];

function spawnCli(cwd: string, args: string[]): RunResult {
  const result = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, timeout: 120_000, maxBuffer: 256 * 1024 * 1024 });
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr + (result.signal ? `\n(ended by ${result.signal})` : '') };
}

/** What is wrong with one run's exit code and output; `files` are the paths the report must list. */
function outputProblems(format: Format, result: RunResult, files: string[]): string[] {
  const problems = crashSigns(result.stderr, 'stderr');
  if (![0, 1, 2].includes(result.code)) problems.push(`exit code ${result.code}: ${JSON.stringify(result.stderr.slice(0, 500))}`);
  if (result.stderr !== '' && !result.stderr.startsWith('allowlist: ')) problems.push(`stderr is not an allowlist message: ${JSON.stringify(result.stderr.slice(0, 500))}`);
  // A config or catalog error ends the command before any report.
  if (result.code === 2 && result.stdout === '') {
    if (!result.stderr.startsWith('allowlist: error: ')) problems.push(`exit code 2 without an error message: ${JSON.stringify(result.stderr.slice(0, 500))}`);
    return problems;
  }
  try {
    if (format === 'json') {
      const report = JSON.parse(result.stdout) as { files: { path: string; findings: { message: string }[] }[]; summary: unknown };
      assert.deepEqual(report.files.map((file) => file.path).sort(), [...files].sort(), 'the files reported');
      assert.ok(report.summary, 'a summary');
      // An engine error caught and passed on as a finding is a crash too.
      for (const file of report.files) problems.push(...file.findings.flatMap((finding) => crashSigns(finding.message, `a finding in ${file.path}`)));
    } else if (format === 'sarif') {
      const sarif = JSON.parse(result.stdout) as { version: string; runs: { results: unknown[] }[] };
      assert.equal(sarif.version, '2.1.0');
      assert.ok(Array.isArray(sarif.runs[0].results), 'runs[0].results');
    }
    // Whatever the files hold, what reaches a terminal or a CI log has no control or bidirectional characters
    // but line breaks (issue 9: a rule name rewrote the reviewer's terminal).
    const unsafe = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/u.exec(result.stdout + result.stderr);
    if (unsafe) problems.push(`--format ${format} printed U+${unsafe[0].codePointAt(0)!.toString(16).padStart(4, '0')} raw`);
  } catch (error) {
    problems.push(`--format ${format} output: ${(error as Error).message.split('\n')[0]}: ${JSON.stringify(result.stdout.slice(0, 300))}`);
  }
  return problems;
}

function lintInFolder(inputs: FuzzInput[]): { problems: string[]; dir: string; cleanup: () => void } {
  const files = inputs.map(fileNameOf);
  const { dir, cleanup } = tempTree(Object.fromEntries(inputs.map((input, index) => [files[index], input.bytes])));
  const problems = FORMATS.flatMap((format) => outputProblems(format, spawnCli(dir, ['lint', '--format', format, '--today', TODAY]), files).map((problem) => `--format ${format}: ${problem}`));
  return { problems, dir, cleanup };
}

test('fuzz (CLI): corpus and generated allowlists and catalogs, linted together in every format', { skip: existsSync(CLI) ? false : 'dist/cli.js is absent: run `npm run build` first (CLI fuzz skipped)' }, () => {
  const inputs = [...corpusInputs().filter((input) => input.kind !== 'config'), ...generatedInputs('allowlist'), ...generatedInputs('catalog')];
  const batch = lintInFolder(inputs);
  if (batch.problems.length === 0) {
    batch.cleanup();
    return;
  }
  // Find the inputs that fail on their own; when none does, the batch's folder stays for a look.
  const failures = inputs
    .map((input) => {
      const alone = lintInFolder([input]);
      alone.cleanup();
      return { input, problems: alone.problems };
    })
    .filter((failure) => failure.problems.length > 0);
  if (failures.length > 0) batch.cleanup();
  assert.fail(`${batch.problems.join('\n')}\n${failures.length > 0 ? failureReport(failures) : `no input fails alone; the files are kept in ${batch.dir}`}`);
});

const BESIDE_CONFIG = {
  'site.allowlist.yaml': generateAllowlist({ rules: 6, seed: 2 }),
  'vendor.catalog.yaml': ACME_CATALOG,
  'broken.catalog.yaml': 'catalog: 1\nvendor: 7\n',
  'sub/other.catalog.yaml': ACME_CATALOG.replace('id: acme', 'id: other'),
};

test('fuzz (CLI): corpus and generated .allowlistrc.yaml configs: exit 0, 1 or 2 with a clear message or a valid report', async () => {
  const failures: { input: FuzzInput; problems: string[] }[] = [];
  for (const input of [...corpusInputs().filter((candidate) => candidate.kind === 'config'), ...generatedInputs('config')]) {
    const { dir, cleanup } = tempTree({ ...BESIDE_CONFIG, [fileNameOf(input)]: input.bytes });
    try {
      const problems = outputProblems('json', await run(dir, ['lint', '--format', 'json', '--today', TODAY]), Object.keys(BESIDE_CONFIG));
      if (problems.length > 0) failures.push({ input, problems });
    } finally {
      cleanup();
    }
  }
  assert.equal(failures.length, 0, failureReport(failures));
});
