/** pfSense: the `<aliases>` and `<filter>` sections of config.xml (a whole backup, or the file `allowlist export
 * --target pfsense` writes). Pass rules on the LAN interface are outbound, on the WAN interface inbound (defaults `lan`
 * and `wan`, as the export's); aliases are expanded, nested ones too. */
import { exportComment } from './comment';
import { parseAddress } from '../../parse';
import type { Protocol } from '../../parse';
import type { ImportedRule, ImportProblem, ImportReader, ImportResult, ReadOptions } from '../types';
import { child, childText, parseXml, XmlError, type XmlElement } from './xml';

/** At most this many entries from one alias with its nested aliases: more is refused with a problem. */
const EXPANSION_LIMIT = 10_000;
/** Aliases nested deeper than this are refused with a problem (the expansion recurses once a level). */
const NESTING_LIMIT = 100;
const NO_RANGE = { start: 0, end: 0 };

interface Alias {
  type: string;
  entries: string[];
  line: number;
}

type Family = 'inet' | 'inet6' | 'inet46';

class Aliases {
  private readonly byName = new Map<string, Alias>();
  private readonly expanded = new Map<string, string[] | string>();

  constructor(section: XmlElement | undefined) {
    for (const element of section?.children.filter((each) => each.name === 'alias') ?? []) {
      const name = childText(element, 'name');
      if (name) this.byName.set(name, { type: childText(element, 'type') ?? '', entries: (childText(element, 'address') ?? '').split(/\s+/).filter(Boolean), line: element.line });
    }
  }

  has(name: string): boolean {
    return this.byName.has(name);
  }

  /** The alias's entries with nested aliases replaced by theirs, or why it cannot be used. */
  expand(name: string, kind: 'address' | 'port', inProgress = new Set<string>()): string[] | string {
    const done = this.expanded.get(`${kind} ${name}`);
    if (done !== undefined) return done;
    const alias = this.byName.get(name)!;
    let result: string[] | string;
    if (['url', 'urltable', 'url_ports', 'urltable_ports'].includes(alias.type)) result = `the alias ${name} is a URL table (its entries are downloaded by the firewall, not in config.xml)`;
    else if ((kind === 'port') !== (alias.type === 'port')) result = `the alias ${name} is a ${alias.type || 'untyped'} alias where a${kind === 'port' ? ' port' : 'n address'} alias belongs`;
    else {
      inProgress.add(name);
      const entries = new Set<string>();
      result = [];
      for (const entry of alias.entries) {
        let nested: string[] | string = [entry];
        if (this.byName.has(entry)) {
          if (inProgress.has(entry)) nested = `the alias ${name} contains itself (through ${entry})`;
          else if (inProgress.size >= NESTING_LIMIT) nested = `aliases are nested more than ${NESTING_LIMIT} deep (at ${name})`;
          else nested = this.expand(entry, kind, inProgress);
        }
        if (typeof nested === 'string') {
          result = nested;
          break;
        }
        for (const each of nested) entries.add(each);
        if (entries.size > EXPANSION_LIMIT) {
          result = `the alias ${name} expands to more than ${EXPANSION_LIMIT} entries`;
          break;
        }
      }
      inProgress.delete(name);
      if (typeof result !== 'string') result = [...entries];
    }
    this.expanded.set(`${kind} ${name}`, result);
    return result;
  }
}

/** A rule's side: the addresses it allows ('any' for all, 'site' for the LAN net), or why it cannot be mapped. */
function side(element: XmlElement | undefined, aliases: Aliases, family: Family, lan: string): string[] | 'any' | 'site' | string {
  if (!element) return 'any';
  if (child(element, 'not')) return 'it inverts a side (<not/>), which an allowlist cannot say';
  if (child(element, 'any')) return 'any';
  const network = childText(element, 'network');
  if (network !== undefined) return network === lan ? 'site' : `it names the network "${network}", which is not the LAN interface's`;
  const address = childText(element, 'address');
  if (!address) return 'any';
  // A rule's own address is an IP or network; anything else there names an alias.
  if (!aliases.has(address) && !parseAddress(address, NO_RANGE).network) return `it names the alias "${address}", which is not defined`;
  const entries = aliases.has(address) ? aliases.expand(address, 'address') : [address];
  if (typeof entries === 'string') return entries;
  const addresses: string[] = [];
  for (const entry of entries) {
    const parsed = parseAddress(entry, NO_RANGE);
    if (parsed.kind === 'hostname') addresses.push(parsed.host ?? entry);
    else if (parsed.network && parsed.kind !== 'invalid') {
      // pfSense matches only the rule's address family: the other family's entries never match.
      if (family === 'inet46' || (parsed.network.family === 4) === (family === 'inet')) addresses.push(parsed.network.prefix === (parsed.network.family === 4 ? 32 : 128) ? parsed.network.canonical.replace(/\/\d+$/, '') : parsed.network.canonical);
    } else return `the entry "${entry}" is not a host name, IP address or CIDR network (address ranges are not read)`;
  }
  return addresses.length ? addresses : 'none of its addresses is of the rule\'s address family';
}

/** `443`, `2001-2500`, `2001:2500` or a port alias. */
function ports(text: string | undefined, aliases: Aliases): (number | string)[] | 'any' | string {
  if (!text) return 'any';
  const entries = aliases.has(text) ? aliases.expand(text, 'port') : [text];
  if (typeof entries === 'string') return entries;
  const result: (number | string)[] = [];
  for (const entry of entries) {
    const match = /^(\d{1,5})(?:[-:](\d{1,5}))?$/.exec(entry);
    const [from, to] = match ? [Number(match[1]), Number(match[2] ?? match[1])] : [0, 0];
    if (!match || from < 1 || to > 65535 || from > to) return `the port "${entry}" is not a port or range`;
    result.push(from === to ? from : `${from}-${to}`);
  }
  return result;
}

