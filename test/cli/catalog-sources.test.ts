/** Catalog sources that are not catalogs, run through the built CLI (dist/cli.js) as a subprocess with a time-out,
 * so that a hang fails the test instead of stalling the suite: a FIFO, a device, an oversized file, `/` (and a
 * symbolic link to it) and a folder the walk cannot read each give a clear message, never a stack trace. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ACME_CATALOG, isolatingConfig, run, tempTree } from './helpers';
import { repositoryRoot } from '../../src/core/files';

const CLI = resolve(__dirname, '../../dist/cli.js');
const skip = existsSync(CLI) ? false : 'dist/cli.js is absent: run `npm run build` first';

/** Uses acme's relay on a port its catalog does not list: missing-ports with the catalog, unknown-vendor without. */
const USES_ACME = 'allowlist: 1\nvendors:\n  acme: ~\noutbound:\n  - name: relay\n    vendor: acme\n    to: relay.acme.example\n    ports: 443\n';
const CONFIG = isolatingConfig({ 'missing-ports': 'error', 'unknown-vendor': 'error' });
const BIG_CATALOG = `${ACME_CATALOG}# ${'x'.repeat(2 * 1024 * 1024)}\n`;

function cli(cwd: string, args: string[], asUser?: string[]) {
  const command = asUser ? [...asUser, process.execPath] : [process.execPath];
  const result = spawnSync(command[0], [...command.slice(1), CLI, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, timeout: 60_000 });
  assert.equal(result.signal, null, `allowlist ${args.join(' ')} did not finish within 60 s`);
  assert.doesNotMatch(result.stderr, /\n\s+at /, 'no stack trace');
  return result;
}

function mkfifo(path: string): boolean {
  try {
    execFileSync('mkfifo', [path]);
    return true;
  } catch {
    return false;
  }
}

test('a FIFO or a device named in catalogs: is refused at once (exit 2), not read', { skip }, (t) => {
  const { dir, cleanup } = tempTree({ '.allowlistrc.yaml': `${CONFIG}catalogs:\n  - pipe.catalog.yaml\n`, 'plain.yaml': CONFIG, 'a.allowlist.yaml': USES_ACME });
  try {
    if (!mkfifo(join(dir, 'pipe.catalog.yaml'))) return t.skip('mkfifo is not available');
    const fifo = cli(dir, ['lint', 'a.allowlist.yaml']);
    assert.equal(fifo.status, 2, fifo.stderr);
    assert.equal(fifo.stderr, 'allowlist: error: cannot read catalog pipe.catalog.yaml (from .allowlistrc.yaml): not a regular file (a FIFO)\n');
    for (const device of ['/dev/zero', '/dev/urandom']) {
      const read = cli(dir, ['lint', 'a.allowlist.yaml', '--config', 'plain.yaml', '--catalog', device]);
      assert.equal(read.status, 2, read.stderr);
      assert.match(read.stderr, new RegExp(`^allowlist: error: cannot read catalog ${device} \\(--catalog\\): not a regular file \\(a device\\)`));
    }
  } finally {
    cleanup();
  }
});

test('a FIFO or a device as the configuration (--config or .allowlistrc.yaml) is refused at once (exit 2), not read', { skip }, (t) => {
  const { dir, cleanup } = tempTree({ 'a.allowlist.yaml': USES_ACME });
  try {
    if (!mkfifo(join(dir, '.allowlistrc.yaml'))) return t.skip('mkfifo is not available');
    const found = cli(dir, ['lint', 'a.allowlist.yaml']);
    assert.equal(found.status, 2, found.stderr);
    assert.equal(found.stderr, 'allowlist: error: cannot read config .allowlistrc.yaml: not a regular file (a FIFO)\n');
    const device = cli(dir, ['lint', 'a.allowlist.yaml', '--config', '/dev/zero']);
    assert.equal(device.status, 2, device.stderr);
    assert.equal(device.stderr, 'allowlist: error: cannot read config /dev/zero: not a regular file (a device)\n');
  } finally {
    cleanup();
  }
});

