import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyFix, findingsOf, lintYaml, rangeText } from '../testing';

const REAL = 'C:\\Program Files (x86)\\Helpdesk Button';

function file(path: string): string {
  return `allowlist: 1\nvendors:\n  helpdesk-buttons: {}\nendpoint-protection:\n  products: [defender]\n  exclusions:\n    - path: ${path}\n      products: [defender]\n`;
}

test("exclusion-path: the vendor page's spelling without the space is reported at the path, with the real folder", () => {
  const text = file("'C:\\Program Files(x86)\\Helpdesk Button'");
  const [finding, ...rest] = findingsOf(text, 'exclusion-path');
  assert.equal(rest.length, 0);
  assert.equal(finding.severity, 'warning');
  assert.equal(rangeText(text, finding), "'C:\\Program Files(x86)\\Helpdesk Button'");
  assert.equal(finding.subject, 'vendor:helpdesk-buttons:exclusion-path:installation-folder');
  assert.equal(
    finding.message,
    '"C:\\Program Files(x86)\\Helpdesk Button" is not the helpdeskbuttons installation folder that Helpdesk Buttons recommends excluding: the real folder is "C:\\Program Files (x86)\\Helpdesk Button" ' +
      '(The vendor\'s page writes the folder as "C:\\Program Files(x86)\\Helpdesk Button", without the space that the Windows folder "C:\\Program Files (x86)" has; the path above is the real folder). ' +
      'An exclusion for a path that does not exist excludes nothing; replace it with "C:\\Program Files (x86)\\Helpdesk Button".',
  );
  // The near miss is what the user meant: missing-exclusion stays quiet.
  assert.deepEqual(findingsOf(text, 'missing-exclusion'), []);
  const fixed = applyFix(text, finding.fixes![0]);
  assert.equal(fixed, file(`'${REAL}'`));
  const after = lintYaml(fixed).findings.filter((f) => ['yaml-syntax', 'schema', 'exclusion-path', 'missing-exclusion'].includes(f.ruleId));
  assert.deepEqual(after, []);
});

test('exclusion-path: the real folder passes, in any letter case and with a trailing backslash', () => {
  for (const path of [`'${REAL}'`, "'c:\\program files (x86)\\helpdesk button\\'", `"C:\\\\Program Files (x86)\\\\Helpdesk Button"`]) {
    assert.deepEqual(findingsOf(file(path), 'exclusion-path'), [], path);
    assert.deepEqual(findingsOf(file(path), 'missing-exclusion'), [], path);
  }
});

test('exclusion-path: doubled or forward slashes, a missing space and one-letter typos are near misses; other folders are not', () => {
  const near = [
    "'C:\\\\Program Files (x86)\\\\Helpdesk Button'", // copied from the page's source, backslashes doubled
    "'C:/Program Files (x86)/Helpdesk Button'",
    "'C:\\Program Files (x86)\\HelpdeskButton'",
    "'C:\\Program Files (x86)\\Helpdesk Buttons'",
  ];
  for (const path of near) {
    const text = file(path);
    const [finding] = findingsOf(text, 'exclusion-path');
    assert.ok(finding, path);
    assert.doesNotMatch(finding.message, /vendor's page writes/, 'the catalog note is only for the spelling it is about');
    assert.deepEqual(findingsOf(applyFix(text, finding.fixes![0]), 'exclusion-path'), []);
  }
  assert.deepEqual(findingsOf(file("'C:\\Program Files\\Backup Agent'"), 'exclusion-path'), []);
});

test('exclusion-path: without a declared vendor, paths are not checked', () => {
  const text = "allowlist: 1\nendpoint-protection:\n  exclusions:\n    - path: 'C:\\Program Files(x86)\\Helpdesk Button'\n";
  assert.deepEqual(findingsOf(text, 'exclusion-path'), []);
});
