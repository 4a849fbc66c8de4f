/** FortiGate: a FortiOS configuration backup or `show` output read into allowlist rules. The CLI syntax (nested
 * `config … end`, `edit … next`, `set`/`unset`/`append`, quoted strings with backslash escapes, `#` comment lines) is
 * read into tables; accept policies of `config firewall policy` (and `policy6` of FortiOS 6.2 and older) become rules,
 * their address objects and groups (v4 and v6) and their services expanded. Sources: docs/import.md#fortigate. */
import { hostKey } from '../../common';
import { exportComment } from './comment';
import { ipFamily, maskPrefix, mergeSpans, networkText, type Protocol, rangeToNetworks } from '../../parse';
import type { ImportedRule, ImportProblem, ImportReader, ImportResult, ReadOptions } from '../types';

/** One `edit` of a table: its key (name or id), the line of the `edit`, and its settings as last set. */
interface Entry {
  key: string;
  line: number;
  settings: Map<string, string[]>;
}

type Table = Map<string, Entry>;

interface Command {
  words: string[];
  line: number;
}

/** The interfaces the export's policies use by default (`allowlist export --target fortigate`; the round trip test
 * reads the export's policies with them): LAN to WAN is outbound, WAN to LAN inbound. */
const FORTIGATE_IMPORT_DEFAULT_LAN = 'internal';
const FORTIGATE_IMPORT_DEFAULT_WAN = 'wan1';

/** The most addresses or port spans one group expands to before the rest is left out (with a problem): nested groups
 * are expanded once each (memoised), so a hostile configuration costs at most this much per group. */
/** How deep groups may nest before the rest is left out with a problem (as the pfSense reader's aliases). */
const NESTING_LIMIT = 100;
const MAX_EXPANSION = 10_000;

export const fortigate: ImportReader = {
  id: 'fortigate',
  title: 'FortiGate (FortiOS configuration or `show` output)',
  sources: [
    { title: 'Fortinet CLI command syntax: quotation marks in pairs, \\ escapes a character or continues a line', url: 'https://docs.fortinet.com/document/fortianalyzer/6.4.9/cli-reference/431255' },
    { title: 'FortiOS 7.0 CLI reference: config firewall address (type ipmask, iprange, fqdn, geography, wildcard, interface-subnet; subnet, start-ip, end-ip)', url: 'https://docs.fortinet.com/document/fortigate/7.0.3/cli-reference/258620' },
    { title: 'Fortinet community, Technical Tip: using a wildcard FQDN (set type fqdn, set fqdn "*.fortinet.com")', url: 'https://community.fortinet.com/t5/FortiGate/Technical-Tip-Using-a-wildcard-FQDN/ta-p/196118' },
    { title: 'FortiOS 7.4 CLI reference: config firewall service custom (tcp-portrange <dstport_low>[-<dstport_high>:<srcport_low>-<srcport_high>])', url: 'https://docs.fortinet.com/document/fortigate/7.4.8/cli-reference/198499981' },
    { title: 'FortiOS 7.2 CLI reference: config firewall policy (srcintf, dstintf, srcaddr, dstaddr, action, status, schedule, service, comments)', url: 'https://docs.fortinet.com/document/container-fortios/7.2.2/cli-reference/333889629' },
    { title: 'FortiOS 6.4 new features: consolidated IPv4 and IPv6 policy configuration (srcaddr6/dstaddr6)', url: 'https://docs.fortinet.com/document/fortigate/6.4.0/new-features/815846/consolidated-ipv4-and-ipv6-policy-configuration' },
  ],
  read(text, options) {
    return readConfiguration(text, options);
  },
};

/** The text as commands, one pass: words split at blanks outside quotes, `\` takes the next character as it is (inside
 * quotes too: `\"`, `\\`), a `\` before a line break continues the command, a quoted string may span lines, and a line
 * whose first word starts with `#` is a comment (the backup's header). */
