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
import { pathToFileURL } from 'node:url';
import { ROOT, E2E, OUT, freshOutDir, parseArgs, lap } from './lib/paths.mjs';
import { installVsix, startCodeServer } from './lib/code-server.mjs';
import { launchBrowser, newPage } from './lib/browser.mjs';
import { cleanup } from './lib/cleanup.mjs';
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

async function runScenario(file, { browser, cs, outDir, shots }) {
  const name = file.replace(/\.mjs$/, '');
  const ws = path.join(outDir, 'workspaces', name);
  fs.cpSync(workspace, ws, { recursive: true });
  const page = await newPage(browser, path.join(outDir, 'browser.log'));
  const ui = new UI(page, shots, name, ws);
  const t0 = Date.now();
  let error;
  try {
    const { run } = await import(pathToFileURL(path.join(scenarioDir, file)).href);
    await page.goto(cs.folderUrl(ws));
    await ui.waitForWorkbench();
    const timer = new Promise((_, reject) => setTimeout(() => reject(new Error(`timed out after ${opts.timeout} s`)), Number(opts.timeout) * 1000).unref());
    await Promise.race([run(ui), timer]);
    const onScreen = await ui.errorUi();
    if (onScreen.length) throw new Error(`the screen shows ${onScreen.join('; ')}`);
    await ui.shot('end');
  } catch (e) {
    error = e;
    await ui.shot('FAILED').catch(() => {});
  } finally {
    await page.context().close();
  }
  const secs = ((Date.now() - t0) / 1000).toFixed(1);
  if (error) console.log(`FAIL ${name} (${secs}s): ${error.message.split('\n').join('\n     ')}`);
  else console.log(`PASS ${name} (${secs}s)`);
  return !error;
}

let passed = 0;
let failed = 0;
try {
  if (scenarios.length === 0) throw new Error(`no scenarios in ${scenarioDir}${opts.filter ? ` matching "${opts.filter}"` : ''}`);
  const outDir = freshOutDir('ui');
  const shots = { dir: path.join(outDir, 'screenshots'), n: 0 };
  fs.mkdirSync(shots.dir);
  const vsix = packageExtension();
  await installVsix(outDir, vsix);
  lap(`installed ${path.basename(vsix)} into ${path.relative(process.cwd(), outDir)}/extensions`);
  const cs = await startCodeServer({ outDir, folder: workspace });
  lap(`code-server listening on ${cs.base}`);
  const browser = await launchBrowser(outDir);
  for (const file of scenarios) {
    if (await runScenario(file, { browser, cs, outDir, shots })) passed++;
    else failed++;
  }
  lap(`screenshots in ${path.relative(process.cwd(), shots.dir)}`);
} catch (e) {
  console.error(e.status !== undefined ? e.message : e.stack ?? e); // a failed child command already printed its output
  failed = Math.max(scenarios.length - passed, 1);
} finally {
  if (await cleanup()) lap('stopped code-server and chromium');
}
console.log(`${passed} passed, ${failed} failed`);
process.exitCode = failed ? 1 : 0;
