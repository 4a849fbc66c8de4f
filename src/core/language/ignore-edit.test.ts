import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ignoreEdit } from './ignore-edit';
import { applyFix, lintYaml } from '../lint';

const TEXT = [
  'allowlist: 1',
  'inbound:',
  '  - name: public-web',
  '    from: any',
  '    to: 10.0.0.5',
  '    ports: 443',
  '',
].join('\n');

test('ignore edit: a comment line above the finding, indented like it, silences the finding', () => {
  const finding = lintYaml(TEXT).findings.find((f) => f.ruleId === 'inbound-too-broad');
  assert.ok(finding, 'the fixture has an inbound-too-broad finding');
  const edit = ignoreEdit(TEXT, finding, 'public web server');
  assert.equal(edit.newText, '    # allowlist-ignore inbound-too-broad: public web server\n');
  const fixed = applyFix(TEXT, { title: 'ignore', edits: [edit] });
  assert.match(fixed, /ports: 443/);
  assert.ok(fixed.includes('    # allowlist-ignore inbound-too-broad: public web server\n    from: any'));
  const after = lintYaml(fixed).findings;
  assert.equal(after.filter((f) => f.ruleId === 'inbound-too-broad').length, 0);
  assert.equal(after.filter((f) => f.ruleId === 'ignore-comment').length, 0, 'the comment is used and has a reason');
});

test('ignore edit: a finding on a rule item\'s first line gets the dash\'s indentation', () => {
  const edit = ignoreEdit(TEXT, { ruleId: 'duplicate-name', range: { start: TEXT.indexOf('- name'), end: TEXT.indexOf('- name') + 6 } });
  assert.equal(edit.range.start, TEXT.indexOf('  - name'));
  assert.match(edit.newText, /^  # allowlist-ignore duplicate-name: TODO/);
});

test('ignore edit: CRLF files keep CRLF', () => {
  const crlf = TEXT.replace(/\n/g, '\r\n');
  const edit = ignoreEdit(crlf, { ruleId: 'x', range: { start: crlf.indexOf('from'), end: crlf.indexOf('from') } });
  assert.ok(edit.newText.endsWith('\r\n'));
  assert.equal(edit.range.start, crlf.indexOf('    from'));
});

test('ignore edit: a finding on the first line inserts at the start of the file', () => {
  const edit = ignoreEdit(TEXT, { ruleId: 'schema', range: { start: 0, end: 9 } });
  assert.deepEqual(edit.range, { start: 0, end: 0 });
  assert.equal(edit.newText, '# allowlist-ignore schema: TODO say why this is acceptable\n');
});

test('ignore edit: applied twice for two findings on one line (as the editor does, re-linting between), both are silenced', () => {
  for (const newline of ['\n', '\r\n']) {
    let text = ['allowlist: 1', 'outbound:', '  - name: lab', '    to: [10.0.0.256, "*.com"]', '    ports: 443', ''].join(newline);
    for (const ruleId of ['invalid-address', 'wildcard-too-broad']) {
      const finding = lintYaml(text).findings.find((f) => f.ruleId === ruleId);
      assert.ok(finding, `${ruleId} is reported before its ignore is added`);
      text = applyFix(text, { title: 'ignore', edits: [ignoreEdit(text, finding, 'lab')] });
    }
    assert.ok(text.includes(['    # allowlist-ignore invalid-address: lab', '    # allowlist-ignore wildcard-too-broad: lab', '    to:'].join(newline)), text);
    assert.deepEqual(lintYaml(text).findings.map((f) => `${f.ruleId}: ${f.message}`), [], JSON.stringify(newline));
  }
});
