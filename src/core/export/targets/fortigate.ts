/** FortiGate: a FortiOS CLI script (FortiOS 7.x) that creates, per rule, its address objects (`config firewall
 * address` of type fqdn or ipmask, `address6` for IPv6), a group per side with more than one address, a custom
 * service, and a policy from the LAN interface to the WAN interface (inbound: the reverse), whose id is derived from
 * the rule's name so that running the script again updates it and a change set (`--since`) can edit or delete it.
 * Sources: docs/export.md#fortigate. */
import { sha256Hex } from '../../common';
import { formatPortRange } from '../../parse';
import { ruleKey } from '../export';
import { addressWanted, objectNames, type NameLimits } from '../names';
import { ruleComment, withPrefix } from '../rules';
import type { ExportEndpoints, ExportRule, ExportTarget, RenderContext } from '../types';
import { quotableText } from './cli-strings';

/** Address, group and service names: up to 79 characters (FortiOS 7 CLI reference); a plain character set so
 * that a name never needs an escape. */
const NAME_LIMITS: NameLimits = { maxLength: 79, invalid: /[^A-Za-z0-9_.-]/, replacement: '_' };
/** `comment` of addresses, groups and services (255), `comments` of policies (1023). */
const OBJECT_COMMENT_MAX = 255;
const POLICY_COMMENT_MAX = 1023;
export const FORTIGATE_DEFAULT_LAN = 'internal';
export const FORTIGATE_DEFAULT_WAN = 'wan1';

type Family = 4 | 6;

/** One address object of a rule: what it is called before naming, and how FortiOS defines it. */
interface AddressObject {
  wanted: string;
  family: Family;
  settings: string[];
}

interface RulePlan {
  rule: ExportRule;
  src: AddressObject[];
  dst: AddressObject[];
}

export const fortigate: ExportTarget = {
  id: 'fortigate',
  title: 'FortiGate (FortiOS CLI)',
  capabilities: { fqdn: true, wildcardFqdn: true, portRanges: true, ipv6: true, udp: true, inbound: true, inboundFqdn: true, comments: true },
  limits: {},
  sources: [
    { title: 'FortiOS 7.2 CLI reference: config firewall address (name up to 79 characters, type fqdn, subnet)', url: 'https://docs.fortinet.com/document/container-fortios/7.2.2/cli-reference/306021697' },
    { title: 'FortiOS 7.0 administration guide: using wildcard FQDN addresses in firewall policies (DNS through the FortiGate, not DNS over HTTPS)', url: 'https://docs.fortinet.com/document/fortigate/7.0.1/administration-guide/217973/using-wildcard-fqdn-addresses-in-firewall-policies' },
    { title: 'Fortinet community, Technical Tip: using a wildcard FQDN (set type fqdn, set fqdn "*.fortinet.com", since FortiOS 6.2.2)', url: 'https://community.fortinet.com/t5/FortiGate/Technical-Tip-Using-a-wildcard-FQDN/ta-p/196118' },
    { title: 'FortiOS 6.4 new features: consolidated IPv4 and IPv6 policy configuration (srcaddr6/dstaddr6; IP versions of sources and destinations must match)', url: 'https://docs.fortinet.com/document/fortigate/6.4.0/new-features/815846/consolidated-ipv4-and-ipv6-policy-configuration' },
    { title: 'FortiOS 7.4 CLI reference: config firewall service custom (tcp-portrange, udp-portrange)', url: 'https://docs.fortinet.com/document/fortigate/7.4.8/cli-reference/198499981' },
    { title: 'FortiProxy 7.4 CLI reference: config firewall service custom (name up to 79 characters)', url: 'https://docs.fortinet.com/document/fortiproxy/7.4.0/cli-reference/148620' },
    { title: 'FortiOS 7.2 CLI reference: config firewall policy (comments up to 1023 characters, logtraffic, nat)', url: 'https://docs.fortinet.com/document/container-fortios/7.2.2/cli-reference/333889629' },
    { title: 'Fortinet CLI command syntax: quotation marks in pairs, \\ escapes spaces or continues a line', url: 'https://docs.fortinet.com/document/fortianalyzer/6.4.9/cli-reference/431255' },
    { title: 'FortiManager 7.4: policy ID support (FortiGate policy ids 0 to 4294967294; FortiManager up to 1071741824)', url: 'https://docs.fortinet.com/document/fortimanager/7.4.0/administration-guide/680706' },
  ],
  output: 'single',
  render(rules, context) {
    return [{ name: 'allowlist-fortigate.conf', text: configSections(rules, context).map(({ path, entries }) => section(path, entries)).join('') }];
  },
  // Commands only, as in the full script (FortiOS comment syntax in pasted scripts is not confirmed): what changed is
  // the CLI's note on standard error. Nothing changed: no commands.
  changeSet(before, after, context) {
    return [{ name: 'allowlist-fortigate-changes.conf', text: changeScript(configSections(before, context.beforeContext), configSections(after, context)) }];
  },
};

