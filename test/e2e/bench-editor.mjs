#!/usr/bin/env node
// `npm run bench:editor` (issue 16, target 5): in one code-server run, how long a user waits from opening a file to
// its first diagnostic: our 37-line allowlist (test/e2e/fixtures/bench/first-diagnostic.allowlist.yaml) against VS
// Code's built-in JSON language server on a broken 4-line JSON file (fixtures/bench/broken.json), alternated.
//
// Each run is a fresh window (a new page: code-server gives it an extension host of its own) on a fresh workspace
// folder holding only a README. Once the workbench has settled (restored, the Explorer listing the folder, the
// extension host running its startup extensions, the status bar's Problems item showing no problems), the file is
// written into the folder, and once the Explorer lists it, it is clicked. Neither extension is active before that
// click (ours activates on `onLanguage:yaml`, JSON's on `onLanguage:json`, and a workspace without allowlists does
// not activate ours), so each pays what a user pays on the first file of its kind in a window: activation, the
// language server's start, and its first lint. The time is measured inside the page, from the click's mousedown to
// the DOM change that puts a count in the Problems status item (a MutationObserver), so the harness's polling adds
// nothing. Medians of the runs; the figures go to .bench/editor.json (rendered by scripts/bench.mjs into
// BENCHMARKS.md), and a screenshot of each run's end to test/e2e/out/bench-editor/screenshots/.
//
//   node test/e2e/bench-editor.mjs [--runs N] [--skip-build] [--extension DIR|FILE.vsix]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { E2E, ROOT, freshOutDir, lap, parseArgs, requireTool } from './lib/paths.mjs';
import { installVsix, startCodeServer } from './lib/code-server.mjs';
import { launchBrowser, newPage } from './lib/browser.mjs';
import { cleanup } from './lib/cleanup.mjs';
import { packageExtension } from './lib/package.mjs';
import { PATIENCE, UI } from './lib/ui.mjs';

const opts = parseArgs(process.argv.slice(2), { runs: '7', 'skip-build': false, extension: ROOT });
const runs = Number(opts.runs);
if (!(runs >= 1)) throw new Error(`--runs must be a positive number, not ${opts.runs}`);
const fixtures = path.join(E2E, 'fixtures/bench');
const CASES = {
  allowlist: { file: 'site.allowlist.yaml', text: fs.readFileSync(path.join(fixtures, 'first-diagnostic.allowlist.yaml'), 'utf8') },
  // Plain JSON (not a name VS Code reads as JSON with Comments, where a trailing comma is only a warning).
  json: { file: 'data.json', text: fs.readFileSync(path.join(fixtures, 'broken.json'), 'utf8') },
};

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const round = (ms) => Math.round(ms * 10) / 10;

/** The extension host logs of this code-server run, one folder per window (exthost1, exthost2, ...). */
function extensionHostLogs(cs) {
  const logs = path.join(cs.userData, 'logs');
  return fs.readdirSync(logs).flatMap((session) => fs.readdirSync(path.join(logs, session)).filter((name) => /^exthost\d+$/.test(name)).map((name) => path.join(logs, session, name, 'remoteexthost.log')));
}

/** Waits until the window has settled: the Explorer lists the folder, the window's extension host (a new one, not
 * in `before`) says its startup extensions are activated, and the Problems item shows no problems. */
async function settle(ui, cs, before) {
  await ui.waitForWorkbench();
  await ui.until(() => extensionHostLogs(cs).some((log) => !before.includes(log) && fs.existsSync(log) && fs.readFileSync(log, 'utf8').includes('Eager extensions activated')),
    "the window's extension host activating its startup extensions");
  const count = await ui.problemsCount();
  if (count.errors + count.warnings + count.infos > 0) throw new Error(`the Problems item counts ${JSON.stringify(count)} before any file is open`);
}

