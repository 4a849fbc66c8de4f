/** Reads vendor catalogs (`catalog: 1` YAML): syntax and schema findings with exact ranges, semantic
 * checks the schema cannot express, conversion to the in-memory `Catalog`, and the indexed `CatalogSet`. */
import { parseDocument, type Document } from 'yaml';
import { type JsonPath, nodeAtPath, nodeRange, parseAddress, toPlain, validateCatalog, yamlProblemMessage, YamlValueError } from '../parse';
import { cacheKey, type Finding, hostKey, quoted, type Range } from '../common';
import type { Catalog, CatalogEndpoint, CatalogExclusion, CatalogInboundSource, CatalogOption, CatalogProductAdvice, CatalogSet, PortRangeSpec, Source, When } from './types';

export interface CatalogResult {
  /** Absent when the file has errors: a catalog is used whole or not at all. */
  catalog?: Catalog;
  findings: Finding[];
}

/** The YAML shape as catalog.schema.json defines it (kebab-case keys), once the schema has passed. */
interface RawSource {
  url: string;
  quote?: string;
  entry?: string;
}
type RawPort = number | string;
interface RawCatalog {
  catalog: 1;
  vendor: { id: string; name: string; aliases?: string[]; description?: string; homepage?: string };
  options?: Record<string, { description: string; values: string[]; default: string; 'value-descriptions'?: Record<string, string>; source?: RawSource }>;
  endpoints?: {
    id: string;
    role: string;
    host: string;
    ports: RawPort[];
    protocol?: 'tcp' | 'udp';
    'allowlist-by': 'hostname' | 'address';
    'allowlist-by-reason'?: string;
    when?: When;
    condition?: string;
    'tls-ports'?: number[];
    required?: boolean;
    source: RawSource;
  }[];
  'inbound-sources'?: { id: string; address: string; role: string; ports?: RawPort[]; when?: When; condition?: string; source: RawSource }[];
  exclusions?: {
    id: string;
    path: string;
    platform: 'windows' | 'macos' | 'linux';
    role: string;
    'seen-spellings'?: string[];
    note?: string;
    recommended?: boolean;
    source: RawSource;
  }[];
  products?: { product: string; name: string; problem: string; advice?: string; links?: string[]; source: RawSource }[];
}

/** The catalog in `text`, its findings, and the parsed YAML (for checks that read the document itself, such as
 * control characters, so that it is parsed once). */
export function parseCatalog(text: string, origin: string): CatalogResult & { document: Document } {
  const doc = parseDocument(text, { prettyErrors: false });
  const findings: Finding[] = [];
  const error: Report = (ruleId, path, message, target = 'value') => {
    findings.push({ ruleId, severity: 'error', message, range: locate(doc, text, path, target), subject: `${ruleId}:${path.join('/')}:${message}` });
  };

  let outOfStack = false;
  for (const problem of [...doc.errors, ...doc.warnings]) {
    // Out of stack, the parser may report it at every level it unwinds: the first finding says it all ("from here on").
    if (/^Maximum call stack size exceeded/.test(problem.message)) {
      if (outOfStack) continue;
      outOfStack = true;
    }
    findings.push({
      ruleId: 'yaml-syntax',
      severity: doc.errors.includes(problem) ? 'error' : 'warning',
      message: yamlProblemMessage(problem, 'a catalog'),
      range: tokenRange(text, problem.pos[0], problem.pos[1]),
      subject: `yaml-syntax:${problem.code}`,
    });
  }
  if (doc.errors.length > 0) return { findings: byPosition(findings), document: doc };

  let value: unknown;
  try {
    value = toPlain(doc.contents, doc);
  } catch (thrown) {
    if (!(thrown instanceof YamlValueError)) throw thrown;
    const range = nodeRange(thrown.node) ?? { start: 0, end: 0 };
    findings.push({ ruleId: 'yaml-syntax', severity: 'error', message: thrown.message, range, subject: `yaml-syntax:${thrown.reason}` });
    return { findings: byPosition(findings), document: doc };
  }

  // Schema and semantic findings in one round: the semantic checks read only what is well-formed, and say
  // nothing more where the schema has already spoken.
  const schemaIssues = validateCatalog(value);
  for (const issue of schemaIssues) error('schema', issue.path, issue.message, issue.target);
  const schemaPaths = new Set(schemaIssues.map((issue) => JSON.stringify(issue.path)));
  checkSemantics(value, (ruleId, path, message, target) => {
    if (!schemaPaths.has(JSON.stringify(path))) error(ruleId, path, message, target);
  });
  if (findings.some((finding) => finding.severity === 'error')) return { findings: byPosition(findings), document: doc };

  const raw = value as RawCatalog;
  return { catalog: { ...convert(raw, origin), locations: locations(raw, doc, text) }, findings: byPosition(findings), document: doc };
}

