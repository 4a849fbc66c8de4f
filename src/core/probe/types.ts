/** Input and output of the probe engine, which tests from this machine whether the endpoints an
 * allowlist opens are actually reachable. Plain TypeScript: used by the CLI and the extension alike. */

export interface PortRange {
  from: number;
  to: number;
}

export interface ProbeTarget {
  /** Name of the allowlist rule the endpoint comes from (shown in every result). */
  rule: string;
  direction: 'outbound' | 'inbound';
  /** Hostname, IPv4/IPv6 address, CIDR or *.wildcard. For inbound targets: the rule's `to` host. */
  host: string;
  ports: PortRange[];
  protocol: 'tcp' | 'udp' | 'any';
  /** Ports that speak TLS besides 443 (a TLS handshake with SNI runs on them). */
  tlsPorts?: number[];
  /** Whether the endpoint must be reachable for the CLI to exit 0; unset counts as required. */
  required?: boolean;
  /** Inbound: where the vendor connects from (shown in the result's detail). */
  sources?: string[];
  /** Inbound: whose published sources `sources` are ("Helpdesk Buttons"); unset when they are the rule's own `from`. */
  sourcesOf?: string;
  /** Outbound rules allowing a bare IP: the catalog hostnames (allowlisted by hostname) of the rule's
   * vendor, or of the file's declared vendors, that the pinning check resolves to see whether the IP is
   * one of their current addresses. */
  pinningHosts?: string[];
}

export interface ProxyConfig {
  /** http://[user:pass@]host:port (https:// proxies are reached over TLS). */
  url: string;
  /** NO_PROXY syntax: comma-separated hosts, .domains, *.domains, IPs, CIDRs, host:port or `*`. */
  noProxy?: string;
}

export interface ProbeOptions {
  /** Upper bound for every wait (connect, TLS handshake, DNS, proxy answer). Default 3000. */
  timeoutMs?: number;
  /** How many connections may be in flight at once. Default 64. */
  concurrency?: number;
  /** Probe every port of each range; default false probes a sample (first, last and a spread). */
  sweep?: boolean;
  signal?: AbortSignal;
  /** An explicit proxy, `null` for none; unset reads HTTPS_PROXY/HTTP_PROXY/NO_PROXY from `env`. */
  proxy?: ProxyConfig | null;
  /** Environment for proxy defaults; default `process.env`. */
  env?: NodeJS.ProcessEnv;
  /** DNS servers ("ip" or "ip:port") to use instead of the system's. */
  dns?: { servers: string[] };
  /** Extra trusted CA certificates (PEM), besides Node's public roots. */
  ca?: string[];
  onProgress?(done: number, total: number, result: ProbeResult): void;
}

export type ProbeState =
  | 'open'
  | 'closed'
  | 'filtered'
  | 'unreachable'
  | 'dns-error'
  | 'not-probed'
  | 'listening'
  | 'not-listening';

export interface TlsInfo {
  subject: string;
  issuer: string;
  /** Certificate expiry as ISO 8601. */
  validTo: string;
  /** The chain verifies against Node's public roots (or the `ca` option). */
  publicRoot: boolean;
  /** The chain ends in a private CA, likely a firewall re-signing the traffic (TLS inspection). */
  inspectionSuspected: boolean;
  /** The connection was reset right after the ClientHello, as SNI filters do. */
  sniFilteringSuspected: boolean;
  /** Why the handshake failed or the certificate did not verify. */
  error?: string;
}

export interface ProbeResult {
  rule: string;
  direction: 'outbound' | 'inbound';
  host: string;
  /** The address connected to; the host itself where a proxy connected or nothing was resolved. */
  address: string;
  /** 0 where no port was tried (DNS errors, wildcards). */
  port: number;
  protocol: 'tcp' | 'udp' | 'any';
  state: ProbeState;
  /** Time of the step that decided the state (connect, or the DNS lookup for dns-error). */
  ms: number;
  /** Time the DNS lookup of `host` took, where one ran. */
  dnsMs?: number;
  detail: string;
  advice: string;
  via: 'direct' | 'proxy';
  required: boolean;
  tls?: TlsInfo;
}

/** An outbound rule that allows a bare IP which a catalog hostname currently resolves to. */
export interface PinnedAddress {
  /** The outbound rule that allows the bare IP. */
  rule: string;
  address: string;
  /** Catalog hostnames that resolve to that address. */
  hostnames: string[];
  advice: string;
}

export interface ProbeRun {
  results: ProbeResult[];
  /** Bare IPs that outbound rules allow and that are current addresses of vendor hostnames (`pinningHosts`). */
  pinned: PinnedAddress[];
  /** ISO 8601. */
  startedAt: string;
  ms: number;
}
