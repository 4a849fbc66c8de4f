// Records one of the CLI bundle's V8 code caches (run by build.mjs, once for each: `lint` or `probe`): compiles the
// bundle without a cache, runs commands of that kind with it as dist/cli.js would, then writes what V8 compiled for
// them, behind the bundle's key, where dist/cli.js looks for that cache (src/cli/bin.ts). `lint`: a lint of the bundled
// examples. `probe`: a probe, as a table and as JSON, of an allowlist naming two ports of 127.0.0.1 that this script
// opened itself, one listening and one closed again (nothing else is connected to).
'use strict';
const { mkdtempSync, rmSync, writeFileSync } = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const { join } = require('node:path');
const { CODE_CACHES, compileBundle, runBundle } = require('../dist/cli.js');

const kind = process.argv[2];
if (!(kind in CODE_CACHES)) throw new Error(`usage: record-code-cache.cjs ${Object.keys(CODE_CACHES).join('|')}`);

async function record() {
  rmSync(CODE_CACHES[kind], { force: true });
  const { script, key } = compileBundle(CODE_CACHES[kind]);
  // Not the main module: the bundle defines `main` without running a command line, and the commands run through it.
  const host = { exports: {} };
  runBundle(script, host);
  await runCommands(kind, (argv, io) => host.exports.main(argv, io));
  writeFileSync(CODE_CACHES[kind], Buffer.concat([Buffer.from(`${key}\n`, 'latin1'), script.createCachedData()]));
}

async function runCommands(kind, main) {
  const io = (cwd) => ({ stdout: () => {}, stderr: () => {}, cwd, env: {}, stderrIsTTY: false, stdoutIsTTY: false });
  if (kind === 'lint') return expectExit(await main(['lint', 'examples'], io(process.cwd())), [0, 1], 'lint examples');
  const open = await listen();
  const closed = await listen();
  await new Promise((resolve) => closed.server.close(resolve));
  const site = mkdtempSync(join(os.tmpdir(), 'allowlist-record-'));
  try {
    const file = join(site, 'record.allowlist.yaml');
    writeFileSync(file, ['allowlist: 1', 'outbound:', '  - name: recording', '    to: 127.0.0.1', `    ports: [${open.port}, ${closed.port}]`, ''].join('\n'));
    // Exit 1: the closed port is required.
    for (const format of [[], ['--json']]) expectExit(await main(['probe', file, '--sweep', ...format], io(site)), [1], `probe ${format.join(' ')}`);
  } finally {
    open.server.close();
    rmSync(site, { recursive: true, force: true });
  }
}

async function listen() {
  const server = net.createServer((socket) => socket.destroy());
  await new Promise((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', resolve));
  return { server, port: server.address().port };
}

function expectExit(code, expected, what) {
  if (!expected.includes(code)) throw new Error(`${what} exited with ${code}`);
}

record().catch((error) => {
  process.stderr.write(`${error?.stack ?? error}\n`);
  process.exitCode = 1;
});
