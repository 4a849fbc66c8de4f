import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'yaml';
import { buildCatalogSet, builtinCatalogs, type Catalog, type CatalogSet, parseCatalog } from '../catalog';
import { conditionsHold, defaultCatalogSet, lintText } from '../lint';
import { parseAllowlist } from '../parse';
import { defaultFileName, starterAllowlist, UnknownVendorError, vendorCatalogs } from '.';

const TODAY = '2026-11-25';
const SCHEMA = '../schemas/allowlist.schema.json';

function starter(catalogs: CatalogSet, vendors: string[], site?: string): string {
  return starterAllowlist({ catalogs, vendors: vendorCatalogs(catalogs, vendors), site, schema: SCHEMA });
}

function lint(text: string, catalogs: CatalogSet = defaultCatalogSet()) {
  return lintText(text, { catalogs, today: TODAY, fileName: 'site.allowlist.yaml' }).findings;
}

/** The outbound rules as plain data (the text is parsed by the YAML library, not by our engine). */
function outboundRules(text: string): { name: string; to: string; ports: number | string | (number | string)[]; protocol?: string; description: string }[] {
  return parse(text).outbound;
}

/** Whether a rule's `ports` value covers a port range of the catalog. */
function covers(ports: number | string | (number | string)[], range: { from: number; to: number }): boolean {
  return [ports].flat().some((port) => {
    const [from, to = from] = String(port).split('-').map(Number);
    return from <= range.from && range.to <= to;
  });
}

/** The catalog's endpoints that apply with its default options: what the starter must allow. */
function requiredWithDefaults(catalog: Catalog) {
  const defaults = Object.fromEntries(catalog.options.map((option) => [option.name, option.default]));
  return catalog.endpoints.filter((endpoint) => conditionsHold(endpoint.when, defaults));
}

test('init: the starter for helpdesk-buttons lints with no finding at all, through the engine', () => {
  const text = starter(defaultCatalogSet(), ['helpdesk-buttons'], 'Contoso Dental');
  assert.deepEqual(lint(text), []);
  assert.equal(text.split('\n')[0], `# yaml-language-server: $schema=${SCHEMA}`);
  const data = parse(text);
  assert.equal(data.allowlist, 1);
  assert.equal(data.site, 'Contoso Dental');
  assert.deepEqual(Object.keys(data.vendors), ['helpdesk-buttons']);
});

test('init: the starter allows every endpoint the catalog requires with its defaults, by host name, with the roles verbatim', () => {
  const catalog = defaultCatalogSet().byVendor.get('helpdesk-buttons')!;
  const text = starter(defaultCatalogSet(), ['helpdesk-buttons']);
  const rules = outboundRules(text);
  const required = requiredWithDefaults(catalog);
  assert.ok(required.length > 0);
  for (const endpoint of required) {
    const rule = rules.find((candidate) => candidate.to === endpoint.host && (candidate.protocol ?? 'tcp') === endpoint.protocol);
    assert.ok(rule, `a rule for ${endpoint.host}`);
    for (const range of endpoint.ports) assert.ok(covers(rule.ports, range), `${endpoint.host} on ${range.from}-${range.to}`);
    assert.ok(rule.description.includes(endpoint.role), `the role "${endpoint.role}" in ${rule.name}'s description`);
    assert.ok(text.includes(endpoint.source.url), `the source ${endpoint.source.url}`);
  }
  // Nothing but the catalog's hosts: the starter invents no rule.
  assert.deepEqual(new Set(rules.map((rule) => rule.to)), new Set(required.map((endpoint) => endpoint.host)));
  const recommended = catalog.exclusions.filter((exclusion) => exclusion.recommended).map((exclusion) => exclusion.path);
  assert.deepEqual(parse(text)['endpoint-protection'].exclusions.map((exclusion: { path: string }) => exclusion.path), recommended);
});

