import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findingsOf, rangeText } from '../testing';

test('duplicate-name: the second rule with a name is reported at its name, across directions', () => {
  const text = [
    'allowlist: 1',
    'outbound:',
    '  - name: api',
    '    to: example.com',
    '    ports: 443',
    'inbound:',
    '  - name: api',
    '    from: 192.0.2.1',
    '    to: 10.0.0.1',
    '    ports: 443',
    '',
  ].join('\n');
  const [finding, ...rest] = findingsOf(text, 'duplicate-name');
  assert.equal(rest.length, 0);
  assert.equal(rangeText(text, finding), 'api');
  assert.equal(finding.range.start, text.lastIndexOf('api'));
  assert.match(finding.message, /outbound rule 1/);
});

test('duplicate-name: unique names pass', () => {
  const text = 'allowlist: 1\noutbound:\n  - name: a\n    to: example.com\n    ports: 443\n  - name: b\n    to: example.com\n    ports: 80\n';
  assert.deepEqual(findingsOf(text, 'duplicate-name'), []);
});