test('an oversized catalog: refused when named, left out with a warning beside an allowlist, one finding when linted', { skip }, () => {
  const { dir, cleanup } = tempTree({ '.git/HEAD': '', '.allowlistrc.yaml': CONFIG, 'site/a.allowlist.yaml': USES_ACME, 'vendor/big.catalog.yaml': BIG_CATALOG });
  try {
    const named = cli(dir, ['lint', 'site', '--catalog', 'vendor/big.catalog.yaml']);
    assert.equal(named.status, 2);
    assert.match(named.stderr, /allowlist: error: cannot read catalog vendor\/big\.catalog\.yaml \(--catalog\): the file is 2\.0 MB, over the 1\.0 MB limit\n$/);

    const beside = cli(dir, ['lint', 'site/a.allowlist.yaml', '--format', 'json']);
    assert.equal(beside.status, 1);
    assert.equal(beside.stderr, 'allowlist: warning: catalog vendor/big.catalog.yaml left out: the file is 2.0 MB, over the 1.0 MB limit\n');
    assert.deepEqual(new Set(JSON.parse(beside.stdout).files[0].findings.map((finding: { ruleId: string }) => finding.ruleId)), new Set(['unknown-vendor']));

    const linted = cli(dir, ['lint', 'vendor', '--format', 'json']);
    assert.equal(linted.status, 1, linted.stderr);
    assert.equal(linted.stderr, '');
    const [file] = JSON.parse(linted.stdout).files;
    assert.deepEqual(file.findings.map((finding: { ruleId: string; message: string }) => [finding.ruleId, finding.message]), [
      ['catalog', 'the catalog is 2.0 MB, over the 1.0 MB limit for catalogs: it is not read (a catalog is a few KB)'],
    ]);
  } finally {
    cleanup();
  }
});

test('catalogs: [/] and a symbolic link to / stop at the walk limit with a clear error, not a walk of the whole disk', { skip }, () => {
  const { dir, cleanup } = tempTree({ '.allowlistrc.yaml': `${CONFIG}catalogs:\n  - /\n`, 'a.allowlist.yaml': USES_ACME });
  try {
    const slash = cli(dir, ['lint', 'a.allowlist.yaml']);
    assert.equal(slash.status, 2);
    assert.match(slash.stderr, /^allowlist: error: catalog folder \/ \(from \.allowlistrc\.yaml\): stopped after 50000 files and folders; name the folder that holds the catalogs\n$/);
    symlinkSync('/', join(dir, 'everything'));
    const linked = cli(dir, ['lint', 'a.allowlist.yaml', '--config', '/dev/null', '--catalog', 'everything']);
    assert.equal(linked.status, 2);
    assert.match(linked.stderr, /^allowlist: error: catalog folder everything \(--catalog\): stopped after 50000 files and folders/);
  } finally {
    cleanup();
  }
});

/** A folder the CLI cannot read. Root reads any folder whatever its mode, so as root the CLI runs as the unprivileged
 * user nobody (setpriv), over a tree it may read except for the locked folder; as another user, chmod 000 is enough. */
