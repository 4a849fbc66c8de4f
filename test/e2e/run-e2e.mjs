#!/usr/bin/env node
// UI mode: packages the extension, installs the .vsix into code-server and drives the workbench
// in headless chromium through every test/e2e/scenarios/*.mjs (each exports `async run(ui)` and
// throws on failure). Each scenario gets a fresh page and a fresh copy of the workspace.
// Prints one PASS/FAIL line per scenario and finally exactly `N passed, N failed`.
//
//   node test/e2e/run-e2e.mjs [--extension DIR|FILE.vsix] [--workspace DIR] [--scenarios DIR]
//        [--filter TEXT] [--skip-build] [--timeout SECONDS]
//
// --extension  extension folder to build (`npm run build`) and package, or a ready .vsix (default: project root)
// --workspace  folder copied for each scenario (default: <extension>/examples)
// --filter     run only scenarios whose file name contains TEXT
// --timeout    per scenario (default 300: its waits are generous, so a busy machine is slow rather than red)
import fs from 'node:fs';
import path from 'node:path';
import { ROOT, E2E, parseArgs, lap } from './lib/paths.mjs';
import { installVsix, startCodeServer } from './lib/code-server.mjs';
import { launchBrowser, newPage } from './lib/browser.mjs';
import { packageExtension } from './lib/package.mjs';
import { runScenario, runSuite } from './lib/suite.mjs';
import { UI } from './lib/ui.mjs';

const opts = parseArgs(process.argv.slice(2), {
  extension: ROOT, workspace: '', scenarios: path.join(E2E, 'scenarios'), filter: '', 'skip-build': false, timeout: '300',
});
const extension = path.resolve(opts.extension);
const workspace = path.resolve(opts.workspace || path.join(extension, 'examples'));
const scenarioDir = path.resolve(opts.scenarios);
const scenarios = fs.readdirSync(scenarioDir).filter((f) => f.endsWith('.mjs') && f.includes(opts.filter)).sort();

await runSuite({
  scenarios,
  scenarioDir,
  filter: opts.filter,
  outName: 'ui',
  stopped: 'stopped code-server and chromium',
  async prepare({ outDir, shots }) {
    const vsix = packageExtension(extension, { skipBuild: opts['skip-build'] });
    await installVsix(outDir, vsix);
    lap(`installed ${path.basename(vsix)} into ${path.relative(process.cwd(), outDir)}/extensions`);
    const cs = await startCodeServer({ outDir, folder: workspace });
    lap(`code-server listening on ${cs.base}`);
    const browser = await launchBrowser(outDir);
    return async (file) => {
      const name = file.replace(/\.mjs$/, '');
      const ws = path.join(outDir, 'workspaces', name);
      fs.cpSync(workspace, ws, { recursive: true });
      const page = await newPage(browser, path.join(outDir, 'browser.log'));
      const ui = new UI(page, shots, name, ws);
      return runScenario({ file, scenarioDir, ui, url: cs.folderUrl(ws), timeoutSeconds: Number(opts.timeout), close: () => page.context().close() });
    };
  },
});
