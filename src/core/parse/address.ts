/** Classifies the addresses a rule names (hostname, wildcard, IP, CIDR, `any`) and compares them. */
import ipaddr from 'ipaddr.js';
import { hostKey, quoted, type Range } from '../common';
import { isDigit } from './chars';
import type { Address, IndexKey, Ipv4Network, Ipv6Network, Network, RuleSide } from './model';

const LABEL = /^[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?$/;

export function parseAddress(text: string, range: Range): Address {
  const trimmed = text.trim();
  if (trimmed === '') return invalid(text, range, 'an empty address');
  if (trimmed.length === 3 && trimmed.toLowerCase() === 'any') return { text, range, kind: 'any' };
  if (isUrl(trimmed)) return invalid(text, range, `${quoted(trimmed)} is a URL; write only its host name (ports go under \`ports\`)`);
  if (trimmed.includes('/')) return parseCidr(text, trimmed, range);
  const ipv4 = fourPartDecimal(trimmed);
  if (ipv4 !== undefined) return { text, range, kind: 'ipv4', network: ipv4Network(ipv4, 32) };
  // Only IPv6 addresses have a colon: most addresses are host names.
  if (trimmed.includes(':')) {
    if (readIPv6(trimmed)) return { text, range, kind: 'ipv6', network: ipv6Network(128) };
    const hostWithPort = /^([^:]+):(\d+)$/.exec(trimmed);
    if (hostWithPort) return invalid(text, range, `${quoted(trimmed)} includes a port; write the host as ${quoted(hostWithPort[1])} and put ${hostWithPort[2]} under \`ports\``);
    // Two or more colons: meant as an IPv6 address (a host name has none).
    if (/:.*:/.test(trimmed)) return invalid(text, range, `${quoted(trimmed)} is not a valid IPv6 address (eight groups of up to four hex digits, "::" for a run of zeros)`);
  } else if (isDigitsAndDots(trimmed)) {
    return invalid(text, range, `${quoted(trimmed)} is not a valid IPv4 address (four numbers from 0 to 255)`);
  }
  const wildcard = trimmed.startsWith('*.');
  const name = hostKey(wildcard ? trimmed.slice(2) : trimmed);
  const problem = isPlainHostname(name) ? undefined : hostnameProblem(name);
  if (problem) return invalid(text, range, `${quoted(trimmed)} is not a valid host name: ${problem}`);
  return { text, range, kind: wildcard ? 'wildcard' : 'hostname', host: name };
}

function invalid(text: string, range: Range, problem: string): Address {
  return { text, range, kind: 'invalid', problem };
}

/** Whether `text` starts with a URL scheme and `://` (a letter, then letters, digits, `+`, `.` or `-`). */
function isUrl(text: string): boolean {
  const end = text.indexOf('://');
  if (end <= 0) return false;
  for (let at = 0; at < end; at++) {
    const code = text.charCodeAt(at) | 0x20;
    const letter = code >= 0x61 && code <= 0x7a;
    if (at === 0 ? !letter : !letter && !isDigit(text.charCodeAt(at)) && !'+.-'.includes(text[at])) return false;
  }
  return true;
}

function isDigitsAndDots(text: string): boolean {
  for (let at = 0; at < text.length; at++) if (!isDigit(text.charCodeAt(at)) && text.charCodeAt(at) !== 0x2e) return false;
  return true;
}

/** Whether a lower-cased name is a valid host name, by one scan (what `hostnameProblem` finds no problem in). */
function isPlainHostname(name: string): boolean {
  const length = name.length;
  if (length === 0 || length > 253) return false;
  let labelStart = 0;
  let allDigits = true;
  for (let at = 0; at <= length; at++) {
    const code = at === length ? 0x2e : name.charCodeAt(at);
    if (code === 0x2e) {
      const size = at - labelStart;
      if (size === 0 || size > 63 || name.charCodeAt(labelStart) === 0x2d || name.charCodeAt(at - 1) === 0x2d) return false;
      if (at < length) allDigits = true;
      labelStart = at + 1;
    } else if (!isDigit(code)) {
      allDigits = false;
      if (!((code >= 0x61 && code <= 0x7a) || code === 0x5f || code === 0x2d)) return false;
    }
  }
  return !allDigits;
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
  const slash = trimmed.indexOf('/');
  const addressPart = trimmed.slice(0, slash);
  const prefixEnd = trimmed.indexOf('/', slash + 1);
  const prefixPart = trimmed.slice(slash + 1, prefixEnd === -1 ? trimmed.length : prefixEnd);
  const ipv4 = fourPartDecimal(addressPart);
  const isV4 = ipv4 !== undefined;
  if (!isV4 && !readIPv6(addressPart)) {
    return { text, range, kind: 'invalid', problem: `${quoted(addressPart)} in ${quoted(trimmed)} is not an IP address` };
  }
  const max = isV4 ? 32 : 128;
  const prefix = prefixLength(prefixPart);
  if (prefix === undefined || prefix > max) {
    return { text, range, kind: 'invalid', problem: `the prefix length of ${quoted(trimmed)} must be a number from 0 to ${max}` };
  }
  let network: Network;
  let hostBitsSet: boolean;
  if (isV4) {
    const ipv4Net = ipv4Network(ipv4, prefix);
    network = ipv4Net;
    hostBitsSet = ipv4 !== ipv4Net.first;
  } else {
    hostBitsSet = ipv6HostBitsSet(prefix);
    network = ipv6Network(prefix);
  }
  return {
    text,
    range,
    kind: 'cidr',
    network,
    problem: hostBitsSet ? `${quoted(trimmed)} has host bits set; the network is ${network.canonical}` : undefined,
  };
}

/** One to three decimal digits as a number; undefined for anything else. */
function prefixLength(text: string): number | undefined {
  if (text.length === 0 || text.length > 3) return undefined;
  let value = 0;
  for (let at = 0; at < text.length; at++) {
    const code = text.charCodeAt(at);
    if (!isDigit(code)) return undefined;
    value = value * 10 + code - 0x30;
  }
  return value;
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
    } else if (isDigit(code) && !(digits === 1 && part === 0) && digits < 3) {
      part = part * 10 + code - 0x30;
      digits++;
    } else {
      return undefined;
    }
  }
  return parts === 4 ? value : undefined;
}

