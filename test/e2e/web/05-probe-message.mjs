// Probes need sockets: in the browser their commands are not in the palette, and run anyway (here from a key
// binding, the one way left to a user) they say so in a message instead of failing.
import { QUICK_INPUT_BOX } from '../lib/ui.mjs';

const PROBE_TITLES = ['Allowlist: Probe Every Endpoint in This File', 'Allowlist: Probe the Rule or Host at the Cursor', 'Allowlist: Write a Probe Script for the Customer\'s PC'];
const KEY = 'Control+Alt+Shift+F9';
const MESSAGE = 'probes need VS Code on the desktop or the CLI';

export async function run(ui) {
  await ui.openFile('contoso.allowlist.yaml');
  await ui.waitForProblems((c) => c.errors + c.warnings >= 5);
  // The palette lists the extension's commands (the web entry registered them), but not the probes.
  const rows = ui.page.locator('.quick-input-list .monaco-list-row .label-name');
  await ui.page.keyboard.press('F1');
  await ui.page.locator(QUICK_INPUT_BOX).waitFor();
  await ui.page.keyboard.type('Allowlist: ');
  const listed = await ui.until(async () => {
    const labels = await rows.allInnerTexts();
    return labels.includes('Allowlist: Lint All Allowlists in Workspace') && labels;
  }, 'the extension\'s commands in the palette');
  await ui.shot('palette-allowlist');
  const shown = PROBE_TITLES.filter((t) => listed.includes(t));
  if (shown.length) throw new Error(`the palette offers probe commands in the browser: ${shown.join(', ')}`);
  await ui.page.keyboard.press('Escape');

  // A user key binding for the probe command (keybindings.json lives in the browser's user data).
  await ui.runCommand('Preferences: Open Keyboard Shortcuts (JSON)');
  await ui.page.locator('.tabs-container .tab.active', { hasText: 'keybindings.json' }).waitFor();
  await ui.page.locator('.editor-group-container.active .monaco-editor textarea').first().focus();
  await ui.page.keyboard.press('Control+A');
  const binding = JSON.stringify([{ key: 'ctrl+alt+shift+f9', command: 'allowlist.probeFile' }]);
  await ui.page.keyboard.insertText(binding);
  // The editor auto-closes the brackets and quotes typed: remove what it added after the cursor.
  await ui.page.keyboard.press('Control+Shift+End');
  await ui.page.keyboard.press('Delete');
  await ui.until(async () => (await ui.editorText()).trim() === binding, () => `keybindings.json holding ${binding}`);
  await ui.page.keyboard.press('Control+S');
  await ui.page.locator('.tabs-container .tab.active.dirty').waitFor({ state: 'detached' });
  await ui.shot('keybinding');

  await ui.page.locator('.tabs-container .tab', { hasText: 'contoso.allowlist.yaml' }).click();
  await ui.page.locator('.tabs-container .tab.active', { hasText: 'contoso.allowlist.yaml' }).waitFor();
  await ui.page.locator('.editor-group-container.active .monaco-editor textarea').first().focus();
  const text = await ui.until(async () => {
    await ui.page.keyboard.press(KEY);
    return ui.waitForNotification(MESSAGE, 3_000).catch(() => false);
  }, `the message "${MESSAGE}" after ${KEY}`);
  // The toast slides in: wait until it has arrived, for a screenshot that shows it.
  await ui.page.locator('.notifications-toasts .notification-fade-in-done', { hasText: MESSAGE }).waitFor();
  await ui.shot('probe-message');
  if (!/CLI \(`?allowlist probe`?\)/.test(text)) throw new Error(`the message does not point to the CLI's probe:\n${text}`);
  const toasts = await ui.notifications();
  const probeToast = toasts.find((n) => n.message.includes(MESSAGE));
  if (probeToast.severity === 'error') throw new Error(`the probe message is shown as an error: ${probeToast.message}`);
}
