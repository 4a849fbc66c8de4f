// code-server (VS Code served to a browser, real Node extension host) run under Node 24,
// with every file it writes (HOME, XDG dirs, user data, extensions, config) inside `outDir`.
import { spawn, execFile } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import { CODE_SERVER, NODE24_BIN, checkTools } from './paths.mjs';
import { onCleanup } from './cleanup.mjs';

const SETTINGS = {
  'workbench.startupEditor': 'none',
  'chat.disableAIFeatures': true,
  // Run folders sit inside the project's git repo; without this a "git repository found in the
  // parent folders" toast covers the bottom right of every screen.
  'git.openRepositoryInParentFolders': 'never',
  // With chat disabled the secondary side bar opens empty and only narrows the editor.
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
};

export async function freePort() {
  const srv = net.createServer();
  await new Promise((resolve, reject) => srv.once('error', reject).listen(0, '127.0.0.1', resolve));
  const { port } = srv.address();
  await new Promise((resolve) => srv.close(resolve));
  return port;
}

function dirs(outDir) {
  const d = {
    home: path.join(outDir, 'home'),
    userData: path.join(outDir, 'user-data'),
    extensions: path.join(outDir, 'extensions'),
    config: path.join(outDir, 'code-server.yaml'),
    log: path.join(outDir, 'code-server.log'),
  };
  const env = {
    ...process.env,
    PATH: `${NODE24_BIN}:${process.env.PATH}`,
    HOME: d.home,
    XDG_CONFIG_HOME: path.join(d.home, '.config'),
    XDG_DATA_HOME: path.join(d.home, '.local/share'),
    XDG_CACHE_HOME: path.join(d.home, '.cache'),
  };
  // Keep the test's own Node/npm settings (e.g. npm_config_nodedir) from leaking into code-server.
  for (const k of Object.keys(env)) if (k.startsWith('npm_') || k === 'NODE_OPTIONS') delete env[k];
  fs.mkdirSync(path.join(d.userData, 'User'), { recursive: true });
  fs.mkdirSync(d.extensions, { recursive: true });
  fs.mkdirSync(env.XDG_CONFIG_HOME, { recursive: true });
  fs.writeFileSync(path.join(d.userData, 'User/settings.json'), JSON.stringify(SETTINGS, null, 2));
  return { ...d, env, common: ['--config', d.config, '--user-data-dir', d.userData, '--extensions-dir', d.extensions] };
}

/** Installs a .vsix into the per-run extensions dir (code-server's own CLI, like `code --install-extension`). */
export async function installVsix(outDir, vsix) {
  const d = dirs(outDir);
  const { stdout } = await promisify(execFile)(CODE_SERVER, [...d.common, '--install-extension', vsix], { env: d.env, timeout: 120_000 });
  if (!/successfully installed/i.test(stdout)) throw new Error(`installing ${vsix} failed:\n${stdout}`);
}

/**
 * Starts code-server on a free 127.0.0.1 port and waits for /healthz.
 * `folder` is opened by default; `smokeTestDriver` enables the test-runner payload.
 * Returns { base, port, folderUrl(folder), stop() }; stop() is also registered for exit/signals.
 */
export async function startCodeServer({ outDir, folder, smokeTestDriver = false }) {
  checkTools();
  const d = dirs(outDir);
  const port = await freePort();
  const args = [
    '--bind-addr', `127.0.0.1:${port}`, '--auth', 'none', '--disable-telemetry', '--disable-update-check',
    '--disable-workspace-trust', ...d.common,
    ...(smokeTestDriver ? ['--vscode-option', 'enable-smoke-test-driver'] : []),
    folder,
  ];
  const logFd = fs.openSync(d.log, 'a');
  // Own process group: stop() must also reach its file watcher, extension host and agent host.
  const cs = spawn(CODE_SERVER, args, { env: d.env, stdio: ['ignore', logFd, logFd], detached: true });
  fs.closeSync(logFd);
  const exited = new Promise((resolve) => cs.once('exit', (code, signal) => resolve(code ?? signal)));

  const stop = async () => {
    if (!groupAlive(cs.pid)) return;
    killGroup(cs.pid, 'SIGTERM');
    for (let i = 0; i < 50 && groupAlive(cs.pid); i++) await sleep(100);
    if (groupAlive(cs.pid)) killGroup(cs.pid, 'SIGKILL');
  };
  onCleanup(stop);

  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  let early;
  exited.then((c) => (early = c));
  for (;;) {
    if (early !== undefined) throw new Error(`code-server exited (${early}) before listening; see ${d.log}:\n${tail(d.log)}`);
    if (Date.now() > deadline) throw new Error(`code-server did not answer /healthz within 60 s; see ${d.log}`);
    try {
      if ((await fetch(`${base}/healthz`)).ok) break;
    } catch { /* not listening yet */ }
    await sleep(100);
  }
  const folderUrl = (f) => `${base}/?folder=${encodeURIComponent(f)}`;
  return { base, port, pid: cs.pid, log: d.log, userData: d.userData, folderUrl, stop };
}

function groupAlive(pid) {
  try { process.kill(-pid, 0); return true; } catch { return false; }
}
function killGroup(pid, sig) {
  try { process.kill(-pid, sig); } catch { /* already gone */ }
}
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
export function tail(file, chars = 3000) {
  try { return fs.readFileSync(file, 'utf8').slice(-chars); } catch { return ''; }
}
