// Runs inside a fresh network namespace (see bench.mjs) where iptables drops SYNs to DROP_RANGE: listens
// on LISTEN_PORTS, sweeps SWEEP_RANGE with the probe engine and scans it with nmap -sT, and prints one JSON
// object: both verdicts per port and both times. Only ports of this namespace are touched.
const { execFileSync } = require('node:child_process');
const net = require('node:net');
const { probe } = require(process.env.BENCH_CORE);

const [from, to] = process.env.SWEEP_RANGE.split('-').map(Number);
const listen = process.env.LISTEN_PORTS.split(',').map(Number);

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

async function main() {
  const servers = listen.map(() => net.createServer((socket) => socket.destroy()));
  await Promise.all(servers.map((server, i) => new Promise((resolve, reject) => server.once('error', reject).listen(listen[i], '127.0.0.1', resolve))));
  const target = { rule: 'bench', direction: 'outbound', host: '127.0.0.1', ports: [{ from, to }], protocol: 'tcp' };
  const timeoutMs = Number(process.env.TIMEOUT_MS);
  const started = performance.now();
  const run = await probe([target], { sweep: true, proxy: null, timeoutMs });
  const probeMs = performance.now() - started;
  const states = Object.fromEntries(run.results.map((r) => [r.port, r.state]));
  const scan = nmap();
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  process.stdout.write(JSON.stringify({ states, probeMs, nmap: scan }));
}

main().catch((error) => {
  process.stderr.write(String(error?.stack ?? error));
  process.exit(1);
});
