/** pfSense: the `<aliases>` and `<filter>` sections of config.xml, for Diagnostics > Backup & Restore (restore area
 * "Aliases", then "Firewall Rules", from the same file). Host names go into host or network aliases, which pfSense
 * resolves itself; port lists and ranges into port aliases (`2001:2500`); one pass rule per allowlist rule. */
import { sha256Hex, visible } from '../../common';
import { objectNames, type NameLimits } from '../names';
import { ruleComment, withPrefix } from '../rules';
import type { ExportEndpoints, ExportRule, ExportTarget, RenderContext } from '../types';

/** pfSense alias names: fewer than 32 characters of a-z, A-Z, 0-9 and `_` (is_validaliasname()). */
export const PFSENSE_ALIAS_NAMES: NameLimits = { maxLength: 31, invalid: /[^A-Za-z0-9_]/, replacement: '_' };

/** Each rule's alias names, `<name>_src`, `<name>_dst`, `<name>_ports`, made valid and unique together (OPNsense
 * has the same rules for alias names): [source, destination, ports] by the rule's index. */
export function aliasNames(rules: ExportRule[]): [string, string, string][] {
  const names = objectNames(
    rules.flatMap((rule) => [`${rule.name}_src`, `${rule.name}_dst`, `${rule.name}_ports`]),
    PFSENSE_ALIAS_NAMES,
  );
  return rules.map((_, index) => [names[index * 3], names[index * 3 + 1], names[index * 3 + 2]]);
}

/** The address entries of one side of a rule, and whether they need a network alias (a prefix that is not one host). */
export function aliasEntries(side: ExportEndpoints): { entries: string[]; network: boolean } {
  const network = [...side.ipv4, ...side.ipv6].some((address) => address.includes('/'));
  const addresses = [...side.ipv4, ...side.ipv6].map((address) => (network ? withPrefix(address) : address));
  return { entries: [...side.hosts, ...addresses], network };
}

/** The address families a rule's addresses allow (host names may resolve to either); undefined when its sides have
 * no family in common, so that no packet can match it. */
export function ipProtocol(rule: ExportRule): 'inet' | 'inet6' | 'inet46' | undefined {
  const sides = [rule.from, rule.to].filter((side) => !side.any);
  const v4 = sides.every((side) => side.hosts.length + side.ipv4.length > 0);
  const v6 = sides.every((side) => side.hosts.length + side.ipv6.length > 0);
  if (v4 && v6) return 'inet46';
  return v4 ? 'inet' : v6 ? 'inet6' : undefined;
}

/** Why pfSense or OPNsense cannot render a rule at all (it is then left out), or undefined. */
export function unrenderable(rule: ExportRule): string | undefined {
  if ([rule.from, rule.to].some((side) => !side.any && aliasEntries(side).entries.length === 0)) return 'one of its sides lists only wildcards';
  if (!ipProtocol(rule)) return 'its sides have no address family in common (IPv4 on one side, IPv6 on the other)';
  return undefined;
}

/** `2001:2500` is a range in pfSense's and OPNsense's port aliases. */
export function portEntries(ports: ExportRule['ports']): string[] {
  return ports === 'any' ? [] : ports.map((span) => (span.from === span.to ? `${span.from}` : `${span.from}:${span.to}`));
}

/** A port condition needs an alias unless it is one port. */
export function needsPortAlias(ports: ExportRule['ports']): boolean {
  return ports !== 'any' && (ports.length > 1 || ports[0].from !== ports[0].to);
}