/** `toNetwork` of an IPv4 address given as a number: the same network, in numbers instead of BigInt shifts. */
function ipv4Network(address: number, prefix: number): Ipv4Network {
  return new NumericIpv4Network(address - (address % 2 ** (32 - prefix)), prefix);
}

/** An IPv4 network in numbers. Its BigInt `base` and its `canonical` text are made when asked for, which a lint does
 * for few of them (it compares and indexes IPv4 networks as numbers): made for every address, they were about a sixth
 * of the objects a model of 10,000 rules keeps (the text of four numbers and three dots is a tree of strings). */
class NumericIpv4Network implements Ipv4Network {
  readonly family = 4 as const;
  private text: string | undefined = undefined;

  constructor(
    readonly first: number,
    readonly prefix: number,
  ) {}

  get base(): bigint {
    return BigInt(this.first);
  }

  get canonical(): string {
    if (this.text === undefined) {
      const first = this.first;
      const address = `${first >>> 24}.${(first >>> 16) & 255}.${(first >>> 8) & 255}.${first & 255}`;
      this.text = this.prefix === 32 ? address : `${address}/${this.prefix}`;
    }
    return this.text;
  }
}

/** The eight 16-bit groups of the IPv6 address `readIPv6` read last (one array for all: read, then used at once). */
const groups = new Uint16Array(8);

/** Reads an IPv6 address into `groups`; false where `ipaddr.IPv6.isValid` is. The usual form (one to four hex digits
 * a group, at most one `::`) is read by hand, as `ipaddr` would read it; the rare others (a zone, an embedded IPv4
 * address, groups with leading zeros beyond four digits) by `ipaddr`, whose regular expressions cost far more. */
function readIPv6(text: string): boolean {
  const plain = readPlainIPv6(text);
  if (plain !== undefined) return plain;
  if (!ipaddr.IPv6.isValid(text)) return false;
  groups.set(ipaddr.IPv6.parse(text).parts);
  return true;
}

