import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import fc from 'fast-check';
import { adviceWithPort, failedEndpoints, formatMarkdown, formatSummary, formatTable, isReachable } from './format';
import { portsToProbe } from './ports';
import { bypassesProxy, proxyFromOptions } from './proxy';
import { closedPort } from '../../../test/probe/fixtures';
import { connectOnce, SocketTracker } from './tcp';
import { AdaptiveTimeout } from './timing';
import { inspectionProduct } from './tls';
import type { ProbeResult } from './types';

test('a sample takes first, last and an even spread; a sweep takes every port', () => {
  assert.deepEqual(portsToProbe([{ from: 1000, to: 1700 }], false), [1000, 1100, 1200, 1300, 1400, 1500, 1600, 1700]);
  assert.deepEqual(portsToProbe([{ from: 1000, to: 1700 }], false, [443, 1234]).includes(1234), true, 'TLS ports inside are added');
  assert.deepEqual(portsToProbe([{ from: 22, to: 22 }, { from: 20, to: 24 }], false), [20, 21, 22, 23, 24]);
  assert.equal(portsToProbe([{ from: 1000, to: 1700 }], true).length, 701);
  assert.deepEqual(portsToProbe([{ from: 70000, to: 80000 }], true), [], 'ports beyond 65535 are dropped');
});

test('samples stay inside their ranges and always include both ends', () => {
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 65535 }), fc.integer({ min: 1, max: 65535 }), (a, b) => {
      const [from, to] = a <= b ? [a, b] : [b, a];
      const ports = portsToProbe([{ from, to }], false);
      assert.ok(ports.every((p) => p >= from && p <= to));
      assert.equal(ports[0], from);
      assert.equal(ports.at(-1), to);
      assert.equal(ports.length, Math.min(8, to - from + 1));
    }),
  );
});

test('time-outs start near a second, shrink with fast answers to the floor and never pass the cap', () => {
  const timing = new AdaptiveTimeout(3000);
  assert.equal(timing.current(), 1000);
  timing.sample(1);
  timing.sample(2);
  assert.equal(timing.current(), AdaptiveTimeout.floorMs);
  const slow = new AdaptiveTimeout(3000);
  slow.sample(200);
  assert.equal(slow.current(), 200 + 4 * 100, 'srtt + 4 * rttvar after one sample');
  const capped = new AdaptiveTimeout(500);
  assert.equal(capped.current(), 500);
  capped.sample(2000);
  assert.equal(capped.current(), 500);
});

/** One mocked clock for the timers and for performance.now, which the deadlines are computed from. `advance` moves
 * both, then lets the check phase run: a time-out is decided there, after its timer (AdaptiveTimeout's `due`). */
function mockedClock(t: TestContext): { now: () => number; advance: (ms: number) => Promise<void> } {
  let now = 0;
  t.mock.method(performance, 'now', () => now);
  t.mock.timers.enable({ apis: ['setTimeout'] });
  return {
    now: () => now,
    advance: async (ms) => {
      now += ms;
      t.mock.timers.tick(ms);
      await new Promise((resolve) => setImmediate(resolve));
    },
  };
}

test('a probe in flight follows a shorter time-out at once and a longer one when its timer comes due', async (t) => {
  const { advance } = mockedClock(t);
  const shrinking = new AdaptiveTimeout(3000);
  let shrunk = false;
  shrinking.wait(performance.now(), () => (shrunk = true));
  await advance(AdaptiveTimeout.floorMs - 10);
  shrinking.sample(1);
  assert.equal(shrunk, false);
  await advance(10);
  assert.equal(shrunk, true, 'the first answer brings the 1 s guess down to the floor, which has now passed');

  const growing = new AdaptiveTimeout(3000);
  growing.sample(1);
  let grown = false;
  const startedAt = performance.now();
  growing.wait(startedAt, () => (grown = true));
  growing.sample(2000);
  const longer = growing.current();
  assert.ok(longer > 2 * AdaptiveTimeout.floorMs);
  await advance(AdaptiveTimeout.floorMs);
  assert.equal(grown, false, 'the timer set for the floor finds the longer time-out and waits on');
  await advance(longer - AdaptiveTimeout.floorMs - 1);
  assert.equal(grown, false);
  await advance(1);
  assert.equal(grown, true, 'it times out when the longer time-out has passed');
});

