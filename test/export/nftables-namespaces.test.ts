/** The proof of the nftables export on a real firewall: three network namespaces, a client behind a router in front
 * of an "internet". The router loads the export's allowlist.nft and runs dnsmasq with the export's fragment; the
 * client resolves through the router. Allowed endpoints are probed with the project's probe engine (so probe and
 * export check each other), the endpoints that must stay blocked with plain sockets, each beside a control from the
 * router itself (whose own traffic the forward chain does not filter) showing the server is there. Every address is
 * from the TEST-NET ranges and every name under example.test, inside namespaces this test creates and deletes. */
import assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { exportAllowlist, targetById } from '../../src/core/export';
import { lintText } from '../../src/core/lint';
import type { ProbeTarget } from '../../src/core/probe';

const ROOT = join(__dirname, '..', '..');
const ALLOWLIST = `allowlist: 1
site: Namespace proof
outbound:
  - name: app
    to: app.example.test
    ports: [8080, "8000-8001"]
  - name: cdn
    to: "*.cdn.example.test"
    ports: 8080
  # A name under the wildcard of another rule: dnsmasq fills only the most specific line's sets, so the export lists
  # both rules' sets on that line; y.cdn.example.test must still reach port 8080 through rule cdn.
  - name: cdn-special
    to: y.cdn.example.test
    ports: 8001
inbound:
  - name: vendor-push
    from: 198.51.100.7
    to: 192.0.2.20
    ports: 8443
`;
/** What the internet's authoritative dnsmasq answers; other.example.test is resolvable but not in the allowlist;
 * y.cdn.example.test has an address of its own, which only its own nftset= line can add. */
const ZONE = { 'app.example.test': '203.0.113.10', 'cdn.example.test': '203.0.113.11', 'other.example.test': '203.0.113.12', 'y.cdn.example.test': '203.0.113.14' };
const NEVER_RESOLVED = '203.0.113.13';
const INTERNET_PORTS = [8000, 8001, 8002, 8080];
const TIMEOUT_MS = 1500;

function missingTool(): string | undefined {
  if (process.getuid?.() !== 0) return 'needs root to create network namespaces (ip netns add)';
  for (const tool of ['ip', 'nft', 'dnsmasq']) {
    if (spawnSync('which', [tool]).status !== 0) return `${tool} is not installed (Debian: apt-get install iproute2 nftables dnsmasq-base)`;
  }
  if (spawnSync('unshare', ['-n', 'true']).status !== 0) return 'cannot create a network namespace here (needs CAP_SYS_ADMIN and CAP_NET_ADMIN)';
  return undefined;
}

interface Outcome {
  probe: { host: string; address: string; port: number; state: string; detail: string }[];
  probeMs?: number;
  connect: { host: string; port: number; address: string; localAddress?: string; state: string }[];
}

type Plan = { probe?: ProbeTarget[]; dns?: string; connect?: { host: string; port: number; resolveVia?: string; localAddress?: string }[] };

/** A temporary folder and a list for the child processes a test starts: after `t`, the children are killed, the
 * namespaces `ns` deleted and the folder removed. */
function scratch(t: TestContext, ns: Record<string, string>): { dir: string; children: ChildProcess[] } {
  const dir = mkdtempSync(join(tmpdir(), 'allowlist-proof-'));
  const children: ChildProcess[] = [];
  t.after(async () => {
    for (const child of children) child.kill('SIGKILL');
    await Promise.all(children.map((child) => (child.exitCode === null && child.signalCode === null ? new Promise((r) => child.once('exit', r)) : undefined)));
    for (const name of Object.values(ns)) spawnSync('ip', ['netns', 'del', name], { stdio: 'ignore' });
    rmSync(dir, { recursive: true, force: true });
  });
  return { dir, children };
}

/** client (192.0.2.0/24, the site) — router — internet (198.51.100.0/24, servers on 203.0.113.0/24), the export
 * written to a temporary folder, servers and the authoritative dnsmasq running; everything is removed after `t`. */