/** Hex groups separated by colons, at most one `::` (which stands for at least one group of zeros) and eight groups
 * in all, into `groups`; false where that form is broken in a way `ipaddr` rejects too (a group of no digits, a
 * stray colon, a second `::`, too many groups), undefined where the text is not of that form (for `ipaddr`). */
function readPlainIPv6(text: string): boolean | undefined {
  const length = text.length;
  let count = 0;
  let gap = -1;
  let at = 0;
  if (text.charCodeAt(0) === 0x3a) {
    if (text.charCodeAt(1) !== 0x3a) return false;
    gap = 0;
    at = 2;
  }
  while (at < length) {
    let value = 0;
    const start = at;
    for (; at < length; at++) {
      const digit = hexDigit(text.charCodeAt(at));
      if (digit < 0) break;
      value = value * 16 + digit;
    }
    if (at - start > 4) return undefined;
    if (at === start) return at < length && text.charCodeAt(at) !== 0x3a ? undefined : false;
    if (count === 8) return false;
    groups[count++] = value;
    if (at === length) break;
    if (text.charCodeAt(at) !== 0x3a) return undefined;
    at++;
    if (text.charCodeAt(at) === 0x3a) {
      if (gap !== -1) return false;
      gap = count;
      at++;
    } else if (at === length) {
      return false;
    }
  }
  if (gap === -1) return count === 8;
  if (count > 7) return false;
  const zeros = 8 - count;
  groups.copyWithin(gap + zeros, gap, count);
  groups.fill(0, gap, gap + zeros);
  return true;
}

function hexDigit(code: number): number {
  if (isDigit(code)) return code - 0x30;
  const lower = code | 0x20;
  return lower >= 0x61 && lower <= 0x66 ? lower - 0x61 + 10 : -1;
}

/** Whether the address in `groups` has bits set past the first `prefix`. */
function ipv6HostBitsSet(prefix: number): boolean {
  for (let at = 0; at < 8; at++) if ((groups[at] & ~groupMask(prefix, at) & 0xffff) !== 0) return true;
  return false;
}

/** The bits of group `at` within the first `prefix` bits. */
function groupMask(prefix: number, at: number): number {
  const kept = Math.min(16, Math.max(0, prefix - at * 16));
  return (0xffff << (16 - kept)) & 0xffff;
}

/** The network of `prefix` bits that holds the address in `groups`: its host bits cleared (in `groups`), its text as
 * RFC 5952 (and `ipaddr`) write it: lower-case groups without leading zeros, the longest run of two or more zero
 * groups (the first of equal runs) as `::`. */
function ipv6Network(prefix: number): Ipv6Network {
  for (let at = 0; at < 8; at++) groups[at] &= groupMask(prefix, at);
  let runAt = -1;
  let runLength = 1;
  for (let at = 0, zerosFrom = -1; at < 8; at++) {
    if (groups[at] !== 0) zerosFrom = -1;
    else if (zerosFrom === -1) zerosFrom = at;
    if (zerosFrom !== -1 && at - zerosFrom + 1 > runLength) {
      runAt = zerosFrom;
      runLength = at - zerosFrom + 1;
    }
  }
  // In three numbers of at most 48 bits: a BigInt per group costs three times the allocations.
  const base = (BigInt((groups[0] * 0x10000 + groups[1]) * 0x10000 + groups[2]) << 80n) | (BigInt((groups[3] * 0x10000 + groups[4]) * 0x10000 + groups[5]) << 32n) | BigInt(groups[6] * 0x10000 + groups[7]);
  let baseText = '';
  for (let at = 0; at < 8; at++) {
    const group = groups[at];
    if (at === runAt) baseText += '::';
    else if (runAt === -1 || at < runAt || at >= runAt + runLength) baseText += at === 0 || at === runAt + runLength ? group.toString(16) : `:${group.toString(16)}`;
  }
  return { family: 6, base, prefix, canonical: prefix === 128 ? baseText : `${baseText}/${prefix}` };
}