/** Findings in file order (Ajv reports in schema order). */
function byPosition(findings: Finding[]): Finding[] {
  return findings.sort((a, b) => a.range.start - b.range.start || a.range.end - b.range.end);
}

/** `yaml` marks many errors with a single character (e.g. the first of a duplicate key): widen it to the token there. */
function tokenRange(text: string, start: number, end: number): Range {
  if (end - start > 1) return { start, end };
  const token = /^[^\s:,[\]{}#]+/.exec(text.slice(start));
  return { start, end: token ? start + token[0].length : Math.min(start + 1, text.length) };
}

type Report = (ruleId: string, path: JsonPath, message: string, target?: 'key' | 'value') => void;

/** What JSON Schema cannot say: unique ids, defaults among the values, `when` naming real options, port order,
 * addresses. It reads the value as it is, before the schema has passed (so that both kinds of findings come in one
 * round), and checks only the parts that have the types it needs. */
function checkSemantics(value: unknown, report: Report): void {
  const top = mapping(value) ?? {};
  const options = top.options === undefined ? {} : mapping(top.options);
  for (const [name, option] of Object.entries(options ?? {})) {
    const values = stringsOf(mapping(option)?.values);
    const fallback = mapping(option)?.default;
    if (values && typeof fallback === 'string' && !values.includes(fallback)) {
      report('catalog', ['options', name, 'default'], `default ${quoted(fallback)} is not one of the values ${values.join(', ')}`);
    }
  }
  const ids = new Map<string, string>();
  const checkId = (section: string, index: number, key: string, id: unknown): void => {
    if (typeof id !== 'string') return;
    const first = ids.get(id);
    if (first) report('catalog', [section, index, key], `duplicate id ${quoted(id)} (already used in ${first})`);
    else ids.set(id, `${section} item ${index + 1}`);
  };
  const checkWhen = (section: string, index: number, when: unknown): void => {
    // Without a readable `options:` there is nothing to check a `when` against.
    if (!options) return;
    for (const [name, wanted] of Object.entries(mapping(when) ?? {})) {
      // Own keys only: `when: { constructor: x }` names no option, though every object has a constructor.
      const option = Object.hasOwn(options, name) ? options[name] : undefined;
      const values = stringsOf(mapping(option)?.values);
      if (option === undefined) report('catalog', [section, index, 'when', name], `unknown option ${quoted(name)}; the catalog's options are ${Object.keys(options).join(', ') || 'none'}`, 'key');
      else if (values && typeof wanted === 'string' && !values.includes(wanted)) report('catalog', [section, index, 'when', name], `${quoted(wanted)} is not a value of option ${quoted(name)} (${values.join(', ')})`);
    }
  };
  const checkPorts = (section: string, index: number, ports: unknown): void => {
    (Array.isArray(ports) ? ports : []).forEach((port, portIndex) => {
      if (typeof port !== 'string' || !/^\d+-\d+$/.test(port)) return; // integers and other shapes are the schema's
      const { from, to } = portRange(port);
      if (from < 1 || to > 65535 || from > to) report('catalog', [section, index, 'ports', portIndex], `port range ${quoted(port)} must be A-B with 1 <= A <= B <= 65535`);
    });
  };

  for (const [index, endpoint] of entries(top.endpoints)) {
    checkId('endpoints', index, 'id', endpoint.id);
    const hostProblem = typeof endpoint.host === 'string' ? catalogHostProblem(endpoint.host) : undefined;
    if (hostProblem) report('catalog', ['endpoints', index, 'host'], `host ${quoted(endpoint.host as string)}: ${hostProblem}`);
    checkWhen('endpoints', index, endpoint.when);
    checkPorts('endpoints', index, endpoint.ports);
  }
  for (const [index, source] of entries(top['inbound-sources'])) {
    checkId('inbound-sources', index, 'id', source.id);
    checkWhen('inbound-sources', index, source.when);
    checkPorts('inbound-sources', index, source.ports);
    if (typeof source.address === 'string' && !parseAddress(source.address, { start: 0, end: 0 }).network) {
      report('catalog', ['inbound-sources', index, 'address'], `${quoted(source.address)} is not an IP address or CIDR network`);
    }
  }
  for (const [index, exclusion] of entries(top.exclusions)) checkId('exclusions', index, 'id', exclusion.id);
  const products = new Set<string>();
  for (const [index, product] of entries(top.products)) {
    if (typeof product.product !== 'string') continue;
    if (products.has(product.product)) report('catalog', ['products', index, 'product'], `product ${quoted(product.product)} is listed twice`);
    products.add(product.product);
  }
}

/** Why `host` cannot be a catalog endpoint's host, or undefined. A host is what an allowlist's rule names to meet the
 * requirement: a host name as the allowlist reads one (not an IP address, which `missing-endpoint` would demand by
 * name from every site, and no rule could give), or a wildcard under `*.` with two labels or more after it. */
export function catalogHostProblem(host: string): string | undefined {
  const address = parseAddress(host, { start: 0, end: 0 });
  if (address.kind === 'invalid') return address.problem?.replace(/^".*?" is /, 'it is ') ?? 'it is not a host name';
  if (address.kind !== 'hostname' && address.kind !== 'wildcard') return 'it is an IP address, not a host name: missing-endpoint would ask every site for a rule to it by name, which no rule can give';
  if (address.kind === 'wildcard' && !host.slice(2).includes('.')) return 'a wildcard needs two labels or more after "*." (*.example.com)';
  return undefined;
}

function mapping(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

function stringsOf(value: unknown): string[] | undefined {
  return Array.isArray(value) && value.every((item) => typeof item === 'string') ? value : undefined;
}

/** The items of a section that are mappings, with their indexes. */
function entries(section: unknown): [number, Record<string, unknown>][] {
  if (!Array.isArray(section)) return [];
  return section.flatMap((item, index) => {
    const entry = mapping(item);
    return entry ? [[index, entry] as [number, Record<string, unknown>]] : [];
  });
}

function portRange(port: RawPort): PortRangeSpec {
  if (typeof port === 'number') return { from: port, to: port };
  const [from, to] = port.split('-').map(Number);
  return { from, to };
}

function source(raw: RawSource): Source {
  return defined({ url: raw.url, quote: raw.quote, entry: raw.entry });
}

/** Copies only the keys that are present, so converted catalogs compare (and hash) without `undefined` noise. */
function defined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

function convert(raw: RawCatalog, origin: string): Catalog {
  const options: CatalogOption[] = Object.entries(raw.options ?? {}).map(([name, option]) =>
    defined({
      name,
      description: option.description,
      values: option.values,
      default: option.default,
      valueDescriptions: option['value-descriptions'],
      source: option.source && source(option.source),
    }),
  );
  const endpoints: CatalogEndpoint[] = (raw.endpoints ?? []).map((endpoint) =>
    defined({
      id: endpoint.id,
      role: endpoint.role,
      host: endpoint.host,
      ports: endpoint.ports.map(portRange),
      protocol: endpoint.protocol ?? 'tcp',
      allowlistBy: endpoint['allowlist-by'],
      allowlistByReason: endpoint['allowlist-by-reason'],
      required: endpoint.required ?? true,
      tlsPorts: endpoint['tls-ports'],
      when: endpoint.when,
      condition: endpoint.condition,
      source: source(endpoint.source),
    }),
  );
  const inboundSources: CatalogInboundSource[] = (raw['inbound-sources'] ?? []).map((entry) =>
    defined({
      id: entry.id,
      address: entry.address,
      role: entry.role,
      ports: entry.ports?.map(portRange),
      when: entry.when,
      condition: entry.condition,
      source: source(entry.source),
    }),
  );
  const exclusions: CatalogExclusion[] = (raw.exclusions ?? []).map((exclusion) =>
    defined({
      id: exclusion.id,
      path: exclusion.path,
      platform: exclusion.platform,
      role: exclusion.role,
      seenSpellings: exclusion['seen-spellings'],
      note: exclusion.note,
      recommended: exclusion.recommended ?? false,
      source: source(exclusion.source),
    }),
  );
  const products: CatalogProductAdvice[] = (raw.products ?? []).map((product) =>
    defined({ product: product.product, name: product.name, problem: product.problem, advice: product.advice, links: product.links, source: source(product.source) }),
  );
  return defined({
    id: raw.vendor.id,
    name: raw.vendor.name,
    aliases: raw.vendor.aliases ?? [],
    description: raw.vendor.description,
    homepage: raw.vendor.homepage,
    options,
    endpoints,
    inboundSources,
    exclusions,
    products,
    origin,
  });
}

/** Entry ranges for go-to-definition: endpoints, inbound sources and exclusions by id; options as
 * `option:<name>` and products as `product:<id>` (they have no ids of their own); the vendor as `vendor`. */
function locations(raw: RawCatalog, doc: Document, text: string): Record<string, Range> {
  const result: Record<string, Range> = { vendor: locate(doc, text, ['vendor'], 'value') };
  for (const name of Object.keys(raw.options ?? {})) result[`option:${name}`] = locate(doc, text, ['options', name], 'key');
  const sections = [
    ['endpoints', raw.endpoints ?? []],
    ['inbound-sources', raw['inbound-sources'] ?? []],
    ['exclusions', raw.exclusions ?? []],
  ] as const;
  for (const [section, entries] of sections) entries.forEach((entry, index) => (result[entry.id] = locate(doc, text, [section, index], 'value')));
  (raw.products ?? []).forEach((product, index) => (result[`product:${product.product}`] = locate(doc, text, ['products', index], 'value')));
  return result;
}

/** Range of the node at `path`, or of its key for `target: 'key'` (an unknown key). Paths come from the
 * validated value, so they exist; a missing required key is reported on the mapping that lacks it.
 * Trailing whitespace (block collections end after their last line break) is not part of the range. */
function locate(doc: Document, text: string, path: JsonPath, target: 'key' | 'value'): Range {
  const { node, pair } = nodeAtPath(doc.contents, path);
  const chosen = target === 'key' && pair ? pair.key : (node ?? pair?.key);
  const range = nodeRange(chosen) ?? nodeRange(pair?.key) ?? { start: 0, end: 0 };
  let end = range.end;
  while (end > range.start && /\s/.test(text[end - 1])) end--;
  return { start: range.start, end };
}

/** 1 MiB: a real catalog is a few KB (the built-in one is 5 KB); larger ones are refused before parsing, which
 * keeps a file named by mistake (a log, a dump, `/dev/zero`) from costing seconds and gigabytes. */
export const MAX_CATALOG_SIZE = 1024 * 1024;

/** Indexes catalogs; a later catalog with the same vendor id replaces an earlier one (user catalogs come after built-ins). */
export function buildCatalogSet(catalogs: Catalog[]): CatalogSet {
  const byVendor = new Map<string, Catalog>();
  for (const catalog of catalogs) {
    byVendor.delete(catalog.id); // the override takes the later position, as if the earlier one were never loaded
    byVendor.set(catalog.id, catalog);
  }
  const effective = [...byVendor.values()];
  const endpointsByHost: CatalogSet['endpointsByHost'] = new Map();
  const sourcesByAddress: CatalogSet['sourcesByAddress'] = new Map();
  for (const catalog of effective) {
    for (const endpoint of catalog.endpoints) {
      const host = hostKey(endpoint.host);
      endpointsByHost.set(host, [...(endpointsByHost.get(host) ?? []), { catalog, endpoint }]);
    }
    for (const source of catalog.inboundSources) {
      // Keyed by the canonical text the allowlist parser gives addresses (e.g. compressed IPv6), so lookups match.
      const address = parseAddress(source.address, { start: 0, end: 0 }).network?.canonical ?? source.address.trim();
      sourcesByAddress.set(address, [...(sourcesByAddress.get(address) ?? []), { catalog, source }]);
    }
  }
  const key = cacheKey(effective.map((catalog) => builtinContentKeys.get(catalog) ?? catalogContentKey(catalog)).join(' '));
  return { catalogs: effective, byVendor, endpointsByHost, sourcesByAddress, key };
}

/** Catalogs of one vendor that say different things, each pair as the one found earlier and the later one, which a
 * catalog set uses (`buildCatalogSet`: a later catalog replaces an earlier one). Which one that is depends on where
 * the files lie, so it is worth a warning; copies alike (a vendored copy) are one. */
export function differingCatalogs<T extends { catalog: Catalog }>(found: T[]): { earlier: T; used: T }[] {
  const earlierOf = new Map<string, { entry: T; says: string }>();
  const pairs: { earlier: T; used: T }[] = [];
  for (const entry of found) {
    const { origin: _origin, locations: _locations, ...content } = entry.catalog;
    const says = JSON.stringify(content);
    const earlier = earlierOf.get(entry.catalog.id);
    if (earlier && earlier.says !== says) pairs.push({ earlier: earlier.entry, used: entry });
    earlierOf.set(entry.catalog.id, { entry, says });
  }
  return pairs;
}

/** The key of what a catalog says: locations are left out, as moving an entry in a catalog file does not change it. */
export function catalogContentKey(catalog: Catalog): string {
  const { locations: _locations, ...content } = catalog;
  return cacheKey(JSON.stringify(content));
}

/** The built-in catalogs' content keys, which the build computed (builtin.ts gives them): hashing a catalog's JSON in a
 * process that has just started, before the JIT, took about 2 ms of every command's start. */
const builtinContentKeys = new WeakMap<Catalog, string>();

export function rememberBuiltinContentKeys(catalogs: readonly Catalog[], keys: readonly string[]): void {
  catalogs.forEach((catalog, i) => builtinContentKeys.set(catalog, keys[i]));
}
