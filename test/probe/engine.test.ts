import assert from 'node:assert/strict';
import net from 'node:net';
import tls from 'node:tls';
import { after, before, describe, test } from 'node:test';
import { probe, type ProbeTarget, resolveHost } from '../../src/core/probe';
import { closeAtOnce, closedPort, closedUdpPort, connectProxy, dnsServer, listen, makeCerts, settledSocketCount, silentServer } from './fixtures';

const tcp = (rule: string, host: string, ports: number[], extra: Partial<ProbeTarget> = {}): ProbeTarget => ({
  rule,
  direction: 'outbound',
  host,
  ports: ports.map((p) => ({ from: p, to: p })),
  protocol: 'tcp',
  ...extra,
});
// Keep tests independent of the proxy settings of whoever runs them.
const noProxy = { proxy: null, timeoutMs: 2000 } as const;

describe('probe engine against local servers', () => {
  let openPort: number;
  let closed: number;
  let tlsPort: number;
  let resetPort: number;
  let dns: Awaited<ReturnType<typeof dnsServer>>;
  let certs: ReturnType<typeof makeCerts>;
  const servers: net.Server[] = [];

  before(async () => {
    const plain = net.createServer(closeAtOnce);
    servers.push(plain);
    openPort = await listen(plain);
    closed = await closedPort();
    certs = makeCerts('tls.test');
    const secure = tls.createServer({ cert: certs.cert, key: certs.key }, (s) => s.end());
    secure.on('tlsClientError', () => {});
    servers.push(secure);
    tlsPort = await listen(secure);
    // Resets the connection on the first bytes (the ClientHello), as an SNI filter does.
    const resetter = net.createServer((s) => s.once('data', () => s.resetAndDestroy()));
    servers.push(resetter);
    resetPort = await listen(resetter);
    dns = await dnsServer({
      'app.test': { a: ['127.0.0.1'] },
      'tls.test': { a: ['127.0.0.1'] },
      'gone.test': 'nxdomain',
      'broken.test': 'servfail',
      'silent.test': 'silent',
    });
  });
  after(async () => {
    await dns.close();
    await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  });

  test('an accepting port is open and a port nobody listens on is closed', async () => {
    const run = await probe([tcp('app', '127.0.0.1', [openPort, closed])], noProxy);
    const byPort = new Map(run.results.map((r) => [r.port, r]));
    assert.equal(byPort.get(openPort)?.state, 'open');
    assert.equal(byPort.get(closed)?.state, 'closed');
    assert.equal(byPort.get(openPort)?.via, 'direct');
    assert.equal(run.results.length, 2);
  });

  test('a hostname is resolved through the given DNS server and each address probed', async () => {
    const run = await probe([tcp('app', 'app.test', [openPort])], { ...noProxy, dns: { servers: [dns.server] } });
    assert.equal(run.results.length, 1);
    assert.deepEqual(
      { address: run.results[0].address, state: run.results[0].state, hasDnsTime: typeof run.results[0].dnsMs },
      { address: '127.0.0.1', state: 'open', hasDnsTime: 'number' },
    );
  });

  test('DNS lookups in flight are bounded by the concurrency, as connections are (each takes a socket)', async () => {
    const names = Array.from({ length: 12 }, (_, i) => `quiet${i}.test`);
    const zone = await dnsServer(Object.fromEntries(names.map((name) => [name, 'silent' as const])));
    try {
      const timeoutMs = 300;
      const run = await probe(names.map((name) => tcp(name, name, [openPort])), { ...noProxy, dns: { servers: [zone.server] }, timeoutMs, concurrency: 4 });
      assert.ok(run.results.every((result) => result.state === 'dns-error'));
      // The first question for each name: the fifth name is asked only once one of the first four has given up.
      const firsts = names.map((name) => Math.min(...zone.queries.filter((query) => query.name === name).map((query) => query.at))).sort((a, b) => a - b);
      assert.ok(firsts[4] - firsts[0] >= timeoutMs * 0.9, `the fifth name was asked ${Math.round(firsts[4] - firsts[0])} ms after the first`);
    } finally {
      await zone.close();
    }
  });

  test('resolveHost returns every A and AAAA address', async () => {
    const zone = await dnsServer({ 'multi.test': { a: ['192.0.2.1', '192.0.2.2'], aaaa: ['2001:db8::1', '2001:db8::2'] } });
    try {
      const answer = await resolveHost('multi.test', { servers: [zone.server], timeoutMs: 2000 });
      assert.deepEqual(answer.addresses.sort(), ['192.0.2.1', '192.0.2.2', '2001:db8::1', '2001:db8::2']);
      assert.equal(answer.failure, undefined);
    } finally {
      await zone.close();
    }
  });

  test('NXDOMAIN, SERVFAIL and a silent DNS server are told apart', async () => {
    const run = await probe(
      [tcp('a', 'gone.test', [openPort]), tcp('b', 'broken.test', [openPort]), tcp('c', 'silent.test', [openPort])],
      { ...noProxy, timeoutMs: 600, dns: { servers: [dns.server] } },
    );
    assert.deepEqual(run.results.map((r) => r.state), ['dns-error', 'dns-error', 'dns-error']);
    assert.match(run.results[0].detail, /^NXDOMAIN/);
    assert.match(run.results[1].detail, /^SERVFAIL/);
    assert.match(run.results[2].detail, new RegExp(`^time-out: no answer from the DNS server ${dns.server}`));
    assert.notEqual(run.results[0].advice, run.results[1].advice);
  });

  test('a DNS server that refuses, or that nothing answers for, is named in the detail', async () => {
    const refusing = await dnsServer({ 'app.test': 'refused' });
    const nobody = `127.0.0.1:${await closedUdpPort()}`;
    try {
      const refused = await probe([tcp('a', 'app.test', [openPort])], { ...noProxy, dns: { servers: [refusing.server] } });
      const unreachable = await probe([tcp('a', 'app.test', [openPort])], { ...noProxy, dns: { servers: [nobody] } });
      assert.equal(refused.results[0].state, 'dns-error');
      assert.match(refused.results[0].detail, new RegExp(`^REFUSED: the DNS server ${refusing.server} refused the query .*this machine's resolver and /etc/hosts are not asked`));
      assert.match(refused.results[0].advice, /ask its administrator/);
      assert.equal(unreachable.results[0].state, 'dns-error');
      assert.match(unreachable.results[0].detail, new RegExp(`^the DNS server ${nobody} cannot be reached`));
      assert.match(unreachable.results[0].advice, /DNS server address and port/);
    } finally {
      await refusing.close();
    }
  });

  test('localhost is this machine\'s name (/etc/hosts), also when the given DNS server refuses it', async () => {
    const refusing = await dnsServer({ localhost: 'refused' });
    try {
      const run = await probe([tcp('local', 'localhost', [openPort])], { ...noProxy, dns: { servers: [refusing.server] } });
      const states = run.results.map((r) => [r.address, r.state]);
      assert.ok(states.length > 0 && states.every(([address]) => address === '127.0.0.1' || address === '::1'), JSON.stringify(states));
      assert.ok(states.some(([address, state]) => address === '127.0.0.1' && state === 'open'), JSON.stringify(states));
    } finally {
      await refusing.close();
    }
  });

  test('a certificate from the trusted test CA chains to a root and is not called inspection', async () => {
    const run = await probe([tcp('web', 'tls.test', [tlsPort], { tlsPorts: [tlsPort] })], {
      ...noProxy,
      dns: { servers: [dns.server] },
      ca: [certs.ca],
    });
    const { tls: info, state } = run.results[0];
    assert.equal(state, 'open');
    assert.equal(info?.subject, 'tls.test');
    assert.equal(info?.issuer, 'FortiGate Test CA');
    assert.equal(info?.publicRoot, true);
    assert.equal(info?.inspectionSuspected, false);
    assert.equal(info?.error, undefined, 'SNI tls.test matches the certificate');
    assert.ok(info && Date.parse(info.validTo) > Date.now());
  });

  test('the same certificate without its CA looks like TLS inspection', async () => {
    const run = await probe([tcp('web', 'tls.test', [tlsPort], { tlsPorts: [tlsPort] })], {
      ...noProxy,
      dns: { servers: [dns.server] },
    });
    const r = run.results[0];
    assert.equal(r.tls?.publicRoot, false);
    assert.equal(r.tls?.inspectionSuspected, true);
    assert.match(r.advice, /TLS inspection/);
  });

  test('a reset right after the ClientHello is reported as suspected SNI filtering', async () => {
    const run = await probe([tcp('web', 'app.test', [resetPort], { tlsPorts: [resetPort] })], {
      ...noProxy,
      dns: { servers: [dns.server] },
    });
    assert.equal(run.results[0].state, 'open');
    assert.equal(run.results[0].tls?.sniFilteringSuspected, true);
    assert.match(run.results[0].advice, /SNI/);
  });

  test('wildcards, ranges and UDP are listed as not probed, with the reason', async () => {
    const run = await probe(
      [
        tcp('wild', '*.example.com', [443]),
        tcp('net', '192.0.2.0/24', [443]),
        { ...tcp('dns', '192.0.2.53', [53]), protocol: 'udp' },
      ],
      noProxy,
    );
    assert.deepEqual(run.results.map((r) => r.state), ['not-probed', 'not-probed', 'not-probed']);
    assert.match(run.results[0].detail, /wildcard: not probeable/);
    assert.match(run.results[1].detail, /CIDR/);
    assert.match(run.results[2].detail, /^udp: not probed because/);
  });

  test('a service that accepts and resets at once is open (outbound) and listening (inbound), every time', async () => {
    // Its reset can come before the connect is seen or after it: both are the same answer.
    const rude = net.createServer((socket) => socket.resetAndDestroy());
    const port = await listen(rude);
    try {
      for (let round = 0; round < 10; round++) {
        const run = await probe([tcp('rude', '127.0.0.1', [port]), { ...tcp('rude-in', '127.0.0.1', [port]), direction: 'inbound' }], noProxy);
        assert.deepEqual(
          run.results.map((result) => result.state),
          ['open', 'listening'],
          JSON.stringify(run.results.map((result) => result.detail)),
        );
      }
    } finally {
      await new Promise((resolve) => rude.close(resolve));
    }
  });

  test('inbound targets probe the rule\'s own `to` address and name the vendor sources', async () => {
    const inbound = (rule: string, host: string, ports: number[], extra: Partial<ProbeTarget> = {}): ProbeTarget => ({
      ...tcp(rule, host, ports),
      direction: 'inbound',
      sources: ['198.51.100.0/24'],
      ...extra,
    });
    const run = await probe(
      [
        inbound('ip', '127.0.0.1', [openPort, closed]),
        inbound('name', 'app.test', [openPort], { sources: ['34.202.14.153', '3.209.57.193'], sourcesOf: 'Helpdesk Buttons' }),
        // Without the fix these two were probed on 127.0.0.1 (and the open port called "listening").
        inbound('nx', 'gone.test', [openPort]),
        inbound('net', '10.20.0.0/24', [openPort]),
        inbound('anywhere', 'any', [openPort]),
      ],
      { ...noProxy, dns: { servers: [dns.server] } },
    );
    const rows = run.results.map((r) => [r.rule, r.address, r.port, r.state]);
    // A rule's results come in port order; the test's two ports are picked by the system.
    const ipRows: (string | number)[][] = [
      ['ip', '127.0.0.1', openPort, 'listening'],
      ['ip', '127.0.0.1', closed, 'not-listening'],
    ];
    assert.deepEqual(rows, [
      ...ipRows.sort((a, b) => Number(a[2]) - Number(b[2])),
      ['name', '127.0.0.1', openPort, 'listening'],
      ['nx', 'gone.test', 0, 'dns-error'],
      ['net', '10.20.0.0/24', 0, 'not-probed'],
      ['anywhere', 'any', 0, 'not-probed'],
    ]);
    const [ip, refused] = [openPort, closed].map((port) => run.results.find((r) => r.rule === 'ip' && r.port === port)!);
    const [name, nx, net24, anywhere] = run.results.slice(2);
    assert.match(ip.detail, /127\.0\.0\.1:\d+ accepts connections; the rule allows connections from 198\.51\.100\.0\/24/);
    // Vendor wording only where the sources are a vendor's: these rules have none.
    for (const r of [ip, refused, nx, net24, anywhere]) assert.doesNotMatch(`${r.detail} ${r.advice}`, /vendor/i, `${r.rule}: ${r.detail} ${r.advice}`);
    assert.equal(ip.advice, 'the service listens; test it from one of the sources');
    assert.equal(name.advice, 'the service listens; ask Helpdesk Buttons to test from their side');
    assert.match(refused.advice, /nothing listens on 127\.0\.0\.1:\d+/);
    assert.equal(typeof name.dnsMs, 'number', 'a hostname `to` is resolved');
    assert.match(name.detail, /Helpdesk Buttons connects from 34\.202\.14\.153, 3\.209\.57\.193 \(its catalog\)/);
    assert.match(nx.detail, /^NXDOMAIN/);
    assert.match(net24.detail, /cannot be tested: 10\.20\.0\.0\/24 is a range of addresses/);
    assert.match(anywhere.detail, /cannot be tested: `to: any`/);
    assert.match(anywhere.detail, /198\.51\.100\.0\/24/, 'the sources are named even when the target cannot be tested');
  });

  test('progress is reported once per result with the final total', async () => {
    const seen: [number, number][] = [];
    const run = await probe([tcp('app', '127.0.0.1', [openPort, closed]), tcp('wild', '*.x.test', [1])], {
      ...noProxy,
      onProgress: (done, total) => seen.push([done, total]),
    });
    assert.deepEqual(seen.map(([d]) => d), [1, 2, 3]);
    assert.ok(seen.every(([, total]) => total === run.results.length));
  });

  test('through an HTTP proxy, CONNECT answers decide the state and NO_PROXY goes direct', async () => {
    const proxy = await connectProxy(['denied.test']);
    try {
      const run = await probe(
        [
          tcp('open', 'tunnel.test', [openPort]),
          tcp('closed', 'tunnel.test', [closed]),
          tcp('denied', 'denied.test', [openPort]),
          tcp('bypass', '127.0.0.1', [openPort]),
          tcp('tls', 'tls.test', [tlsPort], { tlsPorts: [tlsPort] }),
        ],
        { timeoutMs: 2000, env: { HTTPS_PROXY: `http://127.0.0.1:${proxy.port}`, NO_PROXY: 'localhost,127.0.0.1' }, ca: [certs.ca] },
      );
      const byRule = new Map(run.results.map((r) => [r.rule, r]));
      assert.deepEqual(
        ['open', 'closed', 'denied', 'bypass', 'tls'].map((rule) => [rule, byRule.get(rule)?.state, byRule.get(rule)?.via]),
        [
          ['open', 'open', 'proxy'],
          ['closed', 'closed', 'proxy'],
          ['denied', 'filtered', 'proxy'],
          ['bypass', 'open', 'direct'],
          ['tls', 'open', 'proxy'],
        ],
      );
      assert.match(byRule.get('closed')?.detail ?? '', /502/);
      assert.equal(byRule.get('tls')?.tls?.publicRoot, true, 'TLS runs inside the tunnel, SNI tls.test');
      assert.ok(!proxy.requests.some((r) => r.startsWith('127.0.0.1:')), 'NO_PROXY host went direct');
      assert.ok(proxy.requests.includes(`tunnel.test:${openPort}`));
    } finally {
      await proxy.close();
    }
  });

  test('a dead proxy makes endpoints unreachable, naming the proxy', async () => {
    const port = await closedPort();
    const run = await probe([tcp('x', 'tunnel.test', [openPort])], { timeoutMs: 2000, proxy: { url: `http://127.0.0.1:${port}` } });
    assert.equal(run.results[0].state, 'unreachable');
    assert.match(run.results[0].detail, new RegExp(`127\\.0\\.0\\.1:${port}.*ECONNREFUSED`));
  });

  test('pinned IPs: a rule listing only the IP is checked against the vendor hostnames it names, resolved by the probe', async () => {
    // No target has the hostname itself (the usual mistake): the engine resolves the vendor's names.
    const run = await probe(
      [
        tcp('vendor-by-ip', '127.0.0.1', [openPort], { pinningHosts: ['app.test', 'gone.test', 'tls.test'] }),
        tcp('other-ip', '127.0.0.1', [openPort], { pinningHosts: ['gone.test'] }),
        tcp('no-vendor', '127.0.0.1/32', [openPort]),
        // A second rule of the same name, not checked (no vendor hostnames): the advice is not its.
        tcp('vendor-by-ip', '127.0.0.1', [closed]),
      ],
      { ...noProxy, dns: { servers: [dns.server] } },
    );
    assert.deepEqual(
      run.pinned.map((p) => [p.rule, p.address, p.hostnames]),
      [['vendor-by-ip', '127.0.0.1', ['app.test', 'tls.test']]],
    );
    const row = run.results.find((r) => r.rule === 'vendor-by-ip' && r.port === openPort)!;
    assert.equal(row.state, 'open');
    assert.match(row.advice, /^reachable; rule "vendor-by-ip" allows 127\.0\.0\.1, which is currently an address of app\.test, tls\.test;.*by hostname/);
    assert.equal(run.results.find((r) => r.rule === 'other-ip')!.advice, 'reachable');
    assert.doesNotMatch(run.results.find((r) => r.rule === 'vendor-by-ip' && r.port === closed)!.advice, /by hostname/);
  });

  test('aborting destroys every socket, including TLS handshakes left hanging', async () => {
    const silent = await Promise.all(Array.from({ length: 8 }, () => silentServer()));
    try {
      const before = await settledSocketCount();
      const controller = new AbortController();
      const ports = silent.map((s) => s.port);
      const running = probe([tcp('hang', '127.0.0.1', ports, { tlsPorts: ports })], { ...noProxy, signal: controller.signal });
      const connections = () =>
        Promise.all(silent.map((s) => new Promise<number>((r) => s.server.getConnections((_, n) => r(n)))));
      for (let i = 0; i < 200 && (await connections()).reduce((a, b) => a + b, 0) < ports.length; i++) {
        await new Promise((r) => setTimeout(r, 10));
      }
      assert.equal((await connections()).reduce((a, b) => a + b, 0), ports.length, 'all handshakes in flight');
      controller.abort();
      await assert.rejects(running, { name: 'AbortError' });
      for (let i = 0; i < 200 && (await connections()).some((n) => n > 0); i++) await new Promise((r) => setTimeout(r, 10));
      assert.deepEqual(await connections(), ports.map(() => 0), 'the servers saw every connection close');
      assert.equal(await settledSocketCount(), before);
    } finally {
      await Promise.all(silent.map((s) => s.close()));
    }
  });
});