/** Policy ids from 1,000,000,000 to 1,049,999,999: stable (derived from the rule's direction and name), far above the
 * ids a FortiGate hands out itself, and below the ids FortiManager reserves (1,071,741,825 and up). */
const POLICY_ID_FIRST = 1_000_000_000;
const POLICY_ID_COUNT = 50_000_000;

/** Each rule's policy id; two rules whose names hash alike take the next free id, in the order of their keys (so
 * the ids do not depend on the order of the rules in the file). */
function policyIds(rules: ExportRule[]): Map<string, number> {
  const ids = new Map<string, number>();
  const taken = new Set<number>();
  for (const key of rules.map(ruleKey).sort()) {
    let id = POLICY_ID_FIRST + (parseInt(sha256Hex(key).slice(0, 8), 16) % POLICY_ID_COUNT);
    while (taken.has(id)) id = id + 1 === POLICY_ID_FIRST + POLICY_ID_COUNT ? POLICY_ID_FIRST : id + 1;
    taken.add(id);
    ids.set(key, id);
  }
  return ids;
}

/** The edits that take a FortiGate configured by `old` to `current`: new and changed entries in the order of the
 * export (objects before the groups and policies that use them; a changed entry unsets what it no longer sets),
 * then deletions in reverse (policies before the objects they used). */
function changeScript(old: ConfigSection[], current: ConfigSection[]): string {
  const settingName = (setting: string) => setting.split(' ')[1];
  const edits = current.map(({ path, entries }) => {
    const previous = new Map((old.find((other) => other.path === path)?.entries ?? []).map((entry) => [entry.key, entry.settings]));
    const changed = entries.filter((entry) => previous.get(entry.key)?.join('\n') !== entry.settings.join('\n'));
    return {
      path,
      entries: changed.map((entry) => {
        const kept = new Set(entry.settings.map(settingName));
        const unset = (previous.get(entry.key) ?? []).map(settingName).filter((name) => !kept.has(name));
        return { key: entry.key, settings: [...unset.map((name) => `unset ${name}`), ...entry.settings] };
      }),
    };
  });
  const deletions = [...old].reverse().map(({ path, entries }) => {
    const remaining = new Set((current.find((other) => other.path === path)?.entries ?? []).map((entry) => entry.key));
    return { path, keys: entries.filter((entry) => !remaining.has(entry.key)).map((entry) => entry.key) };
  });
  return [
    ...edits.map(({ path, entries }) => section(path, entries)),
    ...deletions.filter(({ keys }) => keys.length > 0).map(({ path, keys }) => `config ${path}\n${keys.map((key) => `    delete ${key}\n`).join('')}end\n`),
  ].join('');
}

function planRule(rule: ExportRule): RulePlan {
  return { rule, src: addressObjects(rule, rule.from), dst: addressObjects(rule, rule.to) };
}