test('probes sharing an address time out each at its own deadline; a cancelled one never, and leaves no timer behind', async (t) => {
  const clock = mockedClock(t);
  const { advance } = clock;
  const timing = new AdaptiveTimeout(3000);
  timing.sample(1);
  const timedOut: string[] = [];
  timing.wait(clock.now(), () => timedOut.push('first'));
  await advance(30);
  timing.wait(clock.now(), () => timedOut.push('second'));
  const cancel = timing.wait(clock.now(), () => timedOut.push('cancelled'));
  cancel();
  await advance(AdaptiveTimeout.floorMs - 30);
  assert.deepEqual(timedOut, ['first']);
  await advance(30);
  assert.deepEqual(timedOut, ['first', 'second']);
  await advance(10_000);
  assert.deepEqual(timedOut, ['first', 'second']);
});

test('an address whose probes have all answered holds no timer (the CLI exits when its sweep is done)', () => {
  const timers = () => process.getActiveResourcesInfo().filter((kind) => kind === 'Timeout').length;
  const before = timers();
  const timing = new AdaptiveTimeout(3000);
  const answered = [timing.wait(performance.now(), () => assert.fail('answered')), timing.wait(performance.now(), () => assert.fail('answered'))];
  assert.ok(timers() > before);
  for (const stop of answered) stop();
  assert.equal(timers(), before);
});

test('an answer read late, after the process was busy past the time-out, counts as the answer it is', async () => {
  const closed = await closedPort();
  const timing = new AdaptiveTimeout(3000);
  timing.sample(1); // the time-out is at its floor
  // From the event loop's check phase, the timers phase comes next, before the sockets' I/O is read.
  await new Promise((resolve) => setImmediate(resolve));
  const outcome = connectOnce('127.0.0.1', closed, timing, new SocketTracker());
  await new Promise((resolve) => process.nextTick(resolve)); // net.connect connects on the next tick
  // Busy (as on a loaded machine, or a CLI still starting) while the refusal arrives and the deadline passes:
  // the timer and the refusal are then both due when the event loop next runs.
  const busyUntil = performance.now() + 2 * AdaptiveTimeout.floorMs;
  while (performance.now() < busyUntil);
  assert.equal((await outcome).kind, 'refused');
});

test('NO_PROXY: names match themselves and subdomains, IPs and CIDRs, ports, and *', () => {
  const list = 'internal.example, .corp.example, 10.0.0.0/8, 192.0.2.1, svc.example:8443';
  assert.equal(bypassesProxy('internal.example', 443, list), true);
  assert.equal(bypassesProxy('api.internal.example', 443, list), true);
  assert.equal(bypassesProxy('notinternal.example', 443, list), false);
  assert.equal(bypassesProxy('x.corp.example', 443, list), true);
  assert.equal(bypassesProxy('10.20.30.40', 443, list), true);
  assert.equal(bypassesProxy('11.0.0.1', 443, list), false);
  assert.equal(bypassesProxy('192.0.2.1', 80, list), true);
  assert.equal(bypassesProxy('svc.example', 8443, list), true);
  assert.equal(bypassesProxy('svc.example', 443, list), false);
  assert.equal(bypassesProxy('anything.example', 1, '*'), true);
  assert.equal(bypassesProxy('anything.example', 1, undefined), false);
});

