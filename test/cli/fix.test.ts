/** `allowlist lint --fix`, `--fix-dry-run` and `lint -` (standard input), through the built CLI (dist/cli.js) on
 * temporary copies, and in-process where the input is too big to pipe. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { replaceFile } from '../../src/cli/write-file';
import { fakeIO, isolatingConfig, tempTree, TODAY } from './helpers';
import { main } from '../../src/cli/main';
import { MAX_READ_SIZE } from '../../src/core/files';

const CLI = resolve(__dirname, '../../dist/cli.js');
const skip = existsSync(CLI) ? false : 'dist/cli.js is absent: run `npm run build` first (subprocess test skipped)';

/** A misspelt key (schema, fixable: rename to `ports`) and a port out of range (invalid-port, no fix). */
const FIXABLE = ['allowlist: 1', 'outbound:', '  - name: web', '    to: example.com', '    prots: 443', '  - name: bad', '    to: example.org', '    ports: 99999', ''].join('\n');
const FIXED = FIXABLE.replace('prots', 'ports');

function cli(cwd: string, args: string[], input?: string | Buffer): { status: number | null; stdout: string; stderr: string } {
  return spawnSync(process.execPath, [CLI, 'lint', '--today', TODAY, ...args], { cwd, input, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
}

function inTree(files: Record<string, string | Buffer>, body: (dir: string) => void): () => void {
  return () => {
    const { dir, cleanup } = tempTree({ '.allowlistrc.yaml': isolatingConfig(), ...files });
    try {
      body(dir);
    } finally {
      cleanup();
    }
  };
}

test(
  'lint --fix: writes the fixed file, says what it fixed, and exits by what remains',
  { skip },
  inTree({ 'site.allowlist.yaml': FIXABLE, 'clean.allowlist.yaml': FIXABLE.replace('99999', '443') }, (dir) => {
    const result = cli(dir, ['--fix', 'site.allowlist.yaml']);
    assert.equal(result.status, 1, result.stderr);
    assert.equal(readFileSync(join(dir, 'site.allowlist.yaml'), 'utf8'), FIXED);
    const lines = result.stdout.split('\n');
    assert.equal(lines[0], 'fixed 1 problem in site.allowlist.yaml (schema)');
    assert.match(lines[1], /^site\.allowlist\.yaml:8:12: error .* \[invalid-port\]$/);
    assert.doesNotMatch(result.stdout, /\[schema\]/);
    // Nothing left at error level: exit 0. Fixing again changes nothing and says nothing about fixes.
    const clean = cli(dir, ['--fix', 'clean.allowlist.yaml']);
    assert.equal(clean.status, 0, clean.stdout + clean.stderr);
    assert.equal(clean.stdout, 'fixed 1 problem in clean.allowlist.yaml (schema)\nno problems in 1 file\n');
    assert.equal(cli(dir, ['--fix', 'clean.allowlist.yaml']).stdout, 'no problems in 1 file\n');
    // A machine-readable format keeps stdout to itself.
    writeFileSync(join(dir, 'site.allowlist.yaml'), FIXABLE);
    const json = cli(dir, ['--fix', '--format', 'json', 'site.allowlist.yaml']);
    assert.deepEqual(JSON.parse(json.stdout).files[0].findings.map((finding: { ruleId: string }) => finding.ruleId), ['invalid-port']);
    assert.equal(json.stderr, 'fixed 1 problem in site.allowlist.yaml (schema)\n');
  }),
);

test(
  'lint --fix: a byte order mark and CRLF line breaks are kept; a symbolic link stays a link to the fixed file',
  { skip },
  inTree({ 'site.allowlist.yaml': Buffer.from(`\uFEFF${FIXABLE.replace(/\n/g, '\r\n')}`), 'real/target.allowlist.yaml': FIXABLE }, (dir) => {
    assert.equal(cli(dir, ['--fix', 'site.allowlist.yaml']).status, 1);
    assert.deepEqual(readFileSync(join(dir, 'site.allowlist.yaml')), Buffer.from(`\uFEFF${FIXED.replace(/\n/g, '\r\n')}`));
    symlinkSync(join(dir, 'real/target.allowlist.yaml'), join(dir, 'link.allowlist.yaml'));
    assert.equal(cli(dir, ['--fix', 'link.allowlist.yaml']).status, 1);
    assert.equal(readFileSync(join(dir, 'real/target.allowlist.yaml'), 'utf8'), FIXED);
    assert.deepEqual(readdirSync(join(dir, 'real')), ['target.allowlist.yaml'], 'no temporary file left behind');
  }),
);

test(
  'lint --fix: a file that is not valid UTF-8 is never written',
  { skip },
  inTree({ 'site.allowlist.yaml': Buffer.concat([Buffer.from(FIXABLE), Buffer.from('# caf\xe9\n', 'latin1')]) }, (dir) => {
    const before = readFileSync(join(dir, 'site.allowlist.yaml'));
    const result = cli(dir, ['--fix', 'site.allowlist.yaml']);
    assert.equal(result.status, 1);
    assert.match(result.stdout, /not valid UTF-8/);
    assert.doesNotMatch(result.stdout, /^fixed/m);
    assert.deepEqual(readFileSync(join(dir, 'site.allowlist.yaml')), before);
  }),
);

test(
  'lint --fix-dry-run: the file stays byte for byte, stdout is a diff that git apply and patch accept and that gives what --fix writes',
  { skip },
  inTree({ 'sites/a site.allowlist.yaml': Buffer.from(`\uFEFF${FIXABLE.replace(/\n/g, '\r\n')}`) }, (dir) => {
    const path = join(dir, 'sites/a site.allowlist.yaml');
    const before = readFileSync(path);
    const result = cli(dir, ['--fix-dry-run', 'sites']);
    assert.equal(result.status, 1, result.stderr);
    assert.deepEqual(readFileSync(path), before);
    assert.match(result.stdout, /^--- a\/sites\/a site\.allowlist\.yaml\t\n\+\+\+ b\/sites\/a site\.allowlist\.yaml\t\n@@ -2,7 \+2,7 @@\n/);
    assert.match(result.stdout, /^-    prots: 443\r\n\+    ports: 443\r\n/m);
    assert.match(result.stderr, /^would fix 1 problem in sites\/a site\.allowlist\.yaml \(schema\)\n.*\[invalid-port\]\n/);
    const check = spawnSync('git', ['apply', '--check', '-'], { cwd: dir, input: result.stdout, encoding: 'utf8' });
    assert.equal(check.status, 0, check.stderr);
    if (spawnSync('patch', ['--version']).status === 0) {
      const patch = spawnSync('patch', ['-p1', '--dry-run'], { cwd: dir, input: result.stdout, encoding: 'utf8' });
      assert.equal(patch.status, 0, patch.stdout + patch.stderr);
    }
    assert.equal(spawnSync('git', ['apply', '-'], { cwd: dir, input: result.stdout }).status, 0);
    const applied = readFileSync(path);
    writeFileSync(path, before);
    cli(dir, ['--fix', 'sites']);
    assert.deepEqual(applied, readFileSync(path));
    // Nothing to fix: no diff.
    assert.equal(cli(dir, ['--fix-dry-run', 'sites']).stdout, '');
    // A hunk that starts at the first line carries the byte order mark, as the file has it.
    const top = Buffer.from('\uFEFFallowlist: 1\r\noutbound:\r\n  - name: web\r\n    prots: 443\r\n    to: example.com\r\n');
    writeFileSync(join(dir, 'top.allowlist.yaml'), top);
    const topDiff = cli(dir, ['--fix-dry-run', 'top.allowlist.yaml']).stdout;
    assert.match(topDiff, /^@@ -1,5 \+1,5 @@\n \uFEFFallowlist: 1\r\n/m);
    assert.equal(spawnSync('git', ['apply', '--check', '-'], { cwd: dir, input: topDiff }).status, 0);
  }),
);

test(
  'lint -: standard input is linted under --stdin-filename, whose folder\'s config applies; --fix prints the fixed text',
  { skip },
  inTree({ 'sites/.allowlistrc.yaml': isolatingConfig({ 'invalid-port': 'off' }) }, (dir) => {
    const unnamed = cli(dir, ['-'], FIXABLE);
    assert.equal(unnamed.status, 1);
    assert.match(unnamed.stdout, /^<stdin>:5:5: error .*\[schema\]\n<stdin>:8:12: error .*\[invalid-port\]\n/);
    const named = cli(dir, ['-', '--stdin-filename', 'sites/site.allowlist.yaml'], FIXABLE);
    assert.equal(named.status, 1);
    assert.match(named.stdout, /^sites\/site\.allowlist\.yaml:5:5: error .*\[schema\]\n\n/, 'the config of sites/ turns invalid-port off');
    assert.equal(existsSync(join(dir, 'sites/site.allowlist.yaml')), false);
    const fixed = cli(dir, ['-', '--fix', '--stdin-filename', 'sites/site.allowlist.yaml'], FIXABLE);
    assert.equal(fixed.status, 0, fixed.stderr);
    assert.equal(fixed.stdout, FIXED);
    assert.equal(fixed.stderr, 'fixed 1 problem in sites/site.allowlist.yaml (schema)\nno problems in 1 file\n');
    const dryRun = cli(dir, ['-', '--fix-dry-run', '--stdin-filename', 'sites/site.allowlist.yaml'], FIXABLE);
    assert.match(dryRun.stdout, /^--- a\/sites\/site\.allowlist\.yaml\n\+\+\+ b\/sites\/site\.allowlist\.yaml\n@@ /);
    // Unchanged input passes through whole; a byte order mark and CRLF stay.
    assert.equal(cli(dir, ['-', '--fix'], FIXED).stdout, FIXED);
    assert.equal(cli(dir, ['-', '--fix'], `\uFEFF${FIXABLE.replace(/\n/g, '\r\n')}`).stdout, `\uFEFF${FIXED.replace(/\n/g, '\r\n')}`);
    // Input that is not valid UTF-8 is not echoed with its bad bytes replaced.
    const invalid = cli(dir, ['-', '--fix'], Buffer.concat([Buffer.from(FIXABLE), Buffer.from('# caf\xe9\n', 'latin1')]));
    assert.equal(invalid.status, 1);
    assert.equal(invalid.stdout, '');
    assert.match(invalid.stderr, /not valid UTF-8/);
    const usage = cli(dir, ['-', 'other.allowlist.yaml'], FIXABLE);
    assert.equal(usage.status, 2);
    assert.match(usage.stderr, /^allowlist: error: - \(standard input\) cannot be linted with other paths\n/);
    assert.equal(cli(dir, ['--stdin-filename', 'x.allowlist.yaml']).status, 2);
    assert.match(cli(dir, ['-', '--fix', '--format', 'json'], FIXABLE).stderr, /--format json cannot be used with --fix on standard input/);
  }),
);

test('lint -: standard input over the size limit is refused with exit 2, without reading it all', async () => {
  const { dir, cleanup } = tempTree({});
  try {
    const chunk = Buffer.alloc(1024 * 1024, 0x20);
    let served = 0;
    const stdin = (async function* () {
      for (; served * chunk.length <= MAX_READ_SIZE + 10 * chunk.length; served++) yield chunk;
    })();
    const io = { ...fakeIO(dir), stdin };
    const code = await main(['lint', '-'], io);
    assert.equal(code, 2);
    assert.match(io.err.join(''), /^allowlist: error: cannot read <stdin>: the input is over the 80\.0 MB limit\n$/);
    assert.ok(served * chunk.length <= MAX_READ_SIZE + chunk.length, 'reading stops at the limit');
  } finally {
    cleanup();
  }
});

test('replaceFile: a file that changed since it was read is left alone, and no temporary file stays', async () => {
  const { dir, cleanup } = tempTree({ 'a.allowlist.yaml': 'new edit\n' });
  try {
    await assert.rejects(replaceFile(join(dir, 'a.allowlist.yaml'), Buffer.from('as read\n'), Buffer.from('fixed\n')), /changed while it was being fixed/);
    assert.equal(readFileSync(join(dir, 'a.allowlist.yaml'), 'utf8'), 'new edit\n');
    assert.deepEqual(readdirSync(dir), ['a.allowlist.yaml']);
    await replaceFile(join(dir, 'a.allowlist.yaml'), Buffer.from('new edit\n'), Buffer.from('fixed\n'));
    assert.equal(readFileSync(join(dir, 'a.allowlist.yaml'), 'utf8'), 'fixed\n');
  } finally {
    cleanup();
  }
});
