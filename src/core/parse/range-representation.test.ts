/** How V8 stores ranges: a range offset computed from a -0 is a heap number (an integer, but boxed), and once one range
 * holds one, V8 stores every later range's `start` and `end` boxed, for the rest of the process (the language server's
 * session). This file runs in a process of its own (the test runner's default), so its first lint sees fresh maps. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setFlagsFromString } from 'node:v8';
import { lintText } from '../lint';
import { generateAllowlist } from '../../../test/generate';

setFlagsFromString('--allow-natives-syntax');
// Whether two objects have the same hidden class: a range made after a field's generalization to a double has another.
const haveSameMap = new Function('a', 'b', 'return %HaveSameMap(a, b)') as (a: object, b: object) => boolean;

const OPTIONS = { fileName: 'site.allowlist.yaml', today: '2026-06-01' };

test('ranges stay small integers after a lint of documents whose findings sit at offset 0 (no -0 offsets)', () => {
  const text = generateAllowlist({ rules: 20, seed: 1 });
  const before = lintText(text, OPTIONS).findings[0].range;
  // Schema findings at the top level and in a section that starts at offset 0, chunked and whole: their offsets were
  // computed as -0.
  for (const cut of ['allowlist: 1\noutbound:\n  - name: a\n    to: [', 'outbound: 1\n', 'allowlist: x\n', '- a\n']) {
    lintText(cut, OPTIONS);
    lintText(cut, { ...OPTIONS, wholeDocument: true });
  }
  const after = lintText(text, OPTIONS).findings[0].range;
  // Before reading `before`'s fields: a read moves an object of a deprecated hidden class to the new one.
  assert.ok(haveSameMap(before, after), 'a range made after those lints has another hidden class: V8 now stores its offsets as heap numbers');
  assert.deepEqual(after, before);
});
