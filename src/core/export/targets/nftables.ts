/** nftables + dnsmasq: `allowlist.nft`, a complete `table inet allowlist` that `nft -f` replaces atomically, and
 * `dnsmasq-allowlist.conf`, whose `nftset=` lines fill the table's host-name sets as the site's clients resolve the
 * names through that dnsmasq. Addresses and networks are static interval sets; each rule has its own chain (one
 * statement per family, set and protocol, with the rule's comment) that the hook's chain jumps to, so that a change
 * set (`--since`) replaces or removes a rule by chain name. User documentation: docs/export.md, "nftables + dnsmasq". */
import { NFT_RESOLVER_DNS_COMMENT, visible } from '../../common';
import { objectNames } from '../names';
import { ruleKey } from '../export';
import { networkContains, type Network, parseAddress } from '../../parse';
import { ruleComment, withPrefix } from '../rules';
import type { ChangeSetContext, ExportEndpoints, ExportRule, ExportTarget, RenderContext } from '../types';

const TABLE = 'allowlist';
/** How long a resolved address stays in a host-name set after dnsmasq first adds it. dnsmasq adding it again does
 * not restart the countdown (measured on Linux 6.18, nft 1.0.6), so the time is long and the TTLs below short. */
const NAME_TIMEOUT = '1d';
/** Caps on the TTL that dnsmasq caches and hands to clients, so that an expired address comes back within about two
 * minutes: dnsmasq fills sets only from upstream answers, never from its cache. Recommended in a comment only: dnsmasq
 * refuses to start on a keyword repeated across its configuration files (measured with 2.90). */
const MAX_TTL_SECONDS = 60;
/** nft refuses longer comments (bytes). */
const COMMENT_MAX_BYTES = 128;
const SET_NAME_LIMITS = { maxLength: 40, invalid: /[^A-Za-z0-9_]/, replacement: '_', letterFirst: 'r_' };

type Family = 4 | 6;

/** The named sets of one rule: `to` host names (filled by dnsmasq), `to` and `from` addresses (static). */
interface RuleSets {
  names: Record<Family, string>;
  to: Record<Family, string>;
  from: Record<Family, string>;
}

export const nftables: ExportTarget = {
  id: 'nftables',
  title: 'nftables + dnsmasq',
  capabilities: { fqdn: true, wildcardFqdn: true, portRanges: true, ipv6: true, udp: true, inbound: true, inboundFqdn: false, comments: true },
  limits: {
    inboundFqdn:
      'nftables matches addresses only, and a host-name set fills only when something resolves the name through the dnsmasq fragment, which a vendor\'s source hosts never are: the host-name sources of this inbound rule are left out (the rule too where nothing else is left); list the vendor\'s source addresses or networks instead',
  },
  sources: [
    { title: 'nftables wiki: Atomic rule replacement', url: 'https://wiki.nftables.org/wiki-nftables/index.php/Atomic_rule_replacement' },
    { title: 'nftables wiki: Simple rule management (deleting a rule takes its handle)', url: 'https://wiki.nftables.org/wiki-nftables/index.php/Simple_rule_management' },
    { title: 'nftables wiki: Sets', url: 'https://wiki.nftables.org/wiki-nftables/index.php/Sets' },
    { title: 'nftables wiki: Element timeouts', url: 'https://wiki.nftables.org/wiki-nftables/index.php/Element_timeouts' },
    { title: 'dnsmasq(8), 2.90: --nftset, --address, --max-ttl, --max-cache-ttl', url: 'https://manpages.ubuntu.com/manpages/plucky/man8/dnsmasq.8.html' },
  ],
  output: 'multiple',
  render(rules, context) {
    warnAboutNames(rules, context);
    warnAboutUnscopedRules(rules, context);
    const pieces = rulePieces(rules, context);
    return [
      { name: 'allowlist.nft', text: renderTable(pieces, context) },
      { name: 'dnsmasq-allowlist.conf', text: renderDnsmasq(pieces, context) },
    ];
  },
  changeSet(before, after, context) {
    warnAboutNames(after, context);
    warnAboutUnscopedRules(after, context);
    const old = rulePieces(before, context.beforeContext);
    const current = rulePieces(after, context);
    const files = [{ name: 'allowlist-changes.nft', text: renderChanges(old, current, context) }];
    // The fragment is small and dnsmasq reads its configuration whole: where it changed, it comes whole.
    const dnsmasq = renderDnsmasq(current, context);
    if (!context.existed || dnsmasq !== renderDnsmasq(old, context)) files.push({ name: 'dnsmasq-allowlist.conf', text: dnsmasq });
    return files;
  },
};

