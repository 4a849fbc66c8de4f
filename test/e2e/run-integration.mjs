#!/usr/bin/env node
// Test-runner mode: runs the mocha suite test/integration/**/*.test.ts inside the real extension
// host of code-server (VS Code 1.139) and exits with its result.
//
//   node test/e2e/run-integration.mjs [--extension DIR] [--workspace DIR] [--tests DIR]
//        [--tests-module FILE] [--build-only] [--skip-build] [--timeout SECONDS]
//
// --extension     extension under development (default: the project root); its `npm run build` runs first
// --workspace     folder to open, used in place (default: a fresh copy of <extension>/examples)
// --tests         folder whose *.test.ts are bundled with test/integration/index.ts (default: test/integration)
// --tests-module  an already built extensionTestsPath module: no bundling (what fake-code.sh passes)
// --build-only    bundle into test/e2e/out/integration/bundle and stop
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import util from 'node:util';
import { ROOT, TOOLS, OUT, freshOutDir, parseArgs, lap } from './lib/paths.mjs';
import { startCodeServer, tail } from './lib/code-server.mjs';
import { launchBrowser, newPage } from './lib/browser.mjs';
import { cleanup } from './lib/cleanup.mjs';

const opts = parseArgs(process.argv.slice(2), {
  extension: ROOT, workspace: '', tests: path.join(ROOT, 'test/integration'), 'tests-module': '',
  'build-only': false, 'skip-build': false, timeout: '600',
});
const extension = path.resolve(opts.extension);
const BUNDLE = path.join(OUT, 'integration/bundle');

function buildExtension() {
  const pkg = JSON.parse(fs.readFileSync(path.join(extension, 'package.json'), 'utf8'));
  if (opts['skip-build'] || !pkg.scripts?.build) return;
  lap(`npm run build in ${extension}`);
  execFileSync('npm', ['run', '--silent', 'build'], { cwd: extension, stdio: 'inherit' });
}

/** Bundles index.ts + every *.test.ts under --tests into BUNDLE (cjs, `vscode` and `mocha` left to runtime). */
function bundle() {
  const testsDir = path.resolve(opts.tests);
  const tests = fs.readdirSync(testsDir, { recursive: true }).filter((f) => f.endsWith('.test.ts'));
  if (tests.length === 0) throw new Error(`no *.test.ts under ${testsDir}`);
  fs.rmSync(BUNDLE, { recursive: true, force: true });
  const entries = [`index=${path.join(ROOT, 'test/integration/index.ts')}`,
    ...tests.map((f) => `${f.replace(/\.ts$/, '')}=${path.join(testsDir, f)}`)];
  execFileSync(path.join(ROOT, 'node_modules/.bin/esbuild'), [...entries, '--bundle', '--platform=node', '--format=cjs',
    '--target=node20', '--sourcemap', '--external:vscode', '--external:mocha', '--log-level=warning', `--outdir=${BUNDLE}`],
  { stdio: 'inherit' });
  // One mocha instance for index.js and the test files: both resolve it through this link.
  fs.symlinkSync(path.join(TOOLS, 'node_modules'), path.join(BUNDLE, 'node_modules'));
  lap(`bundled ${tests.length} test file(s) into ${path.relative(process.cwd(), BUNDLE)}`);
  return path.join(BUNDLE, 'index.js');
}

function defaultWorkspace(runDir) {
  const ws = path.join(runDir, 'workspace');
  const examples = path.join(extension, 'examples');
  if (fs.existsSync(examples)) fs.cpSync(examples, ws, { recursive: true });
  else fs.mkdirSync(ws);
  return ws;
}

async function main() {
  if (!opts['tests-module']) buildExtension();
  const testsModule = opts['tests-module'] ? path.resolve(opts['tests-module']) : bundle();
  if (opts['build-only']) return 0;

  const runDir = freshOutDir('integration/run');
  const ws = opts.workspace ? path.resolve(opts.workspace) : defaultWorkspace(runDir);
  const cs = await startCodeServer({ outDir: runDir, folder: ws, smokeTestDriver: true });
  lap(`code-server listening on ${cs.base}`);
  const browser = await launchBrowser(runDir);
  const page = await newPage(browser, path.join(runDir, 'browser.log'));

  let resolveExit;
  const exited = new Promise((r) => (resolveExit = r));
  const hostLog = path.join(runDir, 'workbench.log');
  // Everything the workbench and extension host log comes through here; mocha's lines carry a tag.
  await page.exposeFunction('codeAutomationLog', (type, args) => {
    const line = util.format(...args);
    fs.appendFileSync(hostLog, `[${type}] ${line}\n`);
    if (line.startsWith('[mocha] ')) console.log(line.slice(8));
  });
  await page.exposeFunction('codeAutomationExit', (code) => resolveExit(code));
  const remote = (p) => `vscode-remote://127.0.0.1:${cs.port}${p}`;
  const payload = [['extensionDevelopmentPath', remote(extension)], ['extensionTestsPath', remote(testsModule)]];
  await page.goto(`${cs.folderUrl(ws)}&payload=${encodeURIComponent(JSON.stringify(payload))}`);
  lap('workbench loading, tests start once the extension host is up');

  const timer = new Promise((r) => setTimeout(() => r('timeout'), Number(opts.timeout) * 1000).unref());
  const code = await Promise.race([exited, timer]);
  await page.screenshot({ path: path.join(runDir, 'final.png') }).catch(() => {});
  lap(`tests finished: exit code ${code}`);
  if (code !== 0) {
    console.error(`--- last workbench/extension host log lines (${hostLog}) ---\n${tail(hostLog, 4000)}`);
    if (code === 'timeout') console.error(`--- code-server log (${cs.log}) ---\n${tail(cs.log)}`);
  }
  return code === 0 ? 0 : 1;
}

let exitCode = 1;
try {
  exitCode = await main();
} catch (e) {
  console.error(e.status !== undefined ? e.message : e.stack ?? e); // a failed child command already printed its output
} finally {
  if (await cleanup()) lap('stopped code-server and chromium');
}
process.exitCode = exitCode;
