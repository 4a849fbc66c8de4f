import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyFix, findingsOf, rangeText } from '../testing';

const file = (vendors: string, vendor: string) =>
  `allowlist: 1\nvendors:\n  ${vendors}: {}\noutbound:\n  - name: hdb-upload\n    vendor: ${vendor}\n    to: hdb-stuff.s3.amazonaws.com\n    ports: 443\n`;

test('unknown-vendor: a misspelt vendors: key is reported at the key, with the closest catalog id as a fix', () => {
  const text = file('helpdesk-button', 'helpdesk-buttons');
  const findings = findingsOf(text, 'unknown-vendor');
  const atKey = findings.find((finding) => finding.range.start === text.indexOf('helpdesk-button'))!;
  assert.equal(rangeText(text, atKey), 'helpdesk-button');
  assert.equal(atKey.severity, 'error');
  assert.equal(
    atKey.message,
    'vendor "helpdesk-button" is not defined by any loaded catalog, so no rule is checked against what the vendor publishes; did you mean helpdesk-buttons?',
  );
  assert.equal(atKey.subject, 'vendors:helpdesk-button');
  assert.equal(applyFix(text, atKey.fixes![0]), file('helpdesk-buttons', 'helpdesk-buttons'));
  // The rule's vendor is a known catalog, but the file declares only the misspelt one.
  const atRule = findings.find((finding) => finding !== atKey)!;
  assert.equal(rangeText(text, atRule), 'helpdesk-buttons');
  assert.match(atRule.message, /^vendor helpdesk-buttons is not declared under `vendors:`; declare it there/);
  assert.equal(atRule.fixes, undefined);
  assert.equal(findings.length, 2);
});

test('unknown-vendor: no rename of a vendors: key to a vendor declared beside it (the key would be there twice)', () => {
  const text = 'allowlist: 1\nvendors:\n  helpdesk-button: {}\n  helpdesk-buttons: {}\n';
  const [finding] = findingsOf(text, 'unknown-vendor');
  assert.match(finding.message, /did you mean helpdesk-buttons\?/);
  assert.equal(finding.fixes, undefined);
});

test('unknown-vendor: a rule\'s unknown vendor: is reported at its value; the catalog\'s alias is recognised', () => {
  const text = file('helpdesk-buttons', 'Tier2Tickets');
  const [finding, ...rest] = findingsOf(text, 'unknown-vendor');
  assert.equal(rest.length, 0);
  assert.equal(rangeText(text, finding), 'Tier2Tickets');
  assert.match(finding.message, /^vendor "Tier2Tickets" is not defined by any loaded catalog.*did you mean helpdesk-buttons\?$/);
  assert.equal(finding.subject, 'outbound:hdb-upload:vendor:Tier2Tickets');
  assert.equal(applyFix(text, finding.fixes![0]), file('helpdesk-buttons', 'helpdesk-buttons'));
});

test('unknown-vendor: with nothing close, lists the loaded catalogs and offers no fix', () => {
  const text = file('acme-remote', 'helpdesk-buttons');
  const [atKey] = findingsOf(text, 'unknown-vendor');
  assert.equal(rangeText(text, atKey), 'acme-remote');
  assert.match(atKey.message, /the loaded catalogs are helpdesk-buttons; fix the id, or add a catalog for this vendor/);
  assert.equal(atKey.fixes, undefined);
});

test('unknown-vendor: a declared, known vendor passes', () => {
  assert.deepEqual(findingsOf(file('helpdesk-buttons', 'helpdesk-buttons'), 'unknown-vendor'), []);
  assert.deepEqual(findingsOf('allowlist: 1\noutbound:\n  - name: web\n    to: example.com\n    ports: 443\n', 'unknown-vendor'), []);
});