function commands(text: string): Command[] {
  const result: Command[] = [];
  let words: string[] = [];
  let word: string | undefined;
  let quote: string | undefined;
  let line = 1;
  let commandLine = 1;
  const endWord = () => {
    if (word !== undefined) words.push(word);
    word = undefined;
  };
  for (let index = 0; index < text.length; index++) {
    const char = text[index];
    if (char === '\n') line++;
    if (quote) {
      if (char === '\\' && index + 1 < text.length) {
        index++;
        if (text[index] === '\n') line++;
        word += text[index];
      } else if (char === quote) quote = undefined;
      else word += char;
      continue;
    }
    if (char === '\n') {
      endWord();
      if (words.length > 0) result.push({ words, line: commandLine });
      words = [];
      continue;
    }
    if (char === ' ' || char === '\t' || char === '\r') {
      endWord();
      continue;
    }
    if (word === undefined && words.length === 0) {
      commandLine = line;
      if (char === '#') {
        const lineEnd = text.indexOf('\n', index);
        index = (lineEnd === -1 ? text.length : lineEnd) - 1;
        continue;
      }
    }
    word ??= '';
    if (char === '"' || char === "'") quote = char;
    else if (char === '\\' && index + 1 < text.length) {
      index++;
      if (text[index] === '\n') line++;
      else word += text[index];
    } else word += char;
  }
  endWord();
  if (words.length > 0) result.push({ words, line: commandLine });
  return result;
}

interface Configuration {
  /** VDOM (`''` outside `config vdom`) → table path (`firewall address`) → its entries: each VDOM has its own objects
   * and policies, their names and ids used again in another. */
  vdoms: Map<string, Map<string, Table>>;
  /** Where the text ended inside a `config` or `edit` (a truncated file), for a problem. */
  unclosed?: { line: number; what: string };
}

function parseConfiguration(text: string): Configuration {
  const vdoms = new Map<string, Map<string, Table>>();
  type Frame = { kind: 'config'; table: Table; path: string; line: number } | { kind: 'edit'; entry: Entry };
  const stack: Frame[] = [];
  for (const { words, line } of commands(text)) {
    const [verb, ...args] = words;
    const top = stack[stack.length - 1];
    if (verb === 'config' && args.length > 0) {
      const path = args.join(' ');
      // A multi-VDOM backup: `config vdom`, `edit <vdom>`, then that VDOM's tables.
      const vdomFrame = stack[0]?.kind === 'config' && stack[0].path === 'vdom' ? stack[1] : undefined;
      const vdom = vdomFrame?.kind === 'edit' ? vdomFrame.entry.key : '';
      let tables = vdoms.get(vdom);
      if (!tables) vdoms.set(vdom, (tables = new Map()));
      let table = tables.get(path);
      if (!table) tables.set(path, (table = new Map()));
      stack.push({ kind: 'config', table, path, line });
    } else if (verb === 'edit' && top?.kind === 'config' && args.length > 0) {
      let entry = top.table.get(args[0]);
      if (!entry) top.table.set(args[0], (entry = { key: args[0], line, settings: new Map() }));
      stack.push({ kind: 'edit', entry });
    } else if (verb === 'next' && top?.kind === 'edit') {
      stack.pop();
    } else if (verb === 'end') {
      // `end` closes the innermost `config` (and an `edit` left open inside it).
      while (stack.length > 0 && stack.pop()!.kind !== 'config');
    } else if (verb === 'delete' && top?.kind === 'config' && args.length > 0) {
      top.table.delete(args[0]);
    } else if (top?.kind === 'edit' && args.length > 0) {
      const settings = top.entry.settings;
      if (verb === 'set') settings.set(args[0], args.slice(1));
      else if (verb === 'unset') settings.delete(args[0]);
      else if (verb === 'append') settings.set(args[0], [...(settings.get(args[0]) ?? []), ...args.slice(1)]);
    }
  }
  const open = stack[stack.length - 1];
  const unclosed = open && (open.kind === 'config' ? { line: open.line, what: `config ${open.path}` } : { line: open.entry.line, what: `edit ${open.entry.key}` });
  return { vdoms, unclosed };
}

function readConfiguration(text: string, options: ReadOptions): ImportResult {
  const { vdoms, unclosed } = parseConfiguration(text);
  const problems: ImportProblem[] = [];
  const rules: ImportedRule[] = [];
  if (unclosed) problems.push({ line: unclosed.line, kind: 'partial', message: `the configuration ends inside \`${unclosed.what}\` without \`end\`: is it truncated? What follows it is missing` });
  let policyCount = 0;
  for (const tables of vdoms.values()) policyCount += readVdom(tables, options, rules, problems);
  if (policyCount === 0) problems.push({ line: 1, kind: 'skipped', message: 'no `config firewall policy` with policies: nothing to import' });
  return { rules, problems };
}

