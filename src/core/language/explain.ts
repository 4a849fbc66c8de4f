/** What the loaded catalogs know about a host, IP address, network, port, port range, wildcard, product
 * or vendor: `allowlist explain` prints the plain rendering and the editor shows the Markdown as its hover.
 * Roles, reasons, problems and advice are quoted in the vendor's words, with the source they come from. */
import { type AllowlistModel, type Direction, formatPortRange, type Network, networkContains, parseAddress, type Protocol, wildcardCovers } from '../parse';
import { closestName, codeSpan, escapeMarkdown, isPublicSuffix, LineIndex, markdownLink, oneLine, publicSuffixesUnder, visible } from '../common';
import type { Catalog, CatalogEndpoint, CatalogInboundSource, CatalogSet, PortRangeSpec } from '../catalog';
import { rulePortsText, rulesAllowing, type FileSubject, type RuleMatch } from './explain-file';

export interface Explanation {
  /** One line: what the subject is, e.g. "connect.helpdeskbuttons.com (Helpdesk Buttons)". */
  title: string;
  /** For a hover: headings, lists, quotes and links. */
  markdown: string;
  /** The same for a terminal. */
  plain: string;
  /** Whether the catalogs, or the file's rules, know anything about the subject (`allowlist explain` exits 1 when not). */
  known: boolean;
  /** How the subject was read. */
  kind: SubjectKind;
  /** With a file: the rules of it that allow the subject. */
  file?: FileExplanation;
  /** When nothing loaded knows the subject: one line saying so (`allowlist explain` writes it to stderr). */
  notKnown?: string;
}

export type SubjectKind = 'host' | 'wildcard' | 'ip' | 'network' | 'port' | 'range' | 'product' | 'vendor' | 'invalid';

// ---------------------------------------------------------------------------------------------
// Building Markdown and plain text side by side.

/** A piece of inline text in both renderings. */
interface Inline {
  md: string;
  plain: string;
}

type Part = string | Inline;

function inline(...parts: Part[]): Inline {
  return {
    md: parts.map((part) => (typeof part === 'string' ? escapeMarkdown(part) : part.md)).join(''),
    plain: parts.map((part) => (typeof part === 'string' ? visible(part) : part.plain)).join(''),
  };
}

const strong = (text: string): Inline => ({ md: `**${escapeMarkdown(text)}**`, plain: visible(text) });
const code = (text: string): Inline => ({ md: codeSpan(text), plain: visible(text) });
/** The vendor's words, verbatim. */
const quote = (text: string): Inline => ({ md: `“${escapeMarkdown(oneLine(text))}”`, plain: `“${visible(oneLine(text))}”` });
/** Only an http(s) URL becomes a link (see markdownLink). */
const link = (url: string, label = url): Inline => ({ md: markdownLink(url, label), plain: visible(url) });


class Doc {
  private md: string[] = [];
  private plain: string[] = [];

  heading(...parts: Part[]): this {
    const text = inline(...parts);
    this.block(`### ${text.md}`, text.plain);
    return this;
  }

  paragraph(...parts: Part[]): this {
    const text = inline(...parts);
    this.block(text.md, text.plain);
    return this;
  }

  list(items: Inline[]): this {
    if (items.length === 0) return this;
    this.block(items.map((item) => `- ${item.md}`).join('\n'), items.map((item) => `  - ${item.plain}`).join('\n'));
    return this;
  }

  private block(md: string, plain: string): void {
    this.md.push(md);
    this.plain.push(plain);
  }

  render(): { markdown: string; plain: string } {
    return { markdown: this.md.join('\n\n'), plain: this.plain.join('\n\n') };
  }
}

function result(kind: SubjectKind, title: string, known: boolean, doc: Doc): Explanation {
  return { kind, title, known, ...doc.render() };
}

// ---------------------------------------------------------------------------------------------
// Entry point.

/** An allowlist to explain the subject in too: which of its rules allow it. */
export interface ExplainFile {
  model: AllowlistModel;
  /** The file as the user sees it (a path, or a name). */
  path: string;
}

