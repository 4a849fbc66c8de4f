import { absolute, type Address, addressCovers, type AllowRule, coveringKeys, type IndexKey, indexKeys, ipv4KeyPrefix, mergedSpansOf, type Network, networkKey, portsCover, type PortSet, type RuleSide } from '../../parse';
import { removeItemLines } from '../edits';
import type { Fix } from '../../common';
import { perDocument, protocolCovers, ruleSplice, type RuleSplice, sameParse } from './helpers';
import { ruleLabel, ruleSubject, type LintRule } from './rule';

/** Whether every address of `inner` is covered by some address of `outer`. An absent side is "the
 * default" (for outbound `from`: the whole site), which only an absent side or `any` covers. */
function sideCovers(outer: RuleSide | undefined, inner: RuleSide | undefined): boolean {
  if (!outer) return true;
  if (outer.addresses.length === 0) return false;
  if (!inner) return outer.addresses.some((address) => address.kind === 'any');
  if (inner.addresses.length === 0) return false;
  return inner.addresses.every((address) => outer.addresses.some((o) => addressCovers(o, address)));
}

/** Whether `earlier` allows everything `later` allows, for at least as long. */
export function covers(earlier: AllowRule, later: AllowRule): boolean {
  if (!earlier.ports || !later.ports) return false;
  if (later.ports.spans.some((span) => span.problem) || (!later.ports.any && later.ports.spans.length === 0)) return false;
  if (!protocolCovers(earlier.protocol.value, later.protocol.value)) return false;
  // A temporary rule does not make a permanent (or longer-lived) one redundant.
  if (earlier.expires) {
    if (!earlier.expires.date || !later.expires?.date || later.expires.date > earlier.expires.date) return false;
  }
  return portsCover(earlier.ports, later.ports) && sideCovers(earlier.to, later.to) && sideCovers(earlier.from, later.from);
}

export const shadowedRule: LintRule = {
  meta: {
    id: 'shadowed-rule',
    defaultSeverity: 'warning',
    description:
      'A rule that an earlier rule of the same direction already covers entirely (every `from` and `to` address, every port, the protocol, and at least as long if the earlier one expires) has no effect: it is dead weight that reviewers still read and believe in. Usually one of the two was meant to be narrower (a wildcard or `any` added "temporarily"), or it is a plain duplicate. Remove it, or narrow the earlier rule if that one is the mistake.',
    example:
      'outbound:\n  - name: web\n    to: "*.example.com"\n    ports: [80, 443]\n  - name: api   # shadowed by web\n    to: api.example.com\n    ports: 443',
  },
  checkFile(model, context, report) {
    const memos = memosOf(context.document);
    for (const rules of [model.outbound, model.inbound]) {
      const shadows = shadowedRules(rules, memos);
      // By position, not `entries()`: an array per rule for 10,000 rules on every keystroke.
      for (let at = 0; at < rules.length; at++) {
        if (shadows[at] === -1) continue;
        const rule = rules[at];
        const shadow = rules[shadows[at]];
        const fixes: Fix[] = [];
        const edit = removeItemLines(model.text, rule);
        if (edit) fixes.push({ title: `Remove ${ruleLabel(rule)}`, edits: [edit], preferred: true });
        report({
          message: `${ruleLabel(rule)} is shadowed by the earlier rule ${ruleLabel(shadow)} (${shadow.direction} rule ${shadow.index + 1}), which already allows all its addresses, ports and protocol: this rule has no effect. Remove it, or narrow ${ruleLabel(shadow)} if this rule was meant to be the only one.`,
          range: absolute(rule, rule.name?.range ?? rule.range),
          subject: ruleSubject(rule, 'shadowed'),
          fixes,
        });
      }
    }
  },
  prepareEdits(model, document) {
    for (const rules of [model.outbound, model.inbound]) {
      const memo = memosOf(document).find((kept) => kept.rules === rules);
      if (memo) memo.indexes ??= newIndexes(rules, memo.keys);
    }
  },
};