const PROTOCOLS: Record<string, Protocol> = { tcp: 'tcp', udp: 'udp', 'tcp/udp': 'any' };

function readRule(element: XmlElement, aliases: Aliases, options: ReadOptions, problems: ImportProblem[]): ImportedRule | undefined {
  const line = element.line;
  const skip = (why: string) => void problems.push({ line, kind: 'skipped', message: `pfSense rule ${label}: skipped, because ${why}` });
  const descr = childText(element, 'descr') ?? '';
  const tracker = childText(element, 'tracker');
  const fromComment = exportComment(descr);
  const name = fromComment.name ?? (tracker ? `rule-${tracker}` : `rule-line-${line}`);
  const label = JSON.stringify(name);
  if (options.policies && !options.policies.some((wanted) => wanted === name || wanted === descr || wanted === tracker)) return undefined;
  if (child(element, 'disabled')) return skip('it is disabled');
  if (childText(element, 'floating') === 'yes') return skip('it is a floating rule (any interfaces, either direction, often a match or block rule): add it by hand if it allows traffic');
  const type = childText(element, 'type') || 'pass';
  if (type !== 'pass') return skip(`it is a ${type} rule: an allowlist only allows, it has no deny rules`);
  const lan = options.lanInterface ?? 'lan';
  const wan = options.wanInterface ?? 'wan';
  const iface = childText(element, 'interface') ?? '';
  const direction = iface === lan ? 'outbound' : iface === wan ? 'inbound' : undefined;
  if (!direction) return skip(`its interface "${iface}" is neither the LAN (${lan}) nor the WAN (${wan}) interface, so its direction cannot be told (see --lan-interface, --wan-interface)`);
  const protocolText = childText(element, 'protocol');
  const protocol = protocolText ? PROTOCOLS[protocolText] : 'any';
  if (!protocol) return skip(`its protocol "${protocolText}" is not TCP or UDP`);
  const family = (childText(element, 'ipprotocol') || 'inet') as Family;
  if (!['inet', 'inet6', 'inet46'].includes(family)) return skip(`its address family "${family}" is unknown`);
  const source = side(child(element, 'source'), aliases, family, lan);
  if (typeof source === 'string' && source !== 'any' && source !== 'site') return skip(`its source: ${source}`);
  if (source === 'site' && direction === 'inbound') return skip('its source is the LAN network on the WAN interface');
  const destination = side(child(element, 'destination'), aliases, family, lan);
  if (destination === 'site') return skip('its destination is the LAN network: an allowlist names the addresses it allows');
  if (typeof destination === 'string' && destination !== 'any') return skip(`its destination: ${destination}`);
  const portText = childText(child(element, 'destination'), 'port');
  const rulePorts = protocolText ? ports(portText, aliases) : 'any';
  if (typeof rulePorts === 'string' && rulePorts !== 'any') return skip(rulePorts);
  if (childText(child(element, 'source'), 'port')) problems.push({ line, kind: 'partial', message: `pfSense rule ${label}: its source port is left out (an allowlist names destination ports only): the rule allows more` });
  if (family !== 'inet46' && source === 'any' && destination === 'any') problems.push({ line, kind: 'partial', message: `pfSense rule ${label}: it allows ${family === 'inet' ? 'IPv4' : 'IPv6'} only, but "any" allows both` });
  const ticket = fromComment.ticket;
  return {
    direction,
    name,
    ...(descr && descr !== name ? { description: descr } : {}),
    ...(ticket ? { ticket } : {}),
    ...(source === 'site' ? {} : { from: source === 'any' ? ['any'] : (source as string[]) }),
    to: destination === 'any' ? ['any'] : (destination as string[]),
    ports: rulePorts,
    protocol,
    line,
  };
}

function read(text: string, options: ReadOptions): ImportResult {
  let root: XmlElement;
  try {
    root = parseXml(text);
  } catch (error) {
    if (error instanceof XmlError) return { rules: [], problems: [{ line: error.line, kind: 'skipped', message: `pfSense: config.xml is not well-formed XML: ${error.message}` }] };
    throw error;
  }
  if (root.name !== 'pfsense') return { rules: [], problems: [{ line: root.line, kind: 'skipped', message: `pfSense: the root element is <${root.name}>, not <pfsense>: not a pfSense config.xml` }] };
  const aliases = new Aliases(child(root, 'aliases'));
  const rules: ImportedRule[] = [];
  const problems: ImportProblem[] = [];
  const filter = child(root, 'filter');
  if (!filter) problems.push({ line: root.line, kind: 'skipped', message: 'pfSense: the file has no <filter> section: no rules to read' });
  for (const element of filter?.children ?? []) {
    if (element.name !== 'rule') continue;
    const rule = readRule(element, aliases, options, problems);
    if (rule) rules.push(rule);
  }
  return { rules, problems };
}

export const pfsense: ImportReader = {
  id: 'pfsense',
  title: 'pfSense (config.xml, a whole backup or the export\'s file)',
  sources: [
    { title: 'pfSense: Alias Types (host, network, port, URL aliases; nested aliases)', url: 'https://docs.netgate.com/pfsense/en/latest/firewall/aliases-types.html' },
    { title: 'pfSense: Firewall Rule Configuration (action, interface, address family, protocol, source, destination)', url: 'https://docs.netgate.com/pfsense/en/latest/firewall/configure.html' },
    { title: 'pfSense: Floating Rules', url: 'https://docs.netgate.com/pfsense/en/latest/firewall/floating-rules.html' },
    { title: 'pfSense: Backup and Recovery (config.xml)', url: 'https://docs.netgate.com/pfsense/en/latest/backup/index.html' },
  ],
  read,
};
