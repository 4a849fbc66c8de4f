/** nftables: the JSON of `nft -j list ruleset` (libnftables-json(5)). Accept rules of the filter chains on the
 * forward, output and input hooks, and of the regular chains they jump or go to, become rules; everything else (drop
 * and reject rules, NAT chains, matches an allowlist cannot express) is a problem. User documentation: docs/import.md. */
import { NFT_RESOLVER_DNS_COMMENT } from '../../common';
import { exportComment } from './comment';
import { rangeToNetworks } from '../../parse';
import type { ImportedRule, ImportProblem, ImportReader, ImportResult, ReadOptions } from '../types';

type Json = unknown;
type JsonObject = Record<string, Json>;

interface NftSet {
  name: string;
  elements: Json[] | undefined;
  dynamic: boolean;
  line: number;
}

interface NftRule {
  handle: string;
  comment?: string;
  expr: Json[];
  line: number;
}

interface NftChain {
  name: string;
  hook?: string;
  type?: string;
  policy?: string;
  line: number;
  rules: NftRule[];
}

/** How far the statements of jumps are followed (a jump loop is refused by nft; this guards hand-made JSON). */
const MAX_JUMP_DEPTH = 16;
/** A cap on the elements one match expands to, so that a crafted ruleset cannot blow up the result. */
const MAX_VALUES = 10_000;

const HOOK_DIRECTIONS: Record<string, 'outbound' | 'inbound' | undefined> = { forward: undefined, output: 'outbound', input: 'inbound' };

export const nftables: ImportReader = {
  id: 'nftables',
  title: 'nftables (JSON of `nft -j list ruleset`)',
  placesNotHeld: {
    kinds: ['hostname', 'wildcard'],
    what: 'host names',
    why: "an nftables ruleset holds addresses only: the export's host names are in dnsmasq's configuration (nftset=), which fills the ruleset's sets while the firewall runs",
  },
  sources: [
    { title: 'libnftables-json(5): the JSON schema of nft -j', url: 'https://man.archlinux.org/man/libnftables-json.5.en' },
    { title: 'nftables wiki: Sets', url: 'https://wiki.nftables.org/wiki-nftables/index.php/Sets' },
    { title: 'nftables wiki: Jumping to chain', url: 'https://wiki.nftables.org/wiki-nftables/index.php/Jumping_to_chain' },
  ],
  read(text, options) {
    return readRuleset(text, options);
  },
};

function isObject(value: Json): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The 1-based line where each element of the top-level `nftables` array starts, in one linear scan. */
function elementLines(text: string): number[] {
  const lines: number[] = [];
  let line = 1;
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (char === '\n') line++;
    if (inString) {
      if (char === '\\') i++;
      else if (char === '"') inString = false;
    } else if (char === '"') inString = true;
    else if (char === '{' || char === '[') {
      if (depth === 2) lines.push(line);
      depth++;
    } else if (char === '}' || char === ']') depth--;
  }
  return lines;
}