/** The last lints' shadows, per rule list: where an edit left most items in place (the editor's re-lint), only the
 * rules it can affect are searched again. Whether `a` covers `b` depends on the two items alone, so a rule before
 * the edited items keeps its shadow, and one after them keeps its shadow (moved with it) unless that was replaced or
 * a new rule before it covers it. Kept per document (`RuleContext.document`), one for each direction. */
interface ShadowMemo {
  rules: AllowRule[];
  /** Per rule, the position of the earliest rule that covers it, or -1. */
  shadows: Int32Array;
  /** Per rule, the index keys of its `to` (none without one): a re-lint's search reads them here, not looked up. */
  keys: (readonly IndexKey[])[];
  /** Made on the first re-lint (a lint from scratch needs none) or ahead of it (`prepareEdits`), then moved with each edit. */
  indexes?: ShadowIndexes;
}

/** Where a re-lint looks for the rules that cover a rule (`byKey`: the positions of the rules by their `keys`) and for
 * the rules a replaced rule may cover (`byCovered`: by their `covered` keys). */
interface ShadowIndexes {
  byKey: PositionIndex;
  byCovered: PositionIndex;
  /** Per rule that can be shadowed, the keys under which a rule that covers it is indexed (`coveringKeys` of its first
   * `to` address, of a network only those of the prefix lengths in `prefixes`); none for the others. */
  covered: (readonly IndexKey[])[];
  /** The network prefix lengths, by family, of the `to` addresses when the indexes were made: all of a network's 33 or
   * 129 covering keys would make the first re-lint's index ten times larger. A replaced rule with a network of another
   * prefix length is compared with every later rule instead. */
  prefixes: Prefixes;
}

type Prefixes = { 4: Set<number>; 6: Set<number> };

const memosOf = perDocument<ShadowMemo[]>(() => []);
/** The outbound and the inbound list's. */
const MEMOS = 2;
/** More replaced rules (or rules whose shadow was replaced) than this, and a search from scratch is cheaper. */
const MAX_CHANGED = 16;

/** Per rule of one direction, the position of the earliest rule that covers it, or -1; `memos` are the document's. */
function shadowedRules(rules: AllowRule[], memos: ShadowMemo[]): Int32Array {
  let best: { memo: ShadowMemo; splice: RuleSplice } | undefined;
  for (const memo of memos) {
    // The other direction's list shares neither end: no splice to compute.
    const last = rules.length - 1;
    if (rules.length === 0 || memo.rules.length === 0 || (!sameParse(memo.rules[0], rules[0]) && !sameParse(memo.rules[memo.rules.length - 1], rules[last]))) continue;
    const splice = ruleSplice(memo.rules, rules);
    if (!best || splice.prefix + splice.suffix > best.splice.prefix + best.splice.suffix) best = { memo, splice };
  }
  const edited = best && best.splice.prefix + best.splice.suffix > 0 ? best : undefined;
  // The memo this list was edited from gives way to it (one of another list stays): its keys and indexes are edited in
  // place, not copied (10,000 rules), so it is dropped first.
  if (edited) memos.splice(memos.indexOf(edited.memo), 1);
  const splice = edited?.splice;
  const replaced = splice ? rules.length - splice.suffix - splice.prefix : 0;
  const removedCount = splice ? edited.memo.rules.length - splice.suffix - splice.prefix : 0;
  const removedKeys = splice && replaced <= MAX_CHANGED && removedCount <= MAX_CHANGED ? edited.memo.keys.splice(splice.prefix, removedCount, ...rules.slice(splice.prefix, splice.prefix + replaced).map(toKeys)) : undefined;
  const keys = removedKeys ? edited!.memo.keys : rules.map(toKeys);
  const memo: ShadowMemo = { rules, shadows: new Int32Array(0), keys };
  memo.shadows = (removedKeys && shadowsAfterEdit(memo, edited!.memo, edited!.splice, removedKeys)) ?? allShadows(rules, keys);
  memos.unshift(memo);
  memos.length = Math.min(memos.length, MEMOS);
  return memo.shadows;
}

function toKeys(rule: AllowRule): readonly IndexKey[] {
  return rule.to ? indexKeys(rule.to) : NO_KEYS;
}