function addressObjects(rule: ExportRule, side: ExportEndpoints): AddressObject[] {
  const named = (value: string, family: Family, settings: string[]) => ({ wanted: addressWanted(rule.name, value, OWN_OBJECTS), family, settings });
  return [
    ...side.hosts.map((host) => named(host, 4, ['set type fqdn', `set fqdn "${host}"`])),
    ...side.wildcards.map((base) => named(`*.${base}`, 4, ['set type fqdn', `set fqdn "*.${base}"`])),
    ...side.ipv4.map((network) => named(network, 4, ['set type ipmask', `set subnet ${ipv4Subnet(network)}`])),
    ...side.ipv6.map((network) => named(network, 6, [`set ip6 ${withPrefix(network)}`])),
  ];
}

/** `192.0.2.0/24` as FortiOS writes a subnet: `192.0.2.0 255.255.255.0`. */
function ipv4Subnet(network: string): string {
  const [address, prefixText] = withPrefix(network).split('/');
  const prefix = Number(prefixText);
  const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
  return `${address} ${[24, 16, 8, 0].map((shift) => (mask >>> shift) & 255).join('.')}`;
}

/** The suffixes of a rule's own objects' names: its groups and its service. */
const OWN_OBJECTS = new Set(['src', 'src6', 'dst', 'dst6', 'svc']);
const groupWanted = (rule: ExportRule, side: 'src' | 'dst', family: Family) => `${rule.name} ${side}${family === 6 ? '6' : ''}`;
const groupNames = (rule: ExportRule) => [groupWanted(rule, 'src', 4), groupWanted(rule, 'src', 6), groupWanted(rule, 'dst', 4), groupWanted(rule, 'dst', 6)];
const serviceName = (rule: ExportRule) => `${rule.name} svc`;

interface Entry {
  /** `"name"`, or a policy's id. */
  key: string;
  settings: string[];
}

/** One `config …` table of the script and its entries, in the order the script writes them. */
interface ConfigSection {
  path: string;
  entries: Entry[];
}

