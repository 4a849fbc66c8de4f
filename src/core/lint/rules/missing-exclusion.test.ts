import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyFix, findingsOf, lintYaml, rangeText } from '../testing';

const HEAD = 'allowlist: 1\nvendors:\n  helpdesk-buttons: { ticket-system: self-hosted }\n';
const ITEM = "path: 'C:\\Program Files (x86)\\Helpdesk Button'";

function assertFixed(fixed: string): void {
  assert.deepEqual(lintYaml(fixed).findings.filter((f) => ['yaml-syntax', 'schema', 'missing-exclusion', 'exclusion-path'].includes(f.ruleId)), []);
}

test('missing-exclusion: a recommended exclusion absent from endpoint-protection is reported at its key', () => {
  const text = `${HEAD}endpoint-protection:\n  products: [defender]\n  exclusions:\n    - path: 'C:\\Program Files\\Backup Agent'\n`;
  const [finding, ...rest] = findingsOf(text, 'missing-exclusion');
  assert.equal(rest.length, 0);
  assert.equal(finding.severity, 'warning');
  assert.equal(rangeText(text, finding), 'endpoint-protection');
  assert.equal(finding.range.start, text.indexOf('endpoint-protection'));
  assert.equal(finding.subject, 'vendor:helpdesk-buttons:exclusion:installation-folder');
  assert.equal(
    finding.message,
    'Helpdesk Buttons recommends excluding the helpdeskbuttons installation folder, "C:\\Program Files (x86)\\Helpdesk Button", from anti-virus scanning ' +
      '(https://docs.tier2tickets.com/content/general/firewall/#anti-virus-and-antimalware-compatibility), but endpoint-protection.exclusions does not list it. ' +
      "Add it, and configure it in the site's endpoint-protection products.",
  );
  const fixed = applyFix(text, finding.fixes![0]);
  assert.equal(fixed, `${text}    - ${ITEM}\n`);
  assertFixed(fixed);
});

test('missing-exclusion: present (any case, trailing backslash) passes', () => {
  const text = `${HEAD}endpoint-protection:\n  exclusions:\n    - path: 'c:\\program files (x86)\\helpdesk button\\'\n`;
  assert.deepEqual(findingsOf(text, 'missing-exclusion'), []);
});

test('missing-exclusion: without an endpoint-protection section, reported at the vendor key; the fix adds the section', () => {
  const text = `${HEAD}outbound: []`;
  const [finding] = findingsOf(text, 'missing-exclusion');
  assert.equal(rangeText(text, finding), 'helpdesk-buttons');
  const fixed = applyFix(text, finding.fixes![0]);
  assert.equal(fixed, `${text}\nendpoint-protection:\n  exclusions:\n    - ${ITEM}\n`);
  assertFixed(fixed);
});

test('missing-exclusion: the fix adds `exclusions:` to a section without it, or fills an empty one', () => {
  const cases: [string, string][] = [
    [`${HEAD}endpoint-protection:\n  products: [webroot]\n`, `${HEAD}endpoint-protection:\n  products: [webroot]\n  exclusions:\n    - ${ITEM}\n`],
    [`${HEAD}endpoint-protection:\n  products: [webroot]\n  exclusions: []\n`, `${HEAD}endpoint-protection:\n  products: [webroot]\n  exclusions: [{ ${ITEM} }]\n`],
    [`${HEAD}endpoint-protection:\n  exclusions:\n`, `${HEAD}endpoint-protection:\n  exclusions:\n    - ${ITEM}\n`],
    [`${HEAD}endpoint-protection:\n`, `${HEAD}endpoint-protection:\n  exclusions:\n    - ${ITEM}\n`],
  ];
  for (const [text, expected] of cases) {
    const [finding] = findingsOf(text, 'missing-exclusion');
    assert.ok(finding, text);
    const fixed = applyFix(text, finding.fixes![0]);
    assert.equal(fixed, expected);
    assertFixed(fixed);
  }
});

test('missing-exclusion: no declared vendor recommending exclusions, no finding', () => {
  assert.deepEqual(findingsOf('allowlist: 1\nendpoint-protection:\n  products: [webroot]\n', 'missing-exclusion'), []);
});