function readRuleset(text: string, options: ReadOptions): ImportResult {
  const problems: ImportProblem[] = [];
  let document: Json;
  try {
    document = JSON.parse(text);
  } catch (error) {
    return { rules: [], problems: [{ line: 1, kind: 'skipped', message: `not the JSON of \`nft -j list ruleset\`: ${(error as Error).message}` }] };
  }
  const items = isObject(document) ? document.nftables : undefined;
  if (!Array.isArray(items)) {
    return { rules: [], problems: [{ line: 1, kind: 'skipped', message: 'not the JSON of `nft -j list ruleset`: no "nftables" array at the top' }] };
  }
  const lines = elementLines(text);
  const sets = new Map<string, NftSet>();
  const chains = new Map<string, NftChain>();
  const key = (family: Json, table: Json, name: Json) => `${label(family)} ${label(table)} ${label(name)}`;
  const orphanRules: { chainKey: string; rule: NftRule }[] = [];
  items.forEach((item, index) => {
    const line = lines[index] ?? 1;
    const [kind] = isObject(item) ? Object.keys(item) : [];
    const body = isObject(item) ? item[kind] : undefined;
    if (!isObject(body)) {
      problems.push({ line, kind: 'skipped', message: `an element of "nftables" that is not an object of one object: ${excerpt(item)}` });
    } else if (kind === 'set') {
      // libnftables-json(5): a list of flags, or one flag as it is.
      const flags = Array.isArray(body.flags) ? body.flags : [body.flags];
      sets.set(key(body.family, body.table, body.name), {
        name: label(body.name),
        elements: Array.isArray(body.elem) ? body.elem : undefined,
        dynamic: flags.includes('timeout') || flags.includes('dynamic') || body.timeout !== undefined,
        line,
      });
    } else if (kind === 'chain') {
      const chain: NftChain = { name: label(body.name), line, rules: [] };
      if (typeof body.hook === 'string') Object.assign(chain, { hook: body.hook, type: label(body.type), policy: label(body.policy ?? 'accept') });
      chains.set(key(body.family, body.table, body.name), chain);
    } else if (kind === 'rule') {
      const rule: NftRule = { handle: label(body.handle), expr: Array.isArray(body.expr) ? body.expr : [], line };
      if (typeof body.comment === 'string') rule.comment = body.comment;
      const chainKey = key(body.family, body.table, body.chain);
      const chain = chains.get(chainKey);
      if (chain) chain.rules.push(rule);
      else orphanRules.push({ chainKey, rule });
    } else if (kind !== 'metainfo' && kind !== 'table') {
      problems.push({ line, kind: 'skipped', message: `${kind} "${label(body.name ?? '')}": not a filter rule, not imported` });
    }
  });
  for (const { chainKey, rule } of orphanRules) {
    problems.push({ line: rule.line, kind: 'skipped', message: `rule ${rule.handle} of chain "${chainKey}", which the ruleset does not define` });
  }

  const rules: ImportedRule[] = [];
  const reached = new Set<NftChain>();
  for (const [chainKey, chain] of chains) {
    if (!chain.hook) continue;
    reached.add(chain);
    const tableKey = chainKey.split(' ').slice(0, 2).join(' ');
    if (chain.type !== 'filter' || !(chain.hook in HOOK_DIRECTIONS)) {
      problems.push({ line: chain.line, kind: 'skipped', message: `chain "${chain.name}" (type ${chain.type}, hook ${chain.hook}): not a filter chain on the forward, output or input hook; its ${chain.rules.length} rule(s) are not imported` });
      for (const rule of chain.rules) problems.push({ line: rule.line, kind: 'skipped', message: `rule ${rule.handle} of chain "${chain.name}" (hook ${chain.hook}, type ${chain.type}): not imported` });
      continue;
    }
    if (chain.policy !== 'drop') {
      problems.push({ line: chain.line, kind: 'skipped', message: `chain "${chain.name}" on hook ${chain.hook} has policy ${chain.policy}: everything its rules do not drop is allowed, which an allowlist cannot say` });
    }
    const context: WalkContext = { sets, chains, tableKey, options, rules, problems, reached, hook: chain.hook };
    walkChain(chain, context, 0);
  }
  for (const chain of chains.values()) {
    if (reached.has(chain)) continue;
    for (const rule of chain.rules) problems.push({ line: rule.line, kind: 'skipped', message: `rule ${rule.handle} of chain "${chain.name}": no hook chain jumps or goes to this chain` });
  }
  return { rules: mergeStatements(rules), problems };
}

interface WalkContext {
  sets: Map<string, NftSet>;
  chains: Map<string, NftChain>;
  tableKey: string;
  options: ReadOptions;
  rules: ImportedRule[];
  problems: ImportProblem[];
  reached: Set<NftChain>;
  hook: string;
}

