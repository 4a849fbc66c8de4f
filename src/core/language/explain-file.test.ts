import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultCatalogSet, lintYaml } from '../lint';
import { explain } from './explain';
import { hoverAt } from './locate';

const TEXT = [
  'allowlist: 1',
  'vendors:',
  '  helpdesk-buttons: { ticket-system: cloud }',
  'outbound:',
  '  - name: hdb-techconnect',
  '    vendor: helpdesk-buttons',
  '    to: connect.helpdeskbuttons.com',
  '    ports: [443, 2001-2500]',
  '  - name: amazon',
  '    to: "*.amazonaws.com"',
  '    ports: 443',
  '  - name: backup',
  '    from: 10.20.0.15',
  '    to: 198.51.100.0/24',
  '    ports: 8000-8100',
  '    protocol: any',
  'inbound:',
  '  - name: rdp-from-office',
  '    from: 203.0.113.0/28',
  '    to: 10.20.0.5',
  '    ports: 3389',
  '',
].join('\n');
const model = lintYaml(TEXT).model;
const file = { model, path: 'site.allowlist.yaml' };
const catalogs = defaultCatalogSet();

const ruleNames = (subject: string): (string | undefined)[] => explain(subject, catalogs, file).file?.rules.map((rule) => rule.name) ?? [];

test('explain --file: a host allowed by name, and one allowed through a wildcard above it', () => {
  const exact = explain('connect.helpdeskbuttons.com', catalogs, file);
  assert.deepEqual(exact.file?.rules.map(({ name, direction, line, field, by, protocol, ports, vendor }) => ({ name, direction, line, field, by, protocol, ports, vendor })), [
    { name: 'hdb-techconnect', direction: 'outbound', line: 5, field: 'to', by: 'connect.helpdeskbuttons.com', protocol: 'tcp', ports: '443, 2001-2500', vendor: 'helpdesk-buttons' },
  ]);
  assert.match(exact.plain, /Helpdesk Buttons[\s\S]*Allowed by this rule of site\.allowlist\.yaml:\n\n {2}- outbound hdb-techconnect \(line 5\): to connect\.helpdeskbuttons\.com, TCP 443, 2001-2500, vendor helpdesk-buttons$/);
  assert.match(exact.markdown, /- outbound \*\*hdb-techconnect\*\* \(line 5\): to `connect\.helpdeskbuttons\.com`/);

  const wildcard = explain('hdb-stuff.s3.amazonaws.com', catalogs, file);
  assert.deepEqual(wildcard.file?.rules.map((rule) => [rule.name, rule.by]), [['amazon', '*.amazonaws.com']]);
  assert.deepEqual(ruleNames('amazonaws.com'), [], 'a wildcard does not cover its own base');
  assert.deepEqual(ruleNames('*.s3.amazonaws.com'), ['amazon'], 'a narrower wildcard is covered by a wider one');
});

test('explain --file: an address inside a rule\'s network, on either side, and a network inside one', () => {
  assert.deepEqual(ruleNames('198.51.100.77'), ['backup']);
  assert.deepEqual(ruleNames('198.51.100.0/25'), ['backup']);
  assert.deepEqual(ruleNames('198.51.0.0/16'), [], 'a wider network is not allowed as a whole');
  const source = explain('203.0.113.9', catalogs, file).file?.rules;
  assert.deepEqual(source?.map((rule) => [rule.name, rule.direction, rule.field, rule.by]), [['rdp-from-office', 'inbound', 'from', '203.0.113.0/28']]);
  assert.deepEqual(ruleNames('10.20.0.15'), ['backup'], 'the local side counts too (outbound from)');
});

test('explain --file: a port inside a rule\'s range, a range allowed in part, the protocol and where to', () => {
  const port = explain('2100', catalogs, file);
  assert.deepEqual(port.file?.rules.map((rule) => [rule.name, rule.field, rule.partly]), [['hdb-techconnect', 'ports', false]]);
  assert.match(port.plain, /outbound hdb-techconnect \(line 5\): to connect\.helpdeskbuttons\.com, TCP 443, 2001-2500, vendor helpdesk-buttons/);
  const range = explain('8050-8200', catalogs, file);
  assert.deepEqual(range.file?.rules.map((rule) => [rule.name, rule.partly, rule.protocol]), [['backup', true, 'any']]);
  assert.match(range.plain, /outbound backup \(line 12\): to 198\.51\.100\.0\/24, TCP and UDP 8000-8100 \(part of the range\)/);
  assert.deepEqual(ruleNames('3389'), ['rdp-from-office']);
  assert.match(explain('3389', catalogs, file).plain, /inbound rdp-from-office \(line 18\): from 203\.0\.113\.0\/28, TCP 3389/);
});