function configSections(rules: ExportRule[], context: RenderContext): ConfigSection[] {
  const plans = rules.map(planRule);
  const wanted = plans.flatMap(({ rule, src, dst }) => [
    ...src.map((object) => object.wanted),
    ...dst.map((object) => object.wanted),
    ...groupNames(rule),
    serviceName(rule),
  ]);
  const names = new Map<string, string>();
  objectNames(wanted, NAME_LIMITS).forEach((name, index) => names.set(wanted[index], name));
  const ids = policyIds(rules);
  const nameOf = (wanted: string) => `"${names.get(wanted)!}"`;
  const addresses: Record<Family, Entry[]> = { 4: [], 6: [] };
  const groups: Record<Family, Entry[]> = { 4: [], 6: [] };
  const services: Entry[] = [];
  const policies: Entry[] = [];
  const defined = new Set<string>();
  const lan = quotableText(context.options.lanInterface ?? FORTIGATE_DEFAULT_LAN).text;
  const wan = quotableText(context.options.wanInterface ?? FORTIGATE_DEFAULT_WAN).text;

  for (const { rule, src, dst } of plans) {
    const comment = quotableText(ruleComment(rule, OBJECT_COMMENT_MAX));
    if (comment.changed) warnText(rule, context);
    const commentSetting = `set comment "${comment.text}"`;
    for (const object of [...src, ...dst]) {
      // The same address on both sides of a rule is one object.
      if (defined.has(object.wanted)) continue;
      defined.add(object.wanted);
      addresses[object.family].push({ key: nameOf(object.wanted), settings: [...object.settings, commentSetting] });
    }
    const sideRefs = (side: ExportEndpoints, objects: AddressObject[], which: 'src' | 'dst') => {
      const refs: Partial<Record<Family, string>> = {};
      for (const family of [4, 6] as const) {
        if (side.any) refs[family] = '"all"';
        const members = objects.filter((object) => object.family === family);
        if (members.length === 1) refs[family] = nameOf(members[0].wanted);
        if (members.length > 1) {
          const group = nameOf(groupWanted(rule, which, family));
          groups[family].push({ key: group, settings: [`set member ${members.map((member) => nameOf(member.wanted)).join(' ')}`, commentSetting] });
          refs[family] = group;
        }
      }
      return refs;
    };
    const srcRefs = sideRefs(rule.from, src, 'src');
    const dstRefs = sideRefs(rule.to, dst, 'dst');
    const families = ([4, 6] as const).filter((family) => srcRefs[family] && dstRefs[family]);
    for (const family of [4, 6] as const) {
      if (families.includes(family)) continue;
      // `all` on an `any` side is no address of the rule's own, so leaving it out loses nothing.
      const side = srcRefs[family] && !rule.from.any ? 'source' : dstRefs[family] && !rule.to.any ? 'destination' : undefined;
      if (!side) continue;
      context.warn(rule, `FortiOS matches IPv4 sources with IPv4 destinations and IPv6 with IPv6 only: its IPv${family} ${side} addresses have no IPv${family} counterpart and are left out of the policy`);
    }
    if (families.length === 0) {
      context.warn(rule, 'FortiOS: no policy written, the rule has no IP version on both sides');
      continue;
    }

    let service = '"ALL"';
    if (rule.protocol !== 'any' || rule.ports !== 'any') {
      const portRange = rule.ports === 'any' ? '1-65535' : rule.ports.map(formatPortRange).join(' ');
      const settings = [];
      if (rule.protocol !== 'udp') settings.push(`set tcp-portrange ${portRange}`);
      if (rule.protocol !== 'tcp') settings.push(`set udp-portrange ${portRange}`);
      service = nameOf(serviceName(rule));
      services.push({ key: service, settings: [...settings, commentSetting] });
    }

    const inbound = rule.direction === 'inbound';
    if (inbound) {
      context.warn(rule, 'FortiOS: the policy allows traffic to the server\'s own address; reaching it from the internet through the WAN address also takes a virtual IP (config firewall vip) as the policy\'s destination, which this export does not write', 'note');
    }
    if (rule.to.wildcards.length + rule.from.wildcards.length > 0) {
      context.warn(rule, 'FortiOS fills a wildcard FQDN address only from DNS answers that pass through the FortiGate, not from DNS over HTTPS: the clients must resolve through it', 'note');
    }
    if (inbound && rule.from.wildcards.length > 0) {
      context.warn(rule, 'FortiOS: a wildcard source of an inbound policy stays empty unless the sender\'s names are resolved through the FortiGate; list the vendor\'s addresses or host names instead');
    }
    const settings = [`set srcintf "${inbound ? wan : lan}"`, `set dstintf "${inbound ? lan : wan}"`];
    if (families.includes(4)) settings.push(`set srcaddr ${srcRefs[4]}`, `set dstaddr ${dstRefs[4]}`);
    if (families.includes(6)) settings.push(`set srcaddr6 ${srcRefs[6]}`, `set dstaddr6 ${dstRefs[6]}`);
    settings.push('set action accept', 'set schedule "always"', `set service ${service}`, 'set logtraffic all');
    if (!inbound) settings.push('set nat enable');
    settings.push(`set comments "${quotableText(ruleComment(rule, POLICY_COMMENT_MAX)).text}"`);
    policies.push({ key: String(ids.get(ruleKey(rule))), settings });
  }

  return [
    { path: 'firewall address', entries: addresses[4] },
    { path: 'firewall address6', entries: addresses[6] },
    { path: 'firewall addrgrp', entries: groups[4] },
    { path: 'firewall addrgrp6', entries: groups[6] },
    { path: 'firewall service custom', entries: services },
    { path: 'firewall policy', entries: policies },
  ];
}

function warnText(rule: ExportRule, context: RenderContext): void {
  context.warn(rule, 'FortiOS: quotes, backslashes and control characters of its name or comment are written as \' / and escapes in the comments', 'note');
}

function section(path: string, entries: Entry[]): string {
  if (entries.length === 0) return '';
  const lines = [`config ${path}`];
  for (const entry of entries) lines.push(`    edit ${entry.key}`, ...entry.settings.map((setting) => `        ${setting}`), '    next');
  lines.push('end');
  return `${lines.join('\n')}\n`;
}
