import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyFix, findingsOf, lintYaml, rangeText } from './rules/testing';
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
  assert.match(unknown[0].message, /unknown rule "no-such-rule"/);
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