/** The policies of one VDOM (or of a configuration without VDOMs) into rules; returns how many it has. */
function readVdom(tables: Map<string, Table>, options: ReadOptions, rules: ImportedRule[], problems: ImportProblem[]): number {
  const table = (path: string): Table => tables.get(path) ?? new Map();
  const addresses = new Resolver<string>(
    [table('firewall address'), table('firewall addrgrp'), table('firewall address6'), table('firewall addrgrp6')],
    // `all` is FortiOS's own object for every address, whatever subnet a backup lists for it (0.0.0.0/0, or none).
    (entry, tableIndex) => (tableIndex % 2 === 0 ? (builtInAddress(entry.key) ?? addressValues(entry, tableIndex === 2 ? 6 : 4)) : undefined),
    builtInAddress,
  );
  const services = new Resolver<ServicePart>([table('firewall service custom'), table('firewall service group')], (entry, tableIndex) => (tableIndex === 0 ? serviceParts(entry) : undefined), builtInService);
  const policies = [...table('firewall policy').values(), ...table('firewall policy6').values()];
  const wanted = options.policies && new Set(options.policies);
  for (const policy of policies) {
    const name = single(policy, 'name');
    if (wanted && !wanted.has(policy.key) && !(name !== undefined && wanted.has(name))) continue;
    readPolicy(policy, name, { addresses, services, options, rules, problems });
  }
  return policies.length;
}

interface PolicyContext {
  addresses: Resolver<string>;
  services: Resolver<ServicePart>;
  options: ReadOptions;
  rules: ImportedRule[];
  problems: ImportProblem[];
}

