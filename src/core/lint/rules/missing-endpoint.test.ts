import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyFix, findingsOf, lintYaml, rangeText } from '../testing';

const GETCONF = 'flu1pjyrr2.execute-api.us-east-1.amazonaws.com';
const GATEKEEPER = 'kdwq222yo3.execute-api.us-east-1.amazonaws.com';
const PLUGINS = 'e4rz8vlrg0.execute-api.us-east-1.amazonaws.com';

/** Every Helpdesk Buttons host except the gatekeeper, allowed by name. */
function allowlist(ticketSystem: string, extraOutbound = ''): string {
  return [
    'allowlist: 1',
    'vendors:',
    `  helpdesk-buttons: { ticket-system: ${ticketSystem} }`,
    'outbound:',
    '  - name: hdb-api',
    '    vendor: helpdesk-buttons',
    `    to: [${GETCONF}, ${PLUGINS}]`,
    '    ports: 443',
    '  - name: hdb-uploads',
    '    vendor: helpdesk-buttons',
    '    to: hdb-stuff.s3.amazonaws.com',
    '    ports: 443',
    '  - name: hdb-techconnect',
    '    vendor: helpdesk-buttons',
    '    to: connect.helpdeskbuttons.com',
    '    ports: [443, "2001-2500"]',
    extraOutbound,
  ].join('\n');
}

/** The fixed text has no syntax/schema problem and no longer has the finding's subject. */
function assertFixed(fixed: string, subject: string): void {
  const all = lintYaml(fixed).findings;
  assert.deepEqual(all.filter((f) => f.ruleId === 'yaml-syntax' || f.ruleId === 'schema' || f.ruleId === 'duplicate-name'), []);
  assert.deepEqual(all.filter((f) => f.ruleId === 'missing-endpoint' && f.subject === subject), []);
}

test('missing-endpoint: with a cloud ticket system the gatekeeper host is required, reported at the vendor key', () => {
  const text = allowlist('cloud');
  const findings = findingsOf(text, 'missing-endpoint');
  assert.equal(findings.length, 1);
  const [finding] = findings;
  assert.equal(rangeText(text, finding), 'helpdesk-buttons');
  assert.equal(finding.range.start, text.indexOf('helpdesk-buttons'));
  assert.equal(finding.severity, 'error');
  assert.equal(finding.subject, `vendor:helpdesk-buttons:host:${GATEKEEPER}`);
  assert.equal(
    finding.message,
    `Helpdesk Buttons needs ${GATEKEEPER} on TCP 443 for "If not self-hosting; our gatekeeper" (only when the ticket system is not self-hosted), ` +
      `but no outbound rule allows that host. Its software will fail at this site until you add an outbound rule for ${GATEKEEPER} ` +
      '(by hostname: a wildcard above it or `any` also counts, an IP address does not).',
  );
});

test('missing-endpoint: with a self-hosted ticket system the gatekeeper is not required', () => {
  assert.deepEqual(findingsOf(allowlist('self-hosted'), 'missing-endpoint'), []);
});

test('missing-endpoint: a covering wildcard or `any` allows the host; an IP address or a UDP-only rule does not', () => {
  const wildcard = allowlist('cloud', '  - name: aws-api\n    to: "*.us-east-1.amazonaws.com"\n    ports: 443\n');
  assert.deepEqual(findingsOf(wildcard, 'missing-endpoint'), []);
  const any = allowlist('cloud', '  - name: web\n    to: any\n    ports: 443\n');
  assert.deepEqual(findingsOf(any, 'missing-endpoint'), []);
  const ip = allowlist('cloud', '  - name: gatekeeper-ip\n    to: 52.0.0.1\n    ports: 443\n');
  assert.equal(findingsOf(ip, 'missing-endpoint').length, 1);
  const udp = allowlist('cloud', `  - name: gatekeeper-udp\n    to: ${GATEKEEPER}\n    ports: 443\n    protocol: udp\n`);
  assert.equal(findingsOf(udp, 'missing-endpoint').length, 1);
});

test('missing-endpoint: the fix appends an outbound rule with the list\'s indentation, which then lints clean', () => {
  const text = allowlist('cloud', 'inbound: []\n');
  const [finding] = findingsOf(text, 'missing-endpoint');
  assert.equal(finding.fixes?.length, 1, 'one missing host: no separate "add all" fix');
  const fixed = applyFix(text, finding.fixes![0]);
  assert.ok(
    fixed.includes(
      '    ports: [443, "2001-2500"]\n' +
        '  - name: helpdesk-buttons-gatekeeper\n' +
        '    description: "Helpdesk Buttons: If not self-hosting; our gatekeeper"\n' +
        '    vendor: helpdesk-buttons\n' +
        `    to: ${GATEKEEPER}\n` +
        '    ports: 443\n' +
        'inbound: []\n',
    ),
    fixed,
  );
  assertFixed(fixed, finding.subject);
  assert.deepEqual(findingsOf(fixed, 'missing-endpoint'), []);
});

