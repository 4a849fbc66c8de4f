import { test } from 'node:test';
import assert from 'node:assert/strict';
import { excerpt, firstFew, quoted, safeJson, visible, visibleLines } from './display';
import { lintText } from '../lint';

test('visible: control, bidirectional and invisible characters are escaped; other text, accents and emoji stay', () => {
  assert.equal(visible('evil\x1b[1A\r\x1b[2K\x1b]0;T\x07'), 'evil\\x1b[1A\\r\\x1b[2K\\x1b]0;T\\x07');
  assert.equal(visible('a\tb\nc\x00\x7f\x9b'), 'a\\tb\\nc\\x00\\x7f\\x9b');
  assert.equal(visible('bad\u202ehost \u2066x\u2069 \u200e\u200f\u200b\u00ad\ufeff'), 'bad\\u202ehost \\u2066x\\u2069 \\u200e\\u200f\\u200b\\xad\\ufeff');
  assert.equal(visible('tag\u{e0041}'), 'tag\\u{e0041}');
  assert.equal(visible('Zürich – café 👍 C:\\Program Files'), 'Zürich – café 👍 C:\\Program Files');
  assert.equal(visibleLines('one\x1b\ntwo\r'), 'one\\x1b\ntwo\\r');
});

test('safeJson: the raw JSON has no DEL, C1, bidirectional or invisible character, and parses to the same values', () => {
  const value = { message: 'a\x1b[2K\u202e\x9b\u{e0041}\x7f', list: ['x\u200b'] };
  const json = safeJson(JSON.stringify(value, null, 2));
  assert.doesNotMatch(json, /[\u007f-\u009f\u200b\u202e]|\udb40/);
  assert.match(json, /\\u202e/);
  assert.deepEqual(JSON.parse(json), value);
});

test('excerpt and quoted: values up to 200 characters as they are; longer ones cut with … and the length, never inside a surrogate pair', () => {
  assert.equal(quoted('hdb-api'), '"hdb-api"');
  assert.equal(excerpt('x'.repeat(200)), 'x'.repeat(200));
  assert.equal(quoted('x'.repeat(1_048_576)), `"${'x'.repeat(200)}…" (1,048,576 characters)`);
  assert.equal(excerpt(`${'x'.repeat(199)}😀tail`), `${'x'.repeat(199)}… (205 characters)`);
});

test('messages quote a 1 MB host name, rule name, vendor or port capped at 200 characters', () => {
  const huge = 'a'.repeat(1_048_576);
  const text = [
    'allowlist: 1',
    'vendors:',
    `  ${huge}: {}`,
    'outbound:',
    `  - name: ${huge}`,
    `    to: ${huge}.example.com`,
    `    ports: "${'9'.repeat(100_000)}x"`,
    `  - name: ${huge}`,
    '    to: example.com',
    '    ports: 443',
    '',
  ].join('\n');
  const findings = lintText(text, { today: '2026-01-01', maxFileSize: 10 * 1024 * 1024 }).findings;
  for (const id of ['invalid-address', 'invalid-port', 'duplicate-name', 'unknown-vendor']) assert.ok(findings.some((finding) => finding.ruleId === id), id);
  for (const finding of findings) assert.ok(finding.message.length < 1000, `${finding.ruleId}: ${finding.message.length} characters`);
  const address = findings.find((finding) => finding.ruleId === 'invalid-address')!;
  assert.ok(address.message.startsWith(`to: "${'a'.repeat(200)}…" (1,048,588 characters) is not a valid host name`), address.message.slice(0, 300));
});

test('firstFew: up to three items in full, then how many more, with the separators asked for', () => {
  assert.equal(firstFew(['a', 'b', 'c']), 'a, b, c');
  assert.equal(firstFew(['a', 'b', 'c', 'd', 'e']), 'a, b, c and 2 more');
  assert.equal(firstFew(['a, x', 'b', 'c', 'd'], '; ', '; and '), 'a, x; b; c; and 1 more');
});