/** One BigInt from the address's hex digits: shifting in its bytes one by one costs a BigInt per byte. */
function addressToBigInt(address: ipaddr.IPv4 | ipaddr.IPv6): bigint {
  if (address.kind() === 'ipv4') return BigInt((address as ipaddr.IPv4).octets.reduce((value, octet) => value * 256 + octet, 0));
  return BigInt(`0x${(address as ipaddr.IPv6).parts.map((part) => part.toString(16).padStart(4, '0')).join('')}`);
}

/** The network of `prefix` bits that holds `address`. */
function toNetwork(address: ipaddr.IPv4 | ipaddr.IPv6, prefix: number): Network {
  if (address.kind() === 'ipv4') return ipv4Network((address as ipaddr.IPv4).octets.reduce((value, octet) => value * 256 + octet, 0), prefix);
  groups.set((address as ipaddr.IPv6).parts);
  return ipv6Network(prefix);
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
  if (outer.prefix > inner.prefix) return false;
  if (outer.family === 4) {
    if (inner.family !== 4) return false;
    const size = 2 ** (32 - outer.prefix);
    return Math.floor(inner.first / size) === Math.floor(outer.first / size);
  }
  if (inner.family !== 6) return false;
  const shift = BigInt(128 - outer.prefix);
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


/** Every key under which a covering address could be indexed: the lookups `addressCovers` would succeed for. Made
 * anew on each call, not kept per address: a lint from scratch asks once per rule, and kept with the model, the keys
 * of 10,000 host names (their strings and arrays, some 4 MB) made every collection during the lint copy them (a few
 * per cent of the cold CLI's lint of 10,000 rules); a re-lint asks for the few rules it searches. */
export function coveringKeys(address: Address): IndexKey[] {
  if (address.kind === 'hostname' || address.kind === 'wildcard') {
    const host = address.host!;
    const keys = ['any', address.kind === 'hostname' ? `host:${host}` : `wild:${host}`];
    // The wildcard of each suffix after a dot.
    for (let dot = host.indexOf('.'); dot !== -1; dot = host.indexOf('.', dot + 1)) keys.push(`wild:${host.slice(dot + 1)}`);
    return keys;
  }
  if (address.network) {
    const keys: IndexKey[] = ['any'];
    for (let prefix = 0; prefix <= address.network.prefix; prefix++) keys.push(networkKey(address.network, prefix));
    return keys;
  }
  return address.kind === 'any' ? ['any'] : [];
}

const IPV4_KEY_STEP = 2 ** 32;

/** The key of the network of `prefix` bits that contains `network`: one of its `coveringKeys`. IPv4 as a number,
 * the prefix length times 2^32 plus the network's first `prefix` bits (BigInt shifts and strings cost far more, and
 * a lint computes 33 of these per IPv4 address it has not seen before); IPv6 as `net6:PREFIX:HEX`. */
export function networkKey(network: Network, prefix: number): IndexKey {
  if (network.family === 4) return prefix * IPV4_KEY_STEP + (prefix === 0 ? 0 : Math.floor(network.first / 2 ** (32 - prefix)));
  return `net6:${prefix}:${(network.base >> BigInt(128 - prefix)).toString(16)}`;
}

/** The prefix length of an IPv4 network's key. */
export function ipv4KeyPrefix(key: number): number {
  return Math.floor(key / IPV4_KEY_STEP);
}

/** The key under which an address is indexed, matching one of `coveringKeys` of what it covers. */
export function indexKey(address: Address): IndexKey | undefined {
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

/** The distinct index keys of a rule's `to` or `from`, made once per side. */
export function indexKeys(side: RuleSide): readonly IndexKey[] {
  return (side.indexKeys ??= distinctIndexKeys(side.addresses));
}

function distinctIndexKeys(addresses: Address[]): readonly IndexKey[] {
  if (addresses.length === 1) {
    // Most sides name one address: no set to build.
    const key = indexKey(addresses[0]);
    return key === undefined ? [] : [key];
  }
  const distinct = new Set<IndexKey>();
  for (const address of addresses) {
    const key = indexKey(address);
    if (key !== undefined) distinct.add(key);
  }
  return [...distinct];
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
