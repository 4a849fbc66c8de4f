/** Runs inside a fresh network namespace (see sweep.test.ts) where iptables drops SYNs to a port
 * range: sweeps the range with the engine, scans it with nmap -sT when installed, then aborts a sweep
 * of dropped ports midway. Prints one JSON object for the parent test to check. */
import { execFileSync } from 'node:child_process';
import net from 'node:net';
import { probe } from '../../src/core/probe';
import { closeAtOnce, countSockets, listen, settledSocketCount } from './fixtures';

const [from, to] = process.env.SWEEP_RANGE!.split('-').map(Number);
const [dropFrom, dropTo] = process.env.DROP_RANGE!.split('-').map(Number);
const listeners = process.env.LISTEN_PORTS!.split(',').map(Number);

function nmapStates(): Record<number, string> | null {
  try {
    execFileSync('which', ['nmap'], { stdio: 'ignore' });
  } catch {
    return null;
  }
  const xml = execFileSync('nmap', ['-sT', '-n', '-Pn', '--max-retries', '1', '-p', `${from}-${to}`, '-oX', '-', '127.0.0.1'], {
    encoding: 'utf8',
    timeout: 120_000,
  });
  // nmap lists ports one by one, or groups them as <extraports state=...> with their port ranges in
  // <extrareasons ports="a-b,c">; a group without ranges (older nmap) covers every unlisted port.
  const states: Record<number, string> = {};
  for (const group of xml.matchAll(/<extraports state="(\w+)"[^>]*>([\s\S]*?)<\/extraports>/g)) {
    const lists = [...group[2].matchAll(/ports="([^"]+)"/g)].map((m) => m[1]);
    const spans = lists.length ? lists.join(',').split(',') : [`${from}-${to}`];
    for (const span of spans) {
      const [a, b = a] = span.split('-').map(Number);
      for (let port = a; port <= b; port++) states[port] ??= group[1];
    }
  }
  for (const m of xml.matchAll(/<port protocol="tcp" portid="(\d+)"><state state="(\w+)"/g)) states[Number(m[1])] = m[2];
  return states;
}

async function main() {
  const servers = net.createServer(closeAtOnce);
  const extra = listeners.slice(1).map(() => net.createServer(closeAtOnce));
  await Promise.all([servers, ...extra].map((s, i) => listen(s, listeners[i])));

  const target = { rule: 'sweep', direction: 'outbound' as const, host: '127.0.0.1', ports: [{ from, to }], protocol: 'tcp' as const };
  const run = await probe([target], { sweep: true, proxy: null, timeoutMs: 3000 });
  const states = Object.fromEntries(run.results.map((r) => [r.port, r.state]));

  const nmap = nmapStates();
  // Closed servers have no accepted sockets left to blur the socket count below.
  await Promise.all([servers, ...extra].map((s) => new Promise((r) => s.close(r))));

  // Cancel a sweep of dropped ports while its connects are pending.
  const socketsBefore = await settledSocketCount();
  const controller = new AbortController();
  const dropped = { ...target, ports: [{ from: dropFrom, to: dropTo }] };
  const cancelled = probe([dropped], { sweep: true, proxy: null, signal: controller.signal });
  await new Promise((r) => setTimeout(r, 50));
  const inFlight = countSockets() - socketsBefore;
  controller.abort();
  const abortError = await cancelled.then(() => 'resolved', (e: Error) => e.name);
  const socketsAfterAbort = (await settledSocketCount()) - socketsBefore;

  process.stdout.write(JSON.stringify({ states, ms: run.ms, nmap, inFlight, abortError, socketsAfterAbort }));
}

main().catch((error) => {
  process.stderr.write(String(error?.stack ?? error));
  process.exit(1);
});
