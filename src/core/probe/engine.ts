import net from 'node:net';
import { singleAddress, unprobeableKind } from './address';
import { resolveHost, type DnsAnswer } from './dns';
import { pinnedAddresses, withPinnedAdvice } from './pinning';
import { portsToProbe } from './ports';
import { bypassesProxy, connectViaProxy, proxyFromOptions, proxyLabel } from './proxy';
import { connectOnce, SELF_CONNECT, SocketTracker, type ConnectOutcome } from './tcp';
import { AdaptiveTimeout } from './timing';
import { tlsHandshake } from './tls';
import type { ProbeOptions, ProbeResult, ProbeRun, ProbeTarget, ProxyConfig, TlsInfo } from './types';

export { singleAddress } from './address';

/** `run(task)` runs at most `limit` tasks at once; the others wait, in the order they came, for one to end. */
function limited(limit: number): <T>(task: () => Promise<T>) => Promise<T> {
  let running = 0;
  const waiting: (() => void)[] = [];
  return async (task) => {
    if (running >= limit) await new Promise<void>((start) => waiting.push(start));
    else running++;
    try {
      return await task();
    } finally {
      const next = waiting.shift();
      if (next) next();
      else running--;
    }
  };
}

type Base = Pick<ProbeResult, 'rule' | 'direction' | 'host' | 'protocol' | 'required'>;
type Slot = ProbeResult | (() => Promise<ProbeResult>);

interface Context {
  timeoutMs: number;
  tracker: SocketTracker;
  timing: Map<string, AdaptiveTimeout>;
  proxy?: ProxyConfig;
  ca?: string[];
  signal?: AbortSignal;
}

/** Probes every endpoint of `targets` from this machine. Rejects with an AbortError when `signal`
 * aborts, after destroying every socket it opened. */
export async function probe(targets: ProbeTarget[], options: ProbeOptions = {}): Promise<ProbeRun> {
  const startedAt = new Date();
  const started = performance.now();
  const { signal } = options;
  signal?.throwIfAborted();
  const ctx: Context = {
    timeoutMs: options.timeoutMs ?? 3000,
    tracker: new SocketTracker(),
    timing: new Map(),
    proxy: proxyFromOptions(options.proxy, options.env ?? process.env),
    ca: options.ca,
    signal,
  };
  const onAbort = () => ctx.tracker.destroyAll();
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    const dnsCache = new Map<string, Promise<DnsAnswer>>();
    // Lookups in flight are bounded as connections are: 400 names at once took 400 sockets, and past the process's
    // limit on open files (256 by default on macOS) each lookup that could not open one read as a DNS failure.
    const lookup = limited(options.concurrency ?? 64);
    const resolve = (host: string) => {
      let answer = dnsCache.get(host);
      if (!answer) {
        answer = lookup(() => resolveHost(host, { servers: options.dns?.servers, timeoutMs: ctx.timeoutMs, signal }));
        dnsCache.set(host, answer);
      }
      return answer;
    };
    // The pinning check only looks names up: it runs beside the probes, sharing their DNS answers.
    const pinning = pinnedAddresses(targets, resolve);
    pinning.catch(() => undefined);
    const planned = await Promise.all(targets.map((t) => plan(t, options.sweep ?? false, ctx, resolve)));
    const slots = planned.flat();
    const results: ProbeResult[] = new Array(slots.length);
    let done = 0;
    const record = (index: number, result: ProbeResult) => {
      results[index] = result;
      options.onProgress?.(++done, slots.length, result);
    };
    slots.forEach((slot, i) => typeof slot !== 'function' && record(i, slot));
    const pending = slots.flatMap((slot, i) => (typeof slot === 'function' ? [{ slot, i }] : []));
    let next = 0;
    const worker = async () => {
      while (next < pending.length && !signal?.aborted) {
        const { slot, i } = pending[next++];
        const result = await slot();
        if (!signal?.aborted) record(i, result);
      }
    };
    const workers = Math.max(1, Math.min(options.concurrency ?? 64, pending.length));
    await Promise.all(Array.from({ length: workers }, worker));
    const pinned = await pinning;
    signal?.throwIfAborted();
    return {
      results: withPinnedAdvice(results, pinned, planned.flatMap((rows, i) => rows.map(() => targets[i]))),
      pinned,
      startedAt: startedAt.toISOString(),
      ms: Math.round(performance.now() - started),
    };
  } finally {
    signal?.removeEventListener('abort', onAbort);
    ctx.tracker.destroyAll();
  }
}

