/** Classifies the addresses a rule names (hostname, wildcard, IP, CIDR, `any`) and compares them. */
import ipaddr from 'ipaddr.js';
import { quoted, type Range } from '../common';
import type { Address, Network } from './model';

const LABEL = /^[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?$/;

export function parseAddress(text: string, range: Range): Address {
  const trimmed = text.trim();
  const invalid = (problem: string): Address => ({ text, range, kind: 'invalid', problem });
  if (trimmed === '') return invalid('an empty address');
  if (trimmed.toLowerCase() === 'any') return { text, range, kind: 'any' };
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed)) {
    return invalid(`${quoted(trimmed)} is a URL; write only its host name (ports go under \`ports\`)`);
  }
  if (trimmed.includes('/')) return parseCidr(text, trimmed, range);
  // Only IPv6 addresses have a colon: most addresses are host names, and the IPv6 check is costly.
  if (trimmed.includes(':') && ipaddr.IPv6.isValid(trimmed)) {
    return { text, range, kind: 'ipv6', network: toNetwork(ipaddr.IPv6.parse(trimmed), 128) };
  }
  if (/^[0-9.]+$/.test(trimmed)) {
    const ipv4 = fourPartDecimal(trimmed);
    return ipv4 !== undefined ? { text, range, kind: 'ipv4', network: ipv4Network(ipv4, 32) } : invalid(`${quoted(trimmed)} is not a valid IPv4 address (four numbers from 0 to 255)`);
  }
  const hostWithPort = /^([^:]+):(\d+)$/.exec(trimmed);
  if (hostWithPort) return invalid(`${quoted(trimmed)} includes a port; write the host as ${quoted(hostWithPort[1])} and put ${hostWithPort[2]} under \`ports\``);
  // Two or more colons: meant as an IPv6 address (a host name has none).
  if (/:.*:/.test(trimmed)) return invalid(`${quoted(trimmed)} is not a valid IPv6 address (eight groups of up to four hex digits, "::" for a run of zeros)`);
  const wildcard = trimmed.startsWith('*.');
  const name = (wildcard ? trimmed.slice(2) : trimmed).toLowerCase().replace(/\.$/, '');
  const problem = hostnameProblem(name);
  if (problem) return invalid(`${quoted(trimmed)} is not a valid host name: ${problem}`);
  return { text, range, kind: wildcard ? 'wildcard' : 'hostname', host: name };
}

function hostnameProblem(name: string): string | undefined {
  if (name.includes('*')) return 'a wildcard may only be the whole first label, as in *.example.com';
  if (name.length > 253) return 'longer than 253 characters';
  const labels = name.split('.');
  for (const label of labels) {
    if (label === '') return 'it has an empty label (two dots in a row, or a leading dot)';
    if (label.length > 63) return `the label "${label.slice(0, 20)}…" is longer than 63 characters`;
    if (!LABEL.test(label)) {
      const bad = [...label].find((ch) => !/[a-z0-9_-]/.test(ch));
      return bad ? `the character "${bad}" is not allowed in a host name` : `the label ${quoted(label)} starts or ends with a hyphen`;
    }
  }
  if (/^[0-9]+$/.test(labels[labels.length - 1])) return 'its last label is all digits';
  return undefined;
}

function parseCidr(text: string, trimmed: string, range: Range): Address {
  const [addressPart, prefixPart] = trimmed.split('/', 2);
  const ipv4 = fourPartDecimal(addressPart);
  const isV4 = ipv4 !== undefined;
  if (!isV4 && !ipaddr.IPv6.isValid(addressPart)) {
    return { text, range, kind: 'invalid', problem: `${quoted(addressPart)} in ${quoted(trimmed)} is not an IP address` };
  }
  const max = isV4 ? 32 : 128;
  if (!/^\d{1,3}$/.test(prefixPart ?? '') || Number(prefixPart) > max) {
    return { text, range, kind: 'invalid', problem: `the prefix length of ${quoted(trimmed)} must be a number from 0 to ${max}` };
  }
  const prefix = Number(prefixPart);
  let network: Network;
  let hostBitsSet: boolean;
  if (isV4) {
    network = ipv4Network(ipv4, prefix);
    hostBitsSet = BigInt(ipv4) !== network.base;
  } else {
    const parsed = ipaddr.parse(addressPart);
    network = toNetwork(parsed, prefix);
    hostBitsSet = addressToBigInt(parsed) !== network.base;
  }
  return {
    text,
    range,
    kind: 'cidr',
    network,
    problem: hostBitsSet ? `${quoted(trimmed)} has host bits set; the network is ${network.canonical}` : undefined,
  };
}

/** A dotted-quad IPv4 address as `ipaddr.IPv4.isValidFourPartDecimal` takes it (four decimal numbers from 0 to 255,
 * without leading zeros), as a number; undefined for anything else. Read by hand: `ipaddr` parses it with regular
 * expressions and arrays, and most addresses in an allowlist are read this way. */