function walkChain(chain: NftChain, context: WalkContext, depth: number): void {
  for (const rule of chain.rules) {
    const verdict = rule.expr.find((statement) => isObject(statement) && ('jump' in statement || 'goto' in statement));
    if (isObject(verdict)) {
      const target = verdict.jump ?? verdict.goto;
      const name = isObject(target) ? label(target.target) : '';
      const next = context.chains.get(`${context.tableKey} ${name}`);
      if (!next || next.hook || depth >= MAX_JUMP_DEPTH || context.reached.has(next)) {
        context.problems.push({ line: rule.line, kind: 'skipped', message: `rule ${rule.handle}: the jump to chain "${name}" is not followed (no such regular chain, followed already, or jumps nested deeper than ${MAX_JUMP_DEPTH})` });
        continue;
      }
      if (rule.expr.length > 1) {
        context.problems.push({ line: rule.line, kind: 'partial', message: `rule ${rule.handle}: the conditions of the jump to chain "${name}" are not carried into its rules, which are imported wider` });
      }
      context.reached.add(next);
      walkChain(next, context, depth + 1);
      continue;
    }
    readRule(rule, chain, context);
  }
}

/** What one rule's matches say, before it becomes rules. */
interface Matches {
  from?: string[];
  to?: string[];
  ports?: (number | string)[];
  protocols?: ('tcp' | 'udp')[];
  inInterface?: string;
  outInterface?: string;
}

function readRule(rule: NftRule, chain: NftChain, context: WalkContext): void {
  const where = `rule ${rule.handle} of chain "${chain.name}"${rule.comment ? ` ("${rule.comment}")` : ''}`;
  const skip = (why: string): void => void context.problems.push({ line: rule.line, kind: 'skipped', message: `${where}: ${why}` });
  const matches: Matches = {};
  let verdict: string | undefined;
  const unmapped: string[] = [];
  for (const statement of rule.expr) {
    if (!isObject(statement)) {
      unmapped.push('a statement that is not an object');
      continue;
    }
    const [kind] = Object.keys(statement);
    if (kind === 'counter' || kind === 'log') continue; // neither narrows nor widens what the rule allows
    if (['accept', 'drop', 'reject', 'return', 'continue', 'queue'].includes(kind)) {
      verdict = kind;
      continue;
    }
    if (kind !== 'match' || !isObject(statement.match)) {
      unmapped.push(`the ${kind} statement`);
      continue;
    }
    const why = readMatch(statement.match, matches, context);
    if (why) unmapped.push(why);
  }
  if (verdict === undefined && unmapped.length === 0) return; // a rule that only counts
  if (isPrelude(rule)) return;
  if (context.hook === 'output' && rule.comment === NFT_RESOLVER_DNS_COMMENT) {
    return skip("not imported: the export's own rule letting this host's resolver ask its upstream servers (DNS to any server), not a rule of the allowlist");
  }
  if (verdict !== 'accept') return skip(`a ${verdict ?? 'non-verdict'} rule: an allowlist lists only what is allowed`);
  if (unmapped.length > 0) return skip(`not imported, it matches on ${unmapped.join('; ')}`);
  const { name, ticket, description, inbound } = commentParts(rule.comment ?? `${chain.name}-${rule.handle}`);
  if (context.options.policies && !context.options.policies.some((wanted) => wanted === name || wanted === rule.comment || wanted === rule.handle)) return;
  if (HOOK_DIRECTIONS[context.hook] && (matches.inInterface !== undefined || matches.outInterface !== undefined)) {
    return skip(`not imported, it matches on interface ${matches.inInterface ?? matches.outInterface} on hook ${context.hook}, which an allowlist cannot express`);
  }
  const direction = ruleDirection(matches, context, inbound);
  if (!direction) return skip(`its direction cannot be told from iifname ${matches.inInterface ?? '(none)'} and oifname ${matches.outInterface ?? '(none)'}`);
  if (matches.to === undefined && direction === 'outbound' && matches.from === undefined && matches.ports === undefined && matches.protocols === undefined) {
    context.problems.push({ line: rule.line, kind: 'partial', message: `${where}: accepts everything${chain.hook ? '' : ' that reaches it'}; imported as a rule to any address` });
  }
  for (const protocol of matches.protocols ?? ['any']) {
    const suffix = (matches.protocols?.length ?? 0) > 1 ? `-${protocol}` : '';
    const imported: ImportedRule = {
      direction,
      name: `${name}${suffix}`,
      to: matches.to ?? ['any'],
      ports: matches.ports ?? 'any',
      protocol: protocol as ImportedRule['protocol'],
      line: rule.line,
    };
    if (matches.from) imported.from = matches.from;
    if (ticket) imported.ticket = ticket;
    if (description) imported.description = description;
    context.rules.push(imported);
  }
}