/** Text from the file as XML character data: one line, no control characters (XML 1.0 forbids most of them). */
function xmlText(text: string): string {
  return visible(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** A stable rule tracker (pfSense's id for a rule in logs), derived from the rule's name so re-exports keep it. */
function tracker(name: string): string {
  return String(1_000_000_000 + (parseInt(sha256Hex(name).slice(0, 8), 16) % 1_000_000_000));
}

interface RuleObjects {
  source?: string;
  destination?: string;
  ports?: string;
}

function render(rules: ExportRule[], context: RenderContext): string {
  const lan = context.options.lanInterface ?? 'lan';
  const wan = context.options.wanInterface ?? 'wan';
  const names = aliasNames(rules);
  const aliases: string[] = [];
  const filter: string[] = [];
  rules.forEach((rule, index) => {
    const reason = unrenderable(rule);
    if (reason) {
      context.warn(rule, `pfSense: the rule is left out, because ${reason}`);
      return;
    }
    const [sourceName, destinationName, portsName] = names[index];
    const comment = xmlText(ruleComment(rule));
    const objects: RuleObjects = {};
    const addressAlias = (side: ExportEndpoints, name: string) => {
      const { entries, network } = aliasEntries(side);
      aliases.push(alias(name, network ? 'network' : 'host', entries, comment));
      return name;
    };
    if (!rule.from.any) objects.source = addressAlias(rule.from, sourceName);
    if (!rule.to.any) objects.destination = addressAlias(rule.to, destinationName);
    if (needsPortAlias(rule.ports)) {
      aliases.push(alias(portsName, 'port', portEntries(rule.ports), comment));
      objects.ports = portsName;
    }
    filter.push(filterRule(rule, objects, rule.direction === 'inbound' ? wan : lan, comment));
  });
  return [
    '<?xml version="1.0"?>',
    // `--` may not appear inside an XML comment.
    `<!-- Generated by allowlist export from ${xmlText(context.options.sourceName).replace(/-(?=-)/g, '- ')}: do not edit by hand. -->`,
    '<!-- Diagnostics > Backup & Restore: restore area "Aliases", then "Firewall Rules", with this file. -->',
    '<!-- Each restore REPLACES that whole section: merge these entries into a backup of your own first. -->',
    '<pfsense>',
    '\t<aliases>',
    ...aliases,
    '\t</aliases>',
    '\t<filter>',
    ...filter,
    '\t</filter>',
    '</pfsense>',
    '',
  ].join('\n');
}

function alias(name: string, type: 'host' | 'network' | 'port', entries: string[], descr: string): string {
  return [
    '\t\t<alias>',
    `\t\t\t<name>${name}</name>`,
    `\t\t\t<type>${type}</type>`,
    `\t\t\t<address>${xmlText(entries.join(' '))}</address>`,
    `\t\t\t<descr>${descr}</descr>`,
    '\t\t</alias>',
  ].join('\n');
}

function filterRule(rule: ExportRule, objects: RuleObjects, iface: string, descr: string): string {
  const protocol = rule.protocol !== 'any' ? rule.protocol : rule.ports === 'any' ? undefined : 'tcp/udp';
  // An outbound rule without `from` is the whole site: the LAN interface's own network.
  const source = objects.source ? `<address>${objects.source}</address>` : rule.direction === 'outbound' ? `<network>${xmlText(iface)}</network>` : '<any></any>';
  const port = objects.ports ?? (rule.ports === 'any' ? undefined : `${rule.ports[0].from}`);
  const destination = (objects.destination ? `<address>${objects.destination}</address>` : '<any></any>') + (port ? `<port>${port}</port>` : '');
  return [
    '\t\t<rule>',
    `\t\t\t<tracker>${tracker(rule.name)}</tracker>`,
    '\t\t\t<type>pass</type>',
    `\t\t\t<interface>${xmlText(iface)}</interface>`,
    `\t\t\t<ipprotocol>${ipProtocol(rule)!}</ipprotocol>`,
    ...(protocol ? [`\t\t\t<protocol>${protocol}</protocol>`] : []),
    `\t\t\t<source>${source}</source>`,
    `\t\t\t<destination>${destination}</destination>`,
    `\t\t\t<descr>${descr}</descr>`,
    '\t\t</rule>',
  ].join('\n');
}

export const pfsense: ExportTarget = {
  id: 'pfsense',
  title: 'pfSense (config.xml aliases and rules)',
  capabilities: { fqdn: true, wildcardFqdn: false, portRanges: true, ipv6: true, udp: true, inbound: true, inboundFqdn: true, comments: true },
  limits: {
    wildcardFqdn:
      'pfSense aliases resolve only exact host names (no *.example.com): the wildcard is left out; list the exact host names the vendor uses, or send that traffic through a proxy that allows by domain (the Squid package) instead',
  },
  sources: [
    { title: 'pfSense: Alias Features and Limitations (host names in aliases, no wildcards)', url: 'https://docs.netgate.com/pfsense/en/latest/firewall/aliases-features.html' },
    { title: 'pfSense: Alias Types (host, network, port aliases)', url: 'https://docs.netgate.com/pfsense/en/latest/firewall/aliases-types.html' },
    { title: 'pfSense: Restoring from Backups (restore area)', url: 'https://docs.netgate.com/pfsense/en/latest/backup/restore.html' },
    { title: 'pfSense: Using FQDNs in Aliases (resolved every 5 minutes by default)', url: 'https://www.netgate.com/docs/pfsense/firewall/using-fqdns-in-aliases.html' },
    { title: 'pfSense: Web proxies with Squid and SquidGuard (the workaround for wildcards)', url: 'https://docs.netgate.com/pfsense/en/latest/recipes/http-client-proxy.html' },
    { title: 'pfSense source: backup.inc (a restore area needs its section tag in the file)', url: 'https://github.com/pfsense/pfsense/blob/master/src/usr/local/pfSense/include/www/backup.inc' },
  ],
  output: 'single',
  render: (rules, context) => [{ name: 'pfsense-allowlist.xml', text: render(rules, context) }],
};