test('missing-endpoint: one finding per host (roles grouped); "add all" adds every missing host with unique names', () => {
  const text = 'allowlist: 1\nvendors:\n  helpdesk-buttons: {}\noutbound:\n  - name: helpdesk-buttons-getconf\n    to: example.com\n    ports: 443\n';
  const findings = findingsOf(text, 'missing-endpoint');
  assert.deepEqual(
    findings.map((f) => f.subject.split(':').pop()),
    [GETCONF, GATEKEEPER, PLUGINS, 'hdb-stuff.s3.amazonaws.com', 'connect.helpdeskbuttons.com'],
  );
  const connect = findings[4];
  assert.match(connect.message, /needs connect\.helpdeskbuttons\.com on TCP 443, 2001-2500 for "request slot for TechConnect" and "establish TechConnect session"/);
  // Each finding's own fix.
  for (const finding of findings) assertFixed(applyFix(text, finding.fixes![0]), finding.subject);
  const own = applyFix(text, connect.fixes![0]);
  assert.ok(own.includes('  - name: helpdesk-buttons-techconnect\n'), own);
  assert.ok(own.includes('    ports: [443, "2001-2500"]'), own);
  assert.deepEqual(findingsOf(own, 'missing-ports'), []);
  // "Add all": the existing name helpdesk-buttons-getconf is taken, so the new rule gets -2.
  const all = connect.fixes!.find((fix) => fix.title.startsWith('Add outbound rules for all 5'));
  assert.ok(all);
  const fixed = applyFix(text, all);
  assert.ok(fixed.includes('  - name: helpdesk-buttons-getconf-2\n'), fixed);
  assertFixed(fixed, connect.subject);
  assert.deepEqual(findingsOf(fixed, 'missing-endpoint'), []);
  assert.deepEqual(findingsOf(fixed, 'missing-ports'), []);
});

test('missing-endpoint: the fix creates `outbound:` when the file has none, and fills `outbound: []`', () => {
  for (const text of ['allowlist: 1\nvendors:\n  helpdesk-buttons: { ticket-system: self-hosted }\n', 'allowlist: 1\nvendors:\n  helpdesk-buttons: { ticket-system: self-hosted }\noutbound: []  # none yet\n']) {
    const findings = findingsOf(text, 'missing-endpoint');
    assert.equal(findings.length, 4);
    const fixed = applyFix(text, findings[0].fixes![1]);
    assertFixed(fixed, findings[0].subject);
    assert.deepEqual(findingsOf(fixed, 'missing-endpoint'), []);
  }
});

test('missing-endpoint: a vendor without a loaded catalog is left to unknown-vendor', () => {
  assert.deepEqual(findingsOf('allowlist: 1\nvendors:\n  acme-remote: {}\n', 'missing-endpoint'), []);
});

test('missing-endpoint: in a CRLF file the new rule is written with CRLF line ends', () => {
  const text = allowlist('cloud', 'inbound: []\n').replace(/\n/g, '\r\n');
  const [finding] = findingsOf(text, 'missing-endpoint');
  const fixed = applyFix(text, finding.fixes![0]);
  assert.ok(fixed.includes('    ports: [443, "2001-2500"]\r\n  - name: helpdesk-buttons-gatekeeper\r\n    description:'), JSON.stringify(fixed));
  assert.ok(!/[^\r]\n/.test(fixed) && !/\r[^\n]/.test(fixed), 'only CRLF line ends');
  assertFixed(fixed, finding.subject);
});

test('missing-endpoint: a rule limited to some PCs (`from`) does not cover the vendor, whose software runs on every client PC; the fix then lints clean', () => {
  const onePc = allowlist('cloud', `  - name: gatekeeper-one-pc\n    vendor: helpdesk-buttons\n    from: 192.168.50.99\n    to: ${GATEKEEPER}\n    ports: 443\n`);
  const [finding, ...others] = findingsOf(onePc, 'missing-endpoint');
  assert.deepEqual(others, []);
  assert.equal(finding.subject, `vendor:helpdesk-buttons:host:${GATEKEEPER}`);
  assert.equal(
    finding.message,
    `Helpdesk Buttons needs ${GATEKEEPER} on TCP 443 for "If not self-hosting; our gatekeeper" (only when the ticket system is not self-hosted), ` +
      'but "gatekeeper-one-pc" allows that host only from 192.168.50.99, and Helpdesk Buttons\'s software runs on every client PC: ' +
      "the site's other PCs will fail. Allow it from the whole site (no `from`, or `from: any`).",
  );
  const fixed = applyFix(onePc, finding.fixes![0]);
  assertFixed(fixed, finding.subject);
  assert.deepEqual(findingsOf(fixed, 'missing-endpoint'), []);

  // The whole site: no `from`, or `from` with `any` (here beside a single PC).
  for (const from of ['', '    from: [192.168.50.99, any]\n']) {
    const site = allowlist('cloud', `  - name: gatekeeper\n    vendor: helpdesk-buttons\n${from}    to: ${GATEKEEPER}\n    ports: 443\n`);
    assert.deepEqual(findingsOf(site, 'missing-endpoint'), [], from);
  }
});

test('missing-endpoint: a host allowed on UDP only is named as such, not as "no outbound rule allows that host"', () => {
  const udp = allowlist('cloud', `  - name: gatekeeper-udp\n    to: ${GATEKEEPER}\n    ports: 443\n    protocol: udp\n`);
  const [finding] = findingsOf(udp, 'missing-endpoint');
  assert.match(finding.message, /, but "gatekeeper-udp" allows that host on UDP only, and the vendor needs TCP\. Add an outbound rule for \S+ on TCP \(or set the rule's `protocol: any`\)\.$/);
  const fixed = applyFix(udp, finding.fixes![0]);
  assertFixed(fixed, finding.subject);
  assert.deepEqual(findingsOf(fixed, 'missing-endpoint'), []);
});
