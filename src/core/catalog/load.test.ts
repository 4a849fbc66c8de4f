import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { packagePath } from '../common';
import { builtinCatalogs } from './builtin';
import { buildCatalogSet, parseCatalog } from './load';
import { CATALOG_FILE, findCatalogFiles, loadCatalogFile } from './files';
import type { Catalog } from './types';

const GOOD = `catalog: 1
vendor: { id: acme, name: Acme }
options:
  mode: { description: How Acme runs, values: [cloud, onsite], default: cloud }
endpoints:
  - id: api
    role: the API
    host: API.Acme.example
    ports: [443, "8000-8010"]
    allowlist-by: hostname
    when: { mode: cloud }
    source: { url: "https://acme.example/docs#api", quote: the API }
inbound-sources:
  - { id: push, address: "2001:DB8:0:0::1", role: pushes, source: { url: "https://acme.example/docs" } }
exclusions:
  - { id: folder, path: 'C:\\Acme', platform: windows, role: the folder, source: { url: "https://acme.example/docs" } }
products:
  - { product: shield, name: Shield, problem: It blocks Acme., source: { url: "https://acme.example/docs" } }
`;

test('a valid catalog converts to the in-memory form', () => {
  const { catalog, findings } = parseCatalog(GOOD, 'acme.catalog.yaml');
  assert.deepEqual(findings, []);
  assert.ok(catalog);
  assert.equal(catalog.origin, 'acme.catalog.yaml');
  assert.deepEqual(catalog.options, [{ name: 'mode', description: 'How Acme runs', values: ['cloud', 'onsite'], default: 'cloud' }]);
  assert.deepEqual(catalog.endpoints[0], {
    id: 'api',
    role: 'the API',
    host: 'API.Acme.example',
    ports: [
      { from: 443, to: 443 },
      { from: 8000, to: 8010 },
    ],
    protocol: 'tcp',
    allowlistBy: 'hostname',
    required: true,
    when: { mode: 'cloud' },
    source: { url: 'https://acme.example/docs#api', quote: 'the API' },
  });
  assert.equal(catalog.endpoints[0].required, true, 'required defaults to true');
  assert.equal(catalog.exclusions[0].recommended, false, 'recommended defaults to false');
  assert.equal(catalog.exclusions[0].path, 'C:\\Acme');
  assert.deepEqual(Object.keys(catalog.locations ?? {}), ['vendor', 'option:mode', 'api', 'push', 'folder', 'product:shield']);
  const locations = catalog.locations ?? {};
  assert.equal(GOOD.slice(locations.vendor.start, locations.vendor.end), '{ id: acme, name: Acme }');
  assert.equal(GOOD.slice(locations['option:mode'].start, locations['option:mode'].end), 'mode');
  assert.ok(GOOD.slice(locations.api.start, locations.api.end).startsWith('id: api\n'));
  assert.ok(GOOD.slice(locations.api.start, locations.api.end).endsWith('quote: the API }'), 'no trailing line break');
});

test('schema findings cover the offending node: the key when unknown, the value otherwise', () => {
  const text = `catalog: 1
vendor: { id: acme, name: Acme }
endpoints:
  - id: api
    role: the API
    host: api.acme.example
    speed: [443]
    allowlist-by: ip
    source: { url: "https://acme.example/docs" }
`;
  const { catalog, findings } = parseCatalog(text, 'x');
  assert.equal(catalog, undefined);
  assert.deepEqual(
    findings.map((f) => [f.ruleId, f.severity, f.message]),
    [
      ['schema', 'error', 'endpoints item 1 is missing required key "ports"'],
      ['schema', 'error', 'unknown key "speed"; expected one of id, role, host, ports, protocol, allowlist-by, allowlist-by-reason, when, condition, required, tls-ports, source'],
      ['schema', 'error', 'allowlist-by must be one of hostname, address'],
    ],
  );
  const [missing, unknown, wrong] = findings;
  assert.deepEqual(unknown.range, { start: text.indexOf('speed'), end: text.indexOf('speed') + 'speed'.length });
  assert.equal(text.slice(missing.range.start, missing.range.end), text.slice(text.indexOf('id: api'), text.lastIndexOf('}') + 1));
  assert.deepEqual(wrong.range, { start: text.indexOf(': ip') + 2, end: text.indexOf(': ip') + 4 });
  // A typo of the missing key is one finding that names it.
  const typo = parseCatalog(text.replace('speed:', 'prots:'), 'x').findings.map((f) => f.message);
  assert.deepEqual(typo, ['unknown key "prots"; did you mean ports?', 'allowlist-by must be one of hostname, address']);
});

