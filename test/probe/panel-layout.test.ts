// The results panel's layout at a side-by-side width, measured in a real (headless) Chromium: every
// column header is readable and nothing needs horizontal scrolling. Skipped where Chromium is missing.
import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { test } from 'node:test';
import { type ProbeResult, type ProbeView, renderProbeHtml } from '../../src/core/probe';

const chromium = ['chromium', 'chromium-browser', 'google-chrome'].find((name) => spawnSync('which', [name], { stdio: 'ignore' }).status === 0);

function result(partial: Partial<ProbeResult>): ProbeResult {
  return {
    rule: 'hdb-api',
    direction: 'outbound',
    host: 'flu1pjyrr2.execute-api.us-east-1.amazonaws.com',
    address: '2600:1f18:2148:bc00:1234:5678:9abc:def0',
    port: 443,
    protocol: 'tcp',
    state: 'open',
    ms: 23,
    detail: 'connected in 23 ms; TLS certificate "*.execute-api.us-east-1.amazonaws.com" issued by "FortiGate-600E SSL Inspection CA FGT60ETK18000000" (not a public root: unable to get local issuer certificate), valid to 2026-01-01',
    advice: 'TLS is intercepted (issuer "FortiGate-600E SSL Inspection CA FGT60ETK18000000"): exempt flu1pjyrr2.execute-api.us-east-1.amazonaws.com from TLS inspection',
    via: 'direct',
    required: true,
    tls: {
      subject: '*.execute-api.us-east-1.amazonaws.com',
      issuer: 'FortiGate-600E SSL Inspection CA FGT60ETK18000000',
      validTo: '2026-01-01T00:00:00.000Z',
      publicRoot: false,
      inspectionSuspected: true,
      sniFilteringSuspected: false,
    },
    ...partial,
  };
}

const view: ProbeView = {
  file: 'customers/contoso-dental/main-street.allowlist.yaml',
  scope: 'every endpoint',
  startedAt: '2025-01-02T03:04:05.000Z',
  ms: 1234,
  results: [
    result({}),
    result({ rule: 'hdb-techconnect-session-range', host: 'connect.helpdeskbuttons.com', address: '203.0.113.10 (via proxy)', port: 2001, tls: undefined, state: 'filtered', advice: 'a firewall drops traffic to connect.helpdeskbuttons.com:2001: ask for rule "hdb-techconnect-session-range" to be opened' }),
  ],
  options: { timeoutMs: 3000, concurrency: 64, sweep: false },
};

/** A page that shows the panel in an iframe `width` px wide (headless Chromium's window is at least
 * 500 px) and writes the measurements into its own body, for --dump-dom. */
function harness(html: string, width: number): string {
  return `<!DOCTYPE html><html><body style="margin:0"><iframe id="panel" style="width:${width}px;height:3000px;border:0"></iframe>
<script>
const frame = document.getElementById('panel');
frame.onload = () => {
  const doc = frame.contentDocument;
  const vw = doc.documentElement.clientWidth;
  const table = doc.querySelector('.table') || doc.querySelector('table');
  // The "TLS issuer" header, or at widths where each result is a block, the label of its cell.
  const th = [...doc.querySelectorAll('th')].find((th) => th.textContent.trim() === 'TLS issuer');
  const tls = th && th.getClientRects().length ? th : doc.querySelector('td.tls');
  const labelled = tls.tagName === 'TD' ? frame.contentWindow.getComputedStyle(tls, '::before').content : 'TLS issuer';
  const advice = [...doc.querySelectorAll('.advice')].map((el) => Math.ceil(el.getBoundingClientRect().right));
  document.body.setAttribute('data-layout', JSON.stringify({
    vw,
    pageScroll: doc.documentElement.scrollWidth,
    tableScroll: table.scrollWidth,
    tableClient: table.clientWidth,
    tlsRight: Math.ceil(tls.getBoundingClientRect().right),
    tlsClipped: tls.scrollWidth > tls.clientWidth || !labelled.includes('TLS issuer'),
    adviceRight: Math.max(...advice),
  }));
};
frame.srcdoc = ${JSON.stringify(html).replace(/</g, '\\u003c')};
</script></body></html>`;
}

for (const width of [400, 560, 720]) {
  test(`at ${width} px the panel fits: no horizontal scrolling, the "TLS issuer" header and the advice in view`, { skip: !chromium && 'Chromium is not installed' }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'probe-panel-'));
    try {
      const file = join(dir, 'panel.html');
      writeFileSync(file, harness(renderProbeHtml(view, { nonce: 'N0nce', cspSource: 'x' }), width));
      const { stdout } = await promisify(execFile)(
        chromium!,
        ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', `--user-data-dir=${join(dir, 'profile')}`, '--window-size=1000,3000', '--virtual-time-budget=5000', '--dump-dom', pathToFileURL(file).href],
        { encoding: 'utf8', timeout: 60_000 },
      );
      const json = /data-layout="([^"]*)"/.exec(stdout)?.[1];
      assert.ok(json, 'the measuring script ran');
      const layout = JSON.parse(json.replace(/&quot;/g, '"').replace(/&amp;/g, '&')) as Record<string, number | boolean>;
      assert.equal(layout.vw, width);
      assert.ok((layout.pageScroll as number) <= width, `the page scrolls sideways: ${JSON.stringify(layout)}`);
      assert.ok((layout.tableScroll as number) <= (layout.tableClient as number), `the table scrolls sideways: ${JSON.stringify(layout)}`);
      assert.ok((layout.tlsRight as number) <= width && !layout.tlsClipped, `the TLS issuer header is clipped: ${JSON.stringify(layout)}`);
      assert.ok((layout.adviceRight as number) <= width, `the advice runs off the panel: ${JSON.stringify(layout)}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}