function unprivileged(): { asUser?: string[]; skip?: string } {
  if (process.getuid?.() !== 0) return {};
  const setpriv = spawnSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', 'true']);
  return setpriv.status === 0 ? { asUser: ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups'] } : { skip: 'running as root without setpriv: cannot make a folder unreadable' };
}

test('an unreadable folder in the repository is skipped with a warning that names it; the other catalogs still serve', { skip }, (t) => {
  const { asUser, skip: cannot } = unprivileged();
  if (cannot) return t.skip(cannot);
  const { dir, cleanup } = tempTree({ '.git/HEAD': '', '.allowlistrc.yaml': CONFIG, 'site/a.allowlist.yaml': USES_ACME, 'vendor/acme.catalog.yaml': ACME_CATALOG, 'locked/other.catalog.yaml': ACME_CATALOG });
  try {
    for (const folder of ['', '.git', 'site', 'vendor']) chmodSync(join(dir, folder), 0o755);
    chmodSync(join(dir, 'locked'), 0o000);
    const single = cli(dir, ['lint', 'site/a.allowlist.yaml', '--format', 'json'], asUser);
    assert.equal(single.status, 1, single.stderr);
    assert.equal(single.stderr, 'allowlist: warning: folder locked not searched for catalogs: permission denied\n');
    assert.deepEqual(JSON.parse(single.stdout).files[0].findings.map((finding: { ruleId: string }) => finding.ruleId), ['missing-ports']);

    const named = cli(dir, ['lint', 'site', '--catalog', '.', '--format', 'json'], asUser);
    assert.equal(named.status, 1, named.stderr);
    assert.match(named.stderr, /^allowlist: warning: folder locked not searched for catalogs: permission denied\n/);
    assert.match(named.stderr, /allowlist: warning: folder locked not searched for catalogs \(--catalog\): permission denied\n$/);
    assert.deepEqual(JSON.parse(named.stdout).files[0].findings.map((finding: { ruleId: string }) => finding.ruleId), ['missing-ports']);

    const whole = cli(dir, ['lint', '--format', 'json'], asUser);
    assert.equal(whole.status, 1, whole.stderr);
    assert.equal(whole.stderr, 'allowlist: warning: folder locked not searched: permission denied\n');
    assert.deepEqual(JSON.parse(whole.stdout).files.map((file: { path: string }) => file.path), ['site/a.allowlist.yaml', 'vendor/acme.catalog.yaml']);
  } finally {
    chmodSync(join(dir, 'locked'), 0o755);
    cleanup();
  }
});

test('export and explain --file of a file that is not there: the error alone, no catalog search near it', async () => {
  // Near a missing file the search would be of its folder: for `/site.yaml`, the whole file system, whose warnings
  // buried the error. A broken catalog beside the missing file shows whether it was searched.
  const { dir, cleanup } = tempTree({ 'broken.catalog.yaml': 'catalog: [\n' });
  try {
    const exported = await run(dir, ['export', 'nosuch.allowlist.yaml', '--target', 'fortigate']);
    assert.equal(exported.code, 2);
    assert.equal(exported.stderr, 'allowlist: error: cannot read nosuch.allowlist.yaml: no such file or folder\n');
    const explained = await run(dir, ['explain', '443', '--file', 'nosuch.allowlist.yaml']);
    assert.equal(explained.code, 2);
    assert.equal(explained.stderr, 'allowlist: error: cannot read nosuch.allowlist.yaml: no such file or folder\n');
    // With the file there, the broken catalog beside it is warned about: the search was skipped above, not lost.
    writeFileSync(join(dir, 'site.allowlist.yaml'), 'allowlist: 1\noutbound: []\n');
    assert.match((await run(dir, ['explain', '443', '--file', 'site.allowlist.yaml'])).stderr, /broken\.catalog\.yaml left out/);
  } finally {
    cleanup();
  }
});

test('outside a git repository, a file is linted with the catalogs beside it, not those in folders below its own', async () => {
  // `allowlist lint ~/site.allowlist.yaml` must not walk the home folder: beside the file means in its folder. A broken
  // catalog one folder down shows whether it was searched; linting the folder itself searches under it, as before.
  const { dir, cleanup } = tempTree({ '.allowlistrc.yaml': CONFIG, 'a.allowlist.yaml': USES_ACME, 'acme.catalog.yaml': ACME_CATALOG, 'deep/broken.catalog.yaml': 'catalog: [\n' });
  try {
    assert.equal(existsSync(join(repositoryRoot(dir), '.git')), false, 'the temporary folder is outside any repository');
    const file = await run(dir, ['lint', 'a.allowlist.yaml']);
    assert.equal(file.stderr, '');
    // The catalog beside it is used: acme is known, and its relay's ports do not include 443.
    assert.match(file.stdout, /missing-ports/);
    assert.doesNotMatch(file.stdout, /unknown-vendor/);
    assert.doesNotMatch(file.stdout, /broken/);
    // Linting the folder lints the catalogs under it too, the broken one with its error.
    const folder = await run(dir, ['lint', '.']);
    assert.match(folder.stdout, /^deep\/broken\.catalog\.yaml:\d+:\d+: error /m);
  } finally {
    cleanup();
  }
});