function readPolicy(policy: Entry, name: string | undefined, context: PolicyContext): void {
  const line = policy.line;
  const label = `policy ${policy.key}${name ? ` ("${name}")` : ''}`;
  const skip = (why: string): void => {
    context.problems.push({ line, kind: 'skipped', message: `${label}: ${why}` });
  };
  const partial = (why: string): void => {
    context.problems.push({ line, kind: 'partial', message: `${label}: ${why}` });
  };
  const setting = (key: string) => policy.settings.get(key) ?? [];
  const enabled = (key: string) => single(policy, key) === 'enable';

  if (single(policy, 'status') === 'disable') return skip('disabled (`set status disable`): not imported');
  const action = single(policy, 'action') ?? 'deny';
  if (action !== 'accept') return skip(`action ${action}: only accept policies become rules; an allowlist lists what is allowed and has no deny rules (what it does not list is denied)`);
  for (const key of ['srcaddr-negate', 'dstaddr-negate', 'service-negate']) {
    if (enabled(key)) return skip(`\`set ${key} enable\` (everything except the listed objects) cannot be written in an allowlist`);
  }
  for (const key of ['internet-service', 'internet-service-src', 'internet-service6', 'internet-service6-src']) {
    if (enabled(key)) return skip(`\`set ${key} enable\`: Internet Service database entries are Fortinet's own lists of addresses and cannot be written in an allowlist`);
  }

  const lan = context.options.lanInterface ?? FORTIGATE_IMPORT_DEFAULT_LAN;
  const wan = context.options.wanInterface ?? FORTIGATE_IMPORT_DEFAULT_WAN;
  const srcintf = setting('srcintf');
  const dstintf = setting('dstintf');
  const direction = srcintf.includes(lan) && dstintf.includes(wan) ? 'outbound' : srcintf.includes(wan) && dstintf.includes(lan) ? 'inbound' : undefined;
  if (!direction) {
    return skip(`the direction cannot be told: from interface ${listText(srcintf)} to ${listText(dstintf)}, while the LAN interface is "${lan}" and the WAN interface "${wan}" (--lan-interface, --wan-interface)`);
  }
  const [inside, outside] = direction === 'outbound' ? [lan, wan] : [wan, lan];
  const others = [...srcintf.filter((value) => value !== inside), ...dstintf.filter((value) => value !== outside)];
  if (others.length > 0) partial(`also matches interfaces ${listText(others)}: only the traffic from "${inside}" to "${outside}" is imported`);

  const schedule = single(policy, 'schedule') ?? 'always';
  if (schedule !== 'always') partial(`schedule "${schedule}": an allowlist rule applies at all times, wider than the policy`);
  for (const key of ['users', 'groups', 'fsso-groups']) {
    if (setting(key).length > 0) partial(`\`set ${key}\` restricts the policy to some users: an allowlist rule does not, wider than the policy`);
  }

  const side = (keys: string[], which: string): string[] | undefined => {
    const names = keys.flatMap(setting);
    if (names.length === 0) {
      skip(`no ${which} address`);
      return undefined;
    }
    const expanded = context.addresses.expandAll(names, which);
    expanded.problems.forEach(partial);
    if (expanded.values.length === 0) {
      skip(`none of its ${which} addresses can be written in an allowlist`);
      return undefined;
    }
    return expanded.values.includes('any') ? ['any'] : [...new Set(expanded.values)];
  };
  const from = side(['srcaddr', 'srcaddr6'], 'source');
  if (!from) return;
  const to = side(['dstaddr', 'dstaddr6'], 'destination');
  if (!to) return;

  const serviceNames = setting('service');
  if (serviceNames.length === 0) return skip('no service');
  const expanded = context.services.expandAll(serviceNames, 'service');
  expanded.problems.forEach(partial);
  const anyService = expanded.values.some((part) => part === 'any');
  const spans = (protocol: 'tcp' | 'udp') => mergeSpans(expanded.values.flatMap((part) => (part !== 'any' && part.protocol === protocol ? [part] : [])));
  const tcp = spans('tcp');
  const udp = spans('udp');
  const sameSpans = tcp.length === udp.length && tcp.every((span, index) => span.from === udp[index].from && span.to === udp[index].to);
  const groups: { protocol: Protocol; spans: { from: number; to: number }[] | 'any'; suffix: string }[] = anyService
    ? [{ protocol: 'any', spans: 'any', suffix: '' }]
    : sameSpans && tcp.length > 0 && !coversAll(tcp)
      ? [{ protocol: 'any', spans: tcp, suffix: '' }]
      : [
          { protocol: 'tcp' as const, spans: tcp, suffix: udp.length > 0 ? '-tcp' : '' },
          { protocol: 'udp' as const, spans: udp, suffix: tcp.length > 0 ? '-udp' : '' },
        ].filter((group) => group.spans.length > 0);
  if (groups.length === 0) return skip('none of its services can be written in an allowlist (TCP or UDP ports)');

  const description = single(policy, 'comments');
  // Without `set name`, the export's comment names the rule ("name; ticket T; …").
  const fromComment = exportComment(description);
  const ruleName = name ?? fromComment.name ?? `policy-${policy.key}`;
  const outboundSite = direction === 'outbound' && from.includes('any');
  for (const group of groups) {
    context.rules.push({
      direction,
      name: `${ruleName}${group.suffix}`,
      ...(description ? { description } : {}),
      ...(fromComment.ticket ? { ticket: fromComment.ticket } : {}),
      ...(outboundSite ? {} : { from }),
      to,
      ports: group.spans === 'any' || coversAll(group.spans) ? 'any' : group.spans.map(({ from: low, to: high }) => (low === high ? low : `${low}-${high}`)),
      protocol: group.protocol,
      line,
    });
  }
}

const coversAll = (spans: { from: number; to: number }[]) => spans.length === 1 && spans[0].from <= 1 && spans[0].to === 65535;
const listText = (values: string[]) => (values.length === 0 ? '(none)' : values.map((value) => `"${value}"`).join(', '));

function single(entry: Entry, key: string): string | undefined {
  return entry.settings.get(key)?.[0];
}

/** What an object's name stands for: its values, and what of it cannot be mapped (all of it when values is empty).
 * Groups are entries with `member`. */
interface Leaf<T> {
  values: T[];
  problem?: string;
}

/** Names of objects and (nested) groups expanded to their values, each group once (memoised, with a guard against a
 * group that contains itself) and at most MAX_EXPANSION values each. */
class Resolver<T> {
  private readonly memo = new Map<string, { values: T[]; problems: string[] }>();
  private readonly inProgress = new Set<string>();