async function topology(t: TestContext, hook: 'forward' | 'output') {
  const id = `al${process.pid}${hook[0]}`;
  const ns = { client: `${id}-client`, router: `${id}-router`, internet: `${id}-internet` };
  const { dir, children } = scratch(t, ns);

  const result = exportAllowlist(lintText(ALLOWLIST, { fileName: 'proof.allowlist.yaml' }).model, targetById('nftables')!, { today: '2026-12-02', hook });
  for (const file of result.files) writeFileSync(join(dir, file.name), file.text);

  const ip = (...args: string[]) => execFileSync('ip', args, { stdio: ['ignore', 'ignore', 'pipe'] });
  const inside = (name: string, ...command: string[]) => execFileSync('ip', ['netns', 'exec', name, ...command], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  for (const name of Object.values(ns)) ip('netns', 'add', name);
  ip('link', 'add', `${id}c`, 'netns', ns.client, 'type', 'veth', 'peer', 'name', `${id}rc`, 'netns', ns.router);
  ip('link', 'add', `${id}i`, 'netns', ns.internet, 'type', 'veth', 'peer', 'name', `${id}ri`, 'netns', ns.router);
  const addresses: [string, string, string[]][] = [
    [ns.client, `${id}c`, ['192.0.2.2/24', '192.0.2.20/32']],
    [ns.router, `${id}rc`, ['192.0.2.1/24']],
    [ns.router, `${id}ri`, ['198.51.100.1/24']],
    [ns.internet, `${id}i`, ['198.51.100.2/24', '198.51.100.53/32', '198.51.100.7/32', '198.51.100.8/32', ...[...Object.values(ZONE), NEVER_RESOLVED].map((a) => `${a}/32`)]],
  ];
  for (const [name, link, cidrs] of addresses) {
    for (const cidr of cidrs) ip('-n', name, 'address', 'add', cidr, 'dev', link);
    ip('-n', name, 'link', 'set', link, 'up');
    ip('-n', name, 'link', 'set', 'lo', 'up');
  }
  ip('-n', ns.client, 'route', 'add', 'default', 'via', '192.0.2.1');
  ip('-n', ns.internet, 'route', 'add', 'default', 'via', '198.51.100.1');
  ip('-n', ns.router, 'route', 'add', '203.0.113.0/24', 'via', '198.51.100.2');
  inside(ns.router, 'sysctl', '-qw', 'net.ipv4.ip_forward=1');

  /** Starts a long-running process in a namespace and waits until its output matches `ready`. */
  const start = (name: string, ready: RegExp, ...command: string[]) =>
    new Promise<void>((resolve, reject) => {
      const child = spawn('ip', ['netns', 'exec', name, ...command], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
      children.push(child);
      let output = '';
      const onData = (chunk: Buffer) => {
        output += chunk;
        if (ready.test(output)) resolve();
      };
      child.stdout!.on('data', onData);
      child.stderr!.on('data', onData);
      child.once('exit', (code) => reject(new Error(`${command.join(' ')} exited (${code}): ${output}`)));
    });
  const common = 'no-resolv\nno-hosts\nbind-interfaces\npid-file=\nuser=root\nlog-queries\n';
  const dnsmasq = (name: string, config: string) => {
    writeFileSync(join(dir, `${name}.conf`), common + config);
    return start(name, /started, version/, 'dnsmasq', '--keep-in-foreground', '--log-facility=-', `--conf-file=${join(dir, `${name}.conf`)}`);
  };
  /** The site's resolver, with the export's fragment: the router's for the forward hook, the host's own for output. */
  const resolver = hook === 'forward' ? { ns: ns.router, address: '192.0.2.1' } : { ns: ns.client, address: '127.0.0.1' };
  const firewall = hook === 'forward' ? ns.router : ns.client;
  inside(firewall, 'nft', '-f', join(dir, 'allowlist.nft'));
  await Promise.all([
    start(ns.internet, /ready/, process.execPath, '--import', 'tsx', join(__dirname, 'netns-servers.ts'), '0.0.0.0', ...INTERNET_PORTS.map(String)),
    start(ns.client, /ready/, process.execPath, '--import', 'tsx', join(__dirname, 'netns-servers.ts'), '192.0.2.20', '8443'),
    dnsmasq(ns.internet, `listen-address=198.51.100.53\n${Object.entries(ZONE).map(([name, address]) => `address=/${name}/${address}`).join('\n')}\n`),
    dnsmasq(resolver.ns, `listen-address=${resolver.address}\nserver=198.51.100.53\nconf-file=${join(dir, 'dnsmasq-allowlist.conf')}\n`),
  ]);

  const run = (name: string, plan: Plan): Outcome => {
    const child = spawnSync('ip', ['netns', 'exec', name, process.execPath, '--import', 'tsx', join(__dirname, 'netns-client.ts')], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 60_000,
      env: { ...process.env, NETNS_PLAN: JSON.stringify({ probe: [], connect: [], timeoutMs: TIMEOUT_MS, ...plan }) },
    });
    assert.equal(child.status, 0, child.stderr);
    return JSON.parse(child.stdout) as Outcome;
  };
  return { ns, resolver, firewall, inside, run };
}

const states = (outcome: Outcome) => Object.fromEntries(outcome.connect.map((c) => [`${c.localAddress ? `${c.localAddress}→` : ''}${c.host}:${c.port}`, c.state]));
const target = (rule: string, host: string, ports: [number, number][]): ProbeTarget => ({ rule, direction: 'outbound', host, ports: ports.map(([from, to]) => ({ from, to })), protocol: 'tcp' });

/** The same verdicts whichever hook: the client reaches what the allowlist allows and nothing else, and the vendor's
 * source address (only) reaches the site's server. */
async function proveExport(t: TestContext, hook: 'forward' | 'output') {
  const missing = missingTool();
  if (missing) return t.skip(missing);
  const started = performance.now();
  const { ns, resolver, firewall, inside, run } = await topology(t, hook);

  // Allowed: the probe engine, resolving through the site's resolver (which fills the sets), reaches every port of the rules.
  const allowed = run(ns.client, {
    dns: resolver.address,
    probe: [target('app', 'app.example.test', [[8080, 8080], [8000, 8001]]), target('cdn', 'x.cdn.example.test', [[8080, 8080]]), target('cdn-special', 'y.cdn.example.test', [[8001, 8001], [8080, 8080]])],
  });
  assert.deepEqual(
    allowed.probe.map((r) => `${r.host} ${r.address}:${r.port} ${r.state}`).sort(),
    [
      'app.example.test 203.0.113.10:8000 open',
      'app.example.test 203.0.113.10:8001 open',
      'app.example.test 203.0.113.10:8080 open',
      'x.cdn.example.test 203.0.113.11:8080 open',
      'y.cdn.example.test 203.0.113.14:8001 open',
      'y.cdn.example.test 203.0.113.14:8080 open',
    ],
    JSON.stringify(allowed.probe),
  );
  const sets = inside(firewall, 'nft', 'list', 'table', 'inet', 'allowlist');
  assert.match(sets, /set app_names4 \{[^}]*elements = \{ 203\.0\.113\.10 /, 'dnsmasq filled the host-name set');
  assert.match(sets, /set cdn_names4 \{[^}]*elements = \{ 203\.0\.113\.1[14] /, 'a wildcard\'s subdomain filled its set');

  // Blocked: a port not in the rule, a resolvable name not in the file, an IP never resolved through the resolver.
  const blocked = [
    { host: 'app.example.test', port: 8002, resolveVia: resolver.address },
    { host: 'other.example.test', port: 8080, resolveVia: resolver.address },
    { host: NEVER_RESOLVED, port: 8080 },
  ];
  const fromClient = run(ns.client, { connect: blocked });
  assert.deepEqual(fromClient.connect.map((c) => c.address), ['203.0.113.10', '203.0.113.12', NEVER_RESOLVED], 'the names resolved');
  assert.deepEqual(states(fromClient), { 'app.example.test:8002': 'timeout', 'other.example.test:8080': 'timeout', [`${NEVER_RESOLVED}:8080`]: 'timeout' });
  // Control: from the router, whose own traffic the allowlist does not filter, the same servers answer, so the
  // client's timeouts are the firewall's drops (and, behind the forward hook, the site's server answers the router).
  const controls = blocked.map(({ port }, index) => ({ host: fromClient.connect[index].address, port }));
  if (hook === 'forward') controls.push({ host: '192.0.2.20', port: 8443 });
  const control = run(ns.router, { connect: controls });
  assert.ok(control.connect.every((c) => c.state === 'open'), JSON.stringify(control.connect));

  // Inbound: the vendor's source address reaches the site's server on the allowed port, another source does not.
  const inbound = run(ns.internet, {
    connect: [
      { host: '192.0.2.20', port: 8443, localAddress: '198.51.100.7' },
      { host: '192.0.2.20', port: 8443, localAddress: '198.51.100.8' },
    ],
  });
  assert.deepEqual(states(inbound), { '198.51.100.7→192.0.2.20:8443': 'open', '198.51.100.8→192.0.2.20:8443': 'timeout' });
  t.diagnostic(`${hook}: namespaces up to verdicts in ${Math.round(performance.now() - started)} ms; probe of the allowed endpoints ${allowed.probeMs} ms`);
}

test('nftables export on a real firewall (router, forward hook): allowed endpoints reachable, everything else blocked, both directions', { timeout: 120_000 }, (t) => proveExport(t, 'forward'));

test('nftables export on a single host (--hook output, its own dnsmasq): the same verdicts', { timeout: 120_000 }, (t) => proveExport(t, 'output'));

/** An outbound rule without `from` to any host matches no source: in the forward hook only the LAN interface tells
 * the site's connections from the internet's. The same export loaded with and without --lan-interface on a router
 * between a LAN server and an internet host: the site reaches the internet either way; the internet reaches the LAN
 * server only without it (the hole the export warns about). */
test('nftables export, forward hook: an outbound rule to any without `from` lets the internet in unless --lan-interface scopes it', { timeout: 60_000 }, async (t) => {
  const missing = missingTool();
  if (missing) return t.skip(missing);
  const id = `al${process.pid}s`;
  const ns = { lan: `${id}-lan`, router: `${id}-router`, wan: `${id}-wan` };
  const { dir, children } = scratch(t, ns);
  const ip = (...args: string[]) => execFileSync('ip', args, { stdio: ['ignore', 'ignore', 'pipe'] });
  for (const name of Object.values(ns)) ip('netns', 'add', name);
  ip('link', 'add', `${id}l`, 'netns', ns.lan, 'type', 'veth', 'peer', 'name', `${id}rl`, 'netns', ns.router);
  ip('link', 'add', `${id}w`, 'netns', ns.wan, 'type', 'veth', 'peer', 'name', `${id}rw`, 'netns', ns.router);
  for (const [name, link, cidr] of [[ns.lan, `${id}l`, '192.0.2.2/24'], [ns.router, `${id}rl`, '192.0.2.1/24'], [ns.router, `${id}rw`, '198.51.100.1/24'], [ns.wan, `${id}w`, '198.51.100.2/24']]) {
    ip('-n', name, 'address', 'add', cidr, 'dev', link);
    ip('-n', name, 'link', 'set', link, 'up');
  }
  ip('-n', ns.lan, 'route', 'add', 'default', 'via', '192.0.2.1');
  ip('-n', ns.wan, 'route', 'add', 'default', 'via', '198.51.100.1');
  execFileSync('ip', ['netns', 'exec', ns.router, 'sysctl', '-qw', 'net.ipv4.ip_forward=1']);
  for (const [name, host] of [[ns.lan, '192.0.2.2'], [ns.wan, '198.51.100.2']]) {
    await new Promise<void>((resolve, reject) => {
      const child = spawn('ip', ['netns', 'exec', name, process.execPath, '--import', 'tsx', join(__dirname, 'netns-servers.ts'), host, '443'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
      children.push(child);
      child.stdout!.once('data', () => resolve());
      child.once('exit', (code) => reject(new Error(`server in ${name} exited (${code})`)));
    });
  }
  const connect = (name: string, host: string) => {
    const child = spawnSync('ip', ['netns', 'exec', name, process.execPath, '--import', 'tsx', join(__dirname, 'netns-client.ts')], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, NETNS_PLAN: JSON.stringify({ probe: [], connect: [{ host, port: 443 }], timeoutMs: TIMEOUT_MS }) },
    });
    assert.equal(child.status, 0, child.stderr);
    return (JSON.parse(child.stdout) as Outcome).connect[0].state;
  };
  const web = 'allowlist: 1\noutbound:\n  - name: web\n    to: any\n    ports: [80, 443]\n';
  const verdicts = (lanInterface?: string) => {
    const result = exportAllowlist(lintText(web, { fileName: 'web.allowlist.yaml' }).model, targetById('nftables')!, { today: '2026-12-02', lanInterface });
    writeFileSync(join(dir, 'allowlist.nft'), result.files.find((file) => file.name === 'allowlist.nft')!.text);
    execFileSync('ip', ['netns', 'exec', ns.router, 'nft', '-f', join(dir, 'allowlist.nft')]);
    return { outbound: connect(ns.lan, '198.51.100.2'), inbound: connect(ns.wan, '192.0.2.2'), warned: result.warnings.some((warning) => /--lan-interface/.test(warning.message)) };
  };
  assert.deepEqual(verdicts(`${id}rl`), { outbound: 'open', inbound: 'timeout', warned: false });
  assert.deepEqual(verdicts(), { outbound: 'open', inbound: 'open', warned: true });
});
