/** The IP pinning check: an outbound rule that allows a bare IP which a vendor hostname currently
 * resolves to. That address belongs to the vendor's DNS and can move at any time (the vendor says to
 * allowlist the hostname), so the rule breaks without warning when it does. */
import ipaddr from 'ipaddr.js';
import { hostKey } from '../common';
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
  const names = [...new Set(checks.flatMap((c) => c.hosts.map(pinningKey)))].filter((h) => h !== '' && !h.startsWith('*'));
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
    const hostnames = [...new Set(hosts.map(pinningKey))]
      .filter((h) => answers.get(h)?.has(ip))
      .sort();
    if (hostnames.length === 0) continue;
    const known = found.get(key);
    const all = [...new Set([...(known?.hostnames ?? []), ...hostnames])].sort();
    found.set(key, { rule, address: ip, hostnames: all, advice: pinnedAdvice(rule, ip, all) });
  }
  return [...found.values()];
}

/** A catalog's host name as DNS compares it. */
function pinningKey(host: string): string {
  return hostKey(host.trim());
}

/** Canonical text of an IP, so that 2001:db8::1 and 2001:0db8:0:0::1 compare equal. */
function normalize(ip: string): string {
  return ipaddr.isValid(ip) ? ipaddr.parse(ip).toString() : ip;
}

/** The results with each pinned IP's advice added to the rows it applies to: those of a target (`targetOf[i]` is
 * result i's) that allows that IP and was checked against one of the hostnames found to resolve to it. Matching by
 * rule name and address alone would also advise a same-named rule (names may repeat) that was never checked. */
export function withPinnedAdvice(results: ProbeResult[], pinned: PinnedAddress[], targetOf: ProbeTarget[]): ProbeResult[] {
  if (pinned.length === 0) return results;
  return results.map((r, i) => {
    const hosts = new Set(targetOf[i]?.pinningHosts?.map(pinningKey));
    const ip = r.direction === 'outbound' && hosts.size > 0 ? singleAddress(r.host) : undefined;
    const match =
      ip === undefined
        ? undefined
        : pinned.find((p) => p.rule === r.rule && p.address === normalize(ip) && p.hostnames.some((h) => hosts.has(h)));
    return match ? { ...r, advice: r.advice ? `${r.advice}; ${match.advice}` : match.advice } : r;
  });
}
