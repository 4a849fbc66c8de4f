import { promises as dns } from 'node:dns';

export type DnsFailure = 'nxdomain' | 'servfail' | 'timeout' | 'refused' | 'no-addresses' | 'error';

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
 * custom servers, names DNS does not know fall back to getaddrinfo (which reads /etc/hosts). */
export async function resolveHost(
  host: string,
  opts: { servers?: string[]; timeoutMs: number; signal?: AbortSignal },
): Promise<DnsAnswer> {
  const started = performance.now();
  // c-ares doubles the per-try time-out on each retry: 2 tries of a third fit within timeoutMs.
  const resolver = new dns.Resolver({ timeout: Math.max(50, Math.floor(opts.timeoutMs / 3)), tries: 2 });
  if (opts.servers?.length) resolver.setServers(opts.servers);
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
  let addresses = outcomes.flatMap((o) => o.addresses);
  const codes = outcomes.map((o) => o.code).filter((c): c is string => c !== undefined);
  if (addresses.length === 0 && !opts.servers?.length && codes.every((c) => c === 'ENOTFOUND' || c === 'ENODATA')) {
    addresses = await lookupAll(host);
  }
  const ms = Math.round(performance.now() - started);
  if (addresses.length > 0) {
    return { addresses, ms, detail: `resolved to ${addresses.length} address(es) in ${ms} ms` };
  }
  return { addresses, ms, ...describeFailure(codes, ms) };
}

async function query(run: () => Promise<string[]>): Promise<QueryOutcome> {
  try {
    return { addresses: await run() };
  } catch (error) {
    return { addresses: [], code: (error as NodeJS.ErrnoException).code ?? 'EUNKNOWN' };
  }
}

async function lookupAll(host: string): Promise<string[]> {
  try {
    return (await dns.lookup(host, { all: true })).map((a) => a.address);
  } catch {
    return [];
  }
}

/** The most telling failure of the A and AAAA queries: a definite NXDOMAIN wins over a server
 * failure, which wins over silence. */
function describeFailure(codes: string[], ms: number): { failure: DnsFailure; detail: string } {
  const has = (code: string) => codes.includes(code);
  if (has('ENOTFOUND')) return { failure: 'nxdomain', detail: `NXDOMAIN: the name does not exist (${ms} ms)` };
  if (has('ESERVFAIL')) return { failure: 'servfail', detail: `SERVFAIL: the DNS server failed to answer (${ms} ms)` };
  if (has('EREFUSED')) return { failure: 'refused', detail: `REFUSED: the DNS server refused the query (${ms} ms)` };
  if (has('ETIMEOUT') || has('ECANCELLED')) {
    return { failure: 'timeout', detail: `time-out: no DNS answer within ${ms} ms` };
  }
  if (codes.every((c) => c === 'ENODATA')) {
    return { failure: 'no-addresses', detail: `the name exists but has no A or AAAA record (${ms} ms)` };
  }
  return { failure: 'error', detail: `DNS lookup failed: ${[...new Set(codes)].join(', ')} (${ms} ms)` };
}
