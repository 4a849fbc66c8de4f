import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseConfig } from '../config';
import { findingsOf, rangeText } from '../testing';

const rule = (expires: string) => `allowlist: 1\noutbound:\n  - name: temp\n    to: example.com\n    ports: 22\n    expires: ${expires}\n`;

test('expires-soon: within 14 days is information, at the date', () => {
  const text = rule('2026-12-09');
  const [finding] = findingsOf(text, 'expires-soon');
  assert.equal(finding.severity, 'info');
  assert.equal(rangeText(text, finding), '2026-12-09');
  assert.match(finding.message, /in 14 days/);
  assert.deepEqual(findingsOf(rule('2026-12-10'), 'expires-soon'), []);
  assert.deepEqual(findingsOf(rule('2026-11-24'), 'expires-soon'), [], 'expired rules are expired-rule, not expires-soon');
});

test('expires-soon: the window and severity come from the config', () => {
  const config = parseConfig('rules:\n  expires-soon: { severity: warning, days: 30 }\n');
  const [finding] = findingsOf(rule('2026-12-20'), 'expires-soon', { config });
  assert.equal(finding.severity, 'warning');
});