/** The file's part of an explanation, for JSON output: the rules allowing the subject, in file order. */
export interface FileExplanation {
  path: string;
  rules: {
    direction: Direction;
    name?: string;
    line: number;
    field: RuleMatch['field'];
    by: string;
    partly: boolean;
    protocol: Protocol;
    ports: string;
    vendor?: string;
    /** The rule's addresses as written. */
    from?: string[];
    to?: string[];
  }[];
}

/** What the catalogs, and with `file` that allowlist's rules, know about the subject. */
export function explain(subject: string, catalogs: CatalogSet, file?: ExplainFile): Explanation {
  const text = subject.trim();
  const { explanation, asked } = explainInCatalogs(text, catalogs);
  const withRules = file && asked ? withFile(explanation, rulesAllowing(file.model, asked), file) : explanation;
  if (withRules.known) return withRules;
  const notKnown =
    withRules.kind === 'invalid' ? `${visible(text)} ${NOT_KNOWN}` : `the loaded catalogs know nothing about ${visible(text)}${withRules.file ? `, and no rule of ${visible(withRules.file.path)} allows it` : ''}`;
  return { ...withRules, notKnown };
}

const NOT_KNOWN = 'is not a host, address, port or product the catalogs know';

function explainInCatalogs(text: string, catalogs: CatalogSet): { explanation: Explanation; asked?: FileSubject } {
  if (text === '') return { explanation: unknown('invalid', '(empty)', 'Nothing to explain: give a host name, IP address, CIDR network, port, port range, `*.` wildcard or product.') };
  const port = /^(\d+)(?:\s*-\s*(\d+))?$/.exec(text);
  if (port) {
    const asked = { from: Number(port[1]), to: Number(port[2] ?? port[1]) };
    const explanation = explainPorts(text, asked, catalogs, port[2] === undefined ? 'port' : 'range');
    return { explanation, asked: isPortRange(asked) ? { kind: 'ports', ...asked } : undefined };
  }

  const lower = text.toLowerCase();
  const product = catalogs.catalogs.flatMap((catalog) => catalog.products.filter((p) => p.product === lower || p.name.toLowerCase() === lower).map((advice) => ({ catalog, advice })));
  if (product.length > 0) return { explanation: explainProduct(product) };
  const vendor = catalogs.catalogs.find((c) => c.id === lower || c.name.toLowerCase() === lower || c.aliases.some((alias) => alias.toLowerCase() === lower));
  if (vendor) return { explanation: explainVendor(vendor), asked: { kind: 'vendor', id: vendor.id } };

  const address = parseAddress(hostOf(text), { start: 0, end: 0 });
  const asked: FileSubject = { kind: 'address', address };
  switch (address.kind) {
    case 'hostname': {
      // A word the catalogs do not know was not meant as a host: no rule is looked up for it (`to: any` allows every host).
      const explanation = explainHost(address.host!, catalogs);
      return { explanation, asked: explanation.kind === 'invalid' ? undefined : asked };
    }
    case 'wildcard':
      return { explanation: explainWildcard(address.host!, catalogs), asked };
    case 'ipv4':
    case 'ipv6':
      return { explanation: explainAddress(address.network!, catalogs, 'ip'), asked };
    case 'cidr':
      return { explanation: explainAddress(address.network!, catalogs, 'network'), asked };
    case 'any':
      return { explanation: unknown('invalid', 'any', '`any` matches every address; the catalogs describe specific hosts, addresses and ports.') };
    default:
      // A word (no dot, colon or slash) was not meant as an address: say what it is not, not why it is no host name.
      if (!/[.:/]/.test(text)) return { explanation: notKnown(text, catalogs) };
      return { explanation: unknown('invalid', text, `${address.problem ?? `"${text}" is not a host name, IP address, network or port`}.`) };
  }
}

function isPortRange({ from, to }: PortRangeSpec): boolean {
  return from >= 1 && to <= 65535 && from <= to;
}

