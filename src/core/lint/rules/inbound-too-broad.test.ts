import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseConfig } from '../config';
import { applyFix, findingsOf, rangeText } from '../testing';

const file = (from: string, options = 'ticket-system: self-hosted') =>
  `allowlist: 1\nvendors:\n  helpdesk-buttons: { ${options} }\ninbound:\n  - name: hdb-ticket-api\n    vendor: helpdesk-buttons\n    from: ${from}\n    to: 10.0.0.20\n    ports: 443\n`;

const plain = (from: string) => `allowlist: 1\ninbound:\n  - name: rdp\n    from: ${from}\n    to: 10.0.0.30\n    ports: 3389\n`;

test('inbound-too-broad: `any` is reported; the fix puts in the vendor\'s published sources', () => {
  const text = file('any');
  const [finding, ...rest] = findingsOf(text, 'inbound-too-broad');
  assert.equal(rest.length, 0);
  assert.equal(finding.severity, 'error');
  assert.equal(rangeText(text, finding), 'any');
  assert.equal(
    finding.message,
    'from: any lets in every address on the internet; Helpdesk Buttons connects from 34.202.14.153, 3.209.57.193: allow only those (least privilege)',
  );
  assert.equal(finding.subject, 'inbound:hdb-ticket-api:from:any');
  assert.equal(finding.fixes![0].title, "Replace with Helpdesk Buttons's published sources");
  assert.equal(applyFix(text, finding.fixes![0]), file('[34.202.14.153, 3.209.57.193]'));
});

test('inbound-too-broad: in a block list, the fix replaces the whole list and keeps the next key on its line', () => {
  const text = file('\n      - 0.0.0.0/0\n      - 34.202.14.153');
  const [finding] = findingsOf(text, 'inbound-too-broad');
  assert.equal(rangeText(text, finding), '0.0.0.0/0');
  assert.match(finding.message, /^from: 0\.0\.0\.0\/0 lets in every IPv4 address;/);
  assert.equal(applyFix(text, finding.fixes![0]), file('\n      [34.202.14.153, 3.209.57.193]'));
});

test('inbound-too-broad: wide prefixes by the default limits, without a vendor: no fix', () => {
  const text = plain('[10.0.0.0/8, 192.168.0.0/16, "2001:db8::/16", "::/0"]');
  const findings = findingsOf(text, 'inbound-too-broad');
  assert.deepEqual(findings.map((finding) => rangeText(text, finding)), ['10.0.0.0/8', '"2001:db8::/16"', '"::/0"']);
  assert.equal(
    findings[0].message,
    'from: 10.0.0.0/8 lets in 16,777,216 addresses (a /8; the widest allowed is /16); allow only the addresses that need access (least privilege)',
  );
  assert.match(findings[1].message, /^from: 2001:db8::\/16 lets in a whole \/16 network \(the widest allowed is \/32\)/);
  assert.match(findings[2].message, /^from: ::\/0 lets in every IPv6 address/);
  assert.ok(findings.every((finding) => finding.fixes === undefined));
});

test('inbound-too-broad: the limits come from the options', () => {
  const config = parseConfig('rules:\n  inbound-too-broad: { max-ipv4-prefix: 24 }\n');
  const text = plain('192.168.0.0/16');
  const [finding] = findingsOf(text, 'inbound-too-broad', { config });
  assert.match(finding.message, /the widest allowed is \/24/);
  assert.deepEqual(findingsOf(text, 'inbound-too-broad'), []);
});

test('inbound-too-broad: narrow sources and outbound rules pass; no fix when the vendor publishes no source for the options', () => {
  assert.deepEqual(findingsOf(file('[34.202.14.153, 3.209.57.193]'), 'inbound-too-broad'), []);
  assert.deepEqual(findingsOf(plain('[203.0.113.0/24, "2001:db8::/48"]'), 'inbound-too-broad'), []);
  const outbound = 'allowlist: 1\noutbound:\n  - name: all\n    from: any\n    to: any\n    ports: any\n';
  assert.deepEqual(findingsOf(outbound, 'inbound-too-broad'), []);
  const [cloud] = findingsOf(file('any', 'ticket-system: cloud'), 'inbound-too-broad');
  assert.equal(cloud.fixes, undefined);
});
