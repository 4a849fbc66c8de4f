import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyFix, findingsOf, rangeText } from '../testing';

const rule = (ports: string) => `allowlist: 1\noutbound:\n  - name: r\n    to: example.com\n    ports: ${ports}\n`;

test('invalid-port: a reversed range is reported at the range, with a fix that swaps it', () => {
  const text = rule('[443, "2500-2001"]');
  const [finding, ...rest] = findingsOf(text, 'invalid-port');
  assert.equal(rest.length, 0);
  assert.equal(rangeText(text, finding), '"2500-2001"');
  assert.match(finding.message, /reversed/);
  assert.equal(applyFix(text, finding.fixes![0]), rule('[443, "2001-2500"]'));
});

test('invalid-port: ports outside 1-65535 and junk are reported; valid ports are not', () => {
  const text = rule('[0, 65536, "80-70000", "http"]');
  const found = findingsOf(text, 'invalid-port').map((f) => rangeText(text, f));
  assert.deepEqual(found, ['0', '65536', '"80-70000"', '"http"']);
  assert.deepEqual(findingsOf(rule('[1, 65535, "2001-2500", "443"]'), 'invalid-port'), []);
  assert.deepEqual(findingsOf(rule('any'), 'invalid-port'), []);
});
