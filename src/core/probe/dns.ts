import { hostKey, nodeDns } from '../common';
import { readRegularFile } from '../files';

export type DnsFailure = 'nxdomain' | 'servfail' | 'timeout' | 'refused' | 'unreachable' | 'no-addresses' | 'error';

export interface DnsAnswer {
  addresses: string[];
  ms: number;
  failure?: DnsFailure;
  /** Human text, e.g. "NXDOMAIN: the name does not exist (8 ms)". */
  detail: string;
}

interface QueryOutcome {
  addresses: string[];
  code?: string;
}

/** Resolves every A and AAAA address of `host`. Uses the given servers, or the system's; without
 * custom servers, a name DNS does not answer for, or that finds no DNS server, falls back to this
 * machine's resolver (getaddrinfo, which reads /etc/hosts). `localhost` names are this machine's own
 * (RFC 6761): they are never asked of DNS, whichever servers are given. */
export async function resolveHost(
  host: string,
  opts: { servers?: string[]; timeoutMs: number; signal?: AbortSignal },
): Promise<DnsAnswer> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  // c-ares doubles the per-try time-out on each retry: 2 tries of a third fit within timeoutMs.
  const tryMs = Math.max(50, Math.floor(opts.timeoutMs / 3));
  if (isLocalhostName(host)) {
    const addresses = await systemLookup(host, opts.timeoutMs, opts.signal);
    const ms = elapsed();
    if (addresses.length > 0) return { addresses, ms, detail: `resolved by this machine's resolver to ${addresses.length} address(es) in ${ms} ms` };
    return { addresses, ms, failure: 'error', detail: `this machine's resolver (/etc/hosts) has no address for ${host} (${ms} ms)` };
  }
  const resolver = new (nodeDns().promises.Resolver)({ timeout: tryMs, tries: 2 });
  const custom = (opts.servers?.length ?? 0) > 0;
  if (custom) resolver.setServers(opts.servers!);
  const cancel = () => resolver.cancel();
  const guard = setTimeout(cancel, opts.timeoutMs);
  opts.signal?.addEventListener('abort', cancel, { once: true });
  let outcomes: QueryOutcome[];
  try {
    outcomes = await Promise.all([query(() => resolver.resolve4(host)), query(() => resolver.resolve6(host))]);
  } finally {
    clearTimeout(guard);
    opts.signal?.removeEventListener('abort', cancel);
  }
  opts.signal?.throwIfAborted();
  const addresses = outcomes.flatMap((o) => o.addresses);
  if (addresses.length > 0) {
    const ms = elapsed();
    return { addresses, ms, detail: `resolved to ${addresses.length} address(es) in ${ms} ms` };
  }
  const codes = outcomes.map((o) => o.code).filter((c): c is string => c !== undefined);
  if (!custom) {
    if (codes.length > 0 && codes.every((code) => code === 'ETIMEOUT' || code === 'ECANCELLED')) {
      // DNS did not answer: the system resolver would wait on the same silent server, and getaddrinfo cannot be
      // cancelled, so a process that gave up on it still waits for it at exit (the resolver's own time-out, 10 s or
      // more, after the output). The hosts file is what the system resolver reads before DNS: only it is read here.
      const fromHosts = await hostsFileAddresses(host);
      if (fromHosts.length > 0) {
        const ms = elapsed();
        return { addresses: fromHosts, ms, detail: `resolved by this machine's hosts file to ${fromHosts.length} address(es) in ${ms} ms (DNS did not answer)` };
      }
    } else {
      // What the system resolver would answer the applications (/etc/hosts, or a name DNS does not know but another
      // source does); it gets the rest of the time-out, and at least one try.
      const fallback = await systemLookup(host, Math.max(opts.timeoutMs - elapsed(), tryMs), opts.signal);
      if (fallback.length > 0) {
        const ms = elapsed();
        return { addresses: fallback, ms, detail: `resolved by this machine's resolver (e.g. /etc/hosts) to ${fallback.length} address(es) in ${ms} ms` };
      }
    }
  }
  const failure = describeFailure(codes, elapsed(), serversLabel(resolver.getServers()));
  // Given servers replace the system's resolver: say so where it might have known the name.
  return custom ? { ...failure, detail: `${failure.detail}; with given DNS servers, this machine's resolver and /etc/hosts are not asked` } : failure;
}

