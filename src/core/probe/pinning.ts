/** The IP pinning check: an outbound rule that allows a bare IP which a vendor hostname currently
 * resolves to. That address belongs to the vendor's DNS and can move at any time (the vendor says to
 * allowlist the hostname), so the rule breaks without warning when it does. */
import net from 'node:net';
import ipaddr from 'ipaddr.js';
import { singleAddress } from './address';
import type { PinnedAddress, ProbeResult, ProbeTarget } from './types';

export type { PinnedAddress } from './types';

function pinnedAdvice(rule: string, ip: string, hostnames: string[]): string {
  return `rule "${rule}" allows ${ip}, which is currently an address of ${hostnames.join(', ')}; the vendor's DNS can move it at any time: allowlist ${hostnames.length > 1 ? 'those hostnames' : hostnames[0]} by hostname instead`;
}

/** Resolves the catalog hostnames of every outbound bare-IP target (`pinningHosts`, set by
 * `probeTargets` from the rule's vendor or the declared vendors) and reports the IPs that are one of
 * their current addresses. Names that do not resolve are skipped: this check never fails a run. */
export async function pinnedAddresses(
  targets: ProbeTarget[],
  resolve: (host: string) => Promise<{ addresses: string[] }>,
): Promise<PinnedAddress[]> {
  const checks = targets.flatMap((t) => {
    const ip = t.direction === 'outbound' && t.pinningHosts?.length ? singleAddress(t.host) : undefined;
    return ip ? [{ rule: t.rule, ip: normalize(ip), hosts: t.pinningHosts! }] : [];
  });
  if (checks.length === 0) return [];
  const names = [...new Set(checks.flatMap((c) => c.hosts.map((h) => h.trim().toLowerCase().replace(/\.$/, ''))))].filter(
    (h) => h !== '' && !h.startsWith('*'),
  );
  const answers = new Map<string, Set<string>>();
  await Promise.all(
    names.map(async (name) => {
      try {
        const { addresses } = await resolve(name);
        answers.set(name, new Set(addresses.map(normalize)));
      } catch {
        // cancelled or failed: nothing to compare against
      }
    }),
  );
  const found = new Map<string, PinnedAddress>();
  for (const { rule, ip, hosts } of checks) {
    const key = `${rule}\0${ip}`;
    const hostnames = [...new Set(hosts.map((h) => h.trim().toLowerCase().replace(/\.$/, '')))]
      .filter((h) => answers.get(h)?.has(ip))
      .sort();
    if (hostnames.length === 0) continue;
    const known = found.get(key);
    const all = [...new Set([...(known?.hostnames ?? []), ...hostnames])].sort();
    found.set(key, { rule, address: ip, hostnames: all, advice: pinnedAdvice(rule, ip, all) });
  }
  return [...found.values()];
}

/** Canonical text of an IP, so that 2001:db8::1 and 2001:0db8:0:0::1 compare equal. */
function normalize(ip: string): string {
  return ipaddr.isValid(ip) ? ipaddr.parse(ip).toString() : ip;
}

/** The results with each pinned IP's advice added to the rows of its rule and address. */
export function withPinnedAdvice(results: ProbeResult[], pinned: PinnedAddress[]): ProbeResult[] {
  if (pinned.length === 0) return results;
  return results.map((r) => {
    const ip = r.direction === 'outbound' ? singleAddress(r.host) : undefined;
    const match = ip === undefined ? undefined : pinned.find((p) => p.rule === r.rule && p.address === normalize(ip));
    return match ? { ...r, advice: r.advice ? `${r.advice}; ${match.advice}` : match.advice } : r;
  });
}

/** Finds outbound rules that allow a bare IP which, in this run's DNS results, is an address of one
 * of the catalog's hostnames (exact names or *.wildcards). Only sees names the same run resolved: the
 * engine's own check (`ProbeRun.pinned`, from `pinnedAddresses`) resolves the vendor's hostnames itself. */
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
    found.set(`${r.rule}\0${ip}`, { rule: r.rule, address: ip, hostnames, advice: pinnedAdvice(r.rule, ip, hostnames) });
  }
  return [...found.values()];
}
