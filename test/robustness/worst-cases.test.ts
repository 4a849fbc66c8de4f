/** Shapes reported as growing with the square of the input (issue 9): they lint with the right findings. Their
 * time and memory are measured by the benchmark (`npm run bench`), not asserted here. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { lintText } from '../../src/core/lint';
import { MANY_SOURCES_RULES, manySourcesAllowlist, ONE_LINE_FLOW_RULES, oneLineFlowAllowlist } from '../generate';
import { assertFindingsInside } from './helpers';

const OPTIONS = { fileName: 'worst.allowlist.yaml', today: '2026-06-01' };

test('worst cases: 35,000 rules to one host from distinct sources; only the rules an earlier one covers are shadowed', () => {
  const text = manySourcesAllowlist();
  const result = lintText(text, OPTIONS);
  assertFindingsInside(text, result.findings, 'many sources');
  assert.equal(result.model.outbound.length, MANY_SOURCES_RULES + 4);
  const shadowed = result.findings.filter((f) => f.ruleId === 'shadowed-rule');
  assert.deepEqual(
    shadowed.map((f) => `${text.slice(f.range.start, f.range.end)} by ${f.message.match(/earlier rule (\S+)/)![1]}`),
    ['covered-source by "r12345"', 'covered-by-subnet by "subnet"'],
  );
  assert.deepEqual(result.findings.filter((f) => ['yaml-syntax', 'schema'].includes(f.ruleId)), []);
});

test('worst cases: 99,000 flow-style rules on one line are all read, at their places, and a duplicate is shadowed', () => {
  const text = oneLineFlowAllowlist();
  assert.equal(text.split('\n').length, 3);
  const result = lintText(text, OPTIONS);
  assertFindingsInside(text, result.findings, 'one-line flow');
  const rules = result.model.outbound;
  assert.equal(rules.length, ONE_LINE_FLOW_RULES + 1);
  for (const at of [0, 54_321, ONE_LINE_FLOW_RULES - 1]) {
    const rule = rules[at];
    assert.equal(text.slice(rule.offset + rule.name!.range.start, rule.offset + rule.name!.range.end), `r${at}`);
    assert.equal(rule.to!.addresses[0].host, `h${at}.example.com`);
  }
  assert.deepEqual(result.findings.filter((f) => ['yaml-syntax', 'schema'].includes(f.ruleId)), []);
  const shadowed = result.findings.filter((f) => f.ruleId === 'shadowed-rule');
  assert.deepEqual(
    shadowed.map((f) => `${text.slice(f.range.start, f.range.end)} by ${f.message.match(/earlier rule (\S+)/)![1]}`),
    ['again by "r777"'],
  );
});
