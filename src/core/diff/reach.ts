/** The effective reach of an allowlist: every (direction, from, to, protocol) it allows, with the merged
 * port intervals allowed there, and the lookups the diff needs to compare two of them by coverage rather
 * than by rule identity. Building and comparing are linear in the number of (from, to) pairs the rules
 * name, times the few covering keys actually present (see `coveringKeys`). */
import { type Address, type AllowlistModel, type AllowRule, coveringKeys, type Direction, type IndexKey, indexKey, mergeSpans } from '../parse';
import type { PlaceInfo, PortInterval } from './types';

export type Proto = 'tcp' | 'udp';

export interface Place {
  /** Index key (`host:…`, `wild:…`, an IPv4 network's number, `net6:48:…`, `any`, `site`). */
  key: IndexKey;
  info: PlaceInfo;
  /** Keys of every place that covers this one (the place itself included). */
  covering: readonly IndexKey[];
  /** log2 of how many addresses the place stands for (any = 128, a host = 0); sorts broad before narrow. */
  breadth: number;
}

export interface ReachEntry {
  direction: Direction;
  protocol: Proto;
  from: Place;
  to: Place;
  ports: PortInterval[];
  /** Names (or `#n`) of the rules granting it, in file order. */
  rules: string[];
}

export interface Reach {
  entries: Map<string, ReachEntry>;
  /** Every from-key and to-key present, to cut `covering` lists down to the keys worth looking up. */
  fromKeys: Set<IndexKey>;
  toKeys: Set<IndexKey>;
}

export const FULL_RANGE: PortInterval[] = [{ from: 1, to: 65535 }];
const SITE: Place = { key: 'site', info: { label: 'this site', kind: 'site' }, covering: ['site', 'any'], breadth: 0 };

export function entryKey(direction: Direction, protocol: Proto, fromKey: IndexKey, toKey: IndexKey): string {
  return `${direction}|${protocol}|${fromKey}|${toKey}`;
}

export function ruleLabel(rule: AllowRule): string {
  return rule.name?.value ?? `${rule.direction} rule #${rule.index + 1}`;
}

/** Places by the text of an address, so that a network's covering keys are computed once per distinct address. */
export class PlaceCache {
  private readonly places = new Map<string, Place | null>();

  place(address: Address): Place | undefined {
    const cacheKey = `${address.kind}\n${address.host ?? address.network?.canonical ?? address.text}`;
    const cached = this.places.get(cacheKey);
    if (cached !== undefined) return cached ?? undefined;
    const built = buildPlace(address);
    this.places.set(cacheKey, built ?? null);
    return built;
  }
}

function buildPlace(address: Address): Place | undefined {
  if (address.kind === 'invalid') return undefined;
  const key = indexKey(address);
  if (key === undefined) return undefined;
  const covering = coveringKeys(address);
  if (address.kind === 'any') return { key, info: { label: 'any', kind: 'any' }, covering: ['any'], breadth: 128 };
  if (address.kind === 'hostname') return { key, info: { label: address.host!, kind: 'hostname' }, covering, breadth: 0 };
  if (address.kind === 'wildcard') return { key, info: { label: `*.${address.host}`, kind: 'wildcard' }, covering, breadth: 16 };
  const network = address.network!;
  const bits = network.family === 4 ? 32 : 128;
  return { key, info: { label: network.canonical, kind: address.kind }, covering, breadth: bits - network.prefix };
}

function protocols(rule: AllowRule): Proto[] {
  const value = rule.protocol.value;
  return value === 'any' ? ['tcp', 'udp'] : [value];
}

function portIntervals(rule: AllowRule): PortInterval[] {
  if (!rule.ports || rule.ports.any) return FULL_RANGE;
  return mergeSpans(rule.ports.spans);
}

/**
 * The places on one side of a rule. A missing `from` of an outbound rule (or `to` of an inbound one) is this
 * site; a missing remote side allows nothing identifiable (the schema requires it).
 */
function placesOf(rule: AllowRule, side: 'from' | 'to', cache: PlaceCache): Place[] {
  const list = rule[side];
  const local = (rule.direction === 'outbound' && side === 'from') || (rule.direction === 'inbound' && side === 'to');
  if (!list) return local ? [SITE] : [];
  const places: Place[] = [];
  const seen = new Set<IndexKey>();
  for (const address of list.addresses) {
    const place = cache.place(address);
    if (place && !seen.has(place.key)) {
      seen.add(place.key);
      places.push(place);
    }
  }
  return places;
}

export function buildReach(model: AllowlistModel, cache: PlaceCache = new PlaceCache()): Reach {
  return reachOfRules([...model.outbound, ...model.inbound], cache);
}