/** The network prefix lengths of the rules' `to` addresses, by family. */
function prefixesOf(rules: AllowRule[]): Prefixes {
  const prefixes: Prefixes = { 4: new Set(), 6: new Set() };
  for (const rule of rules) {
    for (const address of rule.to?.addresses ?? NO_ADDRESSES) if (address.network) prefixes[address.network.family].add(address.network.prefix);
  }
  return prefixes;
}

const NO_ADDRESSES: Address[] = [];

/** `ShadowIndexes.covered` of one rule. */
function coveredKeys(rule: AllowRule, prefixes: Prefixes): readonly IndexKey[] {
  if (!checkable(rule)) return NO_KEYS;
  const address = rule.to!.addresses[0];
  return address.network ? networkKeysOf(address.network, prefixes) : coveringKeys(address);
}

/** A network's covering keys (`any`, and its key at each prefix length up to its own), of the prefix lengths in
 * `prefixes` only (see `ShadowIndexes.prefixes`). */
function networkKeysOf(network: Network, prefixes: Prefixes): IndexKey[] {
  const keys: IndexKey[] = ['any'];
  for (const prefix of prefixes[network.family]) if (prefix <= network.prefix) keys.push(networkKey(network, prefix));
  return keys;
}

function newIndexes(rules: AllowRule[], keys: (readonly IndexKey[])[]): ShadowIndexes {
  const prefixes = prefixesOf(rules);
  const covered = rules.map((rule) => coveredKeys(rule, prefixes));
  return { byKey: new PositionIndex(keys), byCovered: new PositionIndex(covered), covered, prefixes };
}

/** The indexes of the rules before an edit, made those of the rules after it (their `keys`, edited already). */
function editIndexes(indexes: ShadowIndexes, edit: IndexEdit, removedKeys: (readonly IndexKey[])[], rules: AllowRule[], keys: (readonly IndexKey[])[]): void {
  indexes.byKey.edit(edit, removedKeys, keys.slice(edit.prefix, edit.end));
  const addedCovered = rules.slice(edit.prefix, edit.end).map((rule) => coveredKeys(rule, indexes.prefixes));
  const removedCovered = indexes.covered.splice(edit.prefix, edit.previousEnd - edit.prefix, ...addedCovered);
  indexes.byCovered.edit(edit, removedCovered, addedCovered);
}

/** Whether a byCovered lookup finds every later rule that a rule may cover: it has no network of a prefix length the
 * index has no keys for. */
function coveredIndexed(rule: AllowRule, prefixes: Prefixes): boolean {
  return rule.to?.addresses.every((address) => !address.network || prefixes[address.network.family].has(address.network.prefix)) ?? true;
}

const NO_KEYS: readonly IndexKey[] = [];

/** Only rules with a `to` are compared, and only one whose every `to` address is valid can be shadowed. */
function checkable(rule: AllowRule): boolean {
  const addresses = rule.to?.addresses;
  return addresses !== undefined && addresses.length > 0 && addresses.every((address) => address.kind !== 'invalid');
}

function allShadows(rules: AllowRule[], keys: (readonly IndexKey[])[]): Int32Array {
  const shadows = new Int32Array(rules.length).fill(-1);
  const earlier = new EarlierRules();
  rules.forEach((rule, at) => {
    if (!rule.to) return;
    if (checkable(rule)) shadows[at] = earlier.earliestCoverer(rule)?.index ?? -1;
    earlier.add(rule, keys[at]);
  });
  return shadows;
}

/** The shadows of `memo`'s rules from those of `previous`, the same list before an edit that replaced the items between
 * `splice`'s ends (at most `MAX_CHANGED`, their keys before in `removedKeys`); undefined where too many rules' shadows
 * were replaced. Only the replaced rules, and the later rules whose shadow was replaced, are searched (through the index by key); the later rules a replaced rule may cover are those that share
 * a key with it (where its addresses are exact: a host name, one IP address), else all of them. */
