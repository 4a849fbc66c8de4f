import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyFix, findingsOf, rangeText } from '../testing';

const REASON =
  'Many of these are servers which are edge optimized and therefore have multiple IP addresses per region, so make sure not to just whitelist the IP for the server because this changes based on region and server load. You must whitelist the hostname.';

const file = (to: string, ports: string, vendors = 'helpdesk-buttons: {}') =>
  `allowlist: 1\nvendors:\n  ${vendors}\noutbound:\n  - name: hdb-techconnect\n    vendor: helpdesk-buttons\n    to: ${to}\n    ports: ${ports}\n`;

test('hostname-not-ip: an IP for a hostname-only vendor endpoint is reported at the address, quoting the vendor', () => {
  const text = file('52.20.13.7', '"2001-2500"');
  const [finding, ...rest] = findingsOf(text, 'hostname-not-ip');
  assert.equal(rest.length, 0);
  assert.equal(finding.severity, 'warning');
  assert.equal(rangeText(text, finding), '52.20.13.7');
  assert.equal(
    finding.message,
    `to: 52.20.13.7 is an IP address, but Helpdesk Buttons must be allowlisted by host name, not by address: allowlist connect.helpdeskbuttons.com by name instead. Helpdesk Buttons says: "${REASON}"`,
  );
  assert.equal(finding.subject, 'outbound:hdb-techconnect:to:52.20.13.7');
  // Only one endpoint is on ports 2001-2500: the fix names it.
  assert.equal(applyFix(text, finding.fixes![0]), file('connect.helpdeskbuttons.com', '"2001-2500"'));
});

test('hostname-not-ip: a CIDR among hostnames; the endpoint already listed: the fix removes the address', () => {
  const text = file('[connect.helpdeskbuttons.com, 52.20.13.0/24]', '"2001-2500"');
  const [finding] = findingsOf(text, 'hostname-not-ip');
  assert.equal(rangeText(text, finding), '52.20.13.0/24');
  assert.match(finding.message, /^to: 52\.20\.13\.0\/24 is a network \(CIDR\), but Helpdesk Buttons must be allowlisted by host name/);
  assert.equal(applyFix(text, finding.fixes![0]), file('[connect.helpdeskbuttons.com]', '"2001-2500"'));
});

test('hostname-not-ip: several endpoints on the rule\'s ports are named, and no fix guesses among them', () => {
  const text = file('[hdb-stuff.s3.amazonaws.com, 52.216.0.1]', '443');
  const [finding] = findingsOf(text, 'hostname-not-ip');
  assert.equal(rangeText(text, finding), '52.216.0.1');
  assert.match(finding.message, /allowlist by name the hosts this rule is for \(Helpdesk Buttons publishes flu1pjyrr2\.execute-api\.us-east-1\.amazonaws\.com, .*connect\.helpdeskbuttons\.com on these ports\)/);
  assert.equal(finding.fixes, undefined);
});

test('hostname-not-ip: hostnames, rules without a declared vendor, and inbound rules pass', () => {
  assert.deepEqual(findingsOf(file('connect.helpdeskbuttons.com', '"2001-2500"'), 'hostname-not-ip'), []);
  assert.deepEqual(findingsOf(file('52.20.13.7', '443', 'other-vendor: {}'), 'hostname-not-ip'), [], 'undeclared vendor: unknown-vendor\'s');
  const noVendor = 'allowlist: 1\noutbound:\n  - name: dns\n    to: 9.9.9.9\n    ports: 53\n    protocol: udp\n';
  assert.deepEqual(findingsOf(noVendor, 'hostname-not-ip'), []);
  const inbound = 'allowlist: 1\nvendors:\n  helpdesk-buttons: { ticket-system: self-hosted }\ninbound:\n  - name: api\n    vendor: helpdesk-buttons\n    from: 34.202.14.153\n    to: 10.0.0.20\n    ports: 443\n';
  assert.deepEqual(findingsOf(inbound, 'hostname-not-ip'), []);
});
