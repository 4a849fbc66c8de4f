// "Allowlist: Import Firewall Configuration…" and "Allowlist: Check Against Firewall Configuration…" from the
// palette, answering code-server's file dialog and QuickPicks as a user does. The fixtures (test/e2e/fixtures/
// import-drift) are copied into the workspace first: branch.conf, a FortiGate backup with two policies and a
// geography address, and branch-office.allowlist.yaml, which allows those two and one more rule ("remote-support").
// Import: branch.conf opens as an unsaved branch.allowlist.yaml holding both policies as rules, and the geography
// address is the one part not mapped (notification and Output).
// Check: the allowlist against branch.conf, FortiGate preselected from the file's content: the Allowlist Drift view
// shows the two missing rules and the vendor requirement the firewall fails, a click on a rule's link puts the cursor
// on its line, and the Problems panel has "allowlist drift" warnings on both rules and on the vendor declaration.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PATIENCE } from '../lib/ui.mjs';

const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/import-drift');
const FORTIGATE = 'FortiGate (FortiOS configuration or `show` output)';

export async function run(ui) {
  for (const name of fs.readdirSync(FIXTURES)) fs.copyFileSync(path.join(FIXTURES, name), path.join(ui.workspace, name));
  await importBranch(ui);
  await checkBranch(ui);
}

async function importBranch(ui) {
  await ui.runCommand('Allowlist: Import Firewall Configuration…', {
    then: async () => {
      await ui.chooseFile(path.join(ui.workspace, 'branch.conf'));
      await ui.pick(FORTIGATE);
      // The vendors to declare: none (OK with nothing ticked).
      await ui.page.locator('.quick-input-widget .quick-input-list').waitFor({ timeout: PATIENCE });
      await ui.until(async () => !(await ui.page.locator('.quick-input-widget .monaco-list-row', { hasText: FORTIGATE }).count()), 'the vendor QuickPick');
      await ui.shot('vendor-pick');
      await ui.page.keyboard.press('Enter');
    },
  });
  const message = await ui.waitForNotification(/not mapped/);
  if (!/imported 2 rules from branch\.conf; 1 part not mapped: see Output/.test(message)) throw new Error(`unexpected notification: ${message}`);
  await ui.page.locator('.notifications-toasts .notification-toast', { hasText: /not mapped/ }).getByRole('button', { name: 'Show Output' }).click();
  const output = ui.page.locator('.part.panel .output-view .view-lines');
  await output.filter({ hasText: 'Blocked countries' }).waitFor({ timeout: PATIENCE });
  const logged = (await output.innerText()).replace(/\s+/g, ' '); // lines wrap in the panel
  if (!/branch\.conf:40: imported in part: policy 2 \("backups"\): destination "Blocked countries"/.test(logged)) throw new Error(`the output channel lacks the geography address:\n${logged.slice(0, 1500)}`);

  const tab = ui.page.locator('.tabs-container .tab', { hasText: 'branch.allowlist.yaml' });
  await tab.first().waitFor({ timeout: PATIENCE });
  await tab.first().click();
  const text = await ui.editorText();
  for (const want of [/# from branch\.conf, line 30\s+- name: vendor-api\s+to: api\.vendor\.example\s+ports: 443/, /- name: backups\s+description: "ticket CHG-2001"\s+to: 203\.0\.113\.10/]) {
    if (!want.test(text)) throw new Error(`the imported allowlist lacks ${want}:\n${text.slice(0, 1500)}`);
  }
  await ui.shot('imported-allowlist');
  await ui.clearNotifications();
}

async function checkBranch(ui) {
  await ui.openFile('branch-office.allowlist.yaml');
  await ui.runCommand('Allowlist: Check Against Firewall Configuration…', {
    then: async () => {
      await ui.chooseFile(path.join(ui.workspace, 'branch.conf'));
      // The platform the content suggests is the first item: Enter takes it.
      const first = ui.page.locator('.quick-input-list .monaco-list-row').first();
      await ui.until(async () => /FortiGate.*as the file's content suggests/s.test(await first.innerText().catch(() => '')), 'FortiGate first in the platform QuickPick, as the content suggests');
      await ui.shot('platform-suggested');
      await ui.page.keyboard.press('Enter');
    },
  });

  const view = ui.page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
  const rows = view.locator('tr[data-kind]');
  await ui.until(async () => (await rows.count()) === 3, 'three drift rows in the Allowlist Drift view');
  const kinds = await rows.evaluateAll((elements) => elements.map((element) => `${element.dataset.kind}: ${element.innerText.replace(/\s+/g, ' ')}`));
  const want = [/^missing: .*support\.vendor\.example.*TCP 2001-2500 remote-support \(line 16\)/, /^missing: .*flu1pjyrr2\..*TCP 443 helpdesk-getconf \(line 20\)/, /^requirement-unmet: .*helpdesk-getconf \(line 20\)/];
  if (!want.every((pattern, index) => pattern.test(kinds[index] ?? ''))) throw new Error(`unexpected drift rows:\n${kinds.join('\n')}`);
  const summary = await view.locator('#summary').innerText();
  if (summary !== '0 extra, 2 missing, 1 vendor requirement unmet') throw new Error(`unexpected summary: ${summary}`);
  await ui.shot('drift-view');

  // A rule's link puts the allowlist's cursor on the rule.
  await view.locator('a[data-message="openAllowlist"]', { hasText: 'remote-support' }).click();
  await ui.page.waitForFunction(() => document.querySelector('#status\\.editor\\.selection')?.textContent?.includes('Ln 16,'), undefined, { timeout: PATIENCE });

  const drift = (await ui.problems()).filter((row) => row.text.includes('allowlist drift'));
  const found = drift.map((row) => `${/\((missing|requirement-unmet)\)|\b(missing|requirement-unmet)\b/.exec(row.text)?.slice(1).find(Boolean)}@${/\[Ln (\d+)/.exec(row.text)?.[1]}`).sort();
  if (JSON.stringify(found) !== JSON.stringify(['missing@16', 'missing@20', 'requirement-unmet@6'])) throw new Error(`unexpected drift problems ${JSON.stringify(found)}:\n${drift.map((row) => row.text).join('\n')}`);
  await ui.shot('drift-problems');
}
