import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { documentSymbols } from './symbols';
import { lintYaml } from '../lint';

const TEXT = readFileSync(join(__dirname, '../../../examples/contoso.allowlist.yaml'), 'utf8');

test('symbols: fields, vendors with options, outbound/inbound with rules by name, endpoint protection', () => {
  const symbols = documentSymbols(lintYaml(TEXT).model);
  assert.deepEqual(symbols.map((s) => [s.name, s.kind]), [
    ['allowlist', 'field'],
    ['site', 'field'],
    ['description', 'field'],
    ['vendors', 'vendors'],
    ['outbound', 'section'],
    ['inbound', 'section'],
    ['endpoint-protection', 'endpoint-protection'],
  ]);
  const vendors = symbols[3];
  assert.deepEqual(vendors.children.map((c) => [c.name, c.children.map((o) => `${o.name}=${o.detail}`)]), [['helpdesk-buttons', ['ticket-system=self-hosted']]]);
  const outbound = symbols[4];
  assert.deepEqual(outbound.children.map((c) => c.name), ['hdb-api', 'hdb-uploads', 'hdb-techconnect', 'm365-web', 'outlook', 'ntp', 'offsite-backup', 'xray-migration']);
  assert.equal(outbound.detail, '8 rules');
  const techconnect = outbound.children[2];
  assert.equal(TEXT.slice(techconnect.selectionRange.start, techconnect.selectionRange.end), 'hdb-techconnect');
  assert.ok(TEXT.slice(techconnect.range.start, techconnect.range.end).startsWith('name: hdb-techconnect'));
  assert.equal(techconnect.detail, 'helpdesk-buttons → connect.helpdeskbuttons.com : 443');
  for (const symbol of symbols) {
    for (const child of symbol.children) {
      assert.ok(child.range.start >= symbol.range.start && child.range.end <= symbol.range.end, `${child.name} inside ${symbol.name}`);
      assert.ok(child.selectionRange.start >= child.range.start && child.selectionRange.end <= child.range.end, `${child.name} selection inside range`);
    }
  }
  assert.deepEqual(symbols[6].children.map((c) => [c.name, c.kind]), [['webroot', 'product'], ['C:\\Program Files(x86)\\Helpdesk Button', 'exclusion']]);
});

test('symbols: a rule without a name is listed by its position', () => {
  const symbols = documentSymbols(lintYaml('allowlist: 1\ninbound:\n  - to: 10.0.0.1\n').model);
  assert.deepEqual(symbols[1].children.map((c) => c.name), ['#1']);
});