/** "`hello` is not a host, address, port or product the catalogs know", with the product or vendor it may misspell. */
function notKnown(text: string, catalogs: CatalogSet): Explanation {
  const names = catalogs.catalogs.flatMap((catalog) => [catalog.id, ...catalog.products.map((product) => product.product)]);
  const near = closestName(text, names);
  const doc = new Doc();
  doc.paragraph(code(text), ` ${NOT_KNOWN} (${catalogNames(catalogs)}).`, ...(near ? [' Did you mean ', code(near), '?'] : []));
  return result('invalid', text, false, doc);
}

/** The explanation with the file's part after it: the rules allowing the subject, or that none does. */
function withFile(explanation: Explanation, matches: RuleMatch[], file: ExplainFile): Explanation {
  const lines = new LineIndex(file.model.text);
  const rules: FileExplanation['rules'] = matches.map(({ rule, field, by, partly }) => ({
    direction: rule.direction,
    name: rule.name?.value,
    line: lines.positionAt(rule.offset + rule.range.start).line + 1,
    field,
    by,
    partly,
    protocol: rule.protocol.value,
    ports: rulePortsText(rule),
    vendor: rule.vendor?.value,
    from: rule.from?.addresses.map((address) => address.text.trim()),
    to: rule.to?.addresses.map((address) => address.text.trim()),
  }));
  const doc = new Doc();
  if (rules.length === 0) {
    doc.paragraph('No rule of ', code(file.path), ' allows it.');
  } else {
    doc.paragraph(rules.length === 1 ? 'Allowed by this rule of ' : `Allowed by ${rules.length} rules of `, code(file.path), ':');
    doc.list(rules.slice(0, MAX_LISTED_RULES).map(fileRuleLine));
    if (rules.length > MAX_LISTED_RULES) doc.paragraph(`… and ${rules.length - MAX_LISTED_RULES} more (\`--format json\` lists them all).`);
  }
  const own = doc.render();
  return {
    ...explanation,
    known: explanation.known || rules.length > 0,
    markdown: `${explanation.markdown}\n\n${own.markdown}`,
    plain: `${explanation.plain}\n\n${own.plain}`,
    file: { path: file.path, rules },
  };
}

/** A file with thousands of rules allowing port 443 lists the first ones; JSON has them all. */
const MAX_LISTED_RULES = 20;

/** `outbound hdb-api (line 12): to *.helpdeskbuttons.com, TCP 443, vendor helpdesk-buttons`. */
function fileRuleLine(rule: FileExplanation['rules'][number]): Inline {
  const parts: Part[] = [`${rule.direction} `, rule.name === undefined ? 'rule' : strong(rule.name), ` (line ${rule.line}): `];
  if (rule.field === 'to' || rule.field === 'from') parts.push(`${rule.field} `, code(rule.by), ', ');
  else {
    // Allowed by its ports or vendor: say where to (outbound) or from where (inbound) the rule lets traffic.
    const side = rule.direction === 'outbound' ? 'to' : 'from';
    const addresses = rule[side] ?? [];
    if (addresses.length > 0) parts.push(`${side} `, ...joinParts(addresses.slice(0, 3).map(code)), addresses.length > 3 ? ` and ${addresses.length - 3} more` : '', ', ');
  }
  const protocol = rule.protocol === 'any' ? 'TCP and UDP' : rule.protocol.toUpperCase();
  parts.push(rule.ports === 'none' ? `${protocol}, no ports` : `${protocol} ${rule.ports === 'any' ? 'any port' : rule.ports}`);
  if (rule.partly) parts.push(' (part of the range)');
  if (rule.vendor !== undefined) parts.push(', vendor ', code(rule.vendor));
  return inline(...parts);
}

/** A URL or `host:port` names a host: explain the host. */
function hostOf(text: string): string {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) {
    try {
      return new URL(text).hostname.replace(/^\[(.*)\]$/, '$1');
    } catch {
      return text;
    }
  }
  const hostPort = /^([^:/\s]+):\d+$/.exec(text);
  return hostPort ? hostPort[1] : text;
}

function unknown(kind: SubjectKind, title: string, message: string): Explanation {
  const doc = new Doc();
  doc.paragraph(...markdownish(message));
  return result(kind, title, false, doc);
}

