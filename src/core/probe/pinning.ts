import net from 'node:net';
import type { ProbeResult } from './types';

export interface PinnedAddress {
  /** The outbound rule that allows the bare IP. */
  rule: string;
  address: string;
  /** Catalog hostnames that resolved to that address in this run. */
  hostnames: string[];
  advice: string;
}

/** Finds outbound rules that allow a bare IP which, in this run's DNS results, is an address of one
 * of the catalog's hostnames (exact names or *.wildcards). Such an address belongs to the vendor's
 * DNS, may change at any time, and must be allowlisted by hostname instead. */
export function pinnedAddressAdvice(results: ProbeResult[], catalogHosts: string[]): PinnedAddress[] {
  const patterns = catalogHosts.map((h) => h.trim().toLowerCase().replace(/\.$/, ''));
  const inCatalog = (host: string) =>
    patterns.some((p) => (p.startsWith('*.') ? host.endsWith(p.slice(1)) : host === p));
  const namesByAddress = new Map<string, Set<string>>();
  for (const r of results) {
    const host = r.host.toLowerCase().replace(/\.$/, '');
    if (r.dnsMs === undefined || net.isIP(r.address) === 0 || !inCatalog(host)) continue;
    const names = namesByAddress.get(r.address) ?? new Set<string>();
    namesByAddress.set(r.address, names.add(host));
  }
  const found = new Map<string, PinnedAddress>();
  for (const r of results) {
    const ip = r.host.replace(/^\[|\]$/g, '').replace(/\/(32|128)$/, '');
    const names = namesByAddress.get(ip);
    if (r.direction !== 'outbound' || net.isIP(ip) === 0 || !names || found.has(`${r.rule}\0${ip}`)) continue;
    const hostnames = [...names].sort();
    found.set(`${r.rule}\0${ip}`, {
      rule: r.rule,
      address: ip,
      hostnames,
      advice: `rule "${r.rule}" allows ${ip}, which is currently an address of ${hostnames.join(', ')}; the vendor's DNS can move it at any time: allowlist ${hostnames.length > 1 ? 'those hostnames' : hostnames[0]} by hostname instead`,
    });
  }
  return [...found.values()];
}
