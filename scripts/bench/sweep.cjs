// Runs inside a fresh network namespace (see bench.mjs) where iptables drops SYNs to DROP_RANGE: listens
// on LISTEN_PORTS and, RUNS times in turn, sweeps SWEEP_RANGE with the probe engine in this process, with the
// built CLI (`allowlist probe ALLOWLIST --sweep`, a process of its own) and with nmap -sT. Prints one JSON
// object: the verdicts per port of the engine's first sweep, of each CLI sweep and of nmap, and every time.
// Only ports of this namespace are touched.
const { execFileSync, spawn } = require('node:child_process');
const net = require('node:net');
const { dirname } = require('node:path');
const { probe } = require(process.env.BENCH_CORE);

const [from, to] = process.env.SWEEP_RANGE.split('-').map(Number);
const listen = process.env.LISTEN_PORTS.split(',').map(Number);
const timeoutMs = Number(process.env.TIMEOUT_MS);
const runs = Number(process.env.RUNS);
const allowlist = process.env.ALLOWLIST;

function nmap() {
  try {
    execFileSync('which', ['nmap'], { stdio: 'ignore' });
  } catch {
    return null;
  }
  const started = performance.now();
  const xml = execFileSync('nmap', ['-sT', '-n', '-Pn', '--max-retries', '1', '-p', `${from}-${to}`, '-oX', '-', '127.0.0.1'], { encoding: 'utf8', timeout: 120_000 });
  const ms = performance.now() - started;
  const states = {};
  for (const group of xml.matchAll(/<extraports state="(\w+)"[^>]*>([\s\S]*?)<\/extraports>/g)) {
    const lists = [...group[2].matchAll(/ports="([^"]+)"/g)].map((m) => m[1]);
    for (const span of lists.length ? lists.join(',').split(',') : [`${from}-${to}`]) {
      const [a, b = a] = span.split('-').map(Number);
      for (let port = a; port <= b; port++) states[port] ??= group[1];
    }
  }
  for (const m of xml.matchAll(/<port protocol="tcp" portid="(\d+)"><state state="(\w+)"/g)) states[Number(m[1])] = m[2];
  return { states, ms, version: /nmap version="([^"]+)"/.exec(xml)?.[1] };
}

async function engine() {
  const target = { rule: 'bench', direction: 'outbound', host: '127.0.0.1', ports: [{ from, to }], protocol: 'tcp' };
  const started = performance.now();
  const run = await probe([target], { sweep: true, proxy: null, timeoutMs });
  return { states: statesOf(run.results), ms: performance.now() - started };
}

/** The CLI as a user runs it, from spawning to its exit, without proxy variables (the engine's `proxy: null`); its
 * folder is outside any repository and has no config, so it loads the built-in catalogs only. Asynchronous, so that
 * this process's servers keep accepting meanwhile. */
function cli() {
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/_proxy$/i.test(name)));
  const started = performance.now();
  const child = spawn(process.execPath, [process.env.CLI, 'probe', allowlist, '--sweep', '--json', '--timeout', String(timeoutMs)], { cwd: dirname(allowlist), env });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      const ms = performance.now() - started;
      // Exit 1: some required ports are closed or filtered, as set up.
      if (code !== 1) return reject(new Error(`allowlist probe exited with ${code}: ${stderr.split('\n')[0]}`));
      resolve({ states: statesOf(JSON.parse(stdout).results), ms });
    });
  });
}

function statesOf(results) {
  return Object.fromEntries(results.map((r) => [r.port, r.state]));
}

async function main() {
  const servers = listen.map(() => net.createServer((socket) => socket.destroy()));
  await Promise.all(servers.map((server, i) => new Promise((resolve, reject) => server.once('error', reject).listen(listen[i], '127.0.0.1', resolve))));
  const engineRuns = [];
  const cliRuns = [];
  const nmapRuns = [];
  for (let run = 0; run < runs; run++) {
    engineRuns.push(await engine());
    cliRuns.push(await cli());
    const scan = nmap();
    if (scan) nmapRuns.push(scan);
  }
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  process.stdout.write(
    JSON.stringify({
      states: engineRuns[0].states,
      probeMs: engineRuns.map((r) => r.ms),
      cli: { states: cliRuns.map((r) => r.states), ms: cliRuns.map((r) => r.ms) },
      nmap: nmapRuns.length ? { states: nmapRuns[0].states, ms: nmapRuns.map((r) => r.ms), version: nmapRuns[0].version } : null,
    }),
  );
}

main().catch((error) => {
  process.stderr.write(String(error?.stack ?? error));
  process.exit(1);
});