function fourPartDecimal(text: string): number | undefined {
  let value = 0;
  let part = 0;
  let digits = 0;
  let parts = 0;
  for (let at = 0; at <= text.length; at++) {
    const code = at === text.length ? 0x2e : text.charCodeAt(at);
    if (code === 0x2e) {
      if (digits === 0 || part > 255) return undefined;
      value = value * 256 + part;
      parts++;
      part = 0;
      digits = 0;
    } else if (code >= 0x30 && code <= 0x39 && !(digits === 1 && part === 0) && digits < 3) {
      part = part * 10 + code - 0x30;
      digits++;
    } else {
      return undefined;
    }
  }
  return parts === 4 ? value : undefined;
}

/** `toNetwork` of an IPv4 address given as a number: the same network, in numbers instead of BigInt shifts. */
function ipv4Network(address: number, prefix: number): Network {
  const base = address - (address % 2 ** (32 - prefix));
  const baseText = `${base >>> 24}.${(base >>> 16) & 255}.${(base >>> 8) & 255}.${base & 255}`;
  return { family: 4, base: BigInt(base), prefix, canonical: prefix === 32 ? baseText : `${baseText}/${prefix}` };
}

/** One BigInt from the address's hex digits: shifting in its bytes one by one costs a BigInt per byte. */
function addressToBigInt(address: ipaddr.IPv4 | ipaddr.IPv6): bigint {
  if (address.kind() === 'ipv4') return BigInt((address as ipaddr.IPv4).octets.reduce((value, octet) => value * 256 + octet, 0));
  return BigInt(`0x${(address as ipaddr.IPv6).parts.map((part) => part.toString(16).padStart(4, '0')).join('')}`);
}

/** The network of `prefix` bits that holds `address`: its host bits cleared in numbers (16 bits at a time for IPv6). */
function toNetwork(address: ipaddr.IPv4 | ipaddr.IPv6, prefix: number): Network {
  if (address.kind() === 'ipv4') return ipv4Network((address as ipaddr.IPv4).octets.reduce((value, octet) => value * 256 + octet, 0), prefix);
  const parts = (address as ipaddr.IPv6).parts.map((part, at) => {
    const kept = Math.min(16, Math.max(0, prefix - at * 16));
    return part & ((0xffff << (16 - kept)) & 0xffff);
  });
  const network = new ipaddr.IPv6(parts);
  const baseText = network.toString();
  return { family: 6, base: addressToBigInt(network), prefix, canonical: prefix === 128 ? baseText : `${baseText}/${prefix}` };
}

function bigIntToText(value: bigint, family: 4 | 6): string {
  const byteCount = family === 4 ? 4 : 16;
  const bytes: number[] = [];
  for (let i = byteCount - 1; i >= 0; i--) bytes.push(Number((value >> BigInt(i * 8)) & 0xffn));
  return ipaddr.fromByteArray(bytes).toString();
}

/** The family of a plain IP address (dotted-quad IPv4, or IPv6 without a zone); undefined for anything else. */
export function ipFamily(text: string): 4 | 6 | undefined {
  if (ipaddr.IPv4.isValidFourPartDecimal(text)) return 4;
  return !text.includes('%') && ipaddr.IPv6.isValid(text) ? 6 : undefined;
}

/** `address` with a `prefix`-bit mask as an allowlist writes the network: the address alone for a host, `any` for /0,
 * else network/prefix with the host bits cleared; undefined when `address` is not one of `family` or `prefix` does not
 * fit it. */
export function networkText(address: string, prefix: number, family: 4 | 6): string | undefined {
  if (ipFamily(address) !== family || !Number.isInteger(prefix) || prefix < 0 || prefix > (family === 4 ? 32 : 128)) return undefined;
  return prefix === 0 ? 'any' : toNetwork(ipaddr.parse(address), prefix).canonical;
}

/** The prefix length of a contiguous IPv4 netmask (`255.255.255.0` is 24); undefined when it is not one. */
export function maskPrefix(mask: string): number | undefined {
  return ipFamily(mask) === 4 ? (ipaddr.IPv4.parse(mask).prefixLengthFromSubnetMask() ?? undefined) : undefined;
}

/** Whether network `outer` contains network `inner` (same family). */
export function networkContains(outer: Network, inner: Network): boolean {
  if (outer.family !== inner.family || outer.prefix > inner.prefix) return false;
  const bits = outer.family === 4 ? 32 : 128;
  const shift = BigInt(bits - outer.prefix);
  return inner.base >> shift === outer.base >> shift;
}

/** Whether a wildcard base covers a host: `*.example.com` covers `a.example.com` and `b.a.example.com`, not `example.com`. */
export function wildcardCovers(wildcardBase: string, host: string): boolean {
  return host.length > wildcardBase.length && host.endsWith(`.${wildcardBase}`);
}