/** A rule as the table holds it: its named sets and its own chain, which the hook's chain jumps to. Giving each rule
 * its chain lets a change set replace or remove one rule by chain name: nft deletes a rule only by handle. */
interface RulePiece {
  rule: ExportRule;
  sets: { name: string; body: string[] }[];
  /** `rule_<base>`; no chain where the rule has nothing left to match. */
  chain: string;
  statements: string[];
}

function rulePieces(rules: ExportRule[], context: RenderContext): RulePiece[] {
  const bases = objectNames(
    rules.map((rule) => rule.name),
    SET_NAME_LIMITS,
  );
  return rules.map((rule, index) => {
    const base = bases[index];
    const sets: RuleSets = {
      names: { 4: `${base}_names4`, 6: `${base}_names6` },
      to: { 4: `${base}_to4`, 6: `${base}_to6` },
      from: { 4: `${base}_from4`, 6: `${base}_from6` },
    };
    return { rule, sets: ruleSets(rule, sets), chain: `rule_${base}`, statements: ruleLines(rule, sets, context) };
  });
}

/** The piece's definitions as lines inside `table inet allowlist { … }`. */
function pieceLines(piece: RulePiece): string[] {
  const lines = piece.sets.flatMap((set) => setBlock(set.name, set.body));
  if (piece.statements.length > 0) lines.push(`\tchain ${piece.chain} {`, ...piece.statements.map((statement) => `\t\t${statement}`), '\t}');
  return lines;
}

/** Text for a `"…"` string of nft, which has no escapes: control characters as visible escapes, double quotes as
 * single ones, cut to what nft accepts. */