/** `localhost` and names under it (RFC 6761). */
function isLocalhostName(host: string): boolean {
  const name = hostKey(host);
  return name === 'localhost' || name.endsWith('.localhost');
}

async function query(run: () => Promise<string[]>): Promise<QueryOutcome> {
  try {
    return { addresses: await run() };
  } catch (error) {
    return { addresses: [], code: (error as NodeJS.ErrnoException).code ?? 'EUNKNOWN' };
  }
}

/** The system resolver's addresses (getaddrinfo: /etc/hosts, then the system's DNS), or none after
 * `waitMs`: getaddrinfo cannot be cancelled, so a late answer is dropped. */
async function systemLookup(host: string, waitMs: number, signal?: AbortSignal): Promise<string[]> {
  let timer: NodeJS.Timeout | undefined;
  let stop: (() => void) | undefined;
  const giveUp = new Promise<string[]>((resolve) => {
    stop = () => resolve([]);
    timer = setTimeout(stop, waitMs);
    signal?.addEventListener('abort', stop, { once: true });
  });
  const lookup = nodeDns().promises.lookup(host, { all: true }).then(
    (found) => found.map((a) => a.address),
    () => [],
  );
  try {
    return await Promise.race([lookup, giveUp]);
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', stop!);
    signal?.throwIfAborted();
  }
}

/** The hosts file's addresses for `host` (`/etc/hosts`; on Windows, System32\drivers\etc\hosts), in the file's order;
 * none when it has none or cannot be read. */
async function hostsFileAddresses(host: string): Promise<string[]> {
  const path = process.platform === 'win32' ? `${process.env.SystemRoot ?? 'C:\\Windows'}\\System32\\drivers\\etc\\hosts` : '/etc/hosts';
  let text: string;
  try {
    text = (await readRegularFile(path, HOSTS_FILE_MAX_BYTES)).toString('utf8');
  } catch {
    return [];
  }
  const name = hostKey(host);
  const addresses: string[] = [];
  for (const line of text.split('\n')) {
    const [address, ...names] = line.replace(/#.*/, '').trim().split(/\s+/);
    if (names.some((each) => hostKey(each) === name) && !addresses.includes(address)) addresses.push(address);
  }
  return addresses;
}

/** A hosts file is a few kB: a larger one is not read (nor, then, is a name found in it). */
const HOSTS_FILE_MAX_BYTES = 4 * 1024 * 1024;

/** "the DNS server 192.0.2.53:53", "the DNS servers 192.0.2.53:53 and [2001:db8::53]:5353". */
function serversLabel(servers: string[]): string {
  const withPorts = servers.map((server) => {
    if (server.startsWith('[') || /^[\d.]+:\d+$/.test(server)) return server;
    return server.includes(':') ? `[${server}]:53` : `${server}:53`;
  });
  if (withPorts.length <= 1) return `the DNS server ${withPorts[0] ?? '(none configured)'}`;
  return `the DNS servers ${withPorts.slice(0, -1).join(', ')} and ${withPorts[withPorts.length - 1]}`;
}

/** The most telling failure of the A and AAAA queries: a definite NXDOMAIN wins over a server
 * failure, which wins over silence. */
function describeFailure(codes: string[], ms: number, servers: string): { addresses: string[]; ms: number; failure: DnsFailure; detail: string } {
  const has = (code: string) => codes.includes(code);
  const failed = (failure: DnsFailure, detail: string) => ({ addresses: [], ms, failure, detail: `${detail} (${ms} ms)` });
  if (has('ENOTFOUND')) return failed('nxdomain', 'NXDOMAIN: the name does not exist');
  if (has('ESERVFAIL')) return failed('servfail', `SERVFAIL: ${servers} failed to answer`);
  if (has('EREFUSED')) return failed('refused', `REFUSED: ${servers} refused the query`);
  // c-ares reports a DNS server it cannot send to (ICMP port or host unreachable, no route) as ECONNREFUSED.
  if (has('ECONNREFUSED')) return failed('unreachable', `${servers} cannot be reached: nothing listens on that port, or no route leads there`);
  if (has('ETIMEOUT') || has('ECANCELLED')) return failed('timeout', `time-out: no answer from ${servers}`);
  if (codes.every((c) => c === 'ENODATA')) return failed('no-addresses', 'the name exists but has no A or AAAA record');
  return failed('error', `DNS lookup failed: ${[...new Set(codes)].join(', ')}`);
}
