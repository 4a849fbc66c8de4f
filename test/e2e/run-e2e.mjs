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
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT, E2E, OUT, parseArgs, lap } from './lib/paths.mjs';
import { installVsix, startCodeServer } from './lib/code-server.mjs';
import { launchBrowser, newPage } from './lib/browser.mjs';
import { runScenario, runSuite } from './lib/suite.mjs';
import { UI } from './lib/ui.mjs';

const opts = parseArgs(process.argv.slice(2), {
  extension: ROOT, workspace: '', scenarios: path.join(E2E, 'scenarios'), filter: '', 'skip-build': false, timeout: '300',
});
const extension = path.resolve(opts.extension);
const workspace = path.resolve(opts.workspace || path.join(extension, 'examples'));
const scenarioDir = path.resolve(opts.scenarios);
const scenarios = fs.readdirSync(scenarioDir).filter((f) => f.endsWith('.mjs') && f.includes(opts.filter)).sort();

function packageExtension() {
  if (extension.endsWith('.vsix')) return extension;
  const pkg = JSON.parse(fs.readFileSync(path.join(extension, 'package.json'), 'utf8'));
  if (!opts['skip-build'] && pkg.scripts?.build) {
    lap(`npm run build in ${extension}`);
    execFileSync('npm', ['run', '--silent', 'build'], { cwd: extension, stdio: 'inherit' });
  }
  // The project's own vsce (a devDependency), so an extension folder outside the repo packages too.
  const vsce = path.join(ROOT, 'node_modules/.bin/vsce');
  const flags = ['--no-dependencies', '--allow-missing-repository', '--skip-license'];
  // Without a .vscodeignore covering them, vsce would pack the 800 MB of test tools and old runs.
  const stray = execFileSync(vsce, ['ls', ...flags.slice(0, 1)], { cwd: extension, encoding: 'utf8', maxBuffer: 1 << 28 })
    .split('\n').filter((f) => /^test\/e2e\/(\.tools|out)\//.test(f));
  if (stray.length) throw new Error(`vsce would package ${stray.length} files from test/e2e/.tools or test/e2e/out; exclude test/** in ${extension}/.vscodeignore`);
  const vsix = path.join(OUT, `${pkg.name}.vsix`);
  execFileSync(vsce, ['package', ...flags, '-o', vsix], { cwd: extension, stdio: ['ignore', 'inherit', 'inherit'] });
  lap(`packaged ${path.relative(process.cwd(), vsix)} (${(fs.statSync(vsix).size / 1024).toFixed(0)} KiB)`);
  return vsix;
}

await runSuite({
  scenarios,
  scenarioDir,
  filter: opts.filter,
  outName: 'ui',
  stopped: 'stopped code-server and chromium',
  async prepare({ outDir, shots }) {
    const vsix = packageExtension();
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