  constructor(
    /** Tables searched in order; an entry that is no leaf (`leaf` gives undefined) is a group of `member`s. */
    private readonly tables: Table[],
    private readonly leaf: (entry: Entry, tableIndex: number) => Leaf<T> | undefined,
    private readonly builtIn: (name: string) => Leaf<T> | undefined,
  ) {}

  /** Values and problems each once: a group reached through many paths adds nothing the second time. */
  expandAll(names: string[], what: string): { values: T[]; problems: string[] } {
    const values = new Set<T>();
    const problems = new Set<string>();
    for (const name of names) {
      const result = this.expand(name, what);
      result.values.forEach((value) => values.add(value));
      result.problems.forEach((problem) => problems.add(problem));
    }
    return { values: [...values], problems: [...problems] };
  }

  private expand(name: string, what: string): { values: T[]; problems: string[] } {
    const known = this.memo.get(name);
    if (known) return known;
    if (this.inProgress.has(name)) return { values: [], problems: [`${what} group "${name}" contains itself: the loop is not followed`] };
    // Untrusted input: a chain of groups thousands deep would overflow the stack; no real configuration nests so deep.
    if (this.inProgress.size >= NESTING_LIMIT) return { values: [], problems: [`${what} groups are nested more than ${NESTING_LIMIT} deep (at "${name}"): the rest is left out`] };
    const tableIndex = this.tables.findIndex((table) => table.has(name));
    const entry = tableIndex === -1 ? undefined : this.tables[tableIndex].get(name)!;
    const leaf = entry ? this.leaf(entry, tableIndex) : this.builtIn(name);
    let result: { values: T[]; problems: string[] };
    if (leaf) {
      result = { values: leaf.values, problems: leaf.problem ? [`${what} "${name}"${entry ? ` (line ${entry.line})` : ''}: ${leaf.problem}`] : [] };
    } else if (!entry) {
      result = { values: [], problems: [`${what} "${name}" is not defined in the configuration (or is no object this reader knows)`] };
    } else {
      this.inProgress.add(name);
      const members = this.expandAll(entry.settings.get('member') ?? [], what);
      this.inProgress.delete(name);
      result = members;
      if (members.values.length > MAX_EXPANSION) {
        result = { values: members.values.slice(0, MAX_EXPANSION), problems: [...members.problems, `${what} group "${name}" (line ${entry.line}) expands to more than ${MAX_EXPANSION} entries: the rest is left out`] };
      }
    }
    this.memo.set(name, result);
    return result;
  }
}

function builtInAddress(name: string): Leaf<string> | undefined {
  if (name === 'all') return { values: ['any'] };
  if (name === 'none') return { values: [] };
  return undefined;
}

/** An address object (`firewall address` or `address6`) as allowlist addresses. */
function addressValues(entry: Entry, family: 4 | 6): Leaf<string> {
  const type = single(entry, 'type') ?? (family === 4 ? 'ipmask' : 'ipprefix');
  const name = (value: string | undefined): Leaf<string> => {
    const host = value === undefined ? undefined : hostKey(value);
    if (!host) return { values: [], problem: 'an FQDN address without `set fqdn`' };
    if (host.includes('*') && !/^\*\.[^*]+$/.test(host)) return { values: [], problem: `the wildcard "${host}" has a * other than a leading "*.": an allowlist cannot write it` };
    return { values: [host] };
  };
  switch (type) {
    case 'ipmask':
    case 'interface-subnet': {
      const network = family === 4 ? ipv4Subnet(entry.settings.get('subnet') ?? ['0.0.0.0', '0.0.0.0']) : undefined;
      return network ?? { values: [], problem: `the subnet ${listText(entry.settings.get('subnet') ?? [])} is not an address and a contiguous mask` };
    }
    case 'ipprefix': {
      const prefix = single(entry, 'ip6') ?? '::/0';
      const [address, length = '128'] = prefix.split('/');
      const network = /^\d{1,3}$/.test(length) ? familyNetworkText(address, Number(length), 6) : undefined;
      if (network === undefined) return { values: [], problem: `the prefix "${prefix}" is not an IPv6 network` };
      return { values: [network] };
    }
    case 'iprange': {
      const start = single(entry, 'start-ip') ?? '';
      const end = single(entry, 'end-ip') ?? '';
      // Both of this table's family (rangeToNetworks takes either), and start before end.
      const networks = ipFamily(start) === family && ipFamily(end) === family ? rangeToNetworks(start, end) : undefined;
      if (networks === undefined) return { values: [], problem: 'a range without a valid `start-ip` up to `end-ip`' };
      return { values: networks };
    }
    case 'fqdn':
      return name(single(entry, 'fqdn'));
    case 'wildcard-fqdn':
      return name(single(entry, 'wildcard-fqdn'));
    case 'geography':
      return { values: [], problem: `a geography address (country ${single(entry, 'country') ?? 'not set'}): an allowlist has no countries; list the vendor's networks instead` };
    default:
      return { values: [], problem: `an address of type ${type}: an allowlist cannot write it` };
  }
}

