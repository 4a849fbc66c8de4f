import net from 'node:net';
import { nodeTls } from '../common';
import ipaddr from 'ipaddr.js';
import type { ProxyConfig } from './types';
import type { SocketTracker } from './tcp';

/** The proxy to use: the explicit one, none for `null`, else HTTPS_PROXY/HTTP_PROXY with NO_PROXY. */
export function proxyFromOptions(
  explicit: ProxyConfig | null | undefined,
  env: NodeJS.ProcessEnv,
): ProxyConfig | undefined {
  if (explicit === null) return undefined;
  const noProxy = env.NO_PROXY ?? env.no_proxy;
  if (explicit) return { noProxy, ...explicit };
  const url = env.HTTPS_PROXY || env.https_proxy || env.HTTP_PROXY || env.http_proxy;
  return url ? { url, noProxy } : undefined;
}

/** Whether NO_PROXY exempts host:port (curl's rules, plus CIDRs: a name matches itself and its subdomains). */
export function bypassesProxy(host: string, port: number, noProxy: string | undefined): boolean {
  if (!noProxy) return false;
  const bare = host.replace(/^\[|\]$/g, '').toLowerCase();
  for (const raw of noProxy.split(/[,\s]+/)) {
    let entry = raw.trim().toLowerCase();
    if (!entry) continue;
    if (entry === '*') return true;
    const portMatch = /^(.*[^:]):(\d+)$/.exec(entry);
    if (portMatch && !entry.includes('::') && !entry.startsWith('[')) {
      if (Number(portMatch[2]) !== port) continue;
      entry = portMatch[1];
    }
    entry = entry.replace(/^\*?\./, '').replace(/^\[|\]$/g, '');
    if (entry.includes('/') && ipaddr.isValid(bare)) {
      try {
        const addr = ipaddr.parse(bare);
        const range = ipaddr.parseCIDR(entry);
        if (addr.kind() === range[0].kind() && addr.match(range)) return true;
      } catch {
        // not a CIDR after all: compare as text below
      }
    }
    if (bare === entry || bare.endsWith('.' + entry)) return true;
  }
  return false;
}

export type ProxyOutcome =
  | { kind: 'connected'; ms: number; socket: net.Socket; status: number }
  | { kind: 'status'; ms: number; status: number; statusText: string }
  | { kind: 'timeout'; ms: number }
  | { kind: 'proxy-error'; ms: number; code: string };

/** Asks an HTTP proxy to CONNECT to host:port. A 200 hands over the tunnel's socket. */
export function connectViaProxy(
  proxy: ProxyConfig,
  host: string,
  port: number,
  timeoutMs: number,
  tracker: SocketTracker,
): Promise<ProxyOutcome> {
  return new Promise((resolve) => {
    const started = performance.now();
    const elapsed = () => Math.round((performance.now() - started) * 10) / 10;
    let url: URL;
    try {
      url = new URL(proxy.url.includes('://') ? proxy.url : `http://${proxy.url}`);
    } catch {
      resolve({ kind: 'proxy-error', ms: 0, code: `invalid proxy URL ${proxy.url}` });
      return;
    }
    const secure = url.protocol === 'https:';
    const proxyHost = url.hostname.replace(/^\[|\]$/g, '');
    const proxyPort = Number(url.port) || (secure ? 443 : 80);
    const socket = tracker.add(
      secure
        ? nodeTls().connect({ host: proxyHost, port: proxyPort, servername: net.isIP(proxyHost) ? undefined : proxyHost })
        : net.connect({ host: proxyHost, port: proxyPort }),
    );
    let settled = false;
    const settle = (outcome: ProxyOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.removeAllListeners('data');
      if (outcome.kind !== 'connected') socket.destroy();
      resolve(outcome);
    };
    const timer = setTimeout(() => settle({ kind: 'timeout', ms: elapsed() }), timeoutMs);
    const authority = net.isIPv6(host) ? `[${host}]:${port}` : `${host}:${port}`;
    const auth = url.username
      ? `Proxy-Authorization: Basic ${Buffer.from(
          `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`,
        ).toString('base64')}\r\n`
      : '';
    socket.once(secure ? 'secureConnect' : 'connect', () => {
      socket.write(`CONNECT ${authority} HTTP/1.1\r\nHost: ${authority}\r\n${auth}\r\n`);
    });
    let head = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      head = Buffer.concat([head, chunk]);
      const end = head.indexOf('\r\n\r\n');
      if (end < 0) {
        if (head.length > 16384) settle({ kind: 'proxy-error', ms: elapsed(), code: 'oversized proxy response' });
        return;
      }
      const statusLine = /^HTTP\/\d(?:\.\d)? (\d{3}) ?(.*)$/m.exec(head.subarray(0, end).toString('latin1'));
      const status = statusLine ? Number(statusLine[1]) : 0;
      if (status === 200) {
        // Bytes past the header already belong to the tunnel.
        const rest = head.subarray(end + 4);
        if (rest.length) socket.unshift(rest);
        settle({ kind: 'connected', ms: elapsed(), socket, status });
      } else {
        settle({ kind: 'status', ms: elapsed(), status, statusText: statusLine?.[2].trim() ?? 'unparsable answer' });
      }
    });
    socket.on('error', (error: NodeJS.ErrnoException) =>
      settle({ kind: 'proxy-error', ms: elapsed(), code: error.code ?? error.message }),
    );
    socket.once('close', () => settle({ kind: 'proxy-error', ms: elapsed(), code: 'proxy closed the connection' }));
  });
}

export function proxyLabel(proxy: ProxyConfig): string {
  try {
    const url = new URL(proxy.url.includes('://') ? proxy.url : `http://${proxy.url}`);
    return `${url.protocol}//${url.host}`;
  } catch {
    return proxy.url;
  }
}
