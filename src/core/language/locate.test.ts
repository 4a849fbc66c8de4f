import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { defaultCatalogSet, lintYaml } from '../lint';
import { definitionsAt, hoverAt, keyMarkdown, locate, ruleAt } from './locate';
import { catalogFilePath } from './catalog-file';

const TEXT = readFileSync(join(__dirname, '../../../examples/contoso.allowlist.yaml'), 'utf8');
const model = lintYaml(TEXT).model;
const catalogs = defaultCatalogSet();
const at = (needle: string, delta = 1, from = 0): number => {
  const index = TEXT.indexOf(needle, from);
  assert.ok(index >= 0, `fixture has ${needle}`);
  return index + delta;
};

test('locate: an address in a rule\'s to, with its exact range', () => {
  const found = locate(model, at('connect.helpdeskbuttons.com', 5));
  assert.equal(found?.kind, 'address');
  assert.equal(TEXT.slice(found!.range.start, found!.range.end), 'connect.helpdeskbuttons.com');
  assert.equal(found!.kind === 'address' && found!.field, 'to');
});

test('locate: ports, keys with their JSON path, rule vendor, vendor id and option, product, exclusion path', () => {
  const port = locate(model, at('ports: [443, 8443]', 14));
  assert.equal(port?.kind, 'port');
  assert.equal(TEXT.slice(port!.range.start, port!.range.end), '8443');

  const key = locate(model, at('    protocol: udp', 6));
  assert.equal(key?.kind, 'key');
  assert.deepEqual(key!.kind === 'key' && key!.path, ['outbound', 5, 'protocol']);

  const top = locate(model, at('\nsite:', 2));
  assert.deepEqual(top?.kind === 'key' && top.path, ['site']);

  const vendor = locate(model, at('vendor: helpdesk-buttons', 10));
  assert.equal(vendor?.kind, 'rule-vendor');

  const declared = locate(model, at('  helpdesk-buttons:\n', 4));
  assert.equal(declared?.kind, 'vendor-id');
  const optionValue = locate(model, at('ticket-system: self-hosted', 17));
  assert.deepEqual(optionValue?.kind === 'vendor-option' && [optionValue.option, optionValue.part, optionValue.value], ['ticket-system', 'value', 'self-hosted']);

  assert.deepEqual(locate(model, at('- webroot', 4)), { kind: 'product', product: 'webroot', range: { start: at('- webroot', 2), end: at('- webroot', 9) } });
  const path = locate(model, at("'C:\\Program", 3));
  assert.equal(path?.kind, 'exclusion-path');

  const epKey = locate(model, at('  exclusions:', 4));
  assert.deepEqual(epKey?.kind === 'key' && epKey.path, ['endpoint-protection', 'exclusions']);
  assert.equal(locate(model, at('# Contoso Dental', 3)), undefined, 'comments are nothing');
});

test('ruleAt: binary search finds each rule by any offset inside it and nothing between rules', () => {
  for (const rule of model.outbound) {
    assert.equal(ruleAt(model.outbound, rule.offset + rule.range.start), rule);
    assert.equal(ruleAt(model.outbound, rule.offset + rule.range.end - 1), rule);
  }
  assert.equal(ruleAt(model.outbound, at('# --- Microsoft 365')), undefined);
});

test('hover: a catalog host shows the vendor\'s role text, ports and the hostname reason', () => {
  const hover = hoverAt(model, at('connect.helpdeskbuttons.com', 3), catalogs);
  assert.ok(hover);
  assert.match(hover.markdown, /request slot for TechConnect/);
  assert.match(hover.markdown, /establish TechConnect session/);
  assert.match(hover.markdown, /2001-2500/);
  assert.match(hover.markdown, /host name/i);
});

test('hover: keys show the schema title and description; options list values; exclusion paths the vendor\'s note', () => {
  assert.match(hoverAt(model, at('    protocol: udp', 6), catalogs)!.markdown, /### Protocol[\s\S]*Transport protocol[\s\S]*`udp`/);
  assert.match(keyMarkdown(['inbound', 0, 'from'])!, /Keep this to the sources the vendor publishes/);
  const option = hoverAt(model, at('ticket-system: self-hosted', 17), catalogs)!.markdown;
  assert.match(option, /`cloud` \(default\): Cloud-Hosted ticket system/);
  assert.match(option, /`self-hosted`: self-hosted ticket system ← this file/);
  const path = hoverAt(model, at("'C:\\Program", 3), catalogs)!.markdown;
  assert.match(path, /spelling seen in the vendor's text/);
  assert.match(path, /C:\\Program Files \(x86\)\\Helpdesk Button/);
  assert.match(hoverAt(model, at('- webroot', 4), catalogs)!.markdown, /screenshots/);
  assert.match(hoverAt(model, at('from: 10.20.0.10', 8), catalogs)!.markdown, /10\.20\.0\.10/);
});

test('definition: a rule\'s vendor, a vendors key and a catalog host go to the built-in catalog file', () => {
  const [vendor] = definitionsAt(model, at('vendor: helpdesk-buttons', 10), catalogs);
  assert.equal(vendor.location, 'vendor');
  const file = catalogFilePath(vendor.catalog)!;
  assert.match(file, /catalogs[/\\]helpdesk-buttons\.catalog\.yaml$/);
  const catalogText = readFileSync(file, 'utf8');
  const range = vendor.catalog.locations!.vendor;
  assert.match(catalogText.slice(range.start, range.end), /^id: helpdesk-buttons/);
  assert.equal(definitionsAt(model, at('  helpdesk-buttons:\n', 4), catalogs)[0].location, 'vendor');
  const hosts = definitionsAt(model, at('connect.helpdeskbuttons.com', 3), catalogs).map((d) => d.location);
  assert.deepEqual(hosts, ['techconnect-slot', 'techconnect-session']);
  assert.deepEqual(definitionsAt(model, at('time.windows.com'), catalogs), []);
});
