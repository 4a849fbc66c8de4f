// Goes from the Problems panel to the missing-ports finding, applies its quick fix with Ctrl+. and
// sees the finding go (the other findings stay); saves and checks the file on disk.
import fs from 'node:fs';
import path from 'node:path';
import { expectContosoProblems, parseProblem } from '../fixtures/contoso.mjs';
import { PATIENCE } from '../lib/ui.mjs';

const FIX = 'Add 2001-2500 to the ports of "hdb-techconnect"';
const FIXED_LINE = '    ports: [443, "2001-2500"]';

export async function run(ui) {
  await ui.openFile('contoso.allowlist.yaml');
  const before = await ui.waitForProblems((c) => c.errors + c.warnings >= 5);
  expectContosoProblems(await ui.problems());
  // Double-click the finding's row: the editor opens at line 43 (the ports value selected) with the focus.
  const row = ui.page.locator('.markers-panel .monaco-list-row', { hasText: 'missing-ports' }).first();
  await row.dblclick();
  await ui.page.waitForFunction(() => /Ln 43,/.test(document.querySelector('#status\\.editor\\.selection')?.textContent ?? ''), null, { timeout: PATIENCE });
  await ui.quickFixAtCursor(FIX, 'the missing-ports finding (line 43)', FIXED_LINE.trim());
  const after = await ui.waitForProblems((c) => c.errors === before.errors - 1 && c.warnings === before.warnings);
  const rows = await ui.problems();
  expectContosoProblems(rows, { without: ['missing-ports'] });
  if (rows.map(parseProblem).some((p) => p.rule === 'missing-ports')) throw new Error('missing-ports still listed after the fix');
  const text = await ui.editorText();
  if (!text.includes(FIXED_LINE.trim())) throw new Error(`the editor does not show the fixed ports:\n${text}`);
  await ui.page.keyboard.press('Control+S');
  const file = path.join(ui.workspace, 'contoso.allowlist.yaml');
  // Judge the same read that ended the wait: a second read could catch the file while it is being rewritten.
  let line43;
  await ui.until(() => (line43 = fs.readFileSync(file, 'utf8').split('\n')[42]) === FIXED_LINE,
    () => `line 43 on disk after saving to be ${JSON.stringify(FIXED_LINE)} (last read: ${JSON.stringify(line43)})`);
  await ui.shot(`saved-${after.errors}-errors`);
}