test('proxy settings: explicit wins, null disables, else HTTPS_PROXY before HTTP_PROXY', () => {
  const env = { HTTPS_PROXY: 'http://s:3128', HTTP_PROXY: 'http://p:3128', NO_PROXY: 'local' };
  assert.deepEqual(proxyFromOptions(undefined, env), { url: 'http://s:3128', noProxy: 'local' });
  assert.deepEqual(proxyFromOptions({ url: 'http://vscode:8080' }, env), { url: 'http://vscode:8080', noProxy: 'local' });
  assert.equal(proxyFromOptions(null, env), undefined);
  assert.equal(proxyFromOptions(undefined, {}), undefined);
});

test('issuers naming an inspection product are recognised', () => {
  assert.equal(inspectionProduct(['FG200F3917800000, Fortinet']), 'fortinet');
  assert.equal(inspectionProduct(['Zscaler Intermediate Root CA, Zscaler Inc.']), 'zscaler');
  assert.equal(inspectionProduct(["R11, Let's Encrypt", 'ISRG Root X1']), undefined);
});

function result(partial: Partial<ProbeResult>): ProbeResult {
  return {
    rule: 'r',
    direction: 'outbound',
    host: 'h',
    address: '192.0.2.1',
    port: 443,
    protocol: 'tcp',
    state: 'open',
    ms: 1,
    detail: '',
    advice: 'reachable',
    via: 'direct',
    required: true,
    ...partial,
  };
}

test('an endpoint fails only when none of its addresses is reachable and it is required', () => {
  const results = [
    result({ rule: 'dual', address: '192.0.2.1', state: 'open' }),
    result({ rule: 'dual', address: '2001:db8::1', state: 'unreachable' }),
    result({ rule: 'down', state: 'filtered' }),
    result({ rule: 'optional', state: 'closed', required: false }),
    result({ rule: 'wild', state: 'not-probed', port: 0 }),
  ];
  assert.deepEqual(failedEndpoints(results).map((r) => r.rule), ['down']);
});

test('an open port where TLS inspection or SNI filtering is suspected is not reachable: the endpoint fails', () => {
  const tls = { subject: 's', issuer: 'FortiGate CA', validTo: '', publicRoot: false, inspectionSuspected: true, sniFilteringSuspected: false };
  const inspected = result({ rule: 'inspected', tls, advice: 'TLS is intercepted (issuer "FortiGate CA"): exempt h from TLS inspection' });
  const filtered = result({ rule: 'sni', tls: { ...tls, issuer: '', inspectionSuspected: false, sniFilteringSuspected: true }, advice: 'allow h in its URL/SNI filter' });
  const untrusted = result({ rule: 'expired', tls: { ...tls, issuer: "Let's Encrypt", publicRoot: false, inspectionSuspected: false, error: 'certificate has expired' } });
  assert.equal(isReachable(inspected), false);
  assert.equal(isReachable(filtered), false);
  assert.equal(isReachable(untrusted), true, 'a certificate problem without inspection is still reachable');
  const results = [result({ rule: 'ok' }), inspected, filtered, untrusted, result({ rule: 'inspected', address: '192.0.2.2', tls, required: true })];
  assert.deepEqual(failedEndpoints(results).map((r) => r.rule), ['inspected', 'sni']);
  assert.equal(
    formatSummary(results, 42),
    [
      '2 required endpoint(s) not reachable: inspected h:443, sni h:443',
      '  inspected h:443: TLS inspection suspected: TLS is intercepted (issuer "FortiGate CA"): exempt h from TLS inspection',
      '  sni h:443: SNI filtering suspected: allow h in its URL/SNI filter',
      '',
    ].join('\n'),
  );
  assert.equal(formatSummary([result({})], 42), 'all required endpoints reachable (1 probes in 42 ms)\n');
});

