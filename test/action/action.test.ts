/** Runs the GitHub Action (action.yml at the repository root) for real: each `run:` step with bash, in a
 * temporary git repository with a base and a head commit, with GITHUB_STEP_SUMMARY, GITHUB_OUTPUT,
 * GITHUB_ACTION_PATH, INPUT_* and `${{ … }}` expressions substituted as the runner would. */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { exportAllowlist, targetById } from '../../src/core/export';
import { lintText } from '../../src/core/lint';
import { makeRepo, OFFICE, SITE, SITE_HEAD } from '../diff/helpers';

const ROOT = resolve(__dirname, '../..');

interface Step {
  name?: string;
  id?: string;
  shell?: string;
  run?: string;
  uses?: string;
  env?: Record<string, string>;
}

interface Action {
  inputs: Record<string, { default?: string }>;
  outputs: Record<string, { value: string }>;
  runs: { using: string; steps: Step[] };
}

/**
 * A folder to use as GITHUB_ACTION_PATH with a dist/cli.js built from the current sources: the CLI bundled alone
 * (esbuild) beside links to the package's files. The project's own dist/ is not used: it may be older than the
 * sources under test.
 */
function actionPath(): { path?: string; note?: string; cleanup(): void } {
  const hasDiff = (cli: string): boolean => existsSync(cli) && spawnSync(process.execPath, [cli, 'diff', '--help'], { encoding: 'utf8' }).status === 0;
  const noop = (): void => {};
  const dir = mkdtempSync(join(tmpdir(), 'allowlist-action-path-'));
  const cleanup = (): void => rmSync(dir, { recursive: true, force: true });
  for (const name of ['package.json', 'catalogs', 'schemas']) symlinkSync(join(ROOT, name), join(dir, name));
  const cliOnly = spawnSync(
    process.execPath,
    [
      '-e',
      `require('esbuild').build({ entryPoints: ['src/cli/main.ts'], outfile: ${JSON.stringify(join(dir, 'dist/cli.js'))}, bundle: true, platform: 'node', target: 'node20', format: 'cjs', logLevel: 'error' }).catch(() => process.exit(1))`,
    ],
    { cwd: ROOT, encoding: 'utf8' },
  );
  if (cliOnly.status === 0 && hasDiff(join(dir, 'dist/cli.js'))) return { path: dir, cleanup };
  cleanup();
  return { note: `cannot bundle dist/cli.js: ${cliOnly.stderr.trim().split('\n')[0]}`, cleanup: noop };
}

/** Evaluates the `${{ … }}` expressions the action uses: inputs.*, steps.*.outputs.*, github.*, `a || b`, 'literals'. */
function evaluate(expression: string, context: { inputs: Record<string, string>; steps: Record<string, Record<string, string>>; github: Record<string, unknown> }): string {
  for (const part of expression.split('||').map((text) => text.trim())) {
    let value: unknown;
    const literal = /^'(.*)'$/.exec(part);
    if (literal) value = literal[1];
    else if (part.startsWith('inputs.')) value = context.inputs[part.slice(7)];
    else if (part.startsWith('steps.')) {
      const [, id, , name] = part.split('.');
      value = context.steps[id]?.[name];
    } else if (part.startsWith('github.')) {
      value = part
        .slice(7)
        .split('.')
        .reduce<unknown>((object, key) => (object && typeof object === 'object' ? (object as Record<string, unknown>)[key] : undefined), context.github);
    } else throw new Error(`unsupported expression ${part}`);
    if (value !== undefined && value !== '' && value !== null) return String(value);
  }
  return '';
}

function substitute(text: string, context: Parameters<typeof evaluate>[1]): string {
  return text.replace(/\$\{\{\s*(.*?)\s*\}\}/g, (_, expression: string) => evaluate(expression, context));
}

function parseOutputs(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const at = line.indexOf('=');
    if (at > 0) outputs[line.slice(0, at)] = line.slice(at + 1);
  }
  return outputs;
}