/** One run of one case in a fresh window: ms from the click on the file in the Explorer to a count in the Problems item. */
async function measure({ browser, cs, outDir, shots, kind, run }) {
  const { file, text } = CASES[kind];
  const ws = path.join(outDir, 'workspaces', `${run}-${kind}`);
  fs.mkdirSync(ws, { recursive: true });
  fs.writeFileSync(path.join(ws, 'README.md'), '# A workspace of the editor benchmark\n');
  fs.writeFileSync(path.join(ws, file), text);
  const page = await newPage(browser, path.join(outDir, 'browser.log'));
  const ui = new UI(page, shots, `${run}-${kind}`, ws);
  try {
    const before = extensionHostLogs(cs);
    await page.goto(cs.folderUrl(ws));
    await settle(ui, cs, before);
    const row = page.locator('.explorer-folders-view .monaco-list-row', { has: page.locator('.label-name', { hasText: file }) }).first();
    await row.waitFor({ timeout: PATIENCE });
    await page.evaluate(() => {
      const item = document.getElementById('status.problems');
      const seen = (globalThis.__firstDiagnostic = {});
      document.addEventListener('mousedown', () => (seen.clicked ??= performance.now()), { capture: true, once: true });
      const counted = () => (item.innerText.match(/\d+/g) ?? []).some((n) => Number(n) > 0);
      new MutationObserver((_, observer) => {
        if (seen.clicked === undefined || !counted()) return;
        seen.counted = performance.now();
        observer.disconnect();
      }).observe(item, { subtree: true, childList: true, characterData: true, attributes: true });
    });
    await row.click();
    const { clicked, counted } = await ui.until(() => page.evaluate(() => globalThis.__firstDiagnostic.counted !== undefined && globalThis.__firstDiagnostic), `a count in the Problems item after opening ${file}`);
    await ui.shot('first-diagnostic');
    return counted - clicked;
  } finally {
    await page.context().close();
  }
}

try {
  const outDir = freshOutDir('bench-editor');
  const shots = { dir: path.join(outDir, 'screenshots'), n: 0 };
  fs.mkdirSync(shots.dir);
  const vsix = packageExtension(path.resolve(opts.extension), { skipBuild: opts['skip-build'] });
  await installVsix(outDir, vsix);
  const empty = path.join(outDir, 'workspaces', 'start');
  fs.mkdirSync(empty, { recursive: true });
  const cs = await startCodeServer({ outDir, folder: empty });
  const browser = await launchBrowser(outDir);
  lap(`code-server on ${cs.base}`);
  const times = { allowlist: [], json: [] };
  for (let run = 0; run < runs; run++) {
    // Alternated, and the order swapped every run, so that neither case always follows the other.
    for (const kind of run % 2 ? ['json', 'allowlist'] : ['allowlist', 'json']) {
      const ms = await measure({ browser, cs, outDir, shots, kind, run });
      times[kind].push(ms);
      lap(`run ${run + 1}/${runs} ${kind}: ${ms.toFixed(0)} ms`);
    }
  }
  const codeServerDir = path.dirname(requireTool.resolve('code-server/package.json'));
  const versionOf = (file) => JSON.parse(fs.readFileSync(path.join(codeServerDir, file), 'utf8')).version;
  const figures = {
    date: new Date().toISOString(),
    codeServer: versionOf('package.json'),
    vscode: versionOf('lib/vscode/package.json'),
    runs,
    loadAverage: os.loadavg()[0],
    allowlistMs: round(median(times.allowlist)),
    jsonMs: round(median(times.json)),
    samples: { allowlist: times.allowlist.map(round), json: times.json.map(round) },
  };
  figures.ratio = Math.round((figures.allowlistMs / figures.jsonMs) * 100) / 100;
  fs.mkdirSync(path.join(ROOT, '.bench'), { recursive: true });
  fs.writeFileSync(path.join(ROOT, '.bench/editor.json'), `${JSON.stringify(figures, null, 2)}\n`);
  console.log(`first diagnostic, medians of ${runs}: allowlist ${figures.allowlistMs} ms, JSON ${figures.jsonMs} ms (${figures.ratio}×); written to .bench/editor.json (npm run bench puts it in BENCHMARKS.md)`);
} finally {
  await cleanup();
}