/** The result slots of one target: finished results where nothing needs probing, else probes. */
async function plan(
  target: ProbeTarget,
  sweep: boolean,
  ctx: Context,
  resolve: (host: string) => Promise<DnsAnswer>,
): Promise<Slot[]> {
  const base: Base = {
    rule: target.rule,
    direction: target.direction,
    host: target.host,
    protocol: target.protocol,
    required: target.required ?? true,
  };
  const notProbed = (detail: string, advice: string): ProbeResult => ({
    ...base,
    address: target.host,
    port: 0,
    state: 'not-probed',
    ms: 0,
    detail,
    advice,
    via: 'direct',
  });
  if (target.protocol === 'udp') {
    return [
      notProbed(
        'udp: not probed because a silent UDP port looks the same whether it is open or dropped',
        'test it with the application that uses it',
      ),
    ];
  }
  const udpNote = target.protocol === 'any' ? '; udp not probed' : '';
  const tlsPorts = [443, ...(target.tlsPorts ?? [])];
  const ports = portsToProbe(target.ports, sweep, tlsPorts);
  if (ports.length === 0) return [notProbed('no ports to probe', 'give the rule its ports')];

  if (target.direction === 'inbound') return planInbound(target, base, ports, udpNote, ctx, resolve, notProbed);

  const host = target.host.trim();
  const kind = unprobeableKind(host);
  if (kind === 'any') return [notProbed('any: every address, not an endpoint; not probed', 'name the hosts the rule is for and probe those')];
  if (kind === 'wildcard') {
    return [notProbed('wildcard: not probeable', `probe the concrete hostnames under ${host.replace(/^\*\.?/, '')} instead`)];
  }
  if (kind === 'cidr') return [notProbed(`CIDR ${host}: a range of addresses, not probed`, 'probe a specific address of the range')];
  const single = singleAddress(host);
  const isTls = (port: number) => tlsPorts.includes(port);
  const servername = single === undefined ? host : undefined;

  if (ctx.proxy && !ports.every((port) => bypassesProxy(host, port, ctx.proxy?.noProxy))) {
    const proxy = ctx.proxy;
    return ports.map((port) =>
      bypassesProxy(host, port, proxy.noProxy)
        ? () => direct(base, single ?? host, port, isTls(port), servername, udpNote, ctx)
        : () => viaProxy(base, proxy, single ?? host, port, isTls(port), servername, udpNote, ctx),
    );
  }
  if (single !== undefined) {
    return ports.map((port) => () => direct(base, single, port, isTls(port), servername, udpNote, ctx));
  }
  const answer = await resolve(host);
  if (answer.addresses.length === 0) return [dnsErrorResult(base, host, answer, answer.detail)];
  return answer.addresses.flatMap((address) =>
    ports.map(
      (port) => async () => ({
        ...(await direct(base, address, port, isTls(port), servername, udpNote, ctx)),
        dnsMs: answer.ms,
      }),
    ),
  );
}

/** The one result for a host whose name did not resolve. */
function dnsErrorResult(base: Base, host: string, answer: DnsAnswer, detail: string): ProbeResult {
  return { ...base, address: host, port: 0, state: 'dns-error', ms: answer.ms, dnsMs: answer.ms, detail, advice: dnsAdvice(answer), via: 'direct' };
}

