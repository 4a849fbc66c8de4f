/** The parsed model of an allowlist file that every lint rule visits. Built once per lint from the
 * YAML with source ranges; rule items are parsed and cached one by one (see parse.ts), so the model of
 * an unchanged item is reused as it is after an edit elsewhere in the file. */
import type { Range } from '../common';

export type Direction = 'outbound' | 'inbound';
export type Protocol = 'tcp' | 'udp' | 'any';

export type AddressKind = 'any' | 'hostname' | 'wildcard' | 'ipv4' | 'ipv6' | 'cidr' | 'invalid';

/** An IP network in canonical form: an address is a network with a full-length prefix. An IPv4 network is also
 * in numbers (`first`), which is how a lint compares and indexes it. */
export type Network = Ipv4Network | Ipv6Network;

interface NetworkFields {
  /** The network address as a bigint (host bits cleared). */
  readonly base: bigint;
  readonly prefix: number;
  /** Canonical text, e.g. "34.202.14.153" or "2001:db8::/32". */
  readonly canonical: string;
}

export interface Ipv4Network extends NetworkFields {
  readonly family: 4;
  /** The network address (host bits cleared) as a number. */
  readonly first: number;
}

export interface Ipv6Network extends NetworkFields {
  readonly family: 6;
}

export interface Address {
  /** The text as written. */
  text: string;
  /** Ranges are relative to the owning item's `offset` for rule items, absolute for the file's header. */
  range: Range;
  kind: AddressKind;
  /** Lower-cased host name without a trailing dot (for `hostname`), or the base of a wildcard (`*.example.com` -> `example.com`). */
  host?: string;
  network?: Network;
  /** Why the address is not valid, or is suspicious (CIDR with host bits set). */
  problem?: string;
}

export interface PortSpan {
  from: number;
  to: number;
  text: string;
  range: Range;
  /** Why the span is not valid (outside 1-65535, reversed, not a number). */
  problem?: string;
}

export interface PortSet {
  any: boolean;
  spans: PortSpan[];
  range: Range;
}

/** A key of the address indexes: a string (`any`, `host:…`, `wild:…`, `net6:…`) or, for an IPv4 network, a number
 * (see `networkKey` in address.ts): the 33 covering keys of an IPv4 address cost no strings. */
export type IndexKey = string | number;

/** A rule's `from` or `to`. */
export interface RuleSide {
  addresses: Address[];
  range: Range;
  /** Its distinct index keys, made by `indexKeys` when first asked for and kept with the item's parse (which later
   * lints reuse). A field, not a map beside the model: a lint of a fleet asks for those of 40,000 sides. */
  indexKeys: readonly IndexKey[] | undefined;
}

export function ruleSide(addresses: Address[], range: Range): RuleSide {
  return { addresses, range, indexKeys: undefined };
}

export interface Spanned<T> {
  value: T;
  range: Range;
}

/** One item of `outbound:` or `inbound:`. All ranges in it are relative to `offset`. */
export interface AllowRule {
  direction: Direction;
  /** Position in its list (0-based). */
  index: number;
  /** Absolute offset of the item's chunk in the file; every range in the item is relative to it. */
  offset: number;
  /** The whole item: from its first key (after the `-`) to its last character. */
  range: Range;
  name?: Spanned<string>;
  description?: Spanned<string>;
  vendor?: Spanned<string>;
  /** Absent where the rule has no `from` (outbound rules default to "this site"). */
  from?: RuleSide;
  to?: RuleSide;
  ports?: PortSet;
  protocol: Spanned<Protocol> | { value: Protocol; range?: undefined };
  ticket?: Spanned<string>;
  owner?: Spanned<string>;
  /** `expires` as written; `date` is set when it is a valid YYYY-MM-DD date. */
  expires?: Spanned<string> & { date?: string };
  /** Key ranges by key name, for findings about a key itself (e.g. a duplicate name). */
  keys: Record<string, Range>;
}

export interface VendorDecl {
  id: string;
  range: Range;
  /** Option values as written, with their ranges. */
  options: Record<string, Spanned<unknown>>;
  /** Range of each option's key, by option name (for findings about the option itself, e.g. an unknown one). */
  optionKeys: Record<string, Range>;
  /** Range of the whole `id: {...}` entry. */
  entryRange: Range;
}

export interface Exclusion {
  path: Spanned<string>;
  products?: Spanned<string>[];
  range: Range;
}

export interface EndpointProtection {
  range: Range;
  keyRange: Range;
  products: Spanned<string>[];
  productsRange?: Range;
  exclusions: Exclusion[];
  exclusionsRange?: Range;
}

