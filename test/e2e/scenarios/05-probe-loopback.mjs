// "Allowlist: Probe Every Endpoint in This File" on an allowlist whose rules point at servers this
// scenario starts on 127.0.0.1: one port with a listener, one where nothing listens. Reads the
// "Allowlist Probe Results" panel (a webview; rows carry data-state).
import { startProbeServers, writeLoopbackAllowlist } from '../fixtures/probe-servers.mjs';
import { PATIENCE } from '../lib/ui.mjs';

export async function run(ui) {
  const servers = await startProbeServers();
  try {
    const rel = writeLoopbackAllowlist(ui.workspace, servers);
    await ui.runCommand('Refresh Explorer'); // the file was written behind the workbench's back
    await ui.openFile(rel);
    await ui.runCommand('Allowlist: Probe Every Endpoint in This File');
    // One endpoint fails, so the extension warns (a warning, not an error).
    const warning = await ui.waitForNotification(/Allowlist probe of/);
    if (!/probe[\\/]loopback\.allowlist\.yaml/.test(warning)) throw new Error(`warning names another file: ${warning}`);

    const tab = ui.page.locator('.tabs-container .tab', { hasText: 'Allowlist Probe Results' });
    await tab.waitFor({ timeout: PATIENCE });
    // The webview: an iframe holding the content in a nested #active-frame.
    const frame = ui.page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
    const rowsLoc = frame.locator('tr[data-state]');
    await rowsLoc.first().waitFor({ timeout: PATIENCE });
    const rows = await rowsLoc.evaluateAll((els) => els.map((el) => ({
      state: el.dataset.state, status: el.dataset.status, rule: el.dataset.rule,
      port: el.querySelector('td.port')?.textContent.trim(),
    })));
    const summary = await frame.locator('#summary').innerText();
    await ui.shot('probe-results');
    const got = rows.map((r) => `${r.rule} ${r.port} ${r.state}`).sort();
    const want = [`listening-service ${servers.openPort} open`, `nothing-listens ${servers.closedPort} closed`];
    if (JSON.stringify(got) !== JSON.stringify(want)) throw new Error(`results panel rows ${JSON.stringify(got)}, expected ${JSON.stringify(want)}; summary: ${summary}`);
    if (servers.accepted() < 1) throw new Error('the listening server never saw a connection');
    if (!summary.trim()) throw new Error('the results panel shows no summary');
  } finally {
    await servers.close();
  }
}