/** A rule's comment: the export's (`name; ticket T; …`) gives the name and the ticket, with the whole comment as the
 * description; any other comment is the name as it is. */
function commentParts(comment: string): { name: string; ticket?: string; description?: string; inbound: boolean } {
  const { name = comment, ticket, inbound = false } = exportComment(comment, { marked: true });
  return { name, ...(ticket ? { ticket } : {}), ...(comment !== name ? { description: comment } : {}), inbound };
}

/** `ct state established,related accept`: the usual first rule, letting replies through; not a rule of the allowlist. */
function isPrelude(rule: NftRule): boolean {
  const [first, second] = rule.expr;
  if (rule.expr.length !== 2 || !isObject(first) || !isObject(second) || !('accept' in second) || !isObject(first.match)) return false;
  const { left, right } = first.match;
  const states = Array.isArray(right) ? right : [right];
  return isObject(left) && isObject(left.ct) && left.ct.key === 'state' && states.every((state) => state === 'established' || state === 'related');
}

/** A rule's direction: its hook's, else its interfaces'; on the forward hook without interfaces (the export's default)
 * what the export's comment says (`inbound`), else outbound. */
function ruleDirection(matches: Matches, context: WalkContext, markedInbound: boolean): ImportedRule['direction'] | undefined {
  const fixed = HOOK_DIRECTIONS[context.hook];
  if (fixed) return fixed;
  const { inInterface, outInterface } = matches;
  const { lanInterface, wanInterface } = context.options;
  if (inInterface === undefined && outInterface === undefined) return markedInbound ? 'inbound' : 'outbound';
  const outbound = (inInterface === undefined || inInterface === lanInterface) && (outInterface === undefined || outInterface === wanInterface);
  const inbound = (inInterface === undefined || inInterface === wanInterface) && (outInterface === undefined || outInterface === lanInterface);
  if (outbound && !inbound) return 'outbound';
  if (inbound && !outbound) return 'inbound';
  return undefined;
}

/** Reads one `match` into `matches`; returns what it could not map. */
function readMatch(match: JsonObject, matches: Matches, context: WalkContext): string | undefined {
  const { left, right, op } = match;
  const what = describe(left);
  if (op !== '==' && op !== 'in') return `${what} ${label(op)}`;
  if (!isObject(left)) return what;
  if (isObject(left.payload)) {
    const { protocol, field } = left.payload;
    if ((protocol === 'ip' || protocol === 'ip6') && (field === 'saddr' || field === 'daddr')) {
      const addresses = addressValues(right, context);
      if (typeof addresses === 'string') return addresses;
      const side = field === 'saddr' ? 'from' : 'to';
      if (matches[side]) return `a second ${what}`;
      matches[side] = addresses;
      return undefined;
    }
    if ((protocol === 'tcp' || protocol === 'udp' || protocol === 'th') && field === 'dport') {
      const ports = portValues(right, context);
      if (typeof ports === 'string') return ports;
      if (matches.ports) return `a second ${what}`;
      matches.ports = ports;
      if (protocol !== 'th') return setProtocols(matches, [protocol], what);
      return undefined;
    }
    if ((protocol === 'ip' && field === 'protocol') || (protocol === 'ip6' && field === 'nexthdr')) return readProtocols(right, matches, what);
    return what;
  }
  if (isObject(left.meta)) {
    const key = left.meta.key;
    if (key === 'l4proto') return readProtocols(right, matches, what);
    if ((key === 'iifname' || key === 'oifname') && typeof right === 'string') {
      matches[key === 'iifname' ? 'inInterface' : 'outInterface'] = right;
      return undefined;
    }
  }
  return what;
}

function readProtocols(right: Json, matches: Matches, what: string): string | undefined {
  const values = valuesOf(right);
  if (!values.every((value): value is 'tcp' | 'udp' => value === 'tcp' || value === 'udp')) return `${what} ${excerpt(right)}`;
  return setProtocols(matches, values, what);
}