function shadowsAfterEdit(memo: ShadowMemo, previous: ShadowMemo, { prefix, suffix }: RuleSplice, removedKeys: (readonly IndexKey[])[]): Int32Array | undefined {
  const { rules, keys } = memo;
  const suffixStart = rules.length - suffix;
  const previousSuffixStart = previous.rules.length - suffix;
  const moved = rules.length - previous.rules.length;
  const indexes = previous.indexes ?? newIndexes(rules, keys);
  if (previous.indexes) editIndexes(indexes, { prefix, previousEnd: previousSuffixStart, end: suffixStart }, removedKeys, rules, keys);
  memo.indexes = indexes;
  previous.indexes = undefined;
  const { byKey, byCovered, prefixes } = indexes;
  const shadows = new Int32Array(rules.length);
  shadows.set(previous.shadows.subarray(0, prefix));
  for (let at = prefix; at < suffixStart; at++) shadows[at] = checkable(rules[at]) ? searchBefore(rules, byKey, at) : -1;
  const searched: number[] = [];
  for (let at = suffixStart; at < rules.length; at++) {
    const last = previous.shadows[at - moved];
    if (last >= previousSuffixStart) shadows[at] = last + moved;
    else if (last >= prefix) {
      // Its shadow was replaced: searched below.
      if (searched.push(at) > MAX_CHANGED) return undefined;
      shadows[at] = SEARCHED;
    } else shadows[at] = last;
  }
  // A replaced rule comes before every later rule, and covers it first if it comes before its shadow too: the later
  // rules it may cover are indexed under its keys by their `covered` keys (all later rules, for a network of a prefix
  // length not indexed).
  const coverLater = (replaced: number, at: number): void => {
    const shadow = shadows[at];
    if (shadow !== SEARCHED && (shadow === -1 || shadow > replaced) && checkable(rules[at]) && covers(rules[replaced], rules[at])) shadows[at] = replaced;
  };
  for (let replaced = prefix; replaced < suffixStart; replaced++) {
    if (!coveredIndexed(rules[replaced], prefixes)) {
      for (let at = suffixStart; at < rules.length; at++) coverLater(replaced, at);
      continue;
    }
    for (const key of keys[replaced]) {
      const positions = byCovered.positions(key);
      for (let index = firstFrom(positions, suffixStart); index < positions.length; index++) coverLater(replaced, positions[index]);
    }
  }
  for (const at of searched) shadows[at] = searchBefore(rules, byKey, at);
  return shadows;
}

/** Rules from `prefix` to `previousEnd` replaced by those from `prefix` to `end`. */
interface IndexEdit {
  prefix: number;
  previousEnd: number;
  end: number;
}

/** A placeholder in `shadowsAfterEdit`: the rule's shadow is searched anew. */
const SEARCHED = -2;

/** Rule positions by key, each key's in ascending order, moved by an edit in place: an edit that inserts or removes rules
 * shifts the positions after it, a pass over the lists' ends without a new map. */
class PositionIndex {
  private readonly byKey = new Map<IndexKey, number[]>();

  /** `keys`: per rule, its keys. */
  constructor(keys: (readonly IndexKey[])[]) {
    keys.forEach((ruleKeys, at) => {
      for (const key of ruleKeys) {
        const positions = this.byKey.get(key);
        if (positions) positions.push(at);
        else this.byKey.set(key, [at]);
      }
    });
  }

  positions(key: IndexKey): readonly number[] {
    return this.byKey.get(key) ?? NO_POSITIONS;
  }

  /** The rules from `prefix` to `previousEnd` (their keys in `removed`, from `prefix` on) replaced by those from `prefix` to `end` (their keys in `added`). */
  edit({ prefix, previousEnd, end }: IndexEdit, removed: (readonly IndexKey[])[], added: (readonly IndexKey[])[]): void {
    for (let at = prefix; at < previousEnd; at++) {
      for (const key of removed[at - prefix]) {
        const positions = this.byKey.get(key)!;
        const index = firstFrom(positions, at);
        if (positions.length === 1) this.byKey.delete(key);
        else positions.splice(index, 1);
      }
    }
    const moved = end - previousEnd;
    if (moved !== 0) {
      for (const positions of this.byKey.values()) {
        for (let index = firstFrom(positions, previousEnd); index < positions.length; index++) positions[index] += moved;
      }
    }
    for (let at = prefix; at < end; at++) {
      for (const key of added[at - prefix]) {
        const positions = this.byKey.get(key);
        if (!positions) this.byKey.set(key, [at]);
        else positions.splice(firstFrom(positions, at), 0, at);
      }
    }
  }
}

