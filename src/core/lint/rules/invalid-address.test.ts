import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyFix, findingsOf, rangeText } from '../testing';

const rule = (to: string) => `allowlist: 1\noutbound:\n  - name: r\n    to: ${to}\n    ports: 443\n`;

test('invalid-address: reports a bad IPv4 address at its exact range', () => {
  const text = rule('[example.com, 10.0.0.256]');
  const [finding, ...rest] = findingsOf(text, 'invalid-address');
  assert.equal(rest.length, 0);
  assert.equal(rangeText(text, finding), '10.0.0.256');
  assert.match(finding.message, /not a valid IPv4 address/);
});

test('invalid-address: a CIDR with host bits set offers the network as a fix', () => {
  const text = rule('10.0.0.5/24');
  const [finding] = findingsOf(text, 'invalid-address');
  assert.equal(rangeText(text, finding), '10.0.0.5/24');
  assert.match(finding.message, /host bits set/);
  assert.equal(applyFix(text, finding.fixes![0]), rule('10.0.0.0/24'));
});

test('invalid-address: URLs, host:port and bad characters are reported; valid forms are not', () => {
  assert.match(findingsOf(rule('https://example.com/x'), 'invalid-address')[0].message, /URL/);
  assert.match(findingsOf(rule('example.com:443'), 'invalid-address')[0].message, /includes a port/);
  assert.match(findingsOf(rule('exa$mple.com'), 'invalid-address')[0].message, /"\$" is not allowed/);
  assert.match(findingsOf(rule('"foo.*.com"'), 'invalid-address')[0].message, /first label/);
  assert.match(findingsOf(rule('"2001:db8::zz"'), 'invalid-address')[0].message, /"2001:db8::zz" is not a valid IPv6 address/);
  const valid = rule('[example.com, "*.example.com", 10.0.0.0/8, 2001:db8::1, "2001:db8::/32", any, 192.0.2.1]');
  assert.deepEqual(findingsOf(valid, 'invalid-address'), []);
});
