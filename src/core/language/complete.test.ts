import { test } from 'node:test';
import assert from 'node:assert/strict';
import { complete, cursorContext } from './complete';
import { defaultCatalogSet, lintYaml } from '../lint';

const catalogs = defaultCatalogSet();
/** Completes at the `|` in the text (which is removed). */
function at(textWithCursor: string) {
  const offset = textWithCursor.indexOf('|');
  const text = textWithCursor.slice(0, offset) + textWithCursor.slice(offset + 1);
  const model = lintYaml(text).model;
  return { text, offset, items: complete(model, offset, catalogs), context: cursorContext(text, offset) };
}
const labels = (items: { label: string }[]) => items.map((item) => item.label);

const HEAD = 'allowlist: 1\nvendors:\n  helpdesk-buttons: { ticket-system: cloud }\n';

test('context: key chains from indentation, with - for sequence items (also compact sequences)', () => {
  assert.deepEqual(cursorContext('outbound:\n  - name: a\n    to: |'.replace('|', ''), 29).path, ['outbound', '-', 'to']);
  const compact = 'outbound:\n- name: a\n  to:\n  - x';
  assert.deepEqual(cursorContext(compact, compact.length), { path: ['outbound', '-', 'to', '-'], position: 'key', prefix: 'x', range: { start: compact.length - 1, end: compact.length }, dash: true });
  const nested = 'endpoint-protection:\n  exclusions:\n    - path: C:';
  assert.deepEqual(cursorContext(nested, nested.length).path, ['endpoint-protection', 'exclusions', '-', 'path']);
});

test('context and completion in a text that starts with a newline: everywhere, without looping forever on the first line', () => {
  // Found by the language-server fuzz run: at `\n |0`, the walk up to the parent keys never left the empty first line.
  for (const text of ['\n 0\n', '\n- a\n', '\n\n  - x', '\noutbound:\n  - name: a\n']) {
    for (let offset = 0; offset <= text.length; offset++) {
      assert.ok(Array.isArray(complete(lintYaml(text).model, offset, catalogs)), `${JSON.stringify(text)} at ${offset}`);
      assert.ok(cursorContext(text, offset).range.start <= offset, `${JSON.stringify(text)} at ${offset}: the word starts before the cursor`);
    }
  }
  assert.deepEqual(cursorContext('\n 0\n', 2).path, []);
  assert.deepEqual(cursorContext('\noutbound:\n  - x', 15).path, ['outbound', '-']);
});

test('complete: `to: ` offers the declared vendor\'s catalog hosts with their role as detail, replacing the typed word', () => {
  const { items, text } = at(`${HEAD}outbound:\n  - name: tc\n    vendor: helpdesk-buttons\n    to: conn|\n    ports: 443\n`);
  const connect = items.find((item) => item.label === 'connect.helpdeskbuttons.com');
  assert.ok(connect);
  assert.match(connect.detail!, /Helpdesk Buttons: request slot for TechConnect; establish TechConnect session/);
  assert.equal(text.slice(connect.range.start, connect.range.end), 'conn');
  assert.ok(labels(items).includes('hdb-stuff.s3.amazonaws.com'));
});

test('complete: hosts in a block list under to:', () => {
  const { items } = at(`${HEAD}outbound:\n  - name: api\n    to:\n      - |\n`);
  assert.ok(labels(items).includes('flu1pjyrr2.execute-api.us-east-1.amazonaws.com'));
});

test('complete: rule keys inside a rule item, without those already written; required ones first', () => {
  const { items } = at(`${HEAD}outbound:\n  - name: api\n    |\n    to: x.example.com\n`);
  const names = labels(items);
  assert.ok(names.includes('ports') && names.includes('protocol') && names.includes('vendor'));
  assert.ok(!names.includes('name') && !names.includes('to'), names.join());
  assert.equal(items.find((i) => i.label === 'ports')!.insertText, 'ports: ');
  const sorted = [...items].sort((a, b) => (a.sortText ?? a.label).localeCompare(b.sortText ?? b.label));
  assert.equal(sorted[0].label, 'ports');
});

test('complete: a new item under outbound offers the keys and a rule snippet', () => {
  const { items } = at(`${HEAD}outbound:\n  - |\n`);
  const snippet = items.find((item) => item.kind === 'snippet');
  assert.ok(snippet?.snippet);
  assert.match(snippet.insertText, /^name: \$\{1:name\}\n  vendor: \$\{2:helpdesk-buttons\}\n  to: /);
  assert.ok(labels(items).includes('name'));
});

test('complete: ports for the rule\'s host come from the catalog', () => {
  const { items } = at(`${HEAD}outbound:\n  - name: tc\n    to: connect.helpdeskbuttons.com\n    ports: [443, |]\n`);
  assert.deepEqual(labels(items), ['443', '2001-2500']);
  assert.equal(items[1].insertText, '"2001-2500"');
  assert.match(items[1].detail!, /establish TechConnect session/);
});

test('complete: protocol values from the schema enum, top-level keys not yet present', () => {
  assert.deepEqual(labels(at(`${HEAD}outbound:\n  - name: ntp\n    protocol: |\n`).items), ['tcp', 'udp', 'any']);
  const top = labels(at(`${HEAD}|`).items);
  assert.ok(top.includes('outbound') && top.includes('endpoint-protection') && top.includes('site'));
  assert.ok(!top.includes('allowlist') && !top.includes('vendors'));
});

test('complete: vendor ids with a vendor-block snippet; their options and option values', () => {
  const ids = at('allowlist: 1\nvendors:\n  |\n').items;
  const hdb = ids.find((item) => item.label === 'helpdesk-buttons');
  assert.ok(hdb?.snippet);
  assert.equal(hdb.insertText, 'helpdesk-buttons:\n  ticket-system: ${1|cloud,self-hosted|}');
  const options = at('allowlist: 1\nvendors:\n  helpdesk-buttons:\n    |\n').items;
  assert.deepEqual(labels(options), ['ticket-system']);
  const values = at('allowlist: 1\nvendors:\n  helpdesk-buttons:\n    ticket-system: |\n').items;
  assert.deepEqual(values.map((v) => [v.label, v.detail]), [['cloud', 'Cloud-Hosted ticket system (default)'], ['self-hosted', 'self-hosted ticket system']]);
  assert.deepEqual(labels(at(`${HEAD}outbound:\n  - name: a\n    vendor: |\n`).items), ['helpdesk-buttons']);
});

test('complete: endpoint-protection products and exclusion paths from the catalogs', () => {
  assert.deepEqual(labels(at(`${HEAD}endpoint-protection:\n  products: [|]\n`).items), ['webroot', 'adguard']);
  const paths = at(`${HEAD}endpoint-protection:\n  exclusions:\n    - path: |\n`).items;
  assert.equal(paths[0].insertText, "'C:\\Program Files (x86)\\Helpdesk Button'");
});

test('complete: nothing in files that are not allowlists', () => {
  const model = lintYaml('catalog: 1\n', { fileName: 'x.catalog.yaml' }).model;
  assert.deepEqual(complete(model, 3, catalogs), []);
});