/** The index in `positions` (ascending) of the first position at or after `at`. */
function firstFrom(positions: readonly number[], at: number): number {
  let low = 0;
  for (let high = positions.length; low < high; ) {
    const mid = (low + high) >> 1;
    if (positions[mid] < at) low = mid + 1;
    else high = mid;
  }
  return low;
}

/** The earliest rule before `rules[at]` that covers it: among the rules with an index key that covers its first `to`
 * address (any coverer has one). */
function searchBefore(rules: AllowRule[], byKey: PositionIndex, at: number): number {
  let earliest = -1;
  for (const key of coveringKeys(rules[at].to!.addresses[0])) {
    for (const earlier of byKey.positions(key)) {
      if (earlier >= at || (earliest !== -1 && earlier >= earliest)) break;
      if (covers(rules[earlier], rules[at])) {
        earliest = earlier;
        break;
      }
    }
  }
  return earliest;
}

const NO_POSITIONS: readonly number[] = [];

/** The rules so far (those before the rule being checked), with their index keys, for a lint from scratch: indexed
 * by `to` key, and a key's list, once long, by `from`, then by ports, then by protocol: the candidates of a search share with the rule more than a `to` key, so that many
 * rules to one host (from distinct sources, to distinct ports) are not compared pairwise. */
class EarlierRules {
  private readonly rules: AllowRule[] = [];
  private readonly keys: (readonly IndexKey[])[] = [];
  private byKey?: Map<IndexKey, Bucket>;
  private indexed = 0;
  /** Prefix lengths of the indexed network keys (of `to` and `from`), by family. */
  private readonly prefixes: Prefixes = { 4: new Set(), 6: new Set() };

  add(rule: AllowRule, keys: readonly IndexKey[]): void {
    this.rules.push(rule);
    this.keys.push(keys);
  }

  /** The earliest rule so far that covers `rule`. */
  earliestCoverer(rule: AllowRule): AllowRule | undefined {
    const byKey = (this.byKey ??= new Map());
    for (; this.indexed < this.rules.length; this.indexed++) {
      const earlier = this.rules[this.indexed];
      for (const key of this.keys[this.indexed]) {
        const bucket = byKey.get(key);
        if (bucket) addToBucket(bucket, 0, earlier, this.notePrefix);
        else {
          byKey.set(key, { rules: [earlier] });
          this.notePrefix(key);
        }
      }
    }
    // Ports that allow nothing (or are absent) are covered by none (see `covers`).
    const ports = rule.ports;
    if (!ports || ports.spans.some((span) => span.problem) || (!ports.any && ports.spans.length === 0)) return undefined;
    // Only a split list needs the keys below `to`: most lists are short.
    let levels: (readonly IndexKey[])[] | undefined;
    const keysAt = (depth: number): readonly IndexKey[] => (levels ??= this.searchKeys(rule, ports))[depth];
    let shadow: AllowRule | undefined;
    const scan = (list: AllowRule[]): void => {
      // Each list is in file order: its first rule that covers is its earliest, and none after `shadow` can be earlier.
      for (const earlier of list) {
        if (shadow && earlier.index >= shadow.index) break;
        if (covers(earlier, rule)) {
          shadow = earlier;
          break;
        }
      }
    };
    for (const key of this.coveringKeysPresent(rule.to!.addresses[0])) {
      const bucket = byKey.get(key);
      if (bucket) searchBucket(bucket, 0, keysAt, scan);
    }
    return shadow;
  }

