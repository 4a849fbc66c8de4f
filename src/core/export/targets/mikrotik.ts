/** MikroTik RouterOS: a script for `/import` that first removes what an earlier run added (every entry whose comment
 * starts with `allowlist:`), then adds address lists (host names in them RouterOS resolves itself), DNS static FWD
 * entries that fill an address list for each wildcard (RouterOS 7), and forward-chain filter rules for IPv4 and IPv6
 * that end in a drop: an allowlist denies what it does not list. Every value from the file is quoted and escaped. */
import { visible } from '../../common';
import { objectNames, type NameLimits } from '../names';
import { ruleComment } from '../rules';
import type { ExportEndpoints, ExportRule, ExportTarget, RenderContext } from '../types';

/** Every entry this script adds carries this comment prefix, so that a re-run removes exactly those first. */
const MARKER = 'allowlist:';

/** Address-list names: any string in RouterOS; kept to a plain charset so they need no quoting. */
const LIST_NAMES: NameLimits = { maxLength: 63, invalid: /[^A-Za-z0-9_.-]/, replacement: '_' };

/** A RouterOS double-quoted string. `\`, `"` and `$` (variable substitution) and `?` are escaped; every other byte
 * outside printable ASCII (line breaks, control characters, UTF-8) as `\HH`, so a value stays on its one line. */
