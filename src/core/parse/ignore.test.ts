import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyFix, findingsOf, lintYaml, rangeText } from '../lint';
import { parseIgnoreComments } from './ignore';

const RULE = ['allowlist: 1', 'outbound:', '  - name: r', '    to: 10.0.0.256', '    ports: 443', ''];

test('ignore: a comment on the line above silences that rule there', () => {
  const text = [...RULE.slice(0, 3), '    # allowlist-ignore invalid-address: lab address, fixed in PROJ-12', ...RULE.slice(3)].join('\n');
  const { findings } = lintYaml(text);
  assert.deepEqual(findings.map((f) => f.ruleId), []);
});

test('ignore: a trailing comment silences its own line only', () => {
  const text = RULE.join('\n').replace('10.0.0.256', '10.0.0.256   # allowlist-ignore invalid-address: lab');
  assert.deepEqual(findingsOf(text, 'invalid-address'), []);
  assert.deepEqual(findingsOf(text, 'ignore-comment'), []);
});

test('ignore: without a reason it still silences, and is reported', () => {
  const text = RULE.join('\n').replace('10.0.0.256', '10.0.0.256  # allowlist-ignore invalid-address');
  assert.deepEqual(findingsOf(text, 'invalid-address'), []);
  const [finding] = findingsOf(text, 'ignore-comment');
  assert.match(finding.message, /needs a reason/);
  assert.equal(rangeText(text, finding), '# allowlist-ignore invalid-address');
});

test('ignore: one that silences nothing, or names an unknown rule, is reported with a removal fix', () => {
  const text = RULE.join('\n').replace('ports: 443', 'ports: 443  # allowlist-ignore invalid-address: stale');
  const [stale] = findingsOf(text, 'ignore-comment');
  assert.match(stale.message, /silences nothing/);
  assert.equal(applyFix(text, stale.fixes![0]), RULE.join('\n').replace('ports: 443', 'ports: 443'));
  const unknown = findingsOf(RULE.join('\n').replace('ports: 443', 'ports: 443  # allowlist-ignore no-such-rule: x'), 'ignore-comment');
  assert.match(unknown[0].message, /unknown rule "no-such-rule"$/);
  assert.equal(unknown[0].fixes!.length, 1);
});

test('ignore: a misspelt rule id is reported with the rule it likely means and a fix that writes it', () => {
  const text = RULE.join('\n').replace('ports: 443', 'ports: 443  # allowlist-ignore expires-son: renewed by ops');
  const [misspelt] = findingsOf(text, 'ignore-comment');
  assert.match(misspelt.message, /unknown rule "expires-son"; did you mean expires-soon\?$/);
  assert.equal(misspelt.fixes![0].title, 'Change to expires-soon');
  assert.equal(applyFix(text, misspelt.fixes![0]), RULE.join('\n').replace('ports: 443', 'ports: 443  # allowlist-ignore expires-soon: renewed by ops'));
});

test('ignore: other rules on the same line are not silenced', () => {
  const text = RULE.join('\n').replace('10.0.0.256', '10.0.0.256  # allowlist-ignore expired-rule: wrong rule');
  assert.equal(findingsOf(text, 'invalid-address').length, 1);
});

test('ignore: the marker inside a quoted value is text, not a comment; after a closed quote or an apostrophe it is one', () => {
  const inQuotes = [
    'description: "x # allowlist-ignore invalid-address: nope"',
    "description: 'it''s # allowlist-ignore invalid-address: nope'",
    'to: ["a.example.com", "b # allowlist-ignore invalid-address: x"]',
  ];
  for (const line of inQuotes) assert.deepEqual(parseIgnoreComments(`${line}\n`), [], line);
  const comments = [
    'description: "x" # allowlist-ignore invalid-address: after the value',
    "description: it's fine # allowlist-ignore invalid-address: an apostrophe opens no quote",
    '  - "a.example.com" # allowlist-ignore invalid-address: in a list',
  ];
  for (const line of comments) assert.equal(parseIgnoreComments(`${line}\n`).length, 1, line);
});