test('explain --file: no rule allows it is said, and the file alone makes the subject known', () => {
  const none = explain('www.example.org', catalogs, file);
  assert.deepEqual(none.file?.rules, []);
  assert.match(none.plain, /No rule of site\.allowlist\.yaml allows it\.$/);
  assert.equal(none.known, false);
  assert.equal(none.notKnown, 'the loaded catalogs know nothing about www.example.org, and no rule of site.allowlist.yaml allows it');
  assert.match(explain('9090', catalogs, file).plain, /No rule of site\.allowlist\.yaml allows it\.$/);

  const onlyFile = explain('198.51.100.77', catalogs, file);
  assert.equal(onlyFile.known, true, 'the catalogs do not know it, the file does');
  assert.equal(onlyFile.notKnown, undefined);
  assert.equal(explain('198.51.100.77', catalogs).known, false, 'without the file nothing knows it');
});

test('explain --file: a vendor lists the rules serving it; a rule without a name is named by its line', () => {
  assert.deepEqual(ruleNames('helpdesk-buttons'), ['hdb-techconnect']);
  const unnamed = lintYaml('allowlist: 1\noutbound:\n  - to: a.example.com\n    ports: 443\n').model;
  assert.match(explain('a.example.com', catalogs, { model: unnamed, path: 'u.allowlist.yaml' }).plain, /\n {2}- outbound rule \(line 3\): to a\.example\.com, TCP 443$/);
});

test('explain --file: `to: any` allows every host, but is no answer for a word that is not one', () => {
  const anyModel = lintYaml('allowlist: 1\noutbound:\n  - name: everything\n    to: any\n    ports: any\n').model;
  const anyFile = { model: anyModel, path: 'any.allowlist.yaml' };
  assert.deepEqual(explain('www.example.org', catalogs, anyFile).file?.rules.map((rule) => [rule.name, rule.by]), [['everything', 'any']]);
  const word = explain('webrot', catalogs, anyFile);
  assert.equal(word.file, undefined);
  assert.equal(word.known, false);
});

test('explain: a word that is no host, address, port or product gets that wording, with a near product', () => {
  for (const word of ['hello world!', 'foo_bar']) {
    const explanation = explain(word, catalogs);
    assert.equal(explanation.kind, 'invalid');
    assert.equal(explanation.known, false);
    assert.equal(explanation.plain, `${word} is not a host, address, port or product the catalogs know (Helpdesk Buttons).`);
    assert.equal(explanation.notKnown, `${word} is not a host, address, port or product the catalogs know`);
  }
  assert.match(explain('webrot', catalogs).markdown, /Did you mean `webroot`\?/);
  // A name with dots is still read as a host: its own wording, and an address-like mistake says what is wrong.
  assert.match(explain('www.example.org', catalogs).plain, /Not a host of the loaded catalogs/);
  assert.match(explain('foo..example', catalogs).plain, /not a valid host name: it has an empty label/);
});

test('hover: a host also allowed by another rule of the file names that rule and its line', () => {
  const text = [
    'allowlist: 1',
    'outbound:',
    '  - name: m365',
    '    to: "*.office365.com"',
    '    ports: 443',
    '  - name: outlook',
    '    to: outlook.office365.com',
    '    ports: 443',
    '  - name: other',
    '    to: www.example.org',
    '    ports: 443',
    '',
  ].join('\n');
  const hoverModel = lintYaml(text).model;
  const hover = hoverAt(hoverModel, text.indexOf('outlook.office365.com') + 2, catalogs);
  assert.match(hover?.markdown ?? '', /\n\nAlso allowed in this file by "m365" \(line 3, by `\*\.office365\.com`\)\.$/);
  const alone = hoverAt(hoverModel, text.indexOf('www.example.org') + 2, catalogs);
  assert.doesNotMatch(alone?.markdown ?? '', /Also allowed/);
  const wildcard = hoverAt(hoverModel, text.indexOf('*.office365.com') + 2, catalogs);
  assert.doesNotMatch(wildcard?.markdown ?? '', /Also allowed/, 'a narrower rule does not allow all of the wildcard');
});
