// "Allowlist: Show Changes Against Base" after a quick fix: the workspace is made a git repository (branch
// main, the example committed), the missing-ports fix is applied in the editor, and the command's Markdown
// preview says what the change does (widens hdb-techconnect to 2001-2500, resolves missing-ports).
// VS Code saves files changed by a quick fix (files.refactoring.autoSave, on by default), so the report
// compares against the work tree; with that setting off it would say "editor (unsaved)".
import { execFileSync } from 'node:child_process';
import { PATIENCE } from '../lib/ui.mjs';

const FIX = 'Add 2001-2500 to the ports of "hdb-techconnect"';

export async function run(ui) {
  const git = (...args) => execFileSync('git', ['-c', 'user.name=e2e', '-c', 'user.email=e2e@example.invalid', ...args], { cwd: ui.workspace, stdio: 'pipe' });
  git('init', '-q', '-b', 'main');
  git('add', '.');
  git('commit', '-q', '-m', 'base');

  await ui.openFile('contoso.allowlist.yaml');
  await ui.waitForProblems((c) => c.errors + c.warnings >= 5);
  await ui.goToLine(43, 12);
  await ui.quickFixAtCursor(FIX, 'the missing-ports finding (line 43)', 'ports: [443, "2001-2500"]');
  const dirty = (await ui.page.locator('.tabs-container .tab.active.dirty').count()) > 0;
  await ui.runCommand('Allowlist: Show Changes Against Base');

  const tab = ui.page.locator('.tabs-container .tab', { hasText: /^Preview/ });
  await tab.first().waitFor({ timeout: PATIENCE });
  const frame = ui.page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
  const body = frame.locator('body');
  await frame.locator('h3, h1, h2').first().waitFor({ timeout: PATIENCE });
  const wants = [
    'Allowlist changes',
    'Widens outbound access to connect.helpdeskbuttons.com on TCP 2001-2500',
    dirty ? '→ editor (unsaved)' : '→ work tree',
    'missing-ports',
  ];
  // The preview renders the rest of the report after its first heading: read it until it says everything wanted.
  let text = '';
  await ui.until(async () => (text = (await body.innerText()).replace(/\s+/g, ' '), wants.every((want) => text.includes(want))),
    () => `a changes preview saying ${wants.filter((want) => !text.includes(want)).map((want) => `"${want}"`).join(', ')} (it says:\n${text.slice(0, 1500)})`);
  await ui.shot('changes-preview');
  // The summary is a read-only document: nothing unsaved may be left behind to prompt on close.
  const leftover = await ui.page.locator('.tabs-container .tab.dirty', { hasText: 'Untitled' }).count();
  if (leftover) throw new Error(`Show Changes left ${leftover} unsaved Untitled editor(s) open`);
}