/** Protocols narrow each other: `meta l4proto { tcp, udp } tcp dport 443` is tcp. */
function setProtocols(matches: Matches, protocols: ('tcp' | 'udp')[], what: string): string | undefined {
  const narrowed = matches.protocols ? matches.protocols.filter((protocol) => protocols.includes(protocol)) : [...new Set(protocols)];
  if (narrowed.length === 0) return `${what}, which contradicts the rule's other protocol match`;
  matches.protocols = narrowed;
  return undefined;
}

function describe(left: Json): string {
  if (!isObject(left)) return `a match on ${excerpt(left)}`;
  const [kind] = Object.keys(left);
  const body = left[kind];
  if (isObject(body)) return `${kind} ${Object.values(body).map(label).join(' ')}`;
  return kind;
}

/** A short text of an untrusted value for a message: JSON.stringify recurses, and a crafted value nests deep. */
function excerpt(value: Json): string {
  if (Array.isArray(value)) return `[${value.length} item(s)]`;
  if (isObject(value)) return `{${Object.keys(value).slice(0, 3).join(', ')}}`;
  return String(JSON.stringify(value)).slice(0, 80);
}

/** A name, handle or other scalar of the JSON as text; anything else as an excerpt (String() of a nested array recurses). */
function label(value: Json): string {
  return typeof value === 'string' || typeof value === 'number' ? String(value) : excerpt(value);
}

function valuesOf(right: Json): Json[] {
  if (isObject(right) && Array.isArray(right.set)) return right.set;
  return Array.isArray(right) ? right : [right];
}

/** The elements of a named set (`@name`), or undefined with why. */
function namedSet(value: string, context: WalkContext): Json[] | string {
  const set = context.sets.get(`${context.tableKey} ${value.slice(1)}`);
  if (!set) return `the set ${value}, which the ruleset does not define`;
  // What such a set holds now is what was resolved or seen lately (empty or not), not what the firewall is meant to allow.
  if (set.dynamic) {
    return `the set ${value}, filled while the firewall runs (by dnsmasq from the host names it resolves, or by the ruleset itself): its host names or addresses are not in the ruleset; add them to the allowlist by hand`;
  }
  return set.elements ?? `the empty set ${value}`;
}

/** The values a match compares with, through anonymous and named sets: each leaf value pushed by `leaf`, or why the
 * match cannot be read (a value `leaf` does not take, a set that cannot be read, more than MAX_VALUES values). */
function matchValues<T>(right: Json, context: WalkContext, what: string, leaf: (value: Json, push: (...values: T[]) => void) => string | void): T[] | string {
  const result: T[] = [];
  const push = (...values: T[]) => void result.push(...values);
  const add = (value: Json, inSet = false): string | void => {
    if (result.length > MAX_VALUES) return `more than ${MAX_VALUES} ${what}`;
    // A set element with a timeout or comment wraps its value once; a named set's elements are values, not sets.
    if (isObject(value) && isObject(value.elem)) value = value.elem.val;
    if (typeof value === 'string' && value.startsWith('@') && !inSet) {
      const elements = namedSet(value, context);
      if (typeof elements === 'string') return elements;
      for (const element of elements) {
        const why = add(element, true);
        if (why) return why;
      }
      return undefined;
    }
    return leaf(value, push);
  };
  for (const value of valuesOf(right)) {
    const why = add(value);
    if (why) return why;
  }
  return result;
}

function addressValues(right: Json, context: WalkContext): string[] | string {
  return matchValues<string>(right, context, 'addresses', (value, push) => {
    if (typeof value === 'string' && /^[0-9a-fA-F.:]+$/.test(value)) return push(value);
    if (isObject(value) && isObject(value.prefix)) return push(`${label(value.prefix.addr)}/${label(value.prefix.len)}`);
    if (isObject(value) && Array.isArray(value.range) && value.range.length === 2) {
      const networks = rangeToNetworks(label(value.range[0]), label(value.range[1]));
      if (!networks) return `the address range ${excerpt(value.range)}`;
      return push(...networks);
    }
    return `the address value ${excerpt(value)}`;
  });
}