interface ActionRun {
  outputs: Record<string, string>;
  summary: string;
  logs: string;
  failedStep?: string;
}

function runAction(repoDir: string, actionDir: string, inputs: Record<string, string>, github: Record<string, unknown>): ActionRun {
  const action = parse(readFileSync(join(ROOT, 'action.yml'), 'utf8')) as Action;
  assert.equal(action.runs.using, 'composite');
  const work = mkdtempSync(join(tmpdir(), 'allowlist-action-run-'));
  const summaryFile = join(work, 'summary.md');
  writeFileSync(summaryFile, '');
  const allInputs: Record<string, string> = {};
  for (const [name, spec] of Object.entries(action.inputs)) allInputs[name] = inputs[name] ?? spec.default ?? '';
  const context = { inputs: allInputs, steps: {} as Record<string, Record<string, string>>, github };
  const logs: string[] = [];
  let failedStep: string | undefined;
  try {
    for (const step of action.runs.steps) {
      assert.ok(step.run, `step ${step.name} is a run step`);
      assert.equal(step.shell, 'bash', `step ${step.name} names its shell`);
      const outputFile = join(work, `output-${step.id ?? 'step'}`);
      writeFileSync(outputFile, '');
      const env: NodeJS.ProcessEnv = {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        RUNNER_TEMP: work,
        GITHUB_ACTION_PATH: actionDir,
        GITHUB_WORKSPACE: repoDir,
        GITHUB_STEP_SUMMARY: summaryFile,
        GITHUB_OUTPUT: outputFile,
        GITHUB_ACTIONS: 'true',
      };
      for (const [name, value] of Object.entries(allInputs)) env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = value;
      for (const [name, value] of Object.entries(step.env ?? {})) env[name] = substitute(String(value), context);
      const script = join(work, 'step.sh');
      writeFileSync(script, substitute(step.run!, context));
      const result = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', script], { cwd: repoDir, env, encoding: 'utf8' });
      logs.push(`## ${step.name}\n${result.stdout}${result.stderr}`);
      if (step.id) context.steps[step.id] = parseOutputs(readFileSync(outputFile, 'utf8'));
      if (result.status !== 0) {
        failedStep = step.name;
        break;
      }
    }
    const outputs: Record<string, string> = {};
    for (const [name, spec] of Object.entries(action.outputs)) outputs[name] = substitute(spec.value, context);
    // Keep the files the outputs name readable after `work` is removed.
    for (const key of ['sarif-file', 'summary-file']) if (outputs[key] && existsSync(outputs[key])) outputs[`${key}:content`] = readFileSync(outputs[key], 'utf8');
    return { outputs, summary: readFileSync(summaryFile, 'utf8'), logs: logs.join('\n'), failedStep };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

const built = actionPath();
after(() => built.cleanup());

test('the Action lints with annotations, writes SARIF and appends the diff summary, on a pull request', { skip: built.path ? false : built.note }, (t) => {
  if (built.note) t.diagnostic(built.note);
  const repo = makeRepo({ 'site.allowlist.yaml': SITE, '.allowlistrc.yaml': 'rules:\n  expires-soon: off\n  missing-exclusion: off\n' });
  try {
    const base = repo.git('rev-parse', 'HEAD').trim();
    repo.git('checkout', '-q', '-b', 'feature');
    repo.write('site.allowlist.yaml', SITE_HEAD);
    repo.commit('open inbound, drop uploads');
    const github = { event: { pull_request: { base: { sha: base } } } };

    const plain = runAction(repo.dir, built.path!, {}, github);
    // Lint errors (missing-endpoint, inbound-too-broad) fail the job in the last step, after everything ran.
    assert.equal(plain.failedStep, 'Verdict', plain.logs);
    assert.equal(plain.outputs['lint-exit-code'], '1');
    assert.equal(plain.outputs['diff-exit-code'], '0');
    assert.match(plain.logs, /::error file=site\.allowlist\.yaml,line=\d+,col=\d+,endLine=\d+,endColumn=\d+,title=missing-endpoint::Helpdesk Buttons needs hdb-stuff\.s3\.amazonaws\.com/);
    assert.match(plain.logs, /title=inbound-too-broad::/);
    const sarif = JSON.parse(plain.outputs['sarif-file:content']);
    assert.equal(sarif.version, '2.1.0');
    assert.deepEqual(new Set(sarif.runs[0].results.map((result: { ruleId: string }) => result.ruleId)), new Set(['missing-endpoint', 'inbound-too-broad']));
    assert.match(plain.outputs['sarif-file'], /allowlist\.sarif$/);
    assert.match(plain.summary, /^### Allowlist changes\n\n\*\*⚠ Opens inbound access from any to 10\.0\.0\.20:443; closes 1 vendor endpoint; introduces 2 findings\*\*\n/);
    assert.match(plain.summary, new RegExp(`Compared \`${base} \\(${base.slice(0, 7)}\\)\` → \`work tree\``));
    assert.match(plain.summary, /\| 🔓 opened \| inbound \| any \| 10\.0\.0\.20 \| TCP \| 443 \| ticket-api \| site\.allowlist\.yaml \|/);
    assert.equal(plain.summary, plain.outputs['summary-file:content']);

    // fail-on: the diff fails the job; new-since base: only findings new since the base (here, all of them).
    const strict = runAction(repo.dir, built.path!, { 'fail-on': 'opened-inbound,requirement-unmet', 'new-since': 'base', 'fail-on-lint-errors': 'false' }, github);
    assert.equal(strict.failedStep, 'Verdict');
    assert.equal(strict.outputs['diff-exit-code'], '1');
    assert.match(strict.logs, /allowlist diff exited with status 1/);
    assert.match(strict.logs, /::notice title=allowlist --new-since::--new-since [0-9a-f]{40}: 0 findings/);
    assert.equal(JSON.parse(strict.outputs['sarif-file:content']).runs[0].properties.newSince.leftOut, 0);

    // A pull request that fixes what it broke: everything passes, findings before the base are not reported.
    repo.write('site.allowlist.yaml', SITE);
    repo.commit('revert');
    const clean = runAction(repo.dir, built.path!, { 'fail-on': 'opened-inbound', 'new-since': 'base' }, github);
    assert.equal(clean.failedStep, undefined, clean.logs);
    assert.match(clean.summary, /\*\*✓ No allowlist changed\*\*/);
    assert.equal(JSON.parse(clean.outputs['sarif-file:content']).runs[0].results.length, 0);
  } finally {
    repo.cleanup();
  }
});

test('action.yml declares the inputs and outputs docs/review.md documents', () => {
  const action = parse(readFileSync(join(ROOT, 'action.yml'), 'utf8')) as Action;
  assert.deepEqual(Object.keys(action.inputs).sort(), ['base', 'catalogs', 'drift-against', 'drift-allowlist', 'drift-from', 'export-target', 'fail-on', 'fail-on-lint-errors', 'new-since', 'paths']);
  assert.ok(action.outputs['sarif-file']);
  const readme = readFileSync(join(ROOT, 'docs/review.md'), 'utf8');
  for (const name of [...Object.keys(action.inputs), ...Object.keys(action.outputs)]) assert.ok(readme.includes(`\`${name}\``), `docs/review.md documents ${name}`);
});

test('export-target: the change set of each changed allowlist against the base, fenced, in the job summary', { skip: built.path ? false : built.note }, () => {
  const repo = makeRepo({ 'site.allowlist.yaml': SITE, 'office.allowlist.yaml': OFFICE, 'gone.allowlist.yaml': OFFICE, '.allowlistrc.yaml': 'rules:\n  expires-soon: off\n  missing-exclusion: off\n' });
  try {
    const base = repo.git('rev-parse', 'HEAD').trim();
    repo.git('checkout', '-q', '-b', 'feature');
    repo.write('site.allowlist.yaml', SITE_HEAD);
    repo.remove('gone.allowlist.yaml');
    repo.write('office.allowlist.yaml', `# Reviewed.\n${OFFICE}`);
    repo.commit('open inbound, drop uploads, remove an allowlist, comment one');
    const github = { event: { pull_request: { base: { sha: base } } } };

    const forti = runAction(repo.dir, built.path!, { 'export-target': 'fortigate', 'fail-on-lint-errors': 'false' }, github);
    assert.equal(forti.failedStep, undefined, forti.logs);
    assert.equal(forti.outputs['export-exit-code'], '0');
    const blocks = [...forti.summary.matchAll(/### Change set: `(.+?)` \(fortigate, since (\w+)\)\n\n```\n([^]*?)\n```\n/g)];
    assert.deepEqual(blocks.map((block) => [block[1], block[2]]), [['site.allowlist.yaml', base.slice(0, 7)]], 'only the changed allowlist that still exists');
    assert.match(blocks[0][3], /^config firewall address\n {4}edit "ticket-api_10\.0\.0\.20"\n/);
    assert.match(forti.logs, /allowlist: note: since [0-9a-f]{40} \([0-9a-f]{7}\): 1 rule added, 0 changed, 1 removed/);
    assert.match(blocks[0][3], /config firewall policy\n {4}delete \d+\nend\n/);
    assert.match(blocks[0][3], /config firewall address\n {4}delete "hdb-uploads_hdb-stuff\.s3\.amazonaws\.com"\nend$/);
    assert.ok(forti.summary.indexOf('### Allowlist changes') < forti.summary.indexOf('### Change set'), 'after the diff summary');
    assert.match(forti.summary, /### Change set: `office\.allowlist\.yaml` \(fortigate, since \w{7}\)\n\nNo firewall command: no rule changed\.\n/);

    // Without export-target, no change set; with a target without change sets, the job fails saying so.
    const plain = runAction(repo.dir, built.path!, { 'fail-on-lint-errors': 'false' }, github);
    assert.doesNotMatch(plain.summary, /Change set/);
    assert.equal(plain.outputs['export-exit-code'], '');
    const unsupported = runAction(repo.dir, built.path!, { 'export-target': 'pfsense', 'fail-on-lint-errors': 'false' }, github);
    assert.equal(unsupported.failedStep, 'Verdict');
    assert.equal(unsupported.outputs['export-exit-code'], '2');
    assert.match(unsupported.logs, /--since: pfsense has no change sets; targets that have: nftables, fortigate/);
    assert.match(unsupported.summary, /### Change set: `site\.allowlist\.yaml` could not be exported/);
  } finally {
    repo.cleanup();
  }
});

test('drift-against: the drift of the allowlist against a configuration in the job summary; drift fails the job', { skip: built.path ? false : built.note }, () => {
  const box = exportAllowlist(lintText(SITE, { fileName: 'site.allowlist.yaml' }).model, targetById('fortigate')!, { today: '2026-12-02', sourceName: 'site.allowlist.yaml' }).files[0].text;
  const repo = makeRepo({ 'site.allowlist.yaml': SITE, 'firewall/box.conf': box });
  try {
    const github = { event: {} };
    const synced = runAction(repo.dir, built.path!, { 'drift-against': 'firewall/box.conf', 'drift-allowlist': 'site.allowlist.yaml', 'fail-on-lint-errors': 'false' }, github);
    assert.equal(synced.failedStep, undefined, synced.logs);
    assert.equal(synced.outputs['drift-exit-code'], '0');
    assert.match(synced.summary, /### Drift: site\.allowlist\.yaml against firewall\/box\.conf \(fortigate\)\n\n✓ in sync/);
    assert.ok(synced.summary.indexOf('### Allowlist changes') < synced.summary.indexOf('### Drift'), 'after the diff summary');

    // Someone opened a port on the box: the summary names the policy, the job fails; `paths` of one file is the allowlist.
    const opened = box.replace('set tcp-portrange 443 2001-2500', 'set tcp-portrange 443 2001-2500 3389');
    assert.notEqual(opened, box);
    repo.write('firewall/box.conf', opened);
    const drifted = runAction(repo.dir, built.path!, { 'drift-against': 'firewall/box.conf', 'drift-from': 'fortigate', paths: 'site.allowlist.yaml', 'fail-on-lint-errors': 'false' }, github);
    assert.equal(drifted.failedStep, 'Verdict');
    assert.equal(drifted.outputs['drift-exit-code'], '1');
    assert.match(drifted.logs, /::error title=allowlist::the firewall has drifted from its allowlist/);
    assert.match(drifted.summary, /⚠ 1 extra, 0 missing, 0 vendor requirements unmet/);
    assert.match(drifted.summary, /\| outbound to connect\.helpdeskbuttons\.com on TCP 3389 \| hdb-techconnect \(firewall\/box\.conf:\d+\) \| hdb-techconnect \(site\.allowlist\.yaml:\d+\) \|/);

    // No allowlist to compare: the job fails saying what to set.
    const unnamed = runAction(repo.dir, built.path!, { 'drift-against': 'firewall/box.conf', 'fail-on-lint-errors': 'false' }, github);
    assert.equal(unnamed.outputs['drift-exit-code'], '2');
    assert.match(unnamed.logs, /drift-against needs the allowlist to compare: set drift-allowlist/);
    // Without drift-against, no drift step output.
    assert.equal(runAction(repo.dir, built.path!, { 'fail-on-lint-errors': 'false' }, github).outputs['drift-exit-code'], '');
  } finally {
    repo.cleanup();
  }
});

test('outside a pull request, two paths are diffed against the merge base, never as two files OLD NEW', { skip: built.path ? false : built.note }, () => {
  const repo = makeRepo({ 'a.allowlist.yaml': SITE, 'b.allowlist.yaml': OFFICE });
  try {
    repo.git('checkout', '-q', '-b', 'feature');
    repo.write('a.allowlist.yaml', SITE_HEAD);
    repo.commit('open inbound, drop uploads');
    // A push (no pull_request, no base input): the diff's base is the merge base with main.
    const push = runAction(repo.dir, built.path!, { paths: 'a.allowlist.yaml\nb.allowlist.yaml', 'fail-on-lint-errors': 'false' }, { event: {} });
    assert.equal(push.failedStep, undefined, push.logs);
    assert.equal(push.outputs['diff-exit-code'], '0', push.logs);
    assert.match(push.summary, /Compared `merge-base\(main, HEAD\) \([0-9a-f]{7}\)` → `work tree`; 1 allowlist changed\./);
    assert.match(push.summary, /\*\*⚠ Opens inbound access from any to 10\.0\.0\.20:443; closes 1 vendor endpoint; introduces 2 findings\*\*/);
    assert.doesNotMatch(push.summary, /Compared `a\.allowlist\.yaml`/);
    assert.doesNotMatch(push.logs, /--no-index/);
  } finally {
    repo.cleanup();
  }
});

test('action.yml points at files that exist', () => {
  const text = readFileSync(join(ROOT, 'action.yml'), 'utf8');
  const header = text.split('\n').filter((line) => line.startsWith('#')).join('\n');
  const mentioned = [...header.matchAll(/\b([\w.-]+(?:\/[\w.-]+)+\.(?:md|ya?ml|json|ts|js))\b/g)].map((match) => match[1]);
  assert.ok(mentioned.includes('docs/review.md'), `the header points at docs/review.md: ${mentioned}`);
  for (const path of mentioned) assert.ok(existsSync(join(ROOT, path)), `${path} exists`);
});
