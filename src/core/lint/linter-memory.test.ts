/** What a Linter keeps for its next lint (its own memo, and what file rules such as shadowed-rule and duplicate-name
 * carry over, under `RuleContext.document`) goes with the Linter: in the editor, with the closed document. File rules
 * kept the last lints of every Linter in module-level lists, which held a closed 10,000-rule document's model. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Linter } from './engine';

setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

const TEXT = ['allowlist: 1', 'outbound:', ...[0, 1, 2].flatMap((i) => [`  - name: web-${i}`, `    to: 192.0.2.${i}`, '    ports: 443']), '  - name: web-0', '    to: 192.0.2.0/24', '    ports: 443', 'inbound:', '  - name: ssh', '    from: 198.51.100.0/24', '    to: 10.0.0.1', '    ports: 22', ''].join('\n');

/** Lints TEXT with a Linter of its own (as the editor does an open document, edits and all) and lets go of it: weak
 * references to its lists. */
function lintAndDrop(): WeakRef<object>[] {
  const linter = new Linter();
  linter.lint(TEXT, { fileName: 'site.allowlist.yaml' });
  const { model, findings } = linter.lint(TEXT.replace('ports: 22', 'ports: 2222'), { fileName: 'site.allowlist.yaml' });
  assert.deepEqual(findings.map((finding) => finding.ruleId).filter((id) => id === 'duplicate-name' || id === 'shadowed-rule'), ['duplicate-name']);
  linter.prepareForEdits();
  return [new WeakRef(model.outbound), new WeakRef(model.inbound)];
}

test('a Linter let go of takes what it and the file rules kept of its lints with it', async () => {
  const lists = lintAndDrop();
  // A weak reference's target stays alive until the job that made it is over.
  await new Promise((resolve) => setImmediate(resolve));
  collectGarbage();
  assert.deepEqual(lists.map((list) => list.deref() === undefined), [true, true]);
});
