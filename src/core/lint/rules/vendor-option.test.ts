import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyFix, findingsOf, rangeText } from '../testing';

const file = (options: string) => `allowlist: 1\nvendors:\n  helpdesk-buttons:\n    ${options}\n`;

test('vendor-option: a value the option does not list is reported at the value; the closest value is the preferred fix', () => {
  const text = file('ticket-system: selfhosted');
  const [finding, ...rest] = findingsOf(text, 'vendor-option');
  assert.equal(rest.length, 0);
  assert.equal(finding.severity, 'error');
  assert.equal(rangeText(text, finding), 'selfhosted');
  assert.equal(
    finding.message,
    '"selfhosted" is not a value of Helpdesk Buttons\'s option ticket-system; use one of: cloud (Cloud-Hosted ticket system), self-hosted (self-hosted ticket system) (did you mean self-hosted?)',
  );
  assert.equal(finding.subject, 'vendors:helpdesk-buttons:option:ticket-system:selfhosted');
  const preferred = finding.fixes!.find((fix) => fix.preferred)!;
  assert.equal(preferred.title, 'Use self-hosted');
  assert.equal(applyFix(text, preferred), file('ticket-system: self-hosted'));
  assert.deepEqual(finding.fixes!.map((fix) => fix.title), ['Use self-hosted', 'Use cloud']);
});

test('vendor-option: an option the catalog does not define is reported at its key, with the closest option as a fix', () => {
  const text = file('tiket-system: cloud');
  const [finding] = findingsOf(text, 'vendor-option');
  assert.equal(rangeText(text, finding), 'tiket-system');
  assert.equal(
    finding.message,
    'Helpdesk Buttons has no option "tiket-system" (did you mean ticket-system? its options are ticket-system (cloud, self-hosted)); an unknown option is ignored',
  );
  assert.equal(applyFix(text, finding.fixes![0]), file('ticket-system: cloud'));
});

test('vendor-option: no rename to an option already set beside it (the key would be there twice)', () => {
  const text = file('ticket-system: cloud\n    tiket-system: cloud');
  const [finding] = findingsOf(text, 'vendor-option');
  assert.match(finding.message, /did you mean ticket-system\?/);
  assert.equal(finding.fixes, undefined);
});

test('vendor-option: nothing close: every value is offered, none preferred', () => {
  const text = file('ticket-system: "on-prem"');
  const [finding] = findingsOf(text, 'vendor-option');
  assert.equal(rangeText(text, finding), '"on-prem"');
  assert.doesNotMatch(finding.message, /did you mean/);
  assert.equal(finding.fixes!.some((fix) => fix.preferred), false);
  assert.equal(applyFix(text, finding.fixes!.find((fix) => fix.title === 'Use cloud')!), file('ticket-system: cloud'));
});

test('vendor-option: valid options, empty declarations and unknown vendors pass', () => {
  assert.deepEqual(findingsOf(file('ticket-system: self-hosted'), 'vendor-option'), []);
  assert.deepEqual(findingsOf(file('ticket-system: cloud'), 'vendor-option'), []);
  assert.deepEqual(findingsOf('allowlist: 1\nvendors:\n  helpdesk-buttons: {}\n', 'vendor-option'), []);
  assert.deepEqual(findingsOf('allowlist: 1\nvendors:\n  acme: { colour: blue }\n', 'vendor-option'), [], 'unknown vendors are unknown-vendor\'s');
});