/** Turns `code` spans of a message into code parts. */
function markdownish(message: string): Part[] {
  return message.split(/(`[^`]+`)/).map((piece) => (piece.startsWith('`') && piece.endsWith('`') && piece.length > 1 ? code(piece.slice(1, -1)) : piece));
}

// ---------------------------------------------------------------------------------------------
// Hosts.

function explainHost(host: string, catalogs: CatalogSet): Explanation {
  const entries = catalogs.endpointsByHost.get(host) ?? [];
  const doc = new Doc();
  if (entries.length === 0) {
    const below = hostsUnder(host, catalogs);
    // A single word the catalogs do not know is more likely a misspelt product or vendor than a host.
    if (below.length === 0 && !host.includes('.')) return notKnown(host, catalogs);
    doc.heading(host);
    doc.paragraph(`Not a host of the loaded catalogs (${catalogNames(catalogs)}).`);
    if (below.length > 0) {
      doc.paragraph(`Catalog hosts under ${host}:`);
      doc.list(below.map(({ catalog, endpoint }) => endpointLine(catalog, endpoint, true)));
    }
    return result('host', host, below.length > 0, doc);
  }
  const vendors = groupByCatalog(entries).map(([catalog, list]) => [catalog, list.map((entry) => entry.endpoint)] as const);
  doc.heading(host, ` (${vendors.map(([catalog]) => catalog.name).join(', ')})`);
  for (const [catalog, endpoints] of vendors) {
    doc.paragraph(strong(catalog.name), ` connects to ${host} for:`);
    doc.list(endpoints.map((endpoint) => endpointLine(catalog, endpoint, false)));
    for (const [by, reason] of distinct(endpoints.map((endpoint) => [endpoint.allowlistBy, endpoint.allowlistByReason ?? ''] as const))) {
      if (by === 'hostname') {
        doc.paragraph(strong('Allowlist it by host name'), ', not by IP address.', ...(reason ? [' The vendor: ', quote(reason)] : []));
      } else {
        doc.paragraph('It may be allowlisted by IP address.', ...(reason ? [' The vendor: ', quote(reason)] : []));
      }
    }
    doc.paragraph(...sourcesOf(endpoints.map((endpoint) => endpoint.source.url)));
  }
  return result('host', `${host} (${vendors.map(([catalog]) => catalog.name).join(', ')})`, true, doc);
}

/** `“request slot for TechConnect”: TCP 443 (only when …)`; with the host when listing several hosts. */
function endpointLine(catalog: Catalog, endpoint: CatalogEndpoint, withHost: boolean): Inline {
  const parts: Part[] = [];
  if (withHost) parts.push(code(endpoint.host), ' (', catalog.name, '): ');
  parts.push(quote(endpoint.role), `: ${endpoint.protocol.toUpperCase()} ${portsText(endpoint.ports)}`);
  const condition = conditionText(catalog, endpoint.condition, endpoint.when);
  if (condition) parts.push(` — ${condition}`);
  return inline(...parts);
}

function hostsUnder(base: string, catalogs: CatalogSet): { catalog: Catalog; endpoint: CatalogEndpoint }[] {
  const found: { catalog: Catalog; endpoint: CatalogEndpoint }[] = [];
  for (const [host, entries] of catalogs.endpointsByHost) if (wildcardCovers(base, host)) found.push(...entries);
  return found;
}

// ---------------------------------------------------------------------------------------------
// Wildcards.

function explainWildcard(base: string, catalogs: CatalogSet): Explanation {
  const pattern = `*.${base}`;
  const covered = hostsUnder(base, catalogs);
  const doc = new Doc();
  doc.heading(pattern);
  if (covered.length > 0) {
    doc.paragraph(`Covers ${covered.length === 1 ? 'this catalog endpoint' : `these ${covered.length} catalog endpoints`}:`);
    doc.list(covered.map(({ catalog, endpoint }) => endpointLine(catalog, endpoint, true)));
  } else {
    doc.paragraph(`Covers no host of the loaded catalogs (${catalogNames(catalogs)}).`);
  }
  const suffixes = publicSuffixFacts(base);
  if (suffixes) doc.paragraph(...suffixes);
  doc.paragraph('A wildcard matches every name under ', code(base), ' (not ', code(base), ' itself).');
  return result('wildcard', pattern, covered.length > 0 || suffixes !== undefined, doc);
}

/** Which public suffixes (names under which anyone can register hosts) the wildcard reaches. */
function publicSuffixFacts(base: string): Part[] | undefined {
  let own = false;
  let under: string[] = [];
  try {
    own = isPublicSuffix(base);
    under = publicSuffixesUnder(base);
  } catch {
    return undefined; // the Public Suffix List is not available here: say nothing rather than guess
  }
  if (!own && under.length === 0) return undefined;
  const parts: Part[] = [];
  if (own) parts.push(code(base), ' is itself a public suffix: anyone can register names under it.');
  if (under.length > 0) {
    const shown = under.slice(0, 5);
    if (parts.length > 0) parts.push(' ');
    parts.push(`It also covers ${under.length === 1 ? 'the public suffix' : `${under.length} public suffixes`} under it`, under.length > shown.length ? ', such as ' : ': ');
    shown.forEach((suffix, index) => parts.push(...(index > 0 ? [', '] : []), code(suffix)));
    parts.push('.');
  }
  return parts;
}

// ---------------------------------------------------------------------------------------------
// IP addresses and networks.

function explainAddress(network: Network, catalogs: CatalogSet, kind: 'ip' | 'network'): Explanation {
  const text = network.canonical;
  const sources: { catalog: Catalog; item: CatalogInboundSource; relation: string }[] = [];
  const endpoints: { catalog: Catalog; endpoint: CatalogEndpoint; relation: string }[] = [];
  for (const catalog of catalogs.catalogs) {
    for (const source of catalog.inboundSources) {
      const relation = relationOf(network, parseAddress(source.address, { start: 0, end: 0 }).network);
      if (relation) sources.push({ catalog, item: source, relation });
    }
    for (const endpoint of catalog.endpoints) {
      const relation = relationOf(network, parseAddress(endpoint.host, { start: 0, end: 0 }).network);
      if (relation) endpoints.push({ catalog, endpoint, relation });
    }
  }
  const doc = new Doc();
  doc.heading(text);
  if (sources.length === 0 && endpoints.length === 0) {
    doc.paragraph(`Not an address of the loaded catalogs (${catalogNames(catalogs)}).`);
    return result(kind, text, false, doc);
  }
  for (const [catalog, items] of groupByCatalog(sources)) {
    const exact = items.filter((entry) => entry.relation === 'is');
    const other = items.filter((entry) => entry.relation !== 'is');
    if (exact.length > 0) {
      doc.paragraph('Servers of ', strong(catalog.name), ' connect from this address (inbound, to you) for:');
      doc.list(exact.map((entry) => sourceLine(catalog, entry.item, false)));
      for (const entry of exact) {
        const siblings = catalog.inboundSources.filter((other) => other.role === entry.item.role && other.address !== entry.item.address);
        if (siblings.length > 0) {
          doc.paragraph(`The same role also uses: `, ...joinParts(siblings.map((s) => code(s.address))), '.');
          break;
        }
      }
    }
    if (other.length > 0) {
      doc.paragraph(strong(catalog.name), ' source addresses related to ', code(text), ':');
      doc.list(other.map((entry) => inline(code(entry.item.address), ` (${entry.relation} ${text}): `, sourceLine(catalog, entry.item, false))));
    }
    const quotes = distinct(items.map((entry) => [entry.item.source.quote ?? '', ''] as const)).filter(([q]) => q !== '');
    for (const [text] of quotes) doc.paragraph('The vendor: ', quote(text));
    doc.paragraph(...sourcesOf(items.map((entry) => entry.item.source.url)));
  }
  for (const [catalog, items] of groupByCatalog(endpoints)) {
    doc.paragraph(strong(catalog.name), ' endpoints at this address:');
    doc.list(items.map((entry) => endpointLine(catalog, entry.endpoint, true)));
    doc.paragraph(...sourcesOf(items.map((entry) => entry.endpoint.source.url)));
  }
  const names = [...new Set([...sources, ...endpoints].map((entry) => entry.catalog.name))].join(', ');
  return result(kind, `${text} (${names})`, true, doc);
}

/** How a catalog address stands to the one asked about: the same, inside it, or containing it. */
function relationOf(asked: Network, catalog: Network | undefined): string | undefined {
  if (!catalog || catalog.family !== asked.family) return undefined;
  if (catalog.base === asked.base && catalog.prefix === asked.prefix) return 'is';
  if (networkContains(asked, catalog)) return 'inside';
  if (networkContains(catalog, asked)) return 'containing';
  return undefined;
}

function sourceLine(catalog: Catalog, source: CatalogInboundSource, withAddress: boolean): Inline {
  const parts: Part[] = [];
  if (withAddress) parts.push(code(source.address), ': ');
  parts.push(quote(source.role));
  parts.push(source.ports && source.ports.length > 0 ? `: to your ports ${portsText(source.ports)}` : ": to your own service's port (the vendor names none)");
  const condition = conditionText(catalog, source.condition, source.when);
  if (condition) parts.push(` — ${condition}`);
  return inline(...parts);
}

// ---------------------------------------------------------------------------------------------
// Ports and ranges.

function explainPorts(text: string, asked: PortRangeSpec, catalogs: CatalogSet, kind: 'port' | 'range'): Explanation {
  const label = formatPortRange(asked);
  const doc = new Doc();
  if (asked.from < 1 || asked.to > 65535 || asked.from > asked.to) {
    doc.paragraph(`${text} is not a valid ${kind === 'port' ? 'port' : 'port range'}: ports run from 1 to 65535${kind === 'range' ? ', low-high' : ''}.`);
    return result(kind, text, false, doc);
  }
  const lines: Inline[] = [];
  for (const catalog of catalogs.catalogs) {
    for (const endpoint of catalog.endpoints) {
      for (const span of endpoint.ports) {
        if (!overlaps(span, asked)) continue;
        const condition = conditionText(catalog, endpoint.condition, endpoint.when);
        lines.push(
          inline(
            `${endpoint.protocol.toUpperCase()} ${formatPortRange(span)}: `,
            quote(endpoint.role),
            ' — ',
            code(endpoint.host),
            ` (${catalog.name}, outbound${relationText(span, asked)})`,
            ...(condition ? [`, ${condition}`] : []),
          ),
        );
      }
    }
    for (const source of catalog.inboundSources) {
      for (const span of source.ports ?? []) {
        if (!overlaps(span, asked)) continue;
        lines.push(inline(`${formatPortRange(span)}: `, quote(source.role), ' — from ', code(source.address), ` (${catalog.name}, inbound${relationText(span, asked)})`));
      }
    }
  }
  doc.heading(kind === 'port' ? `Port ${label}` : `Ports ${label}`);
  if (lines.length === 0) {
    doc.paragraph(`No role of the loaded catalogs (${catalogNames(catalogs)}) uses ${kind === 'port' ? 'port' : 'ports'} ${label}.`);
    return result(kind, `${kind === 'port' ? 'Port' : 'Ports'} ${label}`, false, doc);
  }
  doc.paragraph('Catalog roles on ', kind === 'port' ? 'this port' : 'these ports', ':');
  doc.list(lines);
  return result(kind, `${kind === 'port' ? 'Port' : 'Ports'} ${label}`, true, doc);
}

function overlaps(a: PortRangeSpec, b: PortRangeSpec): boolean {
  return a.from <= b.to && b.from <= a.to;
}

function relationText(span: PortRangeSpec, asked: PortRangeSpec): string {
  if (span.from === asked.from && span.to === asked.to) return '';
  if (span.from <= asked.from && asked.to <= span.to) return `; ${formatPortRange(asked)} is within it`;
  if (asked.from <= span.from && span.to <= asked.to) return '';
  return `; overlaps ${formatPortRange(asked)}`;
}

// ---------------------------------------------------------------------------------------------
// Products and vendors.

function explainProduct(entries: { catalog: Catalog; advice: Catalog['products'][number] }[]): Explanation {
  const name = entries[0].advice.name;
  const doc = new Doc();
  doc.heading(name);
  for (const { catalog, advice } of entries) {
    doc.paragraph(strong(catalog.name), ` on ${advice.name}: `, quote(advice.problem));
    if (advice.advice) doc.paragraph('Advice: ', quote(advice.advice));
    if (advice.links && advice.links.length > 0) doc.paragraph('See: ', ...joinParts(advice.links.map((url) => link(url, shortUrl(url)))));
    doc.paragraph(...sourcesOf([advice.source.url]));
  }
  return result('product', `${name} (${entries.map((entry) => entry.catalog.name).join(', ')})`, true, doc);
}

function explainVendor(catalog: Catalog): Explanation {
  const doc = new Doc();
  doc.heading(catalog.name, catalog.aliases.length > 0 ? ` (${catalog.aliases.join(', ')})` : '');
  if (catalog.description) doc.paragraph(oneLine(catalog.description));
  doc.paragraph('Vendor id ', code(catalog.id), ` (catalog: ${catalog.origin}).`);
  if (catalog.options.length > 0) {
    doc.paragraph('Options:');
    doc.list(catalog.options.map((option) => inline(code(option.name), `: ${option.values.join(' | ')} (default ${option.default}) — ${oneLine(option.description)}`)));
  }
  if (catalog.endpoints.length > 0) {
    doc.paragraph('Outbound endpoints:');
    doc.list(catalog.endpoints.map((endpoint) => endpointLine(catalog, endpoint, true)));
  }
  if (catalog.inboundSources.length > 0) {
    doc.paragraph('Inbound sources:');
    doc.list(catalog.inboundSources.map((source) => sourceLine(catalog, source, true)));
  }
  if (catalog.products.length > 0) doc.paragraph('Endpoint-protection notes: ', ...joinParts(catalog.products.map((product) => code(product.product))), '.');
  if (catalog.homepage) doc.paragraph('Homepage: ', link(catalog.homepage));
  return result('vendor', catalog.name, true, doc);
}

// ---------------------------------------------------------------------------------------------
// Shared helpers.

function portsText(ports: PortRangeSpec[]): string {
  return ports.map(formatPortRange).join(', ');
}

/** The catalog's own words for a condition, else the option values it names. */
function conditionText(catalog: Catalog, condition: string | undefined, when: Record<string, string> | undefined): string | undefined {
  if (condition) return oneLine(condition);
  if (!when || Object.keys(when).length === 0) return undefined;
  return `only when ${Object.entries(when)
    .map(([name, value]) => {
      const described = catalog.options.find((option) => option.name === name)?.valueDescriptions?.[value];
      return described ? `${name} is ${value} (${described})` : `${name} is ${value}`;
    })
    .join(' and ')}`;
}

function groupByCatalog<T extends { catalog: Catalog }>(entries: T[]): [Catalog, T[]][] {
  const groups = new Map<Catalog, T[]>();
  for (const entry of entries) {
    const list = groups.get(entry.catalog) ?? [];
    list.push(entry);
    groups.set(entry.catalog, list);
  }
  return [...groups.entries()];
}

function distinct<T extends readonly unknown[]>(tuples: T[]): T[] {
  const seen = new Set<string>();
  return tuples.filter((tuple) => {
    const key = JSON.stringify(tuple);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function joinParts(parts: Part[], separator = ', '): Part[] {
  return parts.flatMap((part, index) => (index === 0 ? [part] : [separator, part]));
}

function sourcesOf(urls: string[]): Part[] {
  const unique = [...new Set(urls)];
  return [unique.length === 1 ? 'Source: ' : 'Sources: ', ...joinParts(unique.map((url) => link(url, shortUrl(url))))];
}

function shortUrl(url: string): string {
  try {
    const parsed = new URL(url);
    const short = `${parsed.host}${parsed.pathname === '/' ? '' : parsed.pathname}${parsed.hash}`;
    return short.length <= 100 ? short : `${parsed.host}${parsed.pathname.length <= 40 ? parsed.pathname : '/…'}`;
  } catch {
    return url;
  }
}

function catalogNames(catalogs: CatalogSet): string {
  return catalogs.catalogs.length === 0 ? 'none loaded' : catalogs.catalogs.map((catalog) => catalog.name).join(', ');
}