/** `10.0.0.0 255.255.255.0` or `10.0.0.0/24` as allowlist text; undefined when not one. */
function ipv4Subnet(values: string[]): Leaf<string> | undefined {
  const [address, maskText] = values.length === 1 && values[0].includes('/') ? values[0].split('/') : values;
  const bits = maskText === undefined ? undefined : /^\d{1,2}$/.test(maskText) ? Number(maskText) : maskPrefix(maskText);
  const network = bits === undefined ? undefined : familyNetworkText(address ?? '', bits, 4);
  return network === undefined ? undefined : { values: [network] };
}

/** `networkText`, but a whole family is its network (`0.0.0.0/0`, `::/0`), not `any`: an `address` object holds no IPv6
 * address (nor an `address6` an IPv4 one), and the allowlist's `0.0.0.0/0` is exported as one. */
function familyNetworkText(address: string, prefix: number, family: 4 | 6): string | undefined {
  if (prefix === 0 && ipFamily(address) === family) return family === 4 ? '0.0.0.0/0' : '::/0';
  return networkText(address, prefix, family);
}

/** A service as the allowlist knows it: every protocol and port, or TCP/UDP port spans. */
type ServicePart = 'any' | { protocol: 'tcp' | 'udp'; from: number; to: number };

function builtInService(name: string): Leaf<ServicePart> | undefined {
  return name === 'ALL' ? { values: ['any'] } : undefined;
}

/** A custom service's TCP and UDP destination ports; other protocols and source ports are problems. */
function serviceParts(entry: Entry): Leaf<ServicePart> {
  if (entry.key === 'ALL') return { values: ['any'] };
  const protocol = single(entry, 'protocol') ?? 'TCP/UDP/SCTP';
  if (!protocol.startsWith('TCP/UDP')) return { values: [], problem: `protocol ${protocol}${single(entry, 'protocol-number') ? ` ${single(entry, 'protocol-number')}` : ''}: an allowlist rule has TCP and UDP ports only` };
  const values: ServicePart[] = [];
  const problems: string[] = [];
  for (const [key, transport] of [['tcp-portrange', 'tcp'], ['udp-portrange', 'udp']] as const) {
    for (const range of entry.settings.get(key) ?? []) {
      const [destination, source] = range.split(':');
      const span = portSpan(destination);
      const sourceSpan = source === undefined ? undefined : portSpan(source);
      if (!span || (source !== undefined && !sourceSpan)) problems.push(`the ${key} "${range}" is not a port range`);
      else values.push({ protocol: transport, ...span });
      if (sourceSpan && !(sourceSpan.from <= 1 && sourceSpan.to === 65535)) {
        problems.push(`source ports ${source} of "${range}" are not kept: an allowlist rule allows any source port (wider than the service)`);
      }
    }
  }
  if ((entry.settings.get('sctp-portrange') ?? []).length > 0) problems.push('its SCTP ports are left out: an allowlist rule has TCP and UDP ports only');
  return problems.length > 0 ? { values, problem: problems.join('; ') } : { values };
}

/** `443`, `2001-2500` (FortiOS writes `0` for no low bound) as a span of 1-65535; undefined when not one. */
function portSpan(text: string): { from: number; to: number } | undefined {
  const match = /^(\d{1,5})(?:-(\d{1,5}))?$/.exec(text);
  if (!match) return undefined;
  const from = Math.max(1, Number(match[1]));
  const to = match[2] === undefined ? from : Number(match[2]);
  return to > 65535 || from > to ? undefined : { from, to };
}
