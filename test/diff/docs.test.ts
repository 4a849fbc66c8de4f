/** docs/review.md documents what `allowlist diff` says: every kind with an example, the notes of edits without
 * effect, every --fail-on value, the exit codes, and a pull-request workflow that uses the Action. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { CHANGE_KINDS, FAIL_ON_NAMES } from '../../src/core/diff';

const ROOT = resolve(__dirname, '../..');
const doc = readFileSync(join(ROOT, 'docs/review.md'), 'utf8');

test('docs/review.md: every kind of change, with a one-line example', () => {
  for (const kind of CHANGE_KINDS) {
    const row = doc.split('\n').find((line) => line.startsWith(`| \`${kind}\` |`));
    assert.ok(row, `a table row for ${kind}`);
    assert.equal(row.split(' | ').length, 3, `${kind}: kind, meaning and example`);
    assert.match(row.split(' | ')[2], /[A-Z].+\.( \|)?$/, `${kind}: an example summary`);
  }
});

test('docs/review.md: the notes of edits without effect, --fail-on values, exit codes', () => {
  for (const note of ['outbound rules reordered', 'rule renamed', 'formatting, comments or list style changed only', 'rules reorganised: no change of access', 'file renamed from']) {
    assert.ok(doc.includes(note), `documents the note "${note}"`);
  }
  for (const name of FAIL_ON_NAMES.filter((name) => !/-(inbound|outbound)$/.test(name))) assert.ok(doc.includes(`\`${name}\``), `documents --fail-on ${name}`);
  assert.ok(doc.includes('`KIND-inbound`') && doc.includes('`opened-inbound`'));
  for (const code of ['| 0 |', '| 1 |', '| 2 |']) assert.ok(doc.includes(code), `exit status ${code}`);
  assert.ok(doc.includes('`rule` is `null`'), 'what rule: null means');
  assert.ok(doc.includes('--no-index'), 'the two-file mode');
});

test('docs/review.md: a complete pull-request workflow using the Action', () => {
  const block = /```yaml\n(# \.github\/workflows\/[^\n]+\n[\s\S]*?)```/.exec(doc);
  assert.ok(block, 'a workflow block');
  const workflow = parse(block[1]) as { on: Record<string, unknown>; permissions: Record<string, string>; jobs: Record<string, { steps: { uses?: string; with?: Record<string, unknown> }[] }> };
  assert.ok('pull_request' in workflow.on);
  assert.equal(workflow.permissions['security-events'], 'write');
  const steps = Object.values(workflow.jobs)[0].steps;
  assert.equal(steps.find((step) => step.uses?.startsWith('actions/checkout'))?.with?.['fetch-depth'], 0);
  assert.ok(steps.some((step) => step.uses?.startsWith('firewall-allowlist/firewall-allowlist@')));
  assert.ok(steps.some((step) => step.uses?.startsWith('github/codeql-action/upload-sarif')));
});