/** The reach of some rules of a model (one rule's own reach, for instance). */
export function reachOfRules(rules: readonly AllowRule[], cache: PlaceCache): Reach {
  const entries = new Map<string, ReachEntry>();
  const fromKeys = new Set<IndexKey>();
  const toKeys = new Set<IndexKey>();
  for (const rule of rules) {
    const ports = portIntervals(rule);
    if (ports.length === 0) continue;
    const froms = placesOf(rule, 'from', cache);
    const tos = placesOf(rule, 'to', cache);
    const label = ruleLabel(rule);
    for (const protocol of protocols(rule)) {
      for (const from of froms) {
        for (const to of tos) {
          const key = entryKey(rule.direction, protocol, from.key, to.key);
          const entry = entries.get(key);
          if (entry) {
            entry.ports = union(entry.ports, ports);
            if (!entry.rules.includes(label)) entry.rules.push(label);
          } else {
            entries.set(key, { direction: rule.direction, protocol, from, to, ports, rules: [label] });
          }
          fromKeys.add(from.key);
          toKeys.add(to.key);
        }
      }
    }
  }
  return { entries, fromKeys, toKeys };
}

/** Entries of `reach` whose from and to both cover the given places (the entry at the same places included). */
export function coverers(reach: Reach, direction: Direction, protocol: Proto, from: Place, to: Place): ReachEntry[] {
  const found: ReachEntry[] = [];
  const froms = from.covering.filter((key) => reach.fromKeys.has(key));
  if (froms.length === 0) return found;
  const tos = to.covering.filter((key) => reach.toKeys.has(key));
  for (const fromKey of froms) {
    for (const toKey of tos) {
      const entry = reach.entries.get(entryKey(direction, protocol, fromKey, toKey));
      if (entry) found.push(entry);
    }
  }
  return found;
}

/**
 * For each entry key of `outer`, the entries of `inner` it covers: built by walking `inner` once and looking
 * each entry's covering keys up among those present in `outer`.
 */
export function coveredIndex(inner: Reach, outer: Reach): Map<string, ReachEntry[]> {
  const index = new Map<string, ReachEntry[]>();
  for (const entry of inner.entries.values()) {
    const froms = entry.from.covering.filter((key) => outer.fromKeys.has(key));
    if (froms.length === 0) continue;
    const tos = entry.to.covering.filter((key) => outer.toKeys.has(key));
    for (const fromKey of froms) {
      for (const toKey of tos) {
        const key = entryKey(entry.direction, entry.protocol, fromKey, toKey);
        if (!outer.entries.has(key)) continue;
        let list = index.get(key);
        if (!list) index.set(key, (list = []));
        list.push(entry);
      }
    }
  }
  return index;
}

// ---------------------------------------------------------------------------------------------
// Interval arithmetic over sorted, merged, inclusive port intervals.

export function union(a: PortInterval[], b: PortInterval[]): PortInterval[] {
  const all = [...a, ...b].sort((x, y) => x.from - y.from);
  const merged: PortInterval[] = [];
  for (const span of all) {
    const last = merged[merged.length - 1];
    if (last && span.from <= last.to + 1) last.to = Math.max(last.to, span.to);
    else merged.push({ from: span.from, to: span.to });
  }
  return merged;
}

/** The ports of `a` that `b` does not contain. Both sorted and merged. */
export function subtract(a: PortInterval[], b: PortInterval[]): PortInterval[] {
  const result: PortInterval[] = [];
  let j = 0;
  for (const span of a) {
    let cursor = span.from;
    while (j < b.length && b[j].to < cursor) j++;
    let k = j;
    while (k < b.length && b[k].from <= span.to) {
      if (b[k].from > cursor) result.push({ from: cursor, to: b[k].from - 1 });
      cursor = Math.max(cursor, b[k].to + 1);
      if (cursor > span.to) break;
      k++;
    }
    if (cursor <= span.to) result.push({ from: cursor, to: span.to });
  }
  return result;
}

export function overlaps(a: PortInterval[], b: PortInterval[]): boolean {
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    if (a[i].to < b[j].from) i++;
    else if (b[j].to < a[i].from) j++;
    else return true;
  }
  return false;
}

export function samePorts(a: PortInterval[], b: PortInterval[]): boolean {
  return a.length === b.length && a.every((span, i) => span.from === b[i].from && span.to === b[i].to);
}

export function portCount(ports: PortInterval[]): number {
  return ports.reduce((sum, span) => sum + span.to - span.from + 1, 0);
}

/** "443", "2001-2500", "443, 8443", "any port". */
export function portsText(ports: PortInterval[]): string {
  if (ports.length === 1 && ports[0].from === 1 && ports[0].to === 65535) return 'any port';
  return ports.map((span) => (span.from === span.to ? String(span.from) : `${span.from}-${span.to}`)).join(', ');
}