/** Inbound rules cannot be tested from inside (the vendor's side is on the internet): this checks that
 * the local target, the rule's `to` address(es) and ports, accepts connections, and says where the
 * vendor connects from. `any`, wildcards and networks wider than one address cannot be tested. */
async function planInbound(
  target: ProbeTarget,
  base: Base,
  ports: number[],
  udpNote: string,
  ctx: Context,
  resolve: (host: string) => Promise<DnsAnswer>,
  notProbed: (detail: string, advice: string) => ProbeResult,
): Promise<Slot[]> {
  const host = target.host.trim();
  // Vendor wording only where the sources are a vendor's (its catalog's); else they are the rule's own `from`.
  const who = target.sourcesOf;
  const from = target.sources?.length
    ? who
      ? `${who} connects from ${target.sources.join(', ')} (its catalog)`
      : `the rule allows connections from ${target.sources.join(', ')}`
    : `${who ?? 'the rule'}'s sources are not specified`;
  const client = who ?? 'the sources';
  const note = `${from}${udpNote}`;
  const kind = unprobeableKind(host);
  if (kind) {
    const what =
      kind === 'any'
        ? `\`to: any\` names every address, not the service ${client} connect${who ? 's' : ''} to`
        : kind === 'wildcard'
          ? `${host} is a wildcard, not the address of the service ${client} connect${who ? 's' : ''} to`
          : `${host} is a range of addresses: which one runs the service is not known`;
    return [
      notProbed(
        `inbound: cannot be tested: ${what}; ${note}`,
        `narrow \`to\` to the address of the service ${client} connect${who ? 's' : ''} to (least privilege), then probe it`,
      ),
    ];
  }
  const single = singleAddress(host);
  if (single !== undefined) return ports.map((port) => () => probeListening(base, single, port, note, who, ctx));
  const answer = await resolve(host);
  if (answer.addresses.length === 0) return [dnsErrorResult(base, host, answer, `${answer.detail}; inbound: ${note}`)];
  return answer.addresses.flatMap((address) =>
    ports.map((port) => async () => ({ ...(await probeListening(base, address, port, note, who, ctx)), dnsMs: answer.ms })),
  );
}

function timingFor(ctx: Context, address: string): AdaptiveTimeout {
  let timing = ctx.timing.get(address);
  if (!timing) {
    timing = new AdaptiveTimeout(ctx.timeoutMs);
    ctx.timing.set(address, timing);
  }
  return timing;
}

/** Connects, trying once more when the first attempt is not answered; answers feed the RTT estimate. */
async function connectWithRetry(address: string, port: number, ctx: Context): Promise<ConnectOutcome> {
  const timing = timingFor(ctx, address);
  let outcome: ConnectOutcome | undefined;
  for (let attempt = 0; attempt < 2 && !ctx.signal?.aborted; attempt++) {
    outcome = await connectOnce(address, port, timing, ctx.tracker);
    if (outcome.kind === 'connected' || outcome.kind === 'refused' || outcome.kind === 'reset') timing.sample(outcome.ms);
    if (outcome.kind !== 'timeout') break;
  }
  return outcome ?? { kind: 'error', ms: 0, code: 'ECANCELLED' };
}

