// With no file open, runs "Allowlist: Lint All Allowlists in Workspace" from the command palette:
// the summary toast counts the files, "Show Problems" lists the findings of files never opened.
import fs from 'node:fs';
import path from 'node:path';
import { CONTOSO, parseProblem } from '../fixtures/contoso.mjs';
import { PATIENCE } from '../lib/ui.mjs';

export async function run(ui) {
  // A second site: a copy of the example in a subfolder, written behind the workbench's back (as a
  // `git pull` would); the Explorer's file watcher may be slow to notice, so refresh it.
  fs.mkdirSync(path.join(ui.workspace, 'sites'));
  fs.copyFileSync(path.join(ui.workspace, 'contoso.allowlist.yaml'), path.join(ui.workspace, 'sites/branch.allowlist.yaml'));
  await ui.runCommand('Refresh Explorer');
  await ui.page.locator('.explorer-folders-view .label-name', { hasText: /^sites$/ }).waitFor({ timeout: PATIENCE });
  await ui.shot('sites-folder-in-explorer');

  await ui.runCommand('Allowlist: Lint All Allowlists in Workspace');
  const message = await ui.waitForNotification(/files? linted/);
  const m = /(\d+) files? linted: (\d+) errors?, (\d+) warnings?/.exec(message);
  if (!m) throw new Error(`unexpected summary: ${message}`);
  const [files, errors, warnings] = m.slice(1).map(Number);
  // contoso, clean and sites/branch; each contoso copy: 2 or 3 errors (expired-rule is date-dependent), 3 warnings.
  if (files !== 3 || errors < 4 || warnings !== 6) throw new Error(`summary "${message}": expected 3 files, at least 4 errors, 6 warnings`);

  // The toast's "Show Problems" button opens the panel.
  await ui.page.locator('.notifications-toasts .notification-toast', { hasText: /files? linted/ }).getByRole('button', { name: 'Show Problems' }).click();
  await ui.page.locator('.markers-panel').waitFor({ timeout: PATIENCE });
  // 12 findings in two files: maximize the panel so its list renders every row.
  // (problems() waits until the panel lists as many rows as the status bar counts problems.)
  await ui.page.locator('.part.panel .action-label.codicon-panel-maximize').first().click();
  const rows = await ui.problems();
  const files_ = await ui.page.locator('.markers-panel .monaco-list-row .label-name').allInnerTexts();
  for (const f of ['contoso.allowlist.yaml', 'branch.allowlist.yaml']) {
    if (!files_.some((t) => t.includes(f))) throw new Error(`Problems panel has no ${f} (files listed: ${files_})`);
  }
  if (files_.some((t) => t.includes('clean.allowlist.yaml'))) throw new Error('clean.allowlist.yaml is listed with problems');
  const keys = rows.map(parseProblem).filter(Boolean).map((p) => `${p.rule}@${p.line}`);
  for (const [rule, line] of CONTOSO) {
    const n = keys.filter((k) => k === `${rule}@${line}`).length;
    if (n !== 2) throw new Error(`${rule} at line ${line} listed ${n} times, expected once per file; rows: ${keys}`);
  }
  // Nothing was opened: the findings come from the command alone.
  const tabs = await ui.page.locator('.tabs-container .tab').count();
  if (tabs !== 0) throw new Error(`${tabs} editor tab(s) open; the scenario opened none`);
}