test('YAML errors are yaml-syntax findings at their position, and stop there', () => {
  const text = 'catalog: 1\ncatalog: 1\nvendor: [\n';
  const { catalog, findings } = parseCatalog(text, 'x');
  assert.equal(catalog, undefined);
  assert.ok(findings.length >= 2);
  assert.ok(findings.every((f) => f.ruleId === 'yaml-syntax' && f.severity === 'error'));
  assert.equal(text.slice(findings[0].range.start, findings[0].range.end), 'catalog', 'the duplicate key');
  assert.ok(!findings[0].message.includes('\n'), 'one-line message');
});

test('nesting deep enough to exhaust the YAML parser, and a second document, are said in the user\'s terms (found by the CLI fuzz run)', () => {
  const messages = (text: string) => parseCatalog(text, 'x').findings.map((f) => [f.ruleId, f.message]);
  assert.deepEqual(messages(`${GOOD}extra: ${'['.repeat(5000)}${']'.repeat(5000)}\n`), [['yaml-syntax', 'the YAML is nested too deeply to read from here on (a catalog needs only a few levels)']]);
  assert.deepEqual(messages(`${GOOD}---\n${GOOD}`), [['yaml-syntax', 'a second YAML document starts here (`---`): a catalog is one document; split the file, or remove the marker']]);
});

test('an alias without its anchor is reported on the alias', () => {
  const text = 'catalog: 1\nvendor: *nope\n';
  const { catalog, findings } = parseCatalog(text, 'x');
  assert.equal(catalog, undefined);
  assert.deepEqual(
    findings.map((f) => [f.ruleId, f.message, text.slice(f.range.start, f.range.end)]),
    [['yaml-syntax', 'the alias *nope has no anchor &nope before it', '*nope']],
  );
});

test('semantic checks the schema cannot express', () => {
  const text = `catalog: 1
vendor: { id: acme, name: Acme }
options:
  mode: { description: d, values: [cloud, onsite], default: hybrid }
endpoints:
  - { id: api, role: r, host: a.acme.example, ports: ["9000-8000"], allowlist-by: hostname, when: { mood: cloud }, source: { url: "https://a.example/" } }
  - { id: api, role: r, host: b.acme.example, ports: [443], allowlist-by: hostname, when: { mode: hybrid }, source: { url: "https://a.example/" } }
inbound-sources:
  - { id: src, address: 300.1.1.1, role: r, source: { url: "https://a.example/" } }
`;
  const { catalog, findings } = parseCatalog(text, 'x');
  assert.equal(catalog, undefined);
  assert.ok(findings.every((f) => f.ruleId === 'catalog' && f.severity === 'error'));
  assert.deepEqual(
    findings.map((f) => [f.message, text.slice(f.range.start, f.range.end)]),
    [
      ['default "hybrid" is not one of the values cloud, onsite', 'hybrid'],
      ['port range "9000-8000" must be A-B with 1 <= A <= B <= 65535', '"9000-8000"'],
      ['unknown option "mood"; the catalog\'s options are mode', 'mood'],
      ['duplicate id "api" (already used in endpoints item 1)', 'api'],
      ['"hybrid" is not a value of option "mode" (cloud, onsite)', 'hybrid'],
      ['"300.1.1.1" is not an IP address or CIDR network', '300.1.1.1'],
    ],
  );
  assert.equal(findings[3].range.start, text.indexOf('id: api', text.indexOf('id: api') + 1) + 4, 'the second id');
});

test('an endpoint host is a host name an allowlist can write: not an IP address, a label over 63 characters or an all-digit last label', () => {
  const endpoint = (host: string) => `  - { id: e${host.length}, role: r, host: "${host}", ports: [443], allowlist-by: hostname, source: { url: "https://a.example/" } }`;
  const hosts = ['192.0.2.10', `${'a'.repeat(64)}.example.com`, '2001.db8.1.2'];
  const text = `catalog: 1\nvendor: { id: acme, name: Acme }\nendpoints:\n${hosts.map(endpoint).join('\n')}\n  - { id: ok, role: r, host: "*.acme.example", ports: [443], allowlist-by: hostname, source: { url: "https://a.example/" } }\n`;
  const { catalog, findings } = parseCatalog(text, 'x');
  assert.equal(catalog, undefined);
  assert.deepEqual(
    findings.map((f) => [text.slice(f.range.start, f.range.end), f.message.replace(/: .*/, '')]),
    hosts.map((host) => [`"${host}"`, `host "${host}"`]),
  );
  assert.match(findings[0].message, /it is an IP address, not a host name/);
});