export function routerOsString(text: string): string {
  let quoted = '';
  for (const byte of Buffer.from(text, 'utf8')) {
    const character = String.fromCharCode(byte);
    if ('\\"$?'.includes(character)) quoted += `\\${character}`;
    else if (byte >= 0x20 && byte < 0x7f) quoted += character;
    else quoted += `\\${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return `"${quoted}"`;
}

type Family = 'ip' | 'ipv6';

/** The addresses of one side for one family (host names are IPv4 address-list entries), or `any`; undefined when the
 * side lists addresses but none of this family, so the rule has nothing to match in it. */
function sideEntries(side: ExportEndpoints, family: Family): string[] | 'any' | undefined {
  if (side.any) return 'any';
  const entries = family === 'ip' ? [...side.hosts, ...side.ipv4] : side.ipv6;
  return entries.length > 0 ? entries : undefined;
}

function render(rules: ExportRule[], context: RenderContext): string {
  const lanList = context.options.lanInterface ?? 'LAN';
  const wanList = context.options.wanInterface ?? 'WAN';
  const wanted: string[] = [];
  for (const rule of rules) wanted.push(`${rule.name}-src`, `${rule.name}-dst`);
  const names = objectNames(wanted, LIST_NAMES);
  const comment = (text: string) => `comment=${routerOsString(`${MARKER} ${visible(text)}`)}`;
  const lists: Record<Family, string[]> = { ip: [], ipv6: [] };
  const dns: string[] = [];
  const filters: Record<Family, string[]> = { ip: [], ipv6: [] };
  const accept = `add chain=forward action=accept connection-state=established,related ${comment('established and related')}`;
  filters.ip.push(accept);
  filters.ipv6.push(accept);
  rules.forEach((rule, index) => {
    const [sourceList, destinationList] = names.slice(index * 2, index * 2 + 2);
    const ruleText = ruleComment(rule);
    if (rule.to.wildcards.length > 0) context.warn(rule, 'MikroTik: match-subdomain=yes also admits each wildcard\'s base name itself (*.example.com admits example.com)', 'note');
    if (rule.from.wildcards.length > 0) {
      context.warn(rule, 'MikroTik: a wildcard source is left out: DNS entries fill a list only with the names the site\'s clients resolve; list the addresses instead');
    }
    for (const base of rule.to.wildcards) {
      // Forwarded to the router's own resolvers; each answer's addresses join the list (RouterOS 7).
      dns.push(
        `add type=FWD name=${routerOsString(base)} match-subdomain=yes address-list=${destinationList} forward-to=[:pick ([/ip dns get servers], [/ip dns get dynamic-servers]) 0] ${comment(ruleText)}`,
      );
    }
    let rendered = false;
    for (const family of ['ip', 'ipv6'] as const) {
      const fromEntries = sideEntries(rule.from, family);
      // A destination of only wildcards is matched through the list the DNS entries fill (IPv4 only).
      const toEntries = sideEntries(rule.to, family) ?? (family === 'ip' && rule.to.wildcards.length > 0 ? [] : undefined);
      if (!fromEntries || !toEntries) continue;
      for (const entry of fromEntries === 'any' ? [] : fromEntries) lists[family].push(`add list=${sourceList} address=${routerOsString(entry)} ${comment(ruleText)}`);
      for (const entry of toEntries === 'any' ? [] : toEntries) lists[family].push(`add list=${destinationList} address=${routerOsString(entry)} ${comment(ruleText)}`);
      const conditions = [
        rule.direction === 'inbound' ? `in-interface-list=${routerOsString(wanList)}` : `in-interface-list=${routerOsString(lanList)}`,
        ...(fromEntries === 'any' ? [] : [`src-address-list=${sourceList}`]),
        ...(toEntries === 'any' ? [] : [`dst-address-list=${destinationList}`]),
      ];
      const ports = rule.ports === 'any' ? undefined : rule.ports.map((span) => (span.from === span.to ? `${span.from}` : `${span.from}-${span.to}`)).join(',');
      // RouterOS matches ports only with one protocol: `any` with ports is a TCP rule and a UDP rule.
      const protocols = rule.protocol !== 'any' ? [rule.protocol] : ports ? ['tcp', 'udp'] : [undefined];
      for (const protocol of protocols) {
        const match = [...conditions, ...(protocol ? [`protocol=${protocol}`] : []), ...(ports ? [`dst-port=${ports}`] : [])];
        filters[family].push(`add chain=forward action=accept ${match.join(' ')} ${comment(ruleText)}`);
      }
      rendered = true;
    }
    if (!rendered) context.warn(rule, 'MikroTik: the rule is left out, because its sides have no address family in common (or its source lists only wildcards)');
  });
  for (const family of ['ip', 'ipv6'] as const) {
    filters[family].push(`add chain=forward action=drop in-interface-list=${routerOsString(lanList)} ${comment('default deny from the site')}`);
    filters[family].push(`add chain=forward action=drop in-interface-list=${routerOsString(wanList)} ${comment('default deny to the site')}`);
  }
  const find = `[find where comment~${routerOsString(`^${MARKER}`)}]`;
  return [
    `# Generated by allowlist export from ${routerOsString(visible(context.options.sourceName))}: do not edit by hand.`,
    '# Load with /import; re-running it replaces what the previous run added (entries commented "allowlist:").',
    `# Interface lists: ${routerOsString(lanList)} faces the site, ${routerOsString(wanList)} the internet.`,
    '# The filter rules end in a drop: review the chain order (/ip firewall filter print) before importing on a live router.',
    ...(dns.length > 0 ? ['# Wildcards: clients must use this router as their DNS resolver (/ip dns set allow-remote-requests=yes).'] : []),
    `/ip firewall filter remove ${find}`,
    `/ipv6 firewall filter remove ${find}`,
    `/ip firewall address-list remove ${find}`,
    `/ipv6 firewall address-list remove ${find}`,
    `/ip dns static remove ${find}`,
    '/ip firewall address-list',
    ...lists.ip,
    '/ipv6 firewall address-list',
    ...lists.ipv6,
    ...(dns.length > 0 ? ['/ip dns static', ...dns] : []),
    '/ip firewall filter',
    ...filters.ip,
    '/ipv6 firewall filter',
    ...filters.ipv6,
    '',
  ].join('\n');
}

export const mikrotik: ExportTarget = {
  id: 'mikrotik',
  title: 'MikroTik (RouterOS script)',
  capabilities: { fqdn: true, wildcardFqdn: true, portRanges: true, ipv6: true, udp: true, inbound: true, inboundFqdn: true, comments: true },
  limits: {},
  sources: [
    { title: 'RouterOS: Address-lists (address may be a DNS name)', url: 'https://help.mikrotik.com/docs/display/ROS/Address-lists' },
    { title: 'RouterOS: DNS (static entries, type FWD, match-subdomain, address-list)', url: 'https://help.mikrotik.com/docs/spaces/ROS/pages/37748767/DNS' },
  ],
  output: 'single',
  render: (rules, context) => [{ name: 'mikrotik-allowlist.rsc', text: render(rules, context) }],
};
