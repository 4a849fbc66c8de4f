/** `allowlist init` through the built CLI (dist/cli.js) in temporary folders: the file it writes lints clean,
 * an existing file is kept unless --force, an unknown vendor gets a suggestion, `-o -` prints. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { ACME_CATALOG, BUILT_CLI, builtCliSkip, runBuilt, tempTree } from './helpers';

const skip = builtCliSkip;
const TODAY = '2026-11-25';

const cli = runBuilt;

test('init writes NAME.allowlist.yaml for the site, and lint finds nothing in it', { skip }, () => {
  const { dir, cleanup } = tempTree({});
  try {
    const init = cli(dir, ['init', '--vendor', 'helpdesk-buttons', '--site', 'Contoso Dental']);
    assert.equal(init.status, 0, init.stderr);
    assert.equal(init.stdout, '');
    assert.match(init.stderr, /^wrote contoso-dental\.allowlist\.yaml/);
    const text = readFileSync(join(dir, 'contoso-dental.allowlist.yaml'), 'utf8');
    assert.match(text, /^site: "Contoso Dental"$/m);
    assert.match(text, /^ {4}to: connect\.helpdeskbuttons\.com$/m);
    // The modeline points at the schema this CLI ships, relative to the file.
    const schema = /^# yaml-language-server: \$schema=(\S+)$/m.exec(text)?.[1];
    assert.ok(schema && !schema.startsWith('/'), `a relative modeline: ${schema}`);
    assert.equal(resolve(dir, schema), resolve(dirname(BUILT_CLI), '../schemas/allowlist.schema.json'));
    const lint = cli(dir, ['lint', '--today', TODAY, 'contoso-dental.allowlist.yaml']);
    assert.equal(lint.status, 0, lint.stdout + lint.stderr);
    assert.doesNotMatch(lint.stdout, /warning|error/);
  } finally {
    cleanup();
  }
});

test('init refuses to overwrite a file (exit 2, file unchanged) unless --force', { skip }, () => {
  const { dir, cleanup } = tempTree({ 'site.allowlist.yaml': 'allowlist: 1\n# mine\n' });
  try {
    const refused = cli(dir, ['init', '--vendor', 'helpdesk-buttons']);
    assert.equal(refused.status, 2);
    assert.match(refused.stderr, /^allowlist: error: site\.allowlist\.yaml already exists; use --force to overwrite it/);
    assert.equal(readFileSync(join(dir, 'site.allowlist.yaml'), 'utf8'), 'allowlist: 1\n# mine\n');

    const forced = cli(dir, ['init', '--vendor', 'helpdesk-buttons', '--force']);
    assert.equal(forced.status, 0, forced.stderr);
    const text = readFileSync(join(dir, 'site.allowlist.yaml'), 'utf8');
    assert.doesNotMatch(text, /# mine/);
    assert.match(text, /^ {2}helpdesk-buttons:$/m);
  } finally {
    cleanup();
  }
});

test('init with an unknown vendor exits 2 with the vendor it likely means, and writes nothing', { skip }, () => {
  const { dir, cleanup } = tempTree({});
  try {
    const result = cli(dir, ['init', '--vendor', 'helpdesk-button']);
    assert.equal(result.status, 2);
    assert.equal(result.stderr, 'allowlist: error: unknown vendor "helpdesk-button"; did you mean helpdesk-buttons?\n');
    assert.deepEqual(readdirSync(dir), []);
  } finally {
    cleanup();
  }
});

test('init refuses a site name with control or invisible characters (the starter must lint clean), and writes nothing', { skip }, () => {
  const { dir, cleanup } = tempTree({});
  try {
    for (const [site, shown] of [
      ['x\u001b[31mred', 'x\\x1b[31mred'],
      ['a\u202eb', 'a\\u202eb'],
    ]) {
      const result = cli(dir, ['init', '--site', site]);
      assert.equal(result.status, 2);
      assert.equal(result.stderr.split('\n')[0], `allowlist: error: --site has invisible or control characters ("${shown}"); type the name plainly`);
    }
    assert.deepEqual(readdirSync(dir), []);
  } finally {
    cleanup();
  }
});

test('init -o - prints the starter and writes no file; a catalog beside it is found as lint finds it', { skip }, () => {
  const { dir, cleanup } = tempTree({ 'acme.catalog.yaml': ACME_CATALOG });
  try {
    const result = cli(dir, ['init', '--vendor', 'acme', '-o', '-']);
    assert.equal(result.status, 0, result.stderr);
    assert.equal(result.stderr, '');
    assert.match(result.stdout, /^ {4}to: relay\.acme\.example\n {4}ports: "7000-7100"$/m);
    assert.deepEqual(readdirSync(dir), ['acme.catalog.yaml']);
    // What it printed lints clean with the same catalogs.
    writeFileSync(join(dir, 'printed.allowlist.yaml'), result.stdout);
    const lint = cli(dir, ['lint', '--today', TODAY, 'printed.allowlist.yaml']);
    assert.equal(lint.status, 0, lint.stdout + lint.stderr);
    assert.doesNotMatch(lint.stdout, /warning|error/);
  } finally {
    cleanup();
  }
});

test('init: a folder that is not there is an I/O error (exit 2) in our words; the help lists init', { skip }, () => {
  const { dir, cleanup } = tempTree({});
  try {
    const result = cli(dir, ['init', '-o', 'missing/site.allowlist.yaml']);
    assert.equal(result.status, 2);
    assert.equal(result.stderr, 'allowlist: error: cannot write missing/site.allowlist.yaml: no such file or folder\n');
    assert.match(cli(dir, ['--help']).stdout, /^ {2}init {2,}/m);
  } finally {
    cleanup();
  }
});
