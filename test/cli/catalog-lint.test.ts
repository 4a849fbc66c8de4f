/** Catalogs through `allowlist lint`: a broken catalog's schema and semantic findings come in one round, whether it
 * is linted itself or left out beside an allowlist (then each at PATH:LINE:COL), and catalogs are decoded as
 * allowlists are (a UTF-16 catalog is used, with its warning). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ACME_CATALOG, isolatingConfig, run, tempTree } from './helpers';

const CONFIG = isolatingConfig({ catalog: 'error', 'unknown-vendor': 'error', 'missing-ports': 'error' });
const USES_ACME = 'allowlist: 1\nvendors:\n  acme: ~\noutbound:\n  - name: relay\n    vendor: acme\n    to: relay.acme.example\n    ports: ["7000-7100"]\n';
/** A schema error (an unknown key) and two semantic ones (a duplicate id, a reversed port range). */
const BROKEN_CATALOG = `${ACME_CATALOG}  - id: relay
    role: a second relay
    host: relay2.acme.example
    ports: ["9000-80"]
    allowlist-by: hostname
    speed: 3
    source:
      url: https://acme.example/firewall
`;
const utf16 = (text: string): Buffer => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);

test('lint of a broken catalog shows its schema and semantic findings in one round', async () => {
  const { dir, cleanup } = tempTree({ '.allowlistrc.yaml': CONFIG, 'acme.catalog.yaml': BROKEN_CATALOG, 'site.allowlist.yaml': USES_ACME });
  try {
    const linted = await run(dir, ['lint', '--format', 'json', '.']);
    assert.equal(linted.code, 1, linted.stderr);
    const catalog = JSON.parse(linted.stdout).files.find((file: { path: string }) => file.path === 'acme.catalog.yaml');
    assert.deepEqual(
      catalog.findings.map((finding: { ruleId: string; line: number; column: number }) => [finding.ruleId, finding.line, finding.column]),
      [
        ['catalog', 13, 9],
        ['catalog', 16, 13],
        ['schema', 18, 5],
      ],
    );

    // Beside the allowlist linted alone, it is left out with every error at its place.
    const beside = await run(dir, ['lint', 'site.allowlist.yaml']);
    assert.equal(
      beside.stderr,
      'allowlist: warning: catalog acme.catalog.yaml left out:\n' +
        '  acme.catalog.yaml:13:9: duplicate id "relay" (already used in endpoints item 1) [catalog]\n' +
        '  acme.catalog.yaml:16:13: port range "9000-80" must be A-B with 1 <= A <= B <= 65535 [catalog]\n' +
        '  acme.catalog.yaml:18:5: unknown key "speed"; expected one of id, role, host, ports, protocol, allowlist-by, allowlist-by-reason, when, condition, required, tls-ports, source [schema]\n',
    );
  } finally {
    cleanup();
  }
});

test('a UTF-16 catalog is used, linted or named, with the encoding warning where it is linted; a binary one is named as such', async () => {
  const { dir, cleanup } = tempTree({
    '.allowlistrc.yaml': CONFIG,
    'vendor/acme.catalog.yaml': utf16(ACME_CATALOG),
    'site/site.allowlist.yaml': USES_ACME,
    'elsewhere/acme.catalog.yaml': utf16(ACME_CATALOG),
    'elsewhere/nul.catalog.yaml': Buffer.from([0x63, 0x00]),
  });
  try {
    const linted = await run(dir, ['lint', '--format', 'json', 'vendor', 'site']);
    assert.equal(linted.code, 0, linted.stdout);
    const files = JSON.parse(linted.stdout).files.map((file: { path: string; findings: { ruleId: string; severity: string }[] }) => [file.path, file.findings.map((f) => [f.ruleId, f.severity])]);
    assert.deepEqual(files, [
      ['vendor/acme.catalog.yaml', [['yaml-syntax', 'warning']]],
      ['site/site.allowlist.yaml', []],
    ]);

    const named = await run(`${dir}/site`, ['lint', '--no-builtin-catalogs', '--catalog', '../elsewhere/acme.catalog.yaml', 'site.allowlist.yaml']);
    assert.equal(named.code, 0, named.stderr + named.stdout);

    const binary = await run(`${dir}/site`, ['lint', '--catalog', '../elsewhere/nul.catalog.yaml', 'site.allowlist.yaml']);
    assert.equal(binary.code, 2);
    assert.match(binary.stderr, /^allowlist: error: catalog \S*\/elsewhere\/nul\.catalog\.yaml \(--catalog\) failed to load:\n {2}\S*\/elsewhere\/nul\.catalog\.yaml:1:1: the file is binary \(it contains NUL bytes\), not YAML \[yaml-syntax\]\n/);
  } finally {
    cleanup();
  }
});