async function direct(
  base: Base,
  address: string,
  port: number,
  tlsPort: boolean,
  servername: string | undefined,
  note: string,
  ctx: Context,
): Promise<ProbeResult> {
  const outcome = await connectWithRetry(address, port, ctx);
  const where = endpointText(address, port);
  const result = { ...base, address, port, ms: outcome.ms, via: 'direct' as const };
  switch (outcome.kind) {
    case 'connected': {
      const tls = tlsPort ? await handshake(outcome.socket, servername, ctx) : (outcome.socket.destroy(), undefined);
      return { ...result, state: 'open', detail: `connected in ${outcome.ms} ms${tlsDetail(tls)}${note}`, advice: openAdvice(base.host, tls), ...(tls ? { tls } : {}) };
    }
    case 'reset':
      // Accepted, then reset at once: the way there is open, and the service closed it before a word.
      return { ...result, state: 'open', detail: `connected in ${outcome.ms} ms, then reset at once by the service${note}`, advice: `${where} accepts connections but resets them at once: check the service` };
    case 'refused':
      return {
        ...result,
        state: 'closed',
        detail: `${outcome.code === SELF_CONNECT ? 'nothing listens (the connect reached its own source port)' : 'connection refused (RST)'} in ${outcome.ms} ms${note}`,
        advice: `${where} answered but nothing accepts connections: check the port, the service, or a firewall that rejects`,
      };
    case 'unreachable':
      return {
        ...result,
        state: 'unreachable',
        detail: `${outcome.code}: no route to the address${note}`,
        advice: `no route to ${address}: check routing/VPN, IPv6 connectivity, or a firewall that rejects with ICMP`,
      };
    case 'timeout':
      return {
        ...result,
        state: 'filtered',
        detail: `no answer to 2 attempts (time-out ${outcome.ms} ms)${note}`,
        advice: `a firewall drops traffic to ${where}: ask for rule "${base.rule}" to be opened`,
      };
    default:
      return { ...result, state: 'unreachable', detail: `connect failed: ${outcome.code}${note}`, advice: `check the network path to ${where}` };
  }
}

async function viaProxy(
  base: Base,
  proxy: ProxyConfig,
  host: string,
  port: number,
  tlsPort: boolean,
  servername: string | undefined,
  note: string,
  ctx: Context,
): Promise<ProbeResult> {
  const outcome = await connectViaProxy(proxy, host, port, ctx.timeoutMs, ctx.tracker);
  const label = proxyLabel(proxy);
  const result = { ...base, address: host, port, ms: outcome.ms, via: 'proxy' as const };
  switch (outcome.kind) {
    case 'connected': {
      const tls = tlsPort ? await handshake(outcome.socket, servername, ctx) : (outcome.socket.destroy(), undefined);
      return {
        ...result,
        state: 'open',
        detail: `proxy ${label} answered CONNECT with 200 in ${outcome.ms} ms${tlsDetail(tls)}${note}`,
        advice: openAdvice(base.host, tls),
        ...(tls ? { tls } : {}),
      };
    }
    case 'status': {
      const state = outcome.status === 502 ? 'closed' : outcome.status === 504 || outcome.status === 403 ? 'filtered' : 'unreachable';
      const why: Record<number, string> = {
        403: `the proxy's policy blocks ${host}:${port}: ask for it to be allowed on the proxy`,
        407: 'the proxy wants credentials: put them in the proxy URL (http://user:pass@proxy:port)',
        502: `the proxy could not connect (refused or failed): check the port and the service at ${host}:${port}`,
        503: `the proxy could not reach ${host}: check the proxy's own upstream access`,
        504: `the proxy's connect timed out: a firewall behind the proxy likely drops ${host}:${port}`,
      };
      return {
        ...result,
        state,
        detail: `proxy ${label} answered CONNECT with ${outcome.status} ${outcome.statusText}${note}`,
        advice: why[outcome.status] ?? `the proxy refused the tunnel (HTTP ${outcome.status}): ask its admins about ${host}:${port}`,
      };
    }
    case 'timeout':
      return {
        ...result,
        state: 'filtered',
        detail: `proxy ${label} did not answer CONNECT within ${ctx.timeoutMs} ms${note}`,
        advice: `check that the proxy ${label} is reachable and allows ${host}:${port}`,
      };
    default:
      return {
        ...result,
        state: 'unreachable',
        detail: `proxy ${label} failed: ${outcome.code}${note}`,
        advice: `the proxy ${label} itself is not usable: check the proxy setting (HTTPS_PROXY / http.proxy)`,
      };
  }
}

