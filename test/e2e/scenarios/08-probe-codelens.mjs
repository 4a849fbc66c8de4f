// The "Probe" CodeLens above a rule probes that rule alone: on the loopback fixture (servers this
// scenario starts on 127.0.0.1), clicking it over "listening-service" shows one row, open, and no warning.
// Then the results panel's "Re-run" button runs it again.
import { startProbeServers, writeLoopbackAllowlist } from '../fixtures/probe-servers.mjs';

export async function run(ui) {
  const servers = await startProbeServers();
  try {
    const rel = writeLoopbackAllowlist(ui.workspace, servers);
    await ui.runCommand('Refresh Explorer'); // the file was written behind the workbench's back
    await ui.openFile(rel);
    // Lenses appear once the server has linted the file; the first one is above `- name: listening-service`.
    const lens = ui.page.locator('.monaco-editor .codelens-decoration a', { hasText: /^Probe$/ }).first();
    await lens.waitFor({ timeout: 20_000 });
    await ui.shot('codelens');
    await lens.click();

    const frame = ui.page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
    const rows = frame.locator('tr[data-state]');
    await rows.first().waitFor({ timeout: 20_000 });
    const read = () => rows.evaluateAll((els) => els.map((el) => `${el.dataset.rule} ${el.querySelector('td.port')?.textContent.trim()} ${el.dataset.state}`));
    let got = await read();
    await ui.shot('probe-results-one-rule');
    const want = [`listening-service ${servers.openPort} open`];
    if (JSON.stringify(got) !== JSON.stringify(want)) throw new Error(`results rows ${JSON.stringify(got)}, expected ${JSON.stringify(want)}`);
    const warnings = (await ui.notifications()).filter((n) => /Allowlist probe of/.test(n.message));
    if (warnings.length) throw new Error(`a probe with every endpoint reachable warned: ${warnings.map((w) => w.message)}`);

    const before = servers.accepted();
    await frame.locator('button#rerun').click();
    for (let i = 0; i < 40 && servers.accepted() === before; i++) await ui.page.waitForTimeout(250);
    if (servers.accepted() === before) throw new Error('"Re-run" did not probe again (the listener saw no new connection)');
    // The run is over when its progress notification has come and gone (VS Code may show it a moment
    // after the connection and keeps it briefly); the panel is re-rendered by then.
    const probing = async () => (await ui.notifications()).some((n) => /Probing rule listening-service/.test(n.message));
    await ui.page.waitForTimeout(1_000);
    for (let i = 0; i < 40 && (await probing()); i++) await ui.page.waitForTimeout(250);
    if (await probing()) throw new Error('the progress notification of the re-run never went away');
    await rows.first().waitFor({ timeout: 10_000 });
    got = await read();
    await ui.shot('probe-results-rerun');
    if (JSON.stringify(got) !== JSON.stringify(want)) throw new Error(`after Re-run: ${JSON.stringify(got)}`);
    // The results panel has the focus (its button was clicked): the status bar still speaks for the allowlist beside it.
    const status = ui.page.locator('.statusbar-item', { hasText: /Allowlist/ });
    if (!(await status.first().isVisible())) throw new Error('the Allowlist status bar item is hidden while the probe results panel has the focus');
  } finally {
    await servers.close();
  }
}
