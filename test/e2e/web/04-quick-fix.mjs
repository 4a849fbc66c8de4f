// Goes from the Problems panel to the missing-ports finding, applies its quick fix with Ctrl+. and sees the text
// change and the finding go (the other findings stay).
import { expectContosoProblems, parseProblem } from '../fixtures/contoso.mjs';
import { PATIENCE } from '../lib/ui.mjs';

const FIX = 'Add 2001-2500 to the ports of "hdb-techconnect"';
const FIXED_LINE = '    ports: [443, "2001-2500"]';

export async function run(ui) {
  await ui.openFile('contoso.allowlist.yaml');
  const before = await ui.waitForProblems((c) => c.errors + c.warnings >= 5);
  expectContosoProblems(await ui.problems());
  if ((await ui.editorText()).includes(FIXED_LINE.trim())) throw new Error('the example already has the fixed ports');
  const row = ui.page.locator('.markers-panel .monaco-list-row', { hasText: 'missing-ports' }).first();
  await row.dblclick();
  await ui.page.waitForFunction(() => /Ln 43,/.test(document.querySelector('#status\\.editor\\.selection')?.textContent ?? ''), null, { timeout: PATIENCE });
  await ui.quickFixAtCursor(FIX, 'the missing-ports finding (line 43)', FIXED_LINE.trim());
  await ui.waitForProblems((c) => c.errors === before.errors - 1 && c.warnings === before.warnings);
  const rows = await ui.problems();
  expectContosoProblems(rows, { without: ['missing-ports'] });
  if (rows.map(parseProblem).some((p) => p.rule === 'missing-ports')) throw new Error('missing-ports still listed after the fix');
}
