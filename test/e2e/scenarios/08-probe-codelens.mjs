// The "Probe" CodeLens above a rule probes that rule alone: on the loopback fixture (servers this
// scenario starts on 127.0.0.1), clicking it over "listening-service" shows one row, open, and no warning.
// Then the results panel's "Re-run" button runs it again.
import { startProbeServers, writeLoopbackAllowlist } from '../fixtures/probe-servers.mjs';
import { PATIENCE } from '../lib/ui.mjs';

export async function run(ui) {
  const servers = await startProbeServers();
  try {
    const rel = writeLoopbackAllowlist(ui.workspace, servers);
    await ui.runCommand('Refresh Explorer'); // the file was written behind the workbench's back
    await ui.openFile(rel);
    // Lenses appear once the server has linted the file; the first one is above `- name: listening-service`.
    const lens = ui.page.locator('.monaco-editor .codelens-decoration a', { hasText: /^Probe$/ }).first();
    await lens.waitFor({ timeout: PATIENCE });
    await ui.shot('codelens');
    await lens.click();

    const frame = ui.page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
    const rows = frame.locator('tr[data-state]');
    await rows.first().waitFor({ timeout: PATIENCE });
    const read = () => rows.evaluateAll((els) => els.map((el) => `${el.dataset.rule} ${el.querySelector('td.port')?.textContent.trim()} ${el.dataset.state}`));
    let got = await read();
    await ui.shot('probe-results-one-rule');
    const want = [`listening-service ${servers.openPort} open`];
    if (JSON.stringify(got) !== JSON.stringify(want)) throw new Error(`results rows ${JSON.stringify(got)}, expected ${JSON.stringify(want)}`);
    const warnings = (await ui.notifications()).filter((n) => /Allowlist probe of/.test(n.message));
    if (warnings.length) throw new Error(`a probe with every endpoint reachable warned: ${warnings.map((w) => w.message)}`);

    const before = servers.accepted();
    // Each run sets the panel's HTML anew, which replaces its document: mark this one to tell the re-run's from it.
    await frame.locator('body').evaluate((body) => { body.dataset.e2eBeforeRerun = 'true'; });
    await frame.locator('button#rerun').click();
    await ui.until(() => servers.accepted() > before, '"Re-run" probing again (a new connection to the listener)');
    await frame.locator('body:not([data-e2e-before-rerun]) tr[data-state]').first().waitFor({ timeout: PATIENCE });
    // The run is over once the panel is re-rendered: its progress notification goes (VS Code keeps it briefly).
    const probing = async () => (await ui.notifications()).some((n) => /Probing rule listening-service/.test(n.message));
    await ui.until(async () => !(await probing()), 'the progress notification of the re-run going away');
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
