import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';

/** Filtered ports need a firewall that drops: the sweep runs in its own network namespace with an
 * iptables DROP rule, so nothing on this machine's own network is touched. */
function namespaceSupport(): string | undefined {
  for (const tool of ['unshare', 'iptables', 'ip']) {
    try {
      execFileSync('which', [tool], { stdio: 'ignore' });
    } catch {
      return `${tool} is not installed (Debian: apt-get install -y iptables iproute2 util-linux)`;
    }
  }
  const trial = spawnSync('unshare', ['-n', 'sh', '-c', 'ip link set lo up && iptables -L -n >/dev/null'], { stdio: 'ignore' });
  return trial.status === 0 ? undefined : 'cannot create a network namespace with iptables here (needs root or CAP_NET_ADMIN)';
}

const range = { from: 20000, to: 20499 };
const drop = { from: 20100, to: 20199 };
// 20150 listens but sits behind the DROP rule, so it must still read as filtered.
const listening = [20000, 20150, 20321, 20499];

test('a 500-port sweep behind a dropping firewall matches the setup and nmap -sT', { timeout: 180_000 }, (t) => {
  const missing = namespaceSupport();
  if (missing) return t.skip(missing);
  const script = join(__dirname, 'netns-sweep.ts');
  const child = spawnSync(
    'unshare',
    [
      '-n',
      'sh',
      '-c',
      `ip link set lo up && iptables -A INPUT -p tcp --syn --dport ${drop.from}:${drop.to} -j DROP && exec "${process.execPath}" --import tsx "${script}"`,
    ],
    {
      encoding: 'utf8',
      timeout: 170_000,
      cwd: join(__dirname, '..', '..'),
      env: {
        ...process.env,
        SWEEP_RANGE: `${range.from}-${range.to}`,
        DROP_RANGE: `${drop.from}-${drop.to}`,
        LISTEN_PORTS: listening.join(','),
      },
    },
  );
  assert.equal(child.status, 0, child.stderr);
  const out = JSON.parse(child.stdout) as {
    states: Record<string, string>;
    ms: number;
    nmap: Record<string, string> | null;
    inFlight: number;
    abortError: string;
    socketsAfterAbort: number;
  };
  const expected: Record<string, string> = {};
  for (let port = range.from; port <= range.to; port++) {
    expected[port] =
      port >= drop.from && port <= drop.to ? 'filtered' : listening.includes(port) ? 'open' : 'closed';
  }
  assert.deepEqual(out.states, expected);
  if (out.nmap) assert.deepEqual(out.states, out.nmap, 'same verdicts as nmap -sT');
  else t.diagnostic('nmap not installed: comparison skipped (Debian: apt-get install -y nmap)');
  t.diagnostic(`sweep of ${range.to - range.from + 1} ports took ${out.ms} ms`);

  assert.ok(out.inFlight > 0, 'the cancelled sweep had connects pending');
  assert.equal(out.abortError, 'AbortError');
  assert.equal(out.socketsAfterAbort, 0, 'cancelling left no socket behind');
});

test('a port of this machine that the connect reaches from itself (TCP simultaneous open) is closed, not open', { timeout: 60_000 }, (t) => {
  const missing = namespaceSupport();
  if (missing) return t.skip(missing);
  // The namespace's only ephemeral port is the one probed: the kernel gives the connect that port as its source.
  const port = 40000;
  const child = spawnSync(
    'unshare',
    ['-n', 'sh', '-c', `ip link set lo up && sysctl -qw net.ipv4.ip_local_port_range="${port} ${port}" && exec "${process.execPath}" --import tsx "${join(__dirname, 'netns-self-connect.ts')}"`],
    { encoding: 'utf8', timeout: 50_000, cwd: join(__dirname, '..', '..'), env: { ...process.env, SELF_PORT: String(port) } },
  );
  assert.equal(child.status, 0, child.stderr);
  const results = JSON.parse(child.stdout) as { port: number; state: string; detail: string }[];
  assert.deepEqual(results.map(({ port, state }) => ({ port, state })), [{ port, state: 'closed' }], JSON.stringify(results));
  // No RST came: the detail says what happened instead.
  assert.match(results[0].detail, /^nothing listens \(the connect reached its own source port\) in /);
});
