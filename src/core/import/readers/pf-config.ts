/** What pfSense's and OPNsense's configurations share (OPNsense forked from pfSense): aliases, nested ones expanded,
 * and filter rules that allow traffic in on the LAN interface (outbound) or the WAN interface (inbound). Each reader
 * turns its own syntax into `FilterRuleFields`; `filterRule` maps those to an allowlist rule or a problem. */
import { exportComment } from './comment';
import { parseAddress } from '../../parse';
import type { Protocol } from '../../parse';
import type { ImportedRule, ImportProblem, ReadOptions } from '../types';
import { child, childText, type XmlElement } from './xml';

/** At most this many entries from one alias with its nested aliases: more is refused with a problem. */
const EXPANSION_LIMIT = 10_000;
/** Aliases nested deeper than this are refused with a problem (the expansion recurses once a level). */
const NESTING_LIMIT = 100;
const NO_RANGE = { start: 0, end: 0 };

export interface Alias {
  type: string;
  entries: string[];
  line: number;
  /** OPNsense can disable an alias; pfSense cannot. */
  enabled: boolean;
}

type Family = 'inet' | 'inet6' | 'inet46';

/** Types whose entries the firewall downloads: nothing of them is in the configuration. */
const URL_TYPES = ['url', 'urltable', 'url_ports', 'urltable_ports'];
/** Types whose entries are addresses (OPNsense's network group holds network aliases). */
const ADDRESS_TYPES = ['host', 'network', 'networkgroup'];

/** The aliases of `<aliases><alias>` (pfSense, and OPNsense before its aliases moved to the MVC model): a name, a
 * type, and the entries in `<address>`, separated by spaces. */
export function legacyAliases(section: XmlElement | undefined): [string, Alias][] {
  const aliases: [string, Alias][] = [];
  for (const element of section?.children.filter((each) => each.name === 'alias') ?? []) {
    const name = childText(element, 'name');
    if (name) aliases.push([name, { type: childText(element, 'type') ?? '', entries: (childText(element, 'address') ?? '').split(/\s+/).filter(Boolean), line: element.line, enabled: true }]);
  }
  return aliases;
}

export class Aliases {
  private readonly byName: Map<string, Alias>;
  private readonly expanded = new Map<string, string[] | string>();

