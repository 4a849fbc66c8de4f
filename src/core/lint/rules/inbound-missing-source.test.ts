import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyFix, findingsOf, lintYaml, rangeText } from '../testing';

function file(ticketSystem: string, inbound: string): string {
  return ['allowlist: 1', 'vendors:', `  helpdesk-buttons: { ticket-system: ${ticketSystem} }`, inbound, ''].join('\n');
}

test('inbound-missing-source: a published source left out of the vendor\'s inbound rule is reported at its `from`', () => {
  const text = file('self-hosted', 'inbound:\n  - name: hdb-ticket-api\n    vendor: helpdesk-buttons\n    from: 34.202.14.153\n    to: 10.0.0.20\n    ports: 443');
  const [finding, ...rest] = findingsOf(text, 'inbound-missing-source');
  assert.equal(rest.length, 0);
  assert.equal(finding.severity, 'error');
  assert.equal(rangeText(text, finding), '34.202.14.153');
  assert.equal(finding.range.start, text.indexOf('34.202.14.153'));
  assert.equal(finding.subject, 'vendor:helpdesk-buttons:inbound-source:api-source-2');
  assert.equal(
    finding.message,
    '3.209.57.193 is one of the addresses Helpdesk Buttons sends "inbound API requests to your ticket system" from, but no inbound rule for helpdesk-buttons admits it ("hdb-ticket-api"). ' +
      'Requests from that address will be blocked; add it to `from`.',
  );
  const fixed = applyFix(text, finding.fixes![0]);
  assert.ok(fixed.includes('    from: [34.202.14.153, 3.209.57.193]\n'), fixed);
  assert.deepEqual(lintYaml(fixed).findings.filter((f) => ['yaml-syntax', 'schema', 'inbound-missing-source'].includes(f.ruleId)), []);
});

test('inbound-missing-source: both sources admitted (across the vendor\'s rules, or by a covering network) passes', () => {
  const both = file('self-hosted', 'inbound:\n  - name: a\n    vendor: helpdesk-buttons\n    from: 34.202.14.153\n    to: 10.0.0.20\n    ports: 443\n  - name: b\n    vendor: helpdesk-buttons\n    from: 3.209.57.0/24\n    to: 10.0.0.20\n    ports: 443');
  assert.deepEqual(findingsOf(both, 'inbound-missing-source'), []);
  // The whole IPv4 space, whose index key is the number 0.
  const everything = file('self-hosted', 'inbound:\n  - name: a\n    vendor: helpdesk-buttons\n    from: 0.0.0.0/0\n    to: 10.0.0.20\n    ports: 443');
  assert.deepEqual(findingsOf(everything, 'inbound-missing-source'), []);
});

test('inbound-missing-source: with a cloud ticket system no inbound rule is needed', () => {
  assert.deepEqual(findingsOf(file('cloud', ''), 'inbound-missing-source'), []);
});

test('inbound-missing-source: a rule without `vendor:` does not serve the vendor; with none the finding is at the vendor key, without a fix', () => {
  const text = file('self-hosted', 'inbound:\n  - name: api\n    from: [34.202.14.153, 3.209.57.193]\n    to: 10.0.0.20\n    ports: 443');
  const [finding, ...rest] = findingsOf(text, 'inbound-missing-source');
  assert.equal(rest.length, 0);
  assert.equal(rangeText(text, finding), 'helpdesk-buttons');
  assert.equal(finding.subject, 'vendor:helpdesk-buttons:inbound');
  assert.equal(
    finding.message,
    'Helpdesk Buttons needs an inbound rule with `vendor: helpdesk-buttons` admitting 34.202.14.153, 3.209.57.193 for "inbound API requests to your ticket system" ' +
      '(only when the ticket system is self-hosted), but no inbound rule serves helpdesk-buttons. ' +
      'Add one with `from: [34.202.14.153, 3.209.57.193]` and your own host (`to`) and service port (`ports`), which only you know.',
  );
  assert.equal(finding.fixes, undefined);
});

test('inbound-missing-source: the fix appends to a block `from` list', () => {
  const text = file('self-hosted', 'inbound:\n  - name: api\n    vendor: helpdesk-buttons\n    from:\n      - 3.209.57.193\n    to: 10.0.0.20\n    ports: 443');
  const [finding] = findingsOf(text, 'inbound-missing-source');
  assert.equal(finding.subject, 'vendor:helpdesk-buttons:inbound-source:api-source-1');
  const fixed = applyFix(text, finding.fixes![0]);
  assert.ok(fixed.includes('    from:\n      - 3.209.57.193\n      - 34.202.14.153\n    to: 10.0.0.20'), fixed);
  assert.deepEqual(findingsOf(fixed, 'inbound-missing-source'), []);
});