/** `vendor`: who connects in, when the sources are a vendor's; the advice names it only then. */
async function probeListening(base: Base, address: string, port: number, note: string, vendor: string | undefined, ctx: Context): Promise<ProbeResult> {
  const outcome = await connectWithRetry(address, port, ctx);
  // A connection reset at once was accepted all the same.
  const listening = outcome.kind === 'connected' || outcome.kind === 'reset';
  if (outcome.kind === 'connected') outcome.socket.destroy();
  const where = endpointText(address, port);
  const answer =
    listening
      ? 'accepts connections'
      : outcome.kind === 'refused'
        ? 'refuses connections (nothing listens)'
        : outcome.kind === 'timeout'
          ? `does not answer (time-out ${outcome.ms} ms)`
          : `cannot be reached (${outcome.code})`;
  const advice =
    listening
      ? `the service listens; ${vendor ? `ask ${vendor} to test from their side` : 'test it from one of the sources'}`
      : outcome.kind === 'refused'
        ? `nothing listens on ${where}: start the service before ${vendor ? `${vendor} tests` : 'it is tested from the sources'}`
        : outcome.kind === 'timeout'
          ? `no answer from ${where}: the service is down or a firewall between here and it drops the traffic; probe from inside the site's network`
          : `no route to ${address} from this machine: probe from inside the site's network`;
  return {
    ...base,
    address,
    port,
    state: listening ? 'listening' : 'not-listening',
    ms: outcome.ms,
    detail: `inbound, the sources' side cannot be tested from here: ${where} ${answer}; ${note}`,
    advice,
    via: 'direct',
  };
}

/** "192.0.2.1:443", "[2001:db8::1]:443". `address` is an IP (or, past a proxy's NO_PROXY, a hostname): only IPv6 has a
 * colon, a test much cheaper than `net.isIPv6`'s regular expression, which took a tenth of a 500-port sweep's CPU. */
function endpointText(address: string, port: number): string {
  return address.includes(':') ? `[${address}]:${port}` : `${address}:${port}`;
}

function handshake(socket: net.Socket, servername: string | undefined, ctx: Context): Promise<TlsInfo> {
  return tlsHandshake(socket, { servername, ca: ctx.ca, timeoutMs: ctx.timeoutMs, tracker: ctx.tracker });
}

function tlsDetail(tls: TlsInfo | undefined): string {
  if (!tls) return '';
  if (tls.sniFilteringSuspected) return `; TLS reset after the ClientHello (${tls.error})`;
  if (!tls.issuer) return `; ${tls.error}`;
  const trust = tls.publicRoot ? 'public root' : `not a public root${tls.error ? `: ${tls.error}` : ''}`;
  return `; TLS certificate "${tls.subject}" issued by "${tls.issuer}" (${trust}), valid to ${tls.validTo.slice(0, 10)}`;
}

function openAdvice(host: string, tls: TlsInfo | undefined): string {
  if (tls?.sniFilteringSuspected) {
    return `the firewall likely filters by SNI: allow ${host} in its URL/SNI filter, not only the address`;
  }
  if (tls?.inspectionSuspected) {
    return `TLS is intercepted (issuer "${tls.issuer}"): exempt ${host} from TLS inspection`;
  }
  if (tls && !tls.issuer) return 'the port is open but TLS failed: check that the port speaks TLS';
  if (tls?.error) return `reachable, but the certificate has a problem: ${tls.error}`;
  return 'reachable';
}

function dnsAdvice(answer: DnsAnswer): string {
  switch (answer.failure) {
    case 'nxdomain':
      return 'the name does not exist: check its spelling and that the service still uses it';
    case 'servfail':
      return 'the DNS server failed: check its forwarders or DNSSEC, or try another resolver';
    case 'timeout':
      return 'DNS did not answer: check that this machine reaches its DNS servers (port 53)';
    case 'refused':
      return 'the DNS server will not answer this machine: ask its administrator to allow it, or use another DNS server';
    case 'unreachable':
      return 'check the DNS server address and port, and that this machine reaches it';
    case 'no-addresses':
      return 'the name has no address records: check which hostname the service uses';
    default:
      return 'check the DNS configuration of this machine';
  }
}
