/** `allowlist diff` reads files as `lint` does: `--no-index` files and the work tree's allowlists are regular files
 * within the size limit, decoded the same way. Run through the built CLI (dist/cli.js) as a subprocess with a
 * time-out, so that a hang (a FIFO without a writer) fails the test instead of stalling the suite. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, truncateSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { MAX_READ_SIZE, megabytes } from '../../src/core/files';
import { tempTree } from '../cli/helpers';
import { makeRepo, SITE } from './helpers';

const CLI = resolve(__dirname, '../../dist/cli.js');
const skip = existsSync(CLI) ? false : 'dist/cli.js is absent: run `npm run build` first';
const OVER_LIMIT = `the file is ${megabytes(MAX_READ_SIZE + 1024 * 1024)}, over the ${megabytes(MAX_READ_SIZE)} limit`;

function cli(cwd: string, args: string[]) {
  const result = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, timeout: 60_000 });
  assert.equal(result.signal, null, `allowlist ${args.join(' ')} did not finish within 60 s`);
  assert.doesNotMatch(result.stderr, /\n\s+at /, 'no stack trace');
  return result;
}

test('diff --no-index refuses a FIFO, a device and an oversized file at once (exit 2, as lint words it), and reads UTF-16', { skip }, (t) => {
  const { dir, cleanup } = tempTree({ 'old.allowlist.yaml': SITE, 'big.allowlist.yaml': '', 'nul.allowlist.yaml': Buffer.from([0x61, 0x00]) });
  try {
    truncateSync(join(dir, 'big.allowlist.yaml'), MAX_READ_SIZE + 1024 * 1024); // sparse: no disk space used
    const big = cli(dir, ['diff', '--no-index', 'old.allowlist.yaml', 'big.allowlist.yaml']);
    assert.equal(big.status, 2);
    assert.equal(big.stderr, `allowlist: error: cannot read big.allowlist.yaml: ${OVER_LIMIT}\n`);

    const binary = cli(dir, ['diff', '--no-index', 'nul.allowlist.yaml', 'old.allowlist.yaml']);
    assert.equal(binary.status, 2);
    assert.equal(binary.stderr, 'allowlist: error: cannot read nul.allowlist.yaml: the file is binary (it contains NUL bytes), not YAML\n');
    // A name with a control character is shown escaped: it cannot move the terminal's cursor or colour the message.
    writeFileSync(join(dir, 'esc\x1b[2J.allowlist.yaml'), Buffer.from([0x61, 0x00]));
    const escaped = cli(dir, ['diff', '--no-index', 'esc\x1b[2J.allowlist.yaml', 'old.allowlist.yaml']);
    assert.equal(escaped.status, 2);
    assert.doesNotMatch(escaped.stderr, /\x1b/);
    assert.match(escaped.stderr, /^allowlist: error: cannot read esc.+\[2J\.allowlist\.yaml: the file is binary/);

    // Saved by Windows PowerShell 5.1's `>`: the same rules, so nothing changed.
    writeFileSync(join(dir, 'utf16.allowlist.yaml'), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(SITE, 'utf16le')]));
    const utf16 = cli(dir, ['diff', '--no-index', '--format', 'json', 'old.allowlist.yaml', 'utf16.allowlist.yaml']);
    assert.equal(utf16.status, 0, utf16.stderr);
    const report = JSON.parse(utf16.stdout);
    assert.deepEqual([report.noEffect, report.changes], [true, []]);

    const device = cli(dir, ['diff', '--no-index', 'old.allowlist.yaml', '/dev/zero']);
    assert.equal(device.status, 2);
    assert.equal(device.stderr, 'allowlist: error: cannot read /dev/zero: not a regular file (a device)\n');

    try {
      execFileSync('mkfifo', [join(dir, 'pipe.allowlist.yaml')]);
    } catch {
      return t.skip('mkfifo is not available');
    }
    const fifo = cli(dir, ['diff', '--no-index', 'old.allowlist.yaml', 'pipe.allowlist.yaml']);
    assert.equal(fifo.status, 2);
    assert.equal(fifo.stderr, 'allowlist: error: cannot read pipe.allowlist.yaml: not a regular file (a FIFO)\n');
  } finally {
    cleanup();
  }
});

test('diff of the work tree refuses an allowlist over the size limit (exit 2) rather than reading it whole', { skip }, () => {
  const repo = makeRepo({ 'site.allowlist.yaml': SITE });
  try {
    truncateSync(join(repo.dir, 'site.allowlist.yaml'), MAX_READ_SIZE + 1024 * 1024);
    const result = cli(repo.dir, ['diff']);
    assert.equal(result.status, 2);
    assert.equal(result.stderr, `allowlist: error: cannot read site.allowlist.yaml: ${OVER_LIMIT}\n`);
  } finally {
    repo.cleanup();
  }
});