  /** Per level below `to` (`from`, ports, protocol), the keys under which a rule that covers `rule` is. */
  private searchKeys(rule: AllowRule, ports: PortSet): (readonly IndexKey[])[] {
    const from = rule.from;
    const fromKeys = !from ? [DEFAULT_SIDE, 'any'] : from.addresses.length === 0 ? [DEFAULT_SIDE] : [DEFAULT_SIDE, ...this.coveringKeysPresent(from.addresses[0])];
    const protocol = rule.protocol.value;
    return [fromKeys, ports.any ? ['any'] : ['any', ...portBlocksAround(ports.spans[0])], protocol === 'any' ? ['any'] : ['any', protocol]];
  }

  /** Notes a key's prefix length, if a network key: once per new key, of `to` when its list is made and of `from`
   * when a split list gets its child (only split lists are searched by `from` key). */
  private readonly notePrefix = (key: IndexKey): void => {
    if (typeof key === 'number') this.prefixes[4].add(ipv4KeyPrefix(key));
    else if (key.startsWith('net6:')) this.prefixes[6].add(Number(key.slice(5, key.indexOf(':', 5))));
  };

  /** An address's covering keys; of a network's (one per prefix length), only those of prefix lengths some rule has.
   * Anything covers itself with `any`, even an invalid address. */
  private coveringKeysPresent(address: Address): readonly IndexKey[] {
    if (address.network) return networkKeysOf(address.network, this.prefixes);
    return address.kind === 'invalid' ? ['any'] : coveringKeys(address);
  }
}

/** The rules under one key, in file order; once more than `SPLIT_AT`, split by their keys of the next level. */
interface Bucket {
  rules: AllowRule[];
  split?: Map<IndexKey, Bucket>;
}

const SPLIT_AT = 16;

/** The `from` key of a rule without one (the default side), which covers any `from`. */
const DEFAULT_SIDE = 'default';

/** The keys of a rule, per level below `to`: where a search for a rule it could cover looks (see `searchKeys`). */
const LEVELS: ((rule: AllowRule) => readonly IndexKey[])[] = [
  (rule) => (rule.from ? indexKeys(rule.from) : [DEFAULT_SIDE]),
  (rule) => (!rule.ports ? [] : rule.ports.any ? ['any'] : [...new Set(mergedSpansOf(rule.ports).map(portBlock))]),
  (rule) => [rule.protocol.value],
];

/** `bucket` is at `depth` levels below `to`; `noteKey` sees each new key of a split list. */
function addToBucket(bucket: Bucket, depth: number, rule: AllowRule, noteKey: (key: IndexKey) => void): void {
  if (!bucket.split) {
    bucket.rules.push(rule);
    if (bucket.rules.length <= SPLIT_AT || depth === LEVELS.length) return;
    bucket.split = new Map();
    const rules = bucket.rules;
    bucket.rules = [];
    for (const earlier of rules) addToBucket(bucket, depth, earlier, noteKey);
    return;
  }
  // A rule with an expiry that is not a date covers nothing.
  if (rule.expires && !rule.expires.date) return;
  for (const key of LEVELS[depth](rule)) {
    const child = bucket.split.get(key);
    if (child) addToBucket(child, depth + 1, rule, noteKey);
    else {
      bucket.split.set(key, { rules: [rule] });
      noteKey(key);
    }
  }
}

function searchBucket(bucket: Bucket, depth: number, keysAt: (depth: number) => readonly IndexKey[], scan: (rules: AllowRule[]) => void): void {
  if (!bucket.split) return scan(bucket.rules);
  for (const key of keysAt(depth)) {
    const child = bucket.split.get(key);
    if (child) searchBucket(child, depth + 1, keysAt, scan);
  }
}

/** The key of the smallest aligned block of 2^level ports that holds a span: any span that covers another has the
 * key of one of the 17 blocks around the other's first port, so a search looks up no more than those. */
function portBlock({ from, to }: { from: number; to: number }): string {
  let level = 0;
  while (from >> level !== to >> level) level++;
  return `${level}:${from >> level}`;
}

/** The keys of the blocks that hold all of `span`: those of its own block and the larger ones around it. */
function portBlocksAround(span: { from: number; to: number }): string[] {
  const keys: string[] = [];
  for (let level = 0; level <= 16; level++) if (span.from >> level === span.to >> level) keys.push(`${level}:${span.from >> level}`);
  return keys;
}
