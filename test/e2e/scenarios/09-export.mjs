// "Allowlist: Export for Firewall…" from the command palette on the example, FortiGate picked in its QuickPick:
// the FortiOS script opens in an unsaved editor named allowlist-fortigate.conf, a notification sums up the warnings (for contoso and FortiGate
// they are notes: wildcard FQDNs need DNS through the FortiGate, an expired rule, inbound needs a VIP), and its
// "Show Output" button shows each one in the "Allowlist" output channel as FILE:LINE: note: rule "name": message.
import { PATIENCE } from '../lib/ui.mjs';

export async function run(ui) {
  await ui.openFile('contoso.allowlist.yaml');
  // The server has linted the file: its first diagnostics re-lay out the workbench, which must not happen between
  // the toast's button being found and clicked (a CI run lost the click that way, and the toast then hid).
  await ui.waitForProblems((c) => c.errors + c.warnings >= 5);
  await ui.runCommand('Allowlist: Export for Firewall…', { pick: 'FortiGate (FortiOS CLI)' });

  const message = await ui.waitForNotification(/FortiGate/);
  if (!/exported for FortiGate \(FortiOS CLI\) with \d+ notes?: see the Output/.test(message)) throw new Error(`unexpected notification: ${message}`);
  // An info toast hides after a while: use its button first.
  await ui.page.locator('.notifications-toasts .notification-toast', { hasText: /FortiGate/ }).getByRole('button', { name: 'Show Output' }).click();
  const output = ui.page.locator('.part.panel .output-view .view-lines');
  await output.filter({ hasText: 'note: rule "m365-web"' }).waitFor({ timeout: PATIENCE });
  const logged = (await output.innerText()).replace(/\u00a0/g, ' ');
  for (const want of [/contoso\.allowlist\.yaml:48: note: rule "m365-web": FortiOS fills a wildcard FQDN/, /exported contoso\.allowlist\.yaml for FortiGate/]) {
    if (!want.test(logged)) throw new Error(`the output channel lacks ${want}:\n${logged.slice(0, 1500)}`);
  }

  // An unsaved editor named as `allowlist export` names the file.
  const tab = ui.page.locator('.tabs-container .tab', { hasText: 'allowlist-fortigate.conf' });
  await tab.first().waitFor({ timeout: PATIENCE });
  await tab.first().click();
  const text = await ui.editorText();
  if (!text.startsWith('config firewall address')) throw new Error(`the export editor does not start with "config firewall address":\n${text.slice(0, 500)}`);
  if (!/edit "hdb-api_/.test(text)) throw new Error(`the export editor lacks contoso's first address object:\n${text.slice(0, 500)}`);
  await ui.shot('fortigate-export-and-output');
}
