import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';

const root = resolve(__dirname, '../..');

test('docs/rules.md and the README rule table match the rule metadata (scripts/gen-docs.mjs --check)', () => {
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/gen-docs.mjs', '--check'], { cwd: root, encoding: 'utf8' });
  assert.equal(result.status, 0, `${result.stderr}${result.stdout}\nRun: node --import tsx scripts/gen-docs.mjs`);
});