test('the text table aligns its columns; Markdown escapes pipes and keeps the detail', () => {
  const results = [
    result({ rule: 'a', host: 'short.example', tls: { subject: 's', issuer: 'FortiGate CA', validTo: '', publicRoot: false, inspectionSuspected: true, sniFilteringSuspected: false } }),
    result({ rule: 'a-much-longer-rule', host: 'h', state: 'filtered', port: 8443, ms: 1234, detail: 'no | answer' }),
  ];
  const lines = formatTable(results).trimEnd().split('\n');
  const stateColumn = lines[0].indexOf('state');
  assert.equal(lines[2].indexOf('open'), stateColumn);
  assert.equal(lines[3].indexOf('filtered'), stateColumn);
  assert.match(lines[2], /FortiGate CA \(inspection\?\)/);
  assert.ok(formatTable(results, { width: 60 }).split('\n').every((l) => l.length <= 60));
  const md = formatMarkdown(results);
  assert.match(md, /^\| rule \| host \| address \| port \| state \| ms \| TLS issuer \| detail \| advice \|$/m);
  assert.match(md, /no \\\| answer/);
});

test('an advice names the range instead of its port wherever the port is not a part of an IPv6 address or a longer number', () => {
  // The rule as a regular expression (what the summary used to build per result) is the reference.
  const reference = (advice: string, port: number, ports: string) => advice.replace(new RegExp(`:${port}(?![\\d\\]]|:[\\da-f])`, 'gi'), () => `:${ports}`);
  const piece = fc.constantFrom(':', ']', '[', '4', '3', '44', '443', '4430', 'a', 'F', 'g', ' ', '10.0.0.5', '2001:db8::', '.');
  fc.assert(
    fc.property(fc.array(piece, { maxLength: 12 }), fc.constantFrom(4, 43, 443), (pieces, port) => {
      const advice = pieces.join('');
      const result = { port, advice } as ProbeResult;
      assert.equal(adviceWithPort(result, '7000-7050'), reference(advice, port, '7000-7050'));
    }),
    { numRuns: 2000 },
  );
  assert.equal(adviceWithPort({ port: 443, advice: '10.0.0.5:443 and [2001:db8::1]:443, not 2001:db8:443:1::5 or :4430' } as ProbeResult, '443-445'), '10.0.0.5:443-445 and [2001:db8::1]:443-445, not 2001:db8:443:1::5 or :4430');
});

test('a sweep summary names port ranges: consecutive ports that failed alike are one range, not one line each', () => {
  const swept = (port: number): ProbeResult =>
    port <= 7050
      ? result({ rule: 'sweep', host: '192.0.2.1', port, state: 'filtered', advice: `a firewall drops traffic to 192.0.2.1:${port}: ask for rule "sweep" to be opened` })
      : result({ rule: 'sweep', host: '192.0.2.1', port, state: 'closed', advice: `192.0.2.1:${port} answered but nothing accepts connections` });
  const results = [...Array.from({ length: 101 }, (_, i) => swept(7000 + i)), result({ rule: 'sweep', host: '192.0.2.1', port: 7200, state: 'filtered', advice: 'a firewall drops traffic to 192.0.2.1:7200: ask for rule "sweep" to be opened' })];
  assert.equal(
    formatSummary(results, 42),
    [
      '102 required endpoint(s) not reachable: sweep 192.0.2.1:7000-7050, sweep 192.0.2.1:7051-7100, sweep 192.0.2.1:7200',
      '  sweep 192.0.2.1:7000-7050: filtered: a firewall drops traffic to 192.0.2.1:7000-7050: ask for rule "sweep" to be opened',
      '  sweep 192.0.2.1:7051-7100: closed: 192.0.2.1:7051-7100 answered but nothing accepts connections',
      '  sweep 192.0.2.1:7200: filtered: a firewall drops traffic to 192.0.2.1:7200: ask for rule "sweep" to be opened',
      '',
    ].join('\n'),
  );
  const v6 = [80, 81].map((port) => result({ rule: 'v6', host: '2001:db8::80', address: '2001:db8::80', port, state: 'closed', advice: `[2001:db8::80]:${port} answered` }));
  assert.match(formatSummary(v6, 1), /^ {2}v6 2001:db8::80:80-81: closed: \[2001:db8::80\]:80-81 answered$/m, 'the port is replaced, not a part of the IPv6 address');
});
