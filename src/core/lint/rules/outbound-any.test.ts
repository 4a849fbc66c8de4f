import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findingsOf, rangeText } from '../testing';

const file = (to: string) =>
  `allowlist: 1\nvendors:\n  helpdesk-buttons: {}\noutbound:\n  - name: web\n    to: ${to}\n    ports: [80, 443]\n  - name: hdb-uploads\n    vendor: helpdesk-buttons\n    to: hdb-stuff.s3.amazonaws.com\n    ports: 443\n`;

test('outbound-any: `to: any` is a warning that says it defeats the vendor checks', () => {
  const text = file('any');
  const [finding, ...rest] = findingsOf(text, 'outbound-any');
  assert.equal(rest.length, 0);
  assert.equal(finding.severity, 'warning');
  assert.equal(rangeText(text, finding), 'any');
  assert.equal(finding.subject, 'outbound:web:to:any');
  assert.equal(
    finding.message,
    'to: any lets this site connect to every destination on the internet: it defeats every vendor check in this file (every vendor host is reachable through it, so a vendor rule missing or removed goes unnoticed); list the destinations that are needed (least privilege)',
  );
});

test('outbound-any: 0.0.0.0/0 and ::/0 count as any, each in a list', () => {
  const text = file('[example.com, 0.0.0.0/0, "::/0"]');
  const findings = findingsOf(text, 'outbound-any');
  assert.deepEqual(findings.map((finding) => rangeText(text, finding)), ['0.0.0.0/0', '"::/0"']);
  assert.match(findings[0].message, /^to: 0\.0\.0\.0\/0 lets this site connect to every IPv4 destination: it defeats every vendor check/);
  assert.match(findings[1].message, /^to: ::\/0 lets this site connect to every IPv6 destination/);
});

test('outbound-any: named destinations, wide but partial networks, and inbound rules pass', () => {
  assert.deepEqual(findingsOf(file('[example.com, "*.example.com", 10.0.0.0/8, 0.0.0.0/1, "2000::/3"]'), 'outbound-any'), []);
  const inbound = 'allowlist: 1\ninbound:\n  - name: public\n    from: any\n    to: 0.0.0.0/0\n    ports: 443\n';
  assert.deepEqual(findingsOf(inbound, 'outbound-any'), []);
  // An outbound `from: any` is about this site's side, not the destinations.
  assert.deepEqual(findingsOf('allowlist: 1\noutbound:\n  - name: all-hosts\n    from: any\n    to: example.com\n    ports: 443\n', 'outbound-any'), []);
});