/** Whether address `outer` allows everything `inner` allows. */
export function addressCovers(outer: Address, inner: Address): boolean {
  if (outer.kind === 'any') return true;
  if (outer.kind === 'invalid' || inner.kind === 'invalid' || inner.kind === 'any') return false;
  if (outer.network && inner.network) return networkContains(outer.network, inner.network);
  if (outer.kind === 'hostname') return inner.kind === 'hostname' && inner.host === outer.host;
  if (outer.kind === 'wildcard') {
    if (inner.kind === 'hostname') return wildcardCovers(outer.host!, inner.host!);
    if (inner.kind === 'wildcard') return inner.host === outer.host || wildcardCovers(outer.host!, inner.host!);
  }
  return false;
}

/** Keys computed once per `Address` object: the models of unchanged rule items (and so their addresses)
 * are reused from lint to lint, and the file-level rules look these keys up on every lint. */
const coveringCache = new WeakMap<Address, readonly string[]>();
const indexCache = new WeakMap<Address, string | null>();

/** Every key under which a covering address could be indexed: the lookups `addressCovers` would succeed for. */
export function coveringKeys(address: Address): readonly string[] {
  let keys = coveringCache.get(address);
  if (!keys) coveringCache.set(address, (keys = computeCoveringKeys(address)));
  return keys;
}

function computeCoveringKeys(address: Address): string[] {
  if (address.kind === 'hostname' || address.kind === 'wildcard') {
    const host = address.host!;
    const keys = ['any', address.kind === 'hostname' ? `host:${host}` : `wild:${host}`];
    // The wildcard of each suffix after a dot.
    for (let dot = host.indexOf('.'); dot !== -1; dot = host.indexOf('.', dot + 1)) keys.push(`wild:${host.slice(dot + 1)}`);
    return keys;
  }
  if (address.network) {
    const keys = ['any'];
    for (let prefix = 0; prefix <= address.network.prefix; prefix++) keys.push(networkKey(address.network, prefix));
    return keys;
  }
  return address.kind === 'any' ? ['any'] : [];
}

/** The key of the network of `prefix` bits that contains `network`: one of its `coveringKeys`. IPv4 in plain
 * numbers: BigInt shifts cost far more, and a lint computes 33 of these per IPv4 address it has not seen before. */
export function networkKey({ family, base }: Network, prefix: number): string {
  if (family === 4) {
    const value = Number(base);
    return `net4:${prefix}:${(prefix === 0 ? 0 : Math.floor(value / 2 ** (32 - prefix))).toString(16)}`;
  }
  return `net6:${prefix}:${(base >> BigInt(128 - prefix)).toString(16)}`;
}

/** The key under which an address is indexed, matching one of `coveringKeys` of what it covers. */
export function indexKey(address: Address): string | undefined {
  let key = indexCache.get(address);
  if (key === undefined) indexCache.set(address, (key = computeIndexKey(address) ?? null));
  return key ?? undefined;
}

const sideCache = new WeakMap<{ addresses: Address[] }, readonly string[]>();

/** The distinct index keys of a rule's `to` or `from`, once per side object (reused with the item's model). */
export function indexKeys(side: { addresses: Address[] }): readonly string[] {
  let keys = sideCache.get(side);
  if (!keys) {
    const addresses = side.addresses;
    if (addresses.length === 1) {
      // Most sides name one address: no set to build.
      const key = indexKey(addresses[0]);
      keys = key === undefined ? [] : [key];
    } else {
      const distinct = new Set<string>();
      for (const address of addresses) {
        const key = indexKey(address);
        if (key !== undefined) distinct.add(key);
      }
      keys = [...distinct];
    }
    sideCache.set(side, keys);
  }
  return keys;
}

function computeIndexKey(address: Address): string | undefined {
  switch (address.kind) {
    case 'any':
      return 'any';
    case 'hostname':
      return `host:${address.host}`;
    case 'wildcard':
      return `wild:${address.host}`;
    case 'invalid':
      return undefined;
    default:
      return networkKey(address.network!, address.network!.prefix);
  }
}

/** The fewest CIDR networks that cover exactly `first`–`last` (at most 2 per address bit), as an allowlist writes
 * them; undefined where the two are not addresses of one family or `last` comes before `first`. */
export function rangeToNetworks(first: string, last: string): string[] | undefined {
  if (!ipaddr.isValid(first) || !ipaddr.isValid(last)) return undefined;
  const [start, end] = [ipaddr.parse(first), ipaddr.parse(last)];
  if (start.kind() !== end.kind()) return undefined;
  const family = start.kind() === 'ipv4' ? 4 : 6;
  const bits = family === 4 ? 32 : 128;
  let low = addressToBigInt(start);
  const high = addressToBigInt(end);
  if (low > high) return undefined;
  const networks: string[] = [];
  while (low <= high) {
    let size = 0;
    while (size < bits && (low & ((1n << BigInt(size + 1)) - 1n)) === 0n && low + (1n << BigInt(size + 1)) - 1n <= high) size++;
    const text = bigIntToText(low, family);
    networks.push(size === 0 ? text : `${text}/${bits - size}`);
    low += 1n << BigInt(size);
  }
  return networks;
}