export function nftString(text: string, maxBytes = COMMENT_MAX_BYTES): string {
  let safe = visible(text).replace(/"/g, "'");
  if (Buffer.byteLength(safe) > maxBytes) {
    while (Buffer.byteLength(safe) > maxBytes - 3) safe = safe.slice(0, -1);
    safe = `${safe.replace(/[\ud800-\udbff]$/, '')}…`;
  }
  return `"${safe}"`;
}

/** dnsmasq's `/name/` matches the name and every name under it: say where that admits more than the rule. */
function warnAboutNames(rules: ExportRule[], context: RenderContext): void {
  for (const rule of rules) {
    const { hosts, wildcards } = rule.to;
    const under = (name: string, base: string) => name.endsWith(`.${base}`);
    // A rule left without sources has no name sets: its names admit nothing, wider or not.
    const filled = hasNameSet(rule, 4) || hasNameSet(rule, 6);
    const hostsWider = filled ? hosts.filter((host) => !wildcards.some((base) => base === host || under(host, base))) : [];
    const wildcardsWider = filled ? wildcards.filter((base) => !hosts.includes(base) && !wildcards.some((other) => under(base, other))) : [];
    if (hostsWider.length > 0) {
      context.warn(rule, `dnsmasq's nftset=/name/ also admits every name under ${hostsWider.join(', ')} (e.g. x.${hostsWider[0]}); add the names to the rule as they are, or accept the wider match`);
    }
    if (wildcardsWider.length > 0) {
      const exported = wildcardsWider.map((base) => `*.${base} as /${base}/`).join(', ');
      context.warn(rule, `dnsmasq's nftset=/name/ has no wildcard form: exported ${exported}, which also admits ${wildcardsWider.join(', ')} itself; add the base name to the rule if it is meant, or accept the wider match`);
    }
    const unusable = [...hosts, ...wildcards].filter((name) => !isDnsmasqName(name));
    if (unusable.length > 0) context.warn(rule, `left out of the dnsmasq fragment, which cannot hold them: ${unusable.map((name) => visible(name)).join(', ')}`);
    if (rule.direction === 'inbound' && hosts.length + wildcards.length > 0) {
      context.warn(rule, `the destination's host names fill their set only when a client resolves them through the dnsmasq fragment; list the site server's address instead`);
    }
    if (rule.direction === 'outbound' && rule.from.hosts.length + rule.from.wildcards.length > 0) {
      context.warn(rule, `host names as the source (${[...rule.from.hosts, ...rule.from.wildcards.map((base) => `*.${base}`)].join(', ')}) are left out, the rule too where nothing else is left: a site's own hosts do not resolve through dnsmasq; list their addresses`);
    }
  }
}

/** The forward hook sees traffic both ways: an outbound rule with neither `from` nor an interface to match matches
 * no source, so where its destination may hold the site's own hosts (`any`, or a network overlapping private address
 * space) it also lets the internet in to them on its ports. */
function warnAboutUnscopedRules(rules: ExportRule[], context: RenderContext): void {
  const { hook, lanInterface, wanInterface } = context.options;
  if ((hook ?? 'forward') !== 'forward' || lanInterface !== undefined || wanInterface !== undefined) return;
  for (const rule of rules) {
    if (rule.direction !== 'outbound' || !rule.from.any) continue;
    const siteDestinations = [...rule.to.ipv4, ...rule.to.ipv6].filter(overlapsSiteNetworks);
    if (!rule.to.any && siteDestinations.length === 0) continue;
    const hosts = rule.to.any ? 'every host behind the router' : `the hosts behind the router in ${siteDestinations.join(', ')}`;
    context.warn(rule, `it has no \`from\` and the export no interface, so in the forward hook it also admits connections from the internet to ${hosts} (inbound) on its ports; pass --lan-interface NAME (the interface facing the site's clients) so that it matches only traffic from the site`);
  }
}

/** Where a site's hosts behind a router usually are: RFC 1918, shared address space (RFC 6598), unique local IPv6. */
const SITE_NETWORKS = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10', 'fc00::/7'].map(networkOf);

function overlapsSiteNetworks(address: string): boolean {
  const network = networkOf(address);
  return SITE_NETWORKS.some((site) => networkContains(site, network) || networkContains(network, site));
}

/** An address of ExportEndpoints (canonical: it parses) as a Network. */
function networkOf(address: string): Network {
  return parseAddress(withPrefix(address), { start: 0, end: 0 }).network!;
}

/** What a dnsmasq `/name/` can hold: no `/`, `#`, `,`, space or line break. */
function isDnsmasqName(name: string): boolean {
  return /^[a-z0-9_-]+(\.[a-z0-9_-]+)*$/.test(name);
}

function renderTable(pieces: RulePiece[], context: RenderContext): string {
  const hook = context.options.hook ?? 'forward';
  const lines = [
    '#!/usr/sbin/nft -f',
    `# Generated by allowlist export from ${visible(context.options.sourceName)} (target nftables, hook ${hook}); edit the allowlist, not this file.`,
    '# Load with `nft -f allowlist.nft`: it replaces table inet allowlist in one transaction (its host-name sets',
    '# start empty: reload dnsmasq with SIGHUP so that the next lookups fill them again).',
    `table inet ${TABLE} {}`,
    `delete table inet ${TABLE}`,
    `table inet ${TABLE} {`,
    ...pieces.flatMap(pieceLines),
  ];
  for (const [name, jumps] of hookChains(pieces, context)) lines.push(...chain(name, jumps));
  lines.push('}', '');
  return lines.join('\n');
}

/** The chains on a hook by name, each with its fixed statements and a jump to each rule's chain, in the file's order;
 * no `input` chain (which would drop what the host receives) where no inbound rule has one. */
function hookChains(pieces: RulePiece[], context: RenderContext): Map<string, string[]> {
  const jumps = (direction: ExportRule['direction']) =>
    pieces.filter((piece) => piece.rule.direction === direction && piece.statements.length > 0).map((piece) => `jump ${piece.chain}`);
  const chains = new Map<string, string[]>();
  if ((context.options.hook ?? 'forward') === 'forward') {
    chains.set('forward', [...jumps('outbound'), ...jumps('inbound')]);
    return chains;
  }
  chains.set('output', [
    'oif "lo" accept',
    'icmpv6 type { nd-neighbor-solicit, nd-neighbor-advert, nd-router-solicit } accept',
    // dnsmasq on this host asks its upstream servers: without this, no name would resolve and no set would fill.
    `meta l4proto { tcp, udp } th dport 53 accept comment ${nftString(NFT_RESOLVER_DNS_COMMENT)}`,
    ...jumps('outbound'),
  ]);
  const inbound = jumps('inbound');
  if (inbound.length > 0) chains.set('input', ['iif "lo" accept', 'icmpv6 type { nd-neighbor-solicit, nd-neighbor-advert, nd-router-advert } accept', ...inbound]);
  return chains;
}

/** The change set: the hook chains emptied (their jumps go), the chains and sets of removed and changed rules deleted,
 * those of added and changed rules defined, the hook chains filled again in the new order. One `nft -f` transaction:
 * no handles needed, and unchanged rules keep their sets (the host-name sets their addresses). */
function renderChanges(before: RulePiece[], after: RulePiece[], context: ChangeSetContext): string {
  const text = (piece: RulePiece) => pieceLines(piece).join('\n');
  const old = new Map(before.map((piece) => [ruleKey(piece.rule), piece]));
  const kept = new Set(after.filter((piece) => old.has(ruleKey(piece.rule)) && text(old.get(ruleKey(piece.rule))!) === text(piece)).map((piece) => ruleKey(piece.rule)));
  const { added, changed, removed } = context.changes;
  const hook = context.options.hook ?? 'forward';
  const lines = [
    '#!/usr/sbin/nft -f',
    `# Generated by allowlist export --since ${visible(context.since)} from ${visible(context.options.sourceName)} (target nftables, hook ${hook}).`,
    `# Takes table inet ${TABLE} from the export of ${visible(context.since)} to the export of the file now, in one transaction:`,
    '# load the full export of that revision first, then `nft -f allowlist-changes.nft`.',
    `# Rules added: ${summary(added)}; changed: ${summary(changed)}; removed: ${summary(removed)}.`,
  ];
  const beforeChains = hookChains(before, context);
  const afterChains = hookChains(after, context);
  if (context.existed && kept.size === after.length && after.length === before.length && sameChains(beforeChains, afterChains)) {
    lines.push('# Nothing to change.', '');
    return lines.join('\n');
  }
  // Declared first (a no-op where they exist) so that the change set also applies where the file, and so the table,
  // did not exist at that revision.
  lines.push(`table inet ${TABLE} {}`);
  for (const name of beforeChains.keys()) lines.push(`add chain inet ${TABLE} ${name} { type filter hook ${name} priority filter; policy drop; }`, `flush chain inet ${TABLE} ${name}`);
  for (const piece of before.filter((piece) => !kept.has(ruleKey(piece.rule)))) {
    if (piece.statements.length > 0) lines.push(`flush chain inet ${TABLE} ${piece.chain}`, `delete chain inet ${TABLE} ${piece.chain}`);
    for (const set of piece.sets) lines.push(`delete set inet ${TABLE} ${set.name}`);
  }
  for (const name of beforeChains.keys()) if (!afterChains.has(name)) lines.push(`delete chain inet ${TABLE} ${name}`);
  lines.push(`table inet ${TABLE} {`, ...after.filter((piece) => !kept.has(ruleKey(piece.rule))).flatMap(pieceLines));
  for (const [name, jumps] of afterChains) lines.push(...chain(name, jumps));
  lines.push('}', '');
  return lines.join('\n');
}

function sameChains(a: Map<string, string[]>, b: Map<string, string[]>): boolean {
  return JSON.stringify([...a]) === JSON.stringify([...b]);
}

function summary(names: string[]): string {
  return names.length === 0 ? 'none' : names.map((name) => visible(JSON.stringify(name))).join(', ');
}

/** A chain on the hook of its name (`forward`, `output`, `input`). */
function chain(name: string, rules: string[]): string[] {
  return [
    `\tchain ${name} {`,
    `\t\ttype filter hook ${name} priority filter; policy drop;`,
    '\t\tct state established,related accept',
    ...rules.map((rule) => `\t\t${rule}`),
    '\t}',
  ];
}

function ruleSets(rule: ExportRule, sets: RuleSets): RulePiece['sets'] {
  const comment = nftString(ruleComment(rule, Infinity, { markInbound: true }));
  const blocks: RulePiece['sets'] = [];
  for (const family of [4, 6] as const) {
    const type = family === 4 ? 'ipv4_addr' : 'ipv6_addr';
    if (hasNameSet(rule, family)) blocks.push({ name: sets.names[family], body: [`type ${type}`, 'flags timeout', `timeout ${NAME_TIMEOUT}`, `comment ${comment}`] });
    for (const [side, name] of [[rule.to, sets.to[family]], [rule.from, sets.from[family]]] as const) {
      const elements = addresses(side, family);
      if (elements.length > 0) blocks.push({ name, body: [`type ${type}`, 'flags interval', 'auto-merge', `comment ${comment}`, `elements = { ${elements.join(', ')} }`] });
    }
  }
  return blocks;
}

/** Whether the rule has a set of `to` host names for `family`: not where its sources are all of the other family. */
function hasNameSet(rule: ExportRule, family: Family): boolean {
  return rule.to.hosts.length + rule.to.wildcards.length > 0 && (rule.from.any || addresses(rule.from, family).length > 0);
}

function setBlock(name: string, body: string[]): string[] {
  return [`\tset ${name} {`, ...body.map((line) => `\t\t${line}`), '\t}'];
}

function addresses(side: ExportEndpoints, family: Family): string[] {
  return family === 4 ? side.ipv4 : side.ipv6;
}

/** The rule's statements: one per family its sides allow, destination set and protocol. */
function ruleLines(rule: ExportRule, sets: RuleSets, context: RenderContext): string[] {
  const comment = `comment ${nftString(ruleComment(rule, Infinity, { markInbound: true }))}`;
  const interfaces = interfaceMatch(rule, context);
  const protocols = protocolMatches(rule);
  if (rule.from.any && rule.to.any) return protocols.map((protocol) => join(interfaces, protocol, 'accept', comment));
  const lines: string[] = [];
  for (const family of [4, 6] as const) {
    const ip = family === 4 ? 'ip' : 'ip6';
    const sources = rule.from.any ? [''] : addresses(rule.from, family).length > 0 ? [`${ip} saddr @${sets.from[family]}`] : [];
    const destinations: string[] = rule.to.any ? [''] : [];
    if (addresses(rule.to, family).length > 0) destinations.push(`${ip} daddr @${sets.to[family]}`);
    if (hasNameSet(rule, family)) destinations.push(`${ip} daddr @${sets.names[family]}`);
    for (const source of sources) {
      for (const destination of destinations) {
        for (const protocol of protocols) lines.push(join(interfaces, source, destination, protocol, 'accept', comment));
      }
    }
  }
  return lines;
}

/** `tcp dport { 443, 2001-2500 }`; for `any`, one per transport where ports are given, no match at all where not. */
function protocolMatches(rule: ExportRule): string[] {
  const protocols = rule.protocol === 'any' ? (['tcp', 'udp'] as const) : [rule.protocol];
  if (rule.ports === 'any') return rule.protocol === 'any' ? [''] : [`meta l4proto ${rule.protocol}`];
  const spans = rule.ports.map((span) => (span.from === span.to ? `${span.from}` : `${span.from}-${span.to}`));
  const ports = spans.length === 1 ? spans[0] : `{ ${spans.join(', ')} }`;
  return protocols.map((protocol) => `${protocol} dport ${ports}`);
}

/** With --lan-interface/--wan-interface (forward hook), outbound rules go from LAN to WAN and inbound ones back. */
function interfaceMatch(rule: ExportRule, context: RenderContext): string {
  const { lanInterface, wanInterface, hook } = context.options;
  if ((hook ?? 'forward') !== 'forward') return '';
  const [inside, outside] = rule.direction === 'outbound' ? [lanInterface, wanInterface] : [wanInterface, lanInterface];
  return join(inside ? `iifname ${nftString(inside)}` : '', outside ? `oifname ${nftString(outside)}` : '');
}

function join(...parts: string[]): string {
  return parts.filter((part) => part !== '').join(' ');
}

/** One `nftset=` line per name, listing the sets of every rule that name is for: dnsmasq picks the most specific
 * matching line only, so a line for a.example.com also fills the sets of a rule for *.example.com. */
function renderDnsmasq(pieces: RulePiece[], context: RenderContext): string {
  const patterns = new Map<string, Set<string>>();
  for (const { rule, sets } of pieces) {
    const nameSets = sets.filter((set) => /_names[46]$/.test(set.name));
    for (const name of [...rule.to.hosts, ...rule.to.wildcards]) {
      const owners = patterns.get(name) ?? new Set<string>();
      for (const set of nameSets) owners.add(`${set.name.endsWith('4') ? 4 : 6}#inet#${TABLE}#${set.name}`);
      patterns.set(name, owners);
    }
  }
  const names = [...patterns.keys()].filter(isDnsmasqName).sort();
  const lines = [
    `# Generated by allowlist export from ${visible(context.options.sourceName)} (target nftables): fills the host-name sets`,
    '# of table inet allowlist (allowlist.nft, load it first) as clients resolve the names through this dnsmasq.',
    '# Include it with conf-file=; /name/ matches the name and every name under it.',
    `# Recommended in the main configuration, where it sets neither yet (dnsmasq refuses a repeated keyword): short TTLs,`,
    `# so that an address whose set element expired (${NAME_TIMEOUT} after it was added) is asked upstream, and added, again soon.`,
    `#max-cache-ttl=${MAX_TTL_SECONDS}`,
    `#max-ttl=${MAX_TTL_SECONDS}`,
  ];
  for (const name of names) {
    const owners = new Set(patterns.get(name));
    for (const [other, otherOwners] of patterns) {
      if (name.endsWith(`.${other}`)) for (const owner of otherOwners) owners.add(owner);
    }
    // A name whose rules have no sets (their sources all left out) gets no line: dnsmasq refuses `nftset=/name/`.
    if (owners.size > 0) lines.push(`nftset=/${name}/${[...owners].sort().join(',')}`);
  }
  lines.push('');
  return lines.join('\n');
}
