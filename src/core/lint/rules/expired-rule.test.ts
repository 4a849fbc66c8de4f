import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findingsOf, rangeText } from '../testing';

const rule = (expires: string) => `allowlist: 1\noutbound:\n  - name: temp\n    to: example.com\n    ports: 22\n    expires: ${expires}\n`;

test('expired-rule: a date before today is reported at the date; today and later are not', () => {
  const text = rule('2026-11-24');
  const [finding] = findingsOf(text, 'expired-rule');
  assert.equal(rangeText(text, finding), '2026-11-24');
  assert.match(finding.message, /expired on 2026-11-24/);
  assert.deepEqual(findingsOf(rule('2026-11-25'), 'expired-rule'), []);
  assert.deepEqual(findingsOf(rule('2027-01-01'), 'expired-rule'), []);
});

test('expired-rule: "today" is injectable', () => {
  assert.equal(findingsOf(rule('2027-01-01'), 'expired-rule', { today: '2027-01-02' }).length, 1);
});