test('schema and semantic findings come in one round: the semantic checks run on what is well-formed', () => {
  const text = `catalog: 1
vendor: { id: acme, name: Acme }
options:
  mode: { description: d, values: [cloud, onsite], default: hybrid }
  broken: { description: d, values: cloud, default: cloud }
endpoints:
  - { id: api, role: r, host: a.acme.example, ports: [443], allowlist-by: ip, source: { url: "https://a.example/" } }
  - { id: api, role: r, host: b.acme.example, ports: ["9000-8000", "x-1"], allowlist-by: hostname, when: { broken: x, mood: y }, source: { url: "https://a.example/" } }
  - { id: Bad_Id, role: r, host: c.acme.example, ports: [443], allowlist-by: hostname, source: { url: "https://a.example/" } }
  - { id: Bad_Id, role: r, host: d.acme.example, ports: [443], allowlist-by: hostname, source: { url: "https://a.example/" } }
  - just a string
inbound-sources: { not: a list }
`;
  const { catalog, findings } = parseCatalog(text, 'x');
  assert.equal(catalog, undefined);
  assert.deepEqual(
    findings.map((f) => [f.ruleId, text.slice(f.range.start, f.range.end)]),
    [
      ['catalog', 'hybrid'], // default not among the values
      ['schema', 'cloud'], // values must be a list: the semantic checks leave this option's values alone
      ['schema', 'ip'], // allowlist-by
      ['catalog', 'api'], // the duplicate id, though the first item has a schema error
      ['catalog', '"9000-8000"'],
      ['schema', '"x-1"'], // said once, by the schema
      ['catalog', 'mood'], // unknown option; `broken: x` is not checked against a broken option
      ['schema', 'Bad_Id'],
      ['schema', 'Bad_Id'], // a malformed duplicate id: the schema's finding only
      ['schema', 'just a string'],
      ['schema', '{ not: a list }'],
    ],
  );
});

test('a `when` naming an Object property is an unknown option, not a crash', () => {
  const text = 'catalog: 1\nvendor: { id: acme, name: Acme }\nendpoints:\n  - { id: api, role: r, host: a.acme.example, ports: [443], allowlist-by: hostname, when: { constructor: x }, source: { url: "https://a.example/" } }\n';
  assert.deepEqual(parseCatalog(text, 'x').findings.map((f) => f.message), ['unknown option "constructor"; the catalog\'s options are none']);
});