function isPort(value: Json): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 65535;
}

function portValues(right: Json, context: WalkContext): (number | string)[] | string {
  return matchValues<number | string>(right, context, 'ports', (value, push) => {
    // Port 0 is no port a connection can use (an allowlist rejects it): a range from 0 starts at 1.
    if (isPort(value) && value >= 1) return push(value);
    if (isObject(value) && Array.isArray(value.range) && value.range.length === 2 && value.range.every(isPort)) {
      const [from, to] = [Math.max(1, value.range[0] as number), value.range[1] as number];
      if (from <= to) return push(from === to ? from : `${from}-${to}`);
    }
    return `the port value ${excerpt(value)}`;
  });
}

/** The export writes one statement per address family, set and protocol of a rule, all with the rule's comment:
 * statements with the same name, direction, sources and ports are one rule again (their destinations together), so
 * are the two families of a rule with sources, and a tcp and a udp rule that are otherwise the same are one of
 * protocol any. */
function mergeStatements(rules: ImportedRule[]): ImportedRule[] {
  return mergeProtocols(mergeFamilies(mergeDestinations(rules)));
}

function mergeDestinations(rules: ImportedRule[]): ImportedRule[] {
  const byShape = new Map<string, ImportedRule>();
  const shape = (rule: ImportedRule) => JSON.stringify([rule.name.replace(/-(tcp|udp)$/, ''), rule.direction, rule.from ?? null, rule.ports, rule.protocol]);
  for (const rule of rules) {
    const key = shape(rule);
    const existing = byShape.get(key);
    if (existing) existing.to = [...new Set([...existing.to, ...rule.to])];
    else byShape.set(key, { ...rule, to: [...rule.to] });
  }
  return [...byShape.values()];
}

/** A rule with sources of both families is one statement per family (IPv4 sources to IPv4 destinations, the same for
 * IPv6): one rule again, its sources and destinations together. A packet has one family, so the pairs across
 * families that the rule then seems to allow add no access; split, the allowlist's rule would drift against it. */
function mergeFamilies(rules: ImportedRule[]): ImportedRule[] {
  const merged: ImportedRule[] = [];
  const waiting = new Map<string, { rule: ImportedRule; family: 4 | 6 }>();
  for (const rule of rules) {
    const family = singleFamily(rule);
    const key = JSON.stringify([rule.name, rule.direction, rule.ports, rule.protocol]);
    const other = family === undefined ? undefined : waiting.get(key);
    if (other && other.family !== family) {
      other.rule.from = [...other.rule.from!, ...rule.from!];
      other.rule.to = [...new Set([...other.rule.to, ...rule.to])];
      waiting.delete(key);
      continue;
    }
    if (family !== undefined) waiting.set(key, { rule, family });
    merged.push(rule);
  }
  return merged;
}

/** The one address family of a rule's sources and destinations (a destination `any` aside), if it has sources. */
function singleFamily(rule: ImportedRule): 4 | 6 | undefined {
  if (!rule.from || rule.from.includes('any')) return undefined;
  const families = new Set([...rule.from, ...rule.to.filter((address) => address !== 'any')].map((address) => (address.includes(':') ? 6 : 4)));
  return families.size === 1 ? [...families][0] : undefined;
}

function mergeProtocols(rules: ImportedRule[]): ImportedRule[] {
  const shape = (rule: ImportedRule) => JSON.stringify([rule.name.replace(/-(tcp|udp)$/, ''), rule.direction, rule.from ?? null, rule.ports, rule.to]);
  const merged: ImportedRule[] = [];
  const pairs = new Map<string, ImportedRule>();
  for (const rule of rules) {
    if (rule.protocol === 'any' || rule.ports === 'any') {
      merged.push(rule);
      continue;
    }
    const key = shape(rule);
    const other = pairs.get(key);
    if (other && other.protocol !== rule.protocol) {
      other.protocol = 'any';
      other.name = other.name.replace(/-(tcp|udp)$/, '');
      pairs.delete(key);
    } else {
      pairs.set(key, rule);
      merged.push(rule);
    }
  }
  return merged;
}
