// Goes from the Problems panel to the missing-ports finding, applies its quick fix with Ctrl+. and
// sees the finding go (the other findings stay); saves and checks the file on disk.
import fs from 'node:fs';
import path from 'node:path';
import { FIXED_PORTS_LINE, fixMissingPortsFromProblems } from '../fixtures/contoso.mjs';

export async function run(ui) {
  const after = await fixMissingPortsFromProblems(ui);
  const text = await ui.editorText();
  if (!text.includes(FIXED_PORTS_LINE.trim())) throw new Error(`the editor does not show the fixed ports:\n${text}`);
  await ui.page.keyboard.press('Control+S');
  const file = path.join(ui.workspace, 'contoso.allowlist.yaml');
  // Judge the same read that ended the wait: a second read could catch the file while it is being rewritten.
  let line43;
  await ui.until(() => (line43 = fs.readFileSync(file, 'utf8').split('\n')[42]) === FIXED_PORTS_LINE,
    () => `line 43 on disk after saving to be ${JSON.stringify(FIXED_PORTS_LINE)} (last read: ${JSON.stringify(line43)})`);
  await ui.shot(`saved-${after.errors}-errors`);
}