test('a catalog file is decoded as allowlists are: UTF-16 loads with its warning, binary and bad UTF-8 are named', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'catalog-encoding-'));
  try {
    const utf16 = join(dir, 'utf16.catalog.yaml');
    writeFileSync(utf16, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(GOOD, 'utf16le')]));
    const loaded = await loadCatalogFile(utf16);
    assert.equal(loaded.catalog?.id, 'acme');
    assert.deepEqual(loaded.findings.map((f) => [f.severity, f.subject]), [['warning', 'file:utf-16']]);

    const binary = join(dir, 'binary.catalog.yaml');
    writeFileSync(binary, Buffer.from([0x63, 0x00, 0x01]));
    const refused = await loadCatalogFile(binary);
    assert.equal(refused.catalog, undefined);
    assert.deepEqual(refused.findings.map((f) => f.message), ['the file is binary (it contains NUL bytes), not YAML']);

    const latin1 = join(dir, 'latin1.catalog.yaml');
    writeFileSync(latin1, Buffer.from(GOOD.replace('the API', 'l\u00e0 API'), 'latin1'));
    const bad = await loadCatalogFile(latin1);
    assert.equal(bad.catalog, undefined);
    assert.match(bad.findings[0].message, /^the file is not valid UTF-8 \(byte 0xe0 at byte offset \d+\)/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

function catalogWith(id: string, host: string, address: string): Catalog {
  const text = GOOD.replace('id: acme', `id: ${id}`).replace('API.Acme.example', host).replace('2001:DB8:0:0::1', address);
  const { catalog } = parseCatalog(text, `${id}.catalog.yaml`);
  assert.ok(catalog);
  return catalog;
}

test('a catalog set indexes by vendor, lower-cased host and canonical address; later catalogs win', () => {
  const builtin = catalogWith('acme', 'old.acme.example', '192.0.2.1');
  const other = catalogWith('zeta', 'zeta.example', '198.51.100.7');
  const user = catalogWith('acme', 'API.Acme.example', '2001:DB8:0:0::1');
  const set = buildCatalogSet([builtin, other, user]);
  assert.deepEqual(set.catalogs, [other, user]);
  assert.equal(set.byVendor.get('acme'), user);
  assert.equal(set.endpointsByHost.has('old.acme.example'), false, 'the overridden catalog is gone');
  assert.equal(set.endpointsByHost.get('api.acme.example')?.[0].catalog, user);
  assert.equal(set.sourcesByAddress.get('2001:db8::1')?.[0].source.id, 'push');
  assert.equal(set.sourcesByAddress.get('192.0.2.1'), undefined);
});

test('the set key follows content, not positions', () => {
  const a = catalogWith('acme', 'a.example', '192.0.2.1');
  const key = buildCatalogSet([a]).key;
  assert.match(key, /^[0-9a-f]{16}$/);
  assert.equal(buildCatalogSet([{ ...a, locations: {} }]).key, key);
  assert.notEqual(buildCatalogSet([catalogWith('acme', 'b.example', '192.0.2.1')]).key, key);
});

test("the built-in catalogs' content keys, computed at build time, are their content's: a set of copies has their set's key", () => {
  const builtins = builtinCatalogs();
  const copies = builtins.map((catalog) => structuredClone(catalog));
  assert.equal(buildCatalogSet(builtins).key, buildCatalogSet(copies).key);
  const other = catalogWith('acme', 'a.example', '192.0.2.1');
  assert.equal(buildCatalogSet([...builtins, other]).key, buildCatalogSet([...copies, other]).key);
  assert.notEqual(buildCatalogSet([...builtins, other]).key, buildCatalogSet(builtins).key);
});

test('built-in catalogs load once from the package, with builtin: origins', () => {
  const first = builtinCatalogs();
  assert.equal(builtinCatalogs(), first, 'cached');
  assert.deepEqual(
    first.map((c) => [c.id, c.origin]),
    [['helpdesk-buttons', 'builtin:helpdesk-buttons']],
  );
  assert.deepEqual(first[0].aliases, ['Tier2Tickets']);
});

test('the built-in catalogs (parsed at build time) are what parseCatalog reads from catalogs/ now', () => {
  const files = readdirSync(packagePath('catalogs')).filter((name) => CATALOG_FILE.test(name)).sort();
  const parsed = files.map((name) => {
    const { catalog, findings } = parseCatalog(readFileSync(packagePath('catalogs', name), 'utf8'), name);
    assert.deepEqual(findings, [], name);
    return { ...catalog!, origin: `builtin:${catalog!.id}` };
  });
  // As JSON: the generated data has no keys for absent optional fields.
  assert.deepEqual(builtinCatalogs(), JSON.parse(JSON.stringify(parsed)), 'src/core/catalog/generated/ is stale: run node scripts/generate.mjs');
});

test('catalog files are found recursively, skipping node_modules and dot-folders, and load from disk', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'catalogs-'));
  try {
    const write = (path: string, text = GOOD): void => {
      mkdirSync(join(dir, path, '..'), { recursive: true });
      writeFileSync(join(dir, path), text);
    };
    write('a.catalog.yaml');
    write('nested/deeper/b.catalog.yml');
    write('nested/not-a-catalog.yaml');
    write('node_modules/pkg/c.catalog.yaml');
    write('.git/d.catalog.yaml');
    assert.deepEqual((await findCatalogFiles(dir)).files, [join(dir, 'a.catalog.yaml'), join(dir, 'nested/deeper/b.catalog.yml')]);
    const loaded = await loadCatalogFile(join(dir, 'a.catalog.yaml'));
    assert.equal(loaded.catalog?.origin, join(dir, 'a.catalog.yaml'));
    const missing = await loadCatalogFile(join(dir, 'missing.catalog.yaml'));
    assert.equal(missing.catalog, undefined);
    assert.match(missing.findings[0].message, /cannot read catalog/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