  constructor(aliases: Iterable<[string, Alias]>) {
    this.byName = new Map(aliases);
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
    if (!alias.enabled) result = `the alias ${name} is disabled`;
    else if (URL_TYPES.includes(alias.type)) result = `the alias ${name} is a URL table (its entries are downloaded by the firewall, not in config.xml)`;
    else if (alias.type === 'geoip') result = `the alias ${name} is a GeoIP alias (countries, whose networks the firewall downloads): an allowlist names addresses, not countries`;
    else if (alias.type !== 'port' && alias.type !== '' && !ADDRESS_TYPES.includes(alias.type)) result = `the alias ${name} is of type ${alias.type}, whose entries are not addresses in the configuration`;
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

/** One side of a filter rule as the configuration says it. */
export interface SideFields {
  /** How the configuration inverts the side (everything but these addresses), when it does: `<not/>`. */
  not?: string;
  any: boolean;
  /** Interface networks (`lan` is the LAN interface's network, `wanip` the WAN address, …). */
  networks: string[];
  /** IP addresses, CIDR networks or alias names. */
  addresses: string[];
  port?: string;
}

/** A filter rule in the terms pfSense's and OPNsense's rules share, whatever their syntax. */
export interface FilterRuleFields {
  /** "pfSense rule", "OPNsense automation rule": starts each problem's message. */
  kind: string;
  line: number;
  description: string;
  /** The rule's ids, which `--policy` takes besides its name and description; the first names a rule without a
   * description. */
  ids: string[];
  disabled: boolean;
  floating: boolean;
  /** pass, block, reject. */
  action: string;
  interface: string;
  /** The rule applies to every interface but `interface`. */
  interfaceNot: boolean;
  /** in (the default), out, any. */
  direction: string;
  /** Undefined: any protocol. */
  protocol: string | undefined;
  family: string;
  source: SideFields;
  destination: SideFields;
  /** The schedule the rule applies on, if any. */
  schedule?: string;
}

/** A side's addresses ('any' for all, 'site' for the LAN net), or why it cannot be mapped. */
function sideAddresses(side: SideFields, aliases: Aliases, family: Family, lan: string): string[] | 'any' | 'site' | string {
  if (side.not) return `it inverts a side (${side.not}), which an allowlist cannot say`;
  if (side.any) return 'any';
  const network = side.networks.find((name) => name !== lan);
  if (network !== undefined) return `it names the network "${network}", which is not the LAN interface's`;
  if (side.networks.length && side.addresses.length) return 'it names the LAN network together with other addresses';
  if (side.networks.length) return 'site';
  if (!side.addresses.length) return 'any';
  const addresses = new Set<string>();
  for (const address of side.addresses) {
    // A rule's own address is an IP or network; anything else there names an alias.
    if (!aliases.has(address) && !parseAddress(address, NO_RANGE).network) return `it names the alias "${address}", which is not defined`;
    const entries = aliases.has(address) ? aliases.expand(address, 'address') : [address];
    if (typeof entries === 'string') return entries;
    for (const entry of entries) {
      if (entry.startsWith('!')) return `the entry "${entry}" excludes addresses, which an allowlist cannot say`;
      const parsed = parseAddress(entry, NO_RANGE);
      if (parsed.kind === 'hostname') addresses.add(parsed.host ?? entry);
      else if (parsed.network && parsed.kind !== 'invalid') {
        // The firewall matches only the rule's address family: the other family's entries never match.
        if (family === 'inet46' || (parsed.network.family === 4) === (family === 'inet')) addresses.add(parsed.network.prefix === (parsed.network.family === 4 ? 32 : 128) ? parsed.network.canonical.replace(/\/\d+$/, '') : parsed.network.canonical);
      } else return `the entry "${entry}" is not a host name, IP address or CIDR network (address ranges are not read)`;
    }
  }
  return addresses.size ? [...addresses] : "none of its addresses is of the rule's address family";
}

/** A platform's names for ports (OPNsense's well-known services, `https`), by lower-case name. */
export type ServicePorts = ReadonlyMap<string, number>;

/** For a reader without a table of its platform's service names (pfSense): a name is a problem. */
const NO_SERVICES: ServicePorts = new Map();

/** `443`, `2001-2500`, `2001:2500`, a port alias, or a name of `services`. */
function ports(text: string | undefined, aliases: Aliases, services: ServicePorts): (number | string)[] | 'any' | string {
  if (!text) return 'any';
  const entries = aliases.has(text) ? aliases.expand(text, 'port') : [text];
  if (typeof entries === 'string') return entries;
  const result: (number | string)[] = [];
  for (const entry of entries) {
    const named = services.get(entry.toLowerCase());
    if (named !== undefined) {
      result.push(named);
      continue;
    }
    const match = /^(\d{1,5})(?:[-:](\d{1,5}))?$/.exec(entry);
    const [from, to] = match ? [Number(match[1]), Number(match[2] ?? match[1])] : [0, 0];
    if (!match || from < 1 || to > 65535 || from > to) return `the port "${entry}" is not a port or range`;
    result.push(from === to ? from : `${from}-${to}`);
  }
  return result;
}

/** pfSense writes protocols in lower case, OPNsense's automation rules in upper case. */
const PROTOCOLS: Record<string, Protocol> = { tcp: 'tcp', udp: 'udp', 'tcp/udp': 'any', any: 'any' };

/** The allowlist rule a filter rule allows, or undefined with a problem (or when `--policy` leaves it out). */
export function filterRule(rule: FilterRuleFields, aliases: Aliases, options: ReadOptions, problems: ImportProblem[], services: ServicePorts = NO_SERVICES): ImportedRule | undefined {
  const { line, description } = rule;
  const skip = (why: string) => void problems.push({ line, kind: 'skipped', message: `${rule.kind} ${label}: skipped, because ${why}` });
  const fromComment = exportComment(description);
  const name = fromComment.name ?? (rule.ids[0] ? `rule-${rule.ids[0]}` : `rule-line-${line}`);
  const label = JSON.stringify(name);
  if (options.policies && !options.policies.some((wanted) => wanted === name || wanted === description || rule.ids.includes(wanted))) return undefined;
  if (rule.disabled) return skip('it is disabled');
  if (rule.floating) return skip('it is a floating rule (any interfaces, either direction, often a match or block rule): add it by hand if it allows traffic');
  const action = rule.action || 'pass';
  if (action !== 'pass') return skip(`it is a ${action} rule: an allowlist only allows, it has no deny rules`);
  if (rule.direction !== 'in') return skip(`it matches traffic ${rule.direction === 'out' ? 'leaving' : 'entering or leaving'} its interface (direction ${rule.direction}): only rules on traffic entering the LAN or WAN interface tell the direction`);
  const lan = options.lanInterface ?? 'lan';
  const wan = options.wanInterface ?? 'wan';
  if (rule.interfaceNot) return skip(`it applies to every interface but "${rule.interface}", so its direction cannot be told`);
  const direction = rule.interface === lan ? 'outbound' : rule.interface === wan ? 'inbound' : undefined;
  if (!direction) return skip(`its interface "${rule.interface}" is neither the LAN (${lan}) nor the WAN (${wan}) interface, so its direction cannot be told (see --lan-interface, --wan-interface)`);
  const protocol = rule.protocol ? PROTOCOLS[rule.protocol.toLowerCase()] : 'any';
  if (!protocol) return skip(`its protocol "${rule.protocol}" is not TCP or UDP`);
  const family = (rule.family || 'inet') as Family;
  if (!['inet', 'inet6', 'inet46'].includes(family)) return skip(`its address family "${family}" is unknown`);
  const source = sideAddresses(rule.source, aliases, family, lan);
  if (typeof source === 'string' && source !== 'any' && source !== 'site') return skip(`its source: ${source}`);
  if (source === 'site' && direction === 'inbound') return skip('its source is the LAN network on the WAN interface');
  const destination = sideAddresses(rule.destination, aliases, family, lan);
  if (destination === 'site') return skip('its destination is the LAN network: an allowlist names the addresses it allows');
  if (typeof destination === 'string' && destination !== 'any') return skip(`its destination: ${destination}`);
  // Without TCP or UDP there are no ports to match.
  const rulePorts = !rule.protocol || rule.protocol.toLowerCase() === 'any' ? 'any' : ports(rule.destination.port, aliases, services);
  if (typeof rulePorts === 'string' && rulePorts !== 'any') return skip(rulePorts);
  if (rule.source.port) problems.push({ line, kind: 'partial', message: `${rule.kind} ${label}: its source port is left out (an allowlist names destination ports only): the rule allows more` });
  if (rule.schedule) problems.push({ line, kind: 'partial', message: `${rule.kind} ${label}: it applies only on the schedule "${rule.schedule}", the allowlist's rule always: the rule allows more` });
  if (family !== 'inet46' && source === 'any' && destination === 'any') problems.push({ line, kind: 'partial', message: `${rule.kind} ${label}: it allows ${family === 'inet' ? 'IPv4' : 'IPv6'} only, but "any" allows both` });
  const ticket = fromComment.ticket;
  return {
    direction,
    name,
    ...(description && description !== name ? { description } : {}),
    ...(ticket ? { ticket } : {}),
    ...(source === 'site' ? {} : { from: source === 'any' ? ['any'] : (source as string[]) }),
    to: destination === 'any' ? ['any'] : (destination as string[]),
    ports: rulePorts,
    protocol,
    line,
  };
}

function xmlSide(element: XmlElement | undefined): SideFields {
  const network = childText(element, 'network');
  const address = childText(element, 'address');
  return {
    ...(element && flag(element, 'not') ? { not: '<not/>' } : {}),
    any: !element || flag(element, 'any'),
    networks: network === undefined ? [] : [network],
    addresses: address ? [address] : [],
    port: childText(element, 'port') || undefined,
  };
}

/** Flags such as `<disabled/>` count by their presence; OPNsense writes `<disabled>1</disabled>`, and 0 is off. */
const flag = (element: XmlElement, name: string): boolean => child(element, name) !== undefined && childText(element, name) !== '0';

/** A `<filter><rule>` of config.xml, in pfSense's syntax (OPNsense's classic rules keep it). */
export function xmlRuleFields(element: XmlElement, kind: string, ids: string[]): FilterRuleFields {
  return {
    kind,
    line: element.line,
    description: childText(element, 'descr') ?? '',
    ids,
    disabled: flag(element, 'disabled'),
    floating: childText(element, 'floating') === 'yes' || childText(element, 'floating') === '1',
    action: childText(element, 'type') ?? '',
    interface: childText(element, 'interface') ?? '',
    interfaceNot: flag(element, 'interfacenot'),
    direction: childText(element, 'direction') || 'in',
    protocol: childText(element, 'protocol') || undefined,
    family: childText(element, 'ipprotocol') || 'inet',
    source: xmlSide(child(element, 'source')),
    destination: xmlSide(child(element, 'destination')),
    schedule: childText(element, 'sched') || undefined,
  };
}
