import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultCatalogSet, lintText } from '../lint';
import { importedAllowlist, type ImportedRule } from '.';

const RULES: ImportedRule[] = [
  { direction: 'outbound', name: 'web', to: ['connect.helpdeskbuttons.com', '*.office.com'], ports: [443, '2001-2500'], protocol: 'tcp', line: 12, description: 'TechConnect\nand Office', ticket: 'CHG-1' },
  { direction: 'outbound', name: 'web', from: ['10.0.0.0/24'], to: ['2001:db8::1'], ports: [53], protocol: 'udp', line: 30 },
  { direction: 'outbound', name: 'everything', to: ['any'], ports: 'any', protocol: 'any', line: 40 },
  { direction: 'inbound', name: 'api \u001b[2J', from: ['198.51.100.7'], to: ['10.0.0.20'], ports: [443], protocol: 'tcp', line: 50 },
];

test('importedAllowlist: a valid allowlist (no schema or syntax findings), names made unique, one line comment per rule', () => {
  const catalogs = defaultCatalogSet();
  const vendor = catalogs.byVendor.get('helpdesk-buttons')!;
  const text = importedAllowlist(RULES, { schema: 'schemas/allowlist.schema.json', sourceName: 'fw\nbackup.conf', readerTitle: 'FortiGate', site: 'Contoso', vendors: [vendor] });
  const result = lintText(text, { fileName: 'imported.allowlist.yaml', catalogs, today: '2026-12-02' });
  const structural = result.findings.filter((finding) => ['yaml-syntax', 'schema', 'invalid-address', 'invalid-port', 'duplicate-name', 'control-character'].includes(finding.ruleId));
  assert.deepEqual(structural, []);
  const model = result.model;
  assert.deepEqual(model.outbound.map((rule) => rule.name?.value), ['web', 'web-2', 'everything']);
  assert.equal(model.outbound[0].vendor?.value, 'helpdesk-buttons', 'a rule to a catalog host gets the vendor');
  assert.equal(model.outbound[1].vendor, undefined);
  assert.deepEqual(model.outbound[0].to?.addresses.map((address) => address.text), ['connect.helpdeskbuttons.com', '*.office.com']);
  assert.equal(model.outbound[0].description?.value, 'TechConnect and Office');
  assert.equal(model.outbound[1].protocol.value, 'udp');
  assert.equal(model.outbound[0].from, undefined, 'no from: the whole site');
  assert.equal(model.outbound[2].ports?.any, true);
  assert.equal(model.inbound[0].name?.value, 'api \\x1b[2J', 'control characters from the configuration are made visible');
  assert.match(text, /^ {2}# from fw backup\.conf, line 12$/m);
  assert.match(text, /^vendors:\n/m);
  assert.ok(model.vendors.some((declared) => declared.id === 'helpdesk-buttons'));
});

test('importedAllowlist: no rules gives empty lists and a commented site', () => {
  const text = importedAllowlist([], { schema: 's.json', sourceName: 'x', readerTitle: 'X', vendors: [] });
  assert.match(text, /^outbound: \[\]$/m);
  assert.match(text, /^inbound: \[\]$/m);
  assert.deepEqual(lintText(text, { fileName: 'x.allowlist.yaml' }).findings.filter((finding) => finding.severity === 'error'), []);
});

test('importedAllowlist: vendor options as given; an inbound rule admitting a source the vendor connects from (under those options) serves it', () => {
  const catalogs = defaultCatalogSet();
  const vendor = catalogs.byVendor.get('helpdesk-buttons')!;
  const inbound: ImportedRule[] = [
    { direction: 'inbound', name: 'from-vendor', from: ['34.202.14.153'], to: ['10.0.0.20'], ports: [443], protocol: 'tcp', line: 1 },
    { direction: 'inbound', name: 'from-anywhere', to: ['10.0.0.21'], ports: [443], protocol: 'tcp', line: 2 },
    { direction: 'inbound', name: 'from-elsewhere', from: ['198.51.100.7'], to: ['10.0.0.22'], ports: [443], protocol: 'tcp', line: 3 },
  ];
  const served = (text: string) => lintText(text, { fileName: 'x.allowlist.yaml', catalogs }).model.inbound.map((rule) => rule.vendor?.value);
  const selfHosted = importedAllowlist(inbound, { schema: 's.json', sourceName: 'x', readerTitle: 'X', vendors: [vendor], vendorOptions: { 'helpdesk-buttons': { 'ticket-system': 'self-hosted' } } });
  assert.match(selfHosted, /^ {4}ticket-system: self-hosted /m);
  assert.deepEqual(served(selfHosted), ['helpdesk-buttons', 'helpdesk-buttons', undefined]);
  // With the catalog's default (cloud), the vendor connects into the site from nowhere.
  assert.deepEqual(served(importedAllowlist(inbound, { schema: 's.json', sourceName: 'x', readerTitle: 'X', vendors: [vendor] })), [undefined, undefined, undefined]);
});