test('init: without --vendor, a minimal valid allowlist that names the known vendors in comments', () => {
  const text = starter(defaultCatalogSet(), []);
  assert.deepEqual(lint(text), []);
  const model = parseAllowlist(text).model;
  assert.equal(model.kind, 'allowlist');
  assert.deepEqual([model.vendors, model.outbound, model.inbound], [[], [], []]);
  assert.match(text, /^# .*Known vendors: helpdesk-buttons \(Helpdesk Buttons\)/m);
  assert.equal(parse(text).site, undefined, 'no site invented');
});

/** A vendor with a host needed on TCP and on UDP, and an endpoint only for a non-default option. */
const VOIP_CATALOG = `catalog: 1
vendor:
  id: fabrikam-voip
  name: Fabrikam VoIP
options:
  region:
    description: Which data centre the phones use.
    values: [us, eu]
    default: us
endpoints:
  - id: sip-signalling
    role: SIP signalling
    host: sip.fabrikam-voip.example
    ports: [5061]
    protocol: tcp
    allowlist-by: hostname
    source: { url: https://fabrikam-voip.example/firewall }
  - id: sip-media
    role: voice media
    host: sip.fabrikam-voip.example
    ports: ["10000-20000"]
    protocol: udp
    allowlist-by: hostname
    source: { url: https://fabrikam-voip.example/firewall }
  - id: eu-provisioning
    role: EU provisioning
    host: eu.fabrikam-voip.example
    ports: [443]
    protocol: tcp
    allowlist-by: hostname
    when: { region: eu }
    source: { url: https://fabrikam-voip.example/firewall-eu }
`;

function withVoip(): CatalogSet {
  const { catalog, findings } = parseCatalog(VOIP_CATALOG, 'voip.catalog.yaml');
  assert.deepEqual(findings, []);
  return buildCatalogSet([...builtinCatalogs(), catalog!]);
}

test('init: a host needed on TCP and UDP gets a rule per protocol, and two vendors lint clean together', () => {
  const catalogs = withVoip();
  const text = starter(catalogs, ['fabrikam-voip', 'helpdesk-buttons']);
  assert.deepEqual(lint(text, catalogs), []);
  const sip = outboundRules(text).filter((rule) => rule.to === 'sip.fabrikam-voip.example');
  assert.deepEqual(sip.map((rule) => [rule.ports, rule.protocol ?? 'tcp']), [[5061, 'tcp'], ['10000-20000', 'udp']]);
  // The option is written with its default and its values; the endpoint for another value is left out.
  assert.match(text, /^ {4}region: us {3}# us \| eu$/m);
  assert.ok(!text.includes('eu.fabrikam-voip.example'));
});

test("init: missing-endpoint's quick fix for a host needed on TCP and UDP adds a rule per protocol (the generator init shares)", () => {
  const catalogs = withVoip();
  const text = 'allowlist: 1\nvendors:\n  fabrikam-voip: {}\noutbound: []\n';
  const [finding] = lint(text, catalogs).filter((candidate) => candidate.ruleId === 'missing-endpoint');
  const fix = finding.fixes!.find((candidate) => candidate.preferred)!;
  const [edit] = fix.edits;
  const fixed = text.slice(0, edit.range.start) + edit.newText + text.slice(edit.range.end);
  assert.deepEqual(lint(fixed, catalogs), []);
});

test('init: an unknown vendor id is refused with the id it likely means; ids given twice count once; a name or alias is the vendor', () => {
  const catalogs = defaultCatalogSet();
  assert.throws(
    () => vendorCatalogs(catalogs, ['helpdesk-button']),
    (error: unknown) => error instanceof UnknownVendorError && error.suggestion === 'helpdesk-buttons' && /did you mean helpdesk-buttons\?/.test(error.message),
  );
  assert.throws(
    () => vendorCatalogs(catalogs, ['zzz']),
    (error: unknown) => error instanceof UnknownVendorError && error.suggestion === undefined && /define helpdesk-buttons/.test(error.message),
  );
  assert.deepEqual(
    vendorCatalogs(catalogs, ['helpdesk-buttons', 'helpdesk-buttons']).map((catalog) => catalog.id),
    ['helpdesk-buttons'],
  );
  // The vendor's name or an alias of its catalog, in any case, is the vendor too.
  for (const spelling of ['tier2tickets', 'Tier2Tickets', 'helpdesk buttons']) assert.deepEqual(vendorCatalogs(catalogs, [spelling]).map((catalog) => catalog.id), ['helpdesk-buttons'], spelling);
});

test('init: the default file name follows the site', () => {
  assert.equal(defaultFileName(undefined), 'site.allowlist.yaml');
  assert.equal(defaultFileName('Contoso Dental - Main Street'), 'contoso-dental-main-street.allowlist.yaml');
  assert.equal(defaultFileName('Zürich Büro'), 'zurich-buro.allowlist.yaml');
  assert.equal(defaultFileName('東京'), 'site.allowlist.yaml');
});

test('init: a host two vendors need gets one rule, plus one for the ports only the second needs', () => {
  const { catalog, findings } = parseCatalog(
    `catalog: 1
vendor:
  id: contoso-backup
  name: Contoso Backup
endpoints:
  - id: upload
    role: backup upload
    host: hdb-stuff.s3.amazonaws.com
    ports: [443]
    protocol: tcp
    allowlist-by: hostname
    source: { url: https://contoso-backup.example/firewall }
  - id: session
    role: restore session
    host: connect.helpdeskbuttons.com
    ports: [443, 8443]
    protocol: tcp
    allowlist-by: hostname
    source: { url: https://contoso-backup.example/firewall }
`,
    'backup.catalog.yaml',
  );
  assert.deepEqual(findings, []);
  const catalogs = buildCatalogSet([...builtinCatalogs(), catalog!]);
  const text = starter(catalogs, ['helpdesk-buttons', 'contoso-backup']);
  assert.deepEqual(lint(text, catalogs), []);
  const rules = outboundRules(text);
  assert.equal(rules.filter((rule) => rule.to === 'hdb-stuff.s3.amazonaws.com').length, 1);
  assert.deepEqual(
    rules.filter((rule) => rule.to === 'connect.helpdeskbuttons.com').map((rule) => rule.ports),
    [[443, '2001-2500'], [443, 8443]],
  );
});
