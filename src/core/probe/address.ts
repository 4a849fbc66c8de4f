import net from 'node:net';
import ipaddr from 'ipaddr.js';

/** The address a host or one-address CIDR (/32, /128) stands for; undefined for names and ranges. */
export function singleAddress(host: string): string | undefined {
  const bare = host.trim().replace(/^\[|\]$/g, '');
  if (net.isIP(bare)) return bare;
  if (ipaddr.isValidCIDR(bare)) {
    const [addr, prefix] = ipaddr.parseCIDR(bare);
    if (prefix === (addr.kind() === 'ipv4' ? 32 : 128)) return addr.toString();
  }
  return undefined;
}

/** Why a host cannot be probed as one endpoint (`any`, a *.wildcard, a CIDR wider than one address), or undefined. */
export function unprobeableKind(host: string): 'any' | 'wildcard' | 'cidr' | undefined {
  const text = host.trim();
  if (text.toLowerCase() === 'any') return 'any';
  if (text.startsWith('*')) return 'wildcard';
  if (singleAddress(text) === undefined && text.includes('/')) return 'cidr';
  return undefined;
}