// `to:` with two findings on one line: invalid-address (10.0.0.256) and wildcard-too-broad (*.com).
const TWO_FINDINGS = ['allowlist: 1', 'outbound:', '  - name: r', '    to: [10.0.0.256, "*.com"]', '    ports: 443', ''];
const withLines = (lines: string[], at: number, inserted: string[]) => [...lines.slice(0, at), ...inserted, ...lines.slice(at)].join('\n');

test('ignore: stacked comment lines for two rules both silence the code line below them', () => {
  const text = withLines(TWO_FINDINGS, 3, ['    # allowlist-ignore invalid-address: lab range', '    # allowlist-ignore wildcard-too-broad: vendor wildcard']);
  assert.deepEqual(lintYaml(text).findings.map((f) => f.ruleId), []);
  assert.deepEqual(parseIgnoreComments(text).map((i) => [i.ruleId, i.reason, i.targetLine]), [
    ['invalid-address', 'lab range', 5],
    ['wildcard-too-broad', 'vendor wildcard', 5],
  ]);
});

test('ignore: a comment line and a trailing comment on the code line below both apply to that line', () => {
  const text = withLines(TWO_FINDINGS, 3, ['    # allowlist-ignore invalid-address: lab range']).replace('"*.com"]', '"*.com"]  # allowlist-ignore wildcard-too-broad: vendor');
  assert.deepEqual(lintYaml(text).findings.map((f) => f.ruleId), []);
});

test('ignore: a stacked comment that silences nothing is reported, the one beside it still silences', () => {
  const text = withLines(TWO_FINDINGS, 3, ['    # allowlist-ignore expired-rule: not expired', '    # allowlist-ignore invalid-address: lab range']);
  const findings = lintYaml(text).findings;
  assert.deepEqual(findings.map((f) => f.ruleId).sort(), ['ignore-comment', 'wildcard-too-broad']);
  const stale = findings.find((f) => f.ruleId === 'ignore-comment')!;
  assert.match(stale.message, /expired-rule silences nothing/);
  assert.equal(rangeText(text, stale), '# allowlist-ignore expired-rule: not expired');
});

test('ignore: stacked comments pass over blank and plain comment lines to the next code line; at the end of the file, the line after', () => {
  const text = ['a: 1', '# allowlist-ignore r1: x', '', '# a note', '# allowlist-ignore r2: y', 'b: 2  # allowlist-ignore r3: z', '# allowlist-ignore r4: w', '# allowlist-ignore r5: v'].join('\n');
  assert.deepEqual(parseIgnoreComments(text).map((i) => [i.ruleId, i.targetLine]), [['r1', 5], ['r2', 5], ['r3', 5], ['r4', 7], ['r5', 8]]);
});

test('ignore: in a CRLF file the rule id and reason end before the CR, and stacked comments still apply', () => {
  const text = withLines(TWO_FINDINGS, 3, ['    # allowlist-ignore invalid-address: lab range  ', '    # allowlist-ignore wildcard-too-broad:vendor']).replace(/\n/g, '\r\n');
  const ignores = parseIgnoreComments(text);
  assert.deepEqual(ignores.map((i) => [i.ruleId, i.reason, i.targetLine]), [
    ['invalid-address', 'lab range', 5],
    ['wildcard-too-broad', 'vendor', 5],
  ]);
  assert.deepEqual(ignores.map((i) => text.slice(i.range.start, i.range.end)), ['# allowlist-ignore invalid-address: lab range  ', '# allowlist-ignore wildcard-too-broad:vendor']);
  assert.deepEqual(lintYaml(text).findings.map((f) => f.ruleId), []);
  const noReason = parseIgnoreComments('a: 1  # allowlist-ignore invalid-address\r\nb: 2  # allowlist-ignore\r\n');
  assert.deepEqual(noReason.map((i) => [i.ruleId, i.reason, i.targetLine]), [['invalid-address', '', 0], ['', '', 1]]);
});

test('ignore: after a marker inside a quoted value, the comment on the same line is found', () => {
  const text = 'description: "x # allowlist-ignore a: in quotes"  # allowlist-ignore invalid-address: real\n';
  assert.deepEqual(parseIgnoreComments(text).map((i) => [i.ruleId, i.reason]), [['invalid-address', 'real']]);
});
