/** `allowlist explain SUBJECT --file FILE` through the built CLI: the rules of FILE that allow the subject, the
 * catalogs found near FILE (or the current folder) as `lint` finds them, and FILE's read errors. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { builtCliSkip as skip, runBuilt, tempTree } from './helpers';

const CATALOG = [
  'catalog: 1',
  'vendor: { id: acme, name: Acme Remote }',
  'endpoints:',
  '  - id: relay',
  '    role: session relay',
  '    host: relay.acme.example',
  '    ports: [443]',
  '    allowlist-by: hostname',
  '    source: { url: "https://acme.example/firewall" }',
  '',
].join('\n');

const ALLOWLIST = [
  'allowlist: 1',
  'vendors:',
  '  acme: {}',
  'outbound:',
  '  - name: acme-relay',
  '    vendor: acme',
  '    to: "*.acme.example"',
  '    ports: 443',
  '',
].join('\n');

function cli(cwd: string, ...args: string[]) {
  const result = runBuilt(cwd, ['explain', ...args]);
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

test('explain --file: the rules of FILE allowing the host, with the catalog found beside FILE (no --catalog)', { skip }, () => {
  const { dir, cleanup } = tempTree({ 'site/site.allowlist.yaml': ALLOWLIST, 'site/acme.catalog.yaml': CATALOG });
  try {
    const text = cli(dir, 'relay.acme.example', '--file', 'site/site.allowlist.yaml');
    assert.equal(text.code, 0, text.stderr);
    assert.equal(text.stderr, '');
    assert.match(text.stdout, /^relay\.acme\.example \(Acme Remote\)/, 'the catalog beside FILE is loaded');
    assert.match(text.stdout, /“session relay”: TCP 443/);
    assert.match(text.stdout, /Allowed by this rule of site\/site\.allowlist\.yaml:\n\n {2}- outbound acme-relay \(line 5\): to \*\.acme\.example, TCP 443, vendor acme\n$/);

    const json = JSON.parse(cli(dir, 'relay.acme.example', '--file', 'site/site.allowlist.yaml', '--format', 'json').stdout);
    assert.deepEqual(
      json.file.rules.map((rule: { name: string; line: number; field: string; by: string }) => [rule.name, rule.line, rule.field, rule.by]),
      [['acme-relay', 5, 'to', '*.acme.example']],
    );
    const markdown = cli(dir, 'relay.acme.example', '--file', 'site/site.allowlist.yaml', '--format', 'markdown');
    assert.match(markdown.stdout, /- outbound \*\*acme-relay\*\* \(line 5\): to `\*\.acme\.example`/);

    const none = cli(dir, 'www.example.org', '--file', 'site/site.allowlist.yaml');
    assert.equal(none.code, 1);
    assert.match(none.stdout, /No rule of site\/site\.allowlist\.yaml allows it\.\n$/);
    assert.equal(none.stderr, 'allowlist: the loaded catalogs know nothing about www.example.org, and no rule of site/site.allowlist.yaml allows it\n');

    const port = cli(dir, '443', '--file', 'site/site.allowlist.yaml');
    assert.equal(port.code, 0, port.stderr);
    assert.match(port.stdout, /- outbound acme-relay \(line 5\): to \*\.acme\.example, TCP 443, vendor acme/);
  } finally {
    cleanup();
  }
});

test('explain without --file finds the catalogs of the current folder as lint does', { skip }, () => {
  const { dir, cleanup } = tempTree({ 'site/acme.catalog.yaml': CATALOG });
  try {
    const result = cli(join(dir, 'site'), 'relay.acme.example');
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /“session relay”/);
  } finally {
    cleanup();
  }
});

test('explain --file: a file that cannot be read or is no allowlist exits 2 with a clear message', { skip }, () => {
  const { dir, cleanup } = tempTree({
    'notes.yaml': 'title: not an allowlist\n',
    'binary.allowlist.yaml': Buffer.from([0x61, 0x00, 0x62]),
    'typo.allowlist.yaml': 'allowlist: 1\noutbound:\n  - name: x\n    to: a.example.com\n    prots: 443\n',
  });
  try {
    const missing = cli(dir, 'relay.acme.example', '--file', 'nosuch.allowlist.yaml');
    assert.equal(missing.code, 2);
    assert.equal(missing.stderr, 'allowlist: error: cannot read nosuch.allowlist.yaml: no such file or folder\n');
    assert.equal(missing.stdout, '');
    const other = cli(dir, 'relay.acme.example', '--file', 'notes.yaml');
    assert.equal(other.code, 2);
    assert.equal(other.stderr, 'allowlist: error: notes.yaml is not an allowlist (it has no top-level `allowlist: 1`)\n');
    const binary = cli(dir, 'relay.acme.example', '--file', 'binary.allowlist.yaml');
    assert.equal(binary.code, 2);
    assert.match(binary.stderr, /^allowlist: error: cannot read binary\.allowlist\.yaml: the file is binary/);
    // Errors that may hide rules do not stop explain: they are named on stderr.
    const unreliable = cli(dir, 'a.example.com', '--file', 'typo.allowlist.yaml');
    assert.equal(unreliable.code, 0, unreliable.stderr);
    assert.match(unreliable.stdout, /- outbound x \(line 3\): to a\.example\.com, TCP, no ports\n$/);
    assert.equal(unreliable.stderr, 'allowlist: warning: typo.allowlist.yaml has 1 error that makes its rules unreliable; what follows may miss some; run `allowlist lint typo.allowlist.yaml`\n');
    const folder = cli(dir, 'relay.acme.example', '--file', '.');
    assert.equal(folder.code, 2);
    assert.match(folder.stderr, /^allowlist: error: cannot read \.: not a regular file \(a folder\)\n$/);
  } finally {
    cleanup();
  }
});

test('explain: a word that is not a host, address, port or product says so, on stdout and stderr', { skip }, () => {
  const { dir, cleanup } = tempTree({});
  try {
    const result = cli(dir, 'hello world!');
    assert.equal(result.code, 1);
    assert.equal(result.stdout, 'hello world! is not a host, address, port or product the catalogs know (Helpdesk Buttons).\n');
    assert.equal(result.stderr, 'allowlist: hello world! is not a host, address, port or product the catalogs know\n');
  } finally {
    cleanup();
  }
});