/** A `# allowlist-ignore RULE-ID: reason` comment. */
export interface IgnoreComment {
  ruleId: string;
  reason: string;
  /** Range of the comment text. */
  range: Range;
  /** Zero-based line the comment silences: its own line if it trails code, else the next line with code. */
  targetLine: number;
}

export type FileKind = 'allowlist' | 'catalog' | 'other';

export interface AllowlistModel {
  kind: FileKind;
  text: string;
  /** Range of each top-level key, by name. */
  topKeys: Record<string, Range>;
  version?: Spanned<unknown>;
  site?: Spanned<string>;
  description?: Spanned<string>;
  vendors: VendorDecl[];
  vendorsRange?: Range;
  outbound: AllowRule[];
  inbound: AllowRule[];
  /** Range of the `outbound:` / `inbound:` key, or absent. */
  outboundKey?: Range;
  inboundKey?: Range;
  endpointProtection?: EndpointProtection;
  ignores: IgnoreComment[];
}

/** An allowlist with nothing in it: stands for a file whose bytes are not text (its site still counts). */
export function emptyAllowlistModel(): AllowlistModel {
  return { kind: 'allowlist', text: '', topKeys: {}, vendors: [], outbound: [], inbound: [], ignores: [] };
}

/** A rule item with every field present, the optional ones undefined, always in this order: all rule objects
 * then share one shape, which keeps the rules' passes over thousands of them monomorphic (and fast). */
export function newAllowRule(direction: Direction, index: number, offset: number, range: Range): AllowRule {
  return placedRule({ direction, index, offset, range, protocol: DEFAULT_PROTOCOL, keys: {} }, index, offset);
}

/** The protocol of a rule without one, one object for them all (kept with the model: one per rule added up). */
const DEFAULT_PROTOCOL: AllowRule['protocol'] = Object.freeze({ value: 'tcp' });

/** The same rule item at another position in the file (the parsed item is shared, so it is copied). */
export function placedRule(rule: AllowRule, index: number, offset: number): AllowRule {
  return {
    direction: rule.direction,
    index,
    offset,
    range: rule.range,
    name: rule.name,
    description: rule.description,
    vendor: rule.vendor,
    from: rule.from,
    to: rule.to,
    ports: rule.ports,
    protocol: rule.protocol,
    ticket: rule.ticket,
    owner: rule.owner,
    expires: rule.expires,
    keys: rule.keys,
  };
}

/** What findings about a rule item are about, for matching them across versions (`allowlist diff`, SARIF
 * fingerprints): the direction and the name. Never the item's position: an item's findings are cached with its
 * text and reused wherever it moves, and a finding stays the same one when rules are inserted above it. */
export function itemSubject(rule: Pick<AllowRule, 'direction' | 'name'>): string {
  return `${rule.direction}:${rule.name?.value ?? '#unnamed'}`;
}

/** Absolute range of a range inside a rule item. */
export function absolute(rule: AllowRule, range: Range): Range {
  return { start: rule.offset + range.start, end: rule.offset + range.end };
}

/** How a rule list was made from the same list of the document's previous parse: its first `prefix` and last `suffix`
 * rules are that list's rules (the same parses, moved at most), those between replace the ones between there. */
export interface ListSplice {
  prefix: number;
  suffix: number;
}

/** Recorded by the chunked parse, which knows which items it reused: the rules that carry state over from the last lint
 * read it here instead of comparing 10,000 rules (each read of a moved rule is a likely cache miss). The previous list
 * is named by a number, not held: each list would keep every list before it alive. */
const listSplices = new WeakMap<readonly AllowRule[], ListSplice & { previous: number }>();
const listIds = new WeakMap<readonly AllowRule[], number>();
let nextListId = 0;

function listId(list: readonly AllowRule[]): number {
  let id = listIds.get(list);
  if (id === undefined) listIds.set(list, (id = nextListId++));
  return id;
}

export function recordListSplice(list: readonly AllowRule[], previous: readonly AllowRule[], { prefix, suffix }: ListSplice): void {
  listSplices.set(list, { previous: listId(previous), prefix, suffix });
}

/** The splice recorded for `list`, if it was made from `previous`. */
export function recordedSplice(list: readonly AllowRule[], previous: readonly AllowRule[]): ListSplice | undefined {
  const splice = listSplices.get(list);
  return splice && listIds.get(previous) === splice.previous ? { prefix: splice.prefix, suffix: splice.suffix } : undefined;
}

export function allRules(model: AllowlistModel): AllowRule[] {
  return [...model.outbound, ...model.inbound];
}
