import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyFix, findingsOf, lintYaml, rangeText } from '../testing';

const HEAD = [
  'allowlist: 1',
  'vendors:',
  '  helpdesk-buttons: { ticket-system: self-hosted }',
  'outbound:',
  '  - name: hdb-api',
  '    vendor: helpdesk-buttons',
  '    to: [flu1pjyrr2.execute-api.us-east-1.amazonaws.com, e4rz8vlrg0.execute-api.us-east-1.amazonaws.com, hdb-stuff.s3.amazonaws.com]',
  '    ports: 443',
].join('\n');

function withTechConnect(item: string): string {
  return `${HEAD}\n${item}\ninbound: []\n`;
}

function assertFixed(fixed: string): void {
  const all = lintYaml(fixed).findings;
  assert.deepEqual(all.filter((f) => ['yaml-syntax', 'schema', 'missing-ports', 'missing-endpoint'].includes(f.ruleId)), []);
}

test('missing-ports: a host allowed on 443 but not on 2001-2500 is reported at the rule\'s ports', () => {
  const text = withTechConnect('  - name: hdb-techconnect\n    vendor: helpdesk-buttons\n    to: connect.helpdeskbuttons.com\n    ports: 443   # TechConnect');
  const [finding, ...rest] = findingsOf(text, 'missing-ports');
  assert.equal(rest.length, 0);
  assert.equal(finding.severity, 'error');
  assert.equal(rangeText(text, finding), '443');
  assert.equal(finding.range.start, text.indexOf('443   # TechConnect'));
  assert.equal(finding.subject, 'vendor:helpdesk-buttons:ports:connect.helpdeskbuttons.com');
  assert.equal(
    finding.message,
    '"hdb-techconnect" allows connect.helpdeskbuttons.com but not on 2001-2500, which Helpdesk Buttons needs for "establish TechConnect session"; ' +
      "that feature will fail at this site. Add 2001-2500 to the rule's ports.",
  );
  const fixed = applyFix(text, finding.fixes![0]);
  assert.ok(fixed.includes('    ports: [443, "2001-2500"]   # TechConnect\n'), fixed);
  assertFixed(fixed);
});

test('missing-ports: all required ports allowed, together across rules, passes', () => {
  assert.deepEqual(findingsOf(withTechConnect('  - name: tc\n    to: connect.helpdeskbuttons.com\n    ports: [443, "2001-2500"]'), 'missing-ports'), []);
  const split = withTechConnect('  - name: tc\n    to: connect.helpdeskbuttons.com\n    ports: 443\n  - name: tc-session\n    to: connect.helpdeskbuttons.com\n    ports: "2000-2600"');
  assert.deepEqual(findingsOf(split, 'missing-ports'), []);
});

test('missing-ports: a host not allowed at all is missing-endpoint\'s, not missing-ports\'', () => {
  const text = withTechConnect('  - name: other\n    to: example.com\n    ports: 443');
  assert.deepEqual(findingsOf(text, 'missing-ports'), []);
  assert.equal(findingsOf(text, 'missing-endpoint').length, 1);
});

test('missing-ports: the fix keeps the YAML style of `ports` (flow list, block list)', () => {
  const flow = withTechConnect('  - name: tc\n    to: connect.helpdeskbuttons.com\n    ports: [ 80 ]');
  const [flowFinding] = findingsOf(flow, 'missing-ports');
  assert.match(flowFinding.message, /not on 443, 2001-2500, which Helpdesk Buttons needs for "request slot for TechConnect" and "establish TechConnect session"/);
  const flowFixed = applyFix(flow, flowFinding.fixes![0]);
  assert.ok(flowFixed.includes('    ports: [ 80, 443, "2001-2500" ]\n'), flowFixed);
  assertFixed(flowFixed);

  const block = withTechConnect('  - name: tc\n    to: connect.helpdeskbuttons.com\n    ports:\n      - 443 # slot');
  const [blockFinding] = findingsOf(block, 'missing-ports');
  assert.equal(rangeText(block, blockFinding), '- 443');
  const blockFixed = applyFix(block, blockFinding.fixes![0]);
  assert.ok(blockFixed.includes('    ports:\n      - 443 # slot\n      - "2001-2500"\ninbound: []'), blockFixed);
  assertFixed(blockFixed);
});

test('missing-ports: when only a broad rule allows the host, the preferred fix adds a rule for the host alone', () => {
  const text = withTechConnect('  - name: web\n    to: "*.helpdeskbuttons.com"\n    ports: 443');
  const [finding] = findingsOf(text, 'missing-ports');
  assert.match(finding.message, /^"web" allows connect\.helpdeskbuttons\.com \(through \*\.helpdeskbuttons\.com\) but not on 2001-2500/);
  // The wildcard named is the one that covers the host, not the rule's first.
  const second = withTechConnect('  - name: web\n    to: ["*.amazonaws.com", "*.helpdeskbuttons.com"]\n    ports: 443');
  const [viaSecond] = findingsOf(second, 'missing-ports').filter((f) => f.message.includes('connect.helpdeskbuttons.com'));
  assert.match(viaSecond.message, /^"web" allows connect\.helpdeskbuttons\.com \(through \*\.helpdeskbuttons\.com\) but not on 2001-2500/);
  assert.deepEqual(finding.fixes!.map((fix) => [fix.title, fix.preferred]), [
    ['Add an outbound rule for connect.helpdeskbuttons.com on 2001-2500', true],
    ['Add 2001-2500 to the ports of "web"', false],
  ]);
  const fixed = applyFix(text, finding.fixes![0]);
  assert.ok(fixed.includes('  - name: helpdesk-buttons-techconnect-session\n'), fixed);
  assert.ok(fixed.includes('    to: connect.helpdeskbuttons.com\n    ports: "2001-2500"\n'), fixed);
  assertFixed(fixed);
  assertFixed(applyFix(text, finding.fixes![1]));
});

test('missing-ports: in a CRLF file a block `ports` list grows with CRLF line ends', () => {
  const text = withTechConnect('  - name: tc\n    to: connect.helpdeskbuttons.com\n    ports:\n      - 443').replace(/\n/g, '\r\n');
  const [finding] = findingsOf(text, 'missing-ports');
  const fixed = applyFix(text, finding.fixes![0]);
  assert.ok(fixed.includes('    ports:\r\n      - 443\r\n      - "2001-2500"\r\ninbound: []\r\n'), JSON.stringify(fixed));
  assertFixed(fixed);
});
