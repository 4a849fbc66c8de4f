/** Reads vendor catalogs (`catalog: 1` YAML): syntax and schema findings with exact ranges, semantic
 * checks the schema cannot express, conversion to the in-memory `Catalog`, and the indexed `CatalogSet`. */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDocument, type Document } from 'yaml';
import { type JsonPath, nodeAtPath, nodeRange, parseAddress, toPlain, validateCatalog, yamlProblemMessage, YamlValueError } from '../parse';
import { type Finding, packagePath, quoted, type Range } from '../common';
import { readRegularFile, walkFiles, type WalkResult } from '../files';
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

export function parseCatalog(text: string, origin: string): CatalogResult {
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
  if (doc.errors.length > 0) return { findings: byPosition(findings) };

  let value: unknown;
  try {
    value = toPlain(doc.contents, doc);
  } catch (thrown) {
    if (!(thrown instanceof YamlValueError)) throw thrown;
    const range = nodeRange(thrown.node) ?? { start: 0, end: 0 };
    findings.push({ ruleId: 'yaml-syntax', severity: 'error', message: thrown.message, range, subject: `yaml-syntax:${thrown.reason}` });
    return { findings: byPosition(findings) };
  }

  for (const issue of validateCatalog(value)) error('schema', issue.path, issue.message, issue.target);
  if (findings.some((finding) => finding.severity === 'error')) return { findings: byPosition(findings) };

  const raw = value as RawCatalog;
  checkSemantics(raw, error);
  if (findings.some((finding) => finding.severity === 'error')) return { findings: byPosition(findings) };

  return { catalog: { ...convert(raw, origin), locations: locations(raw, doc, text) }, findings: byPosition(findings) };
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

/** What JSON Schema cannot say: unique ids, defaults among the values, `when` naming real options, port order, addresses. */
function checkSemantics(raw: RawCatalog, report: Report): void {
  const options = raw.options ?? {};
  for (const [name, option] of Object.entries(options)) {
    if (!option.values.includes(option.default)) {
      report('catalog', ['options', name, 'default'], `default ${quoted(option.default)} is not one of the values ${option.values.join(', ')}`);
    }
  }
  const ids = new Map<string, string>();
  const checkId = (section: string, index: number, key: string, id: string): void => {
    const first = ids.get(id);
    if (first) report('catalog', [section, index, key], `duplicate id ${quoted(id)} (already used in ${first})`);
    else ids.set(id, `${section} item ${index + 1}`);
  };
  const checkWhen = (section: string, index: number, when: When | undefined): void => {
    for (const [name, wanted] of Object.entries(when ?? {})) {
      const option = options[name];
      if (!option) report('catalog', [section, index, 'when', name], `unknown option ${quoted(name)}; the catalog's options are ${Object.keys(options).join(', ') || 'none'}`, 'key');
      else if (!option.values.includes(wanted)) report('catalog', [section, index, 'when', name], `${quoted(wanted)} is not a value of option ${quoted(name)} (${option.values.join(', ')})`);
    }
  };
  const checkPorts = (section: string, index: number, ports: RawPort[] | undefined): void => {
    (ports ?? []).forEach((port, portIndex) => {
      if (typeof port !== 'string') return; // integers are range-checked by the schema
      const { from, to } = portRange(port);
      if (from < 1 || to > 65535 || from > to) report('catalog', [section, index, 'ports', portIndex], `port range ${quoted(port)} must be A-B with 1 <= A <= B <= 65535`);
    });
  };

  (raw.endpoints ?? []).forEach((endpoint, index) => {
    checkId('endpoints', index, 'id', endpoint.id);
    checkWhen('endpoints', index, endpoint.when);
    checkPorts('endpoints', index, endpoint.ports);
  });
  (raw['inbound-sources'] ?? []).forEach((source, index) => {
    checkId('inbound-sources', index, 'id', source.id);
    checkWhen('inbound-sources', index, source.when);
    checkPorts('inbound-sources', index, source.ports);
    const address = parseAddress(source.address, { start: 0, end: 0 });
    if (!address.network) report('catalog', ['inbound-sources', index, 'address'], `${quoted(source.address)} is not an IP address or CIDR network`);
  });
  (raw.exclusions ?? []).forEach((exclusion, index) => checkId('exclusions', index, 'id', exclusion.id));
  const products = new Set<string>();
  (raw.products ?? []).forEach((product, index) => {
    if (products.has(product.product)) report('catalog', ['products', index, 'product'], `product ${quoted(product.product)} is listed twice`);
    products.add(product.product);
  });
}

function portRange(port: RawPort): PortRangeSpec {
  if (typeof port === 'number') return { from: port, to: port };
  const [from, to] = port.split('-').map(Number);
  return { from, to };
}

function source(raw: RawSource): Source {
  return raw.quote === undefined ? { url: raw.url } : { url: raw.url, quote: raw.quote };
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

export interface CatalogFileResult extends CatalogResult {
  /** The text, when the file could be read (the findings' ranges are offsets in it). */
  text?: string;
  /** Why the file could not be read (a FileReadError: too large, not a regular file, or the system's error). */
  unreadable?: unknown;
}

/** Reads (a regular file of at most MAX_CATALOG_SIZE bytes) and parses a catalog; a file that cannot be read
 * gives one finding that names it and says why. */
export async function loadCatalogFile(path: string): Promise<CatalogFileResult> {
  let text: string;
  try {
    text = (await readRegularFile(path, MAX_CATALOG_SIZE)).toString('utf8').replace(/^\uFEFF/, '');
  } catch (thrown) {
    const message = `cannot read catalog ${path}: ${thrown instanceof Error ? thrown.message : String(thrown)}`;
    return { findings: [{ ruleId: 'catalog', severity: 'error', message, range: { start: 0, end: 0 }, subject: `catalog:read:${path}` }], unreadable: thrown };
  }
  return { ...parseCatalog(text, path), text };
}

const CATALOG_FILE = /\.catalog\.ya?ml$/;

/** `*.catalog.yaml` / `*.catalog.yml` files under `dir`, sorted, skipping node_modules and dot-folders, with
 * the folders the walk skipped or where it stopped. */
export async function findCatalogFiles(dir: string): Promise<WalkResult> {
  const walked = await walkFiles(dir, (name) => CATALOG_FILE.test(name));
  return { ...walked, files: walked.files.sort() };
}

let builtins: Catalog[] | undefined;

/** The catalogs shipped in the package's catalogs/ folder. A broken built-in catalog is a packaging bug: it throws. */
export function builtinCatalogs(): Catalog[] {
  if (builtins) return builtins;
  const dir = packagePath('catalogs');
  const files = readdirSync(dir)
    .filter((name) => CATALOG_FILE.test(name))
    .sort();
  builtins = files.map((name) => {
    const file = join(dir, name);
    const { catalog, findings } = parseCatalog(readFileSync(file, 'utf8'), file);
    if (!catalog) throw new Error(`built-in catalog ${file} is invalid: ${findings.map((f) => `${f.message} (offset ${f.range.start})`).join('; ')}`);
    return { ...catalog, origin: `builtin:${catalog.id}` };
  });
  return builtins;
}

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
      const host = endpoint.host.toLowerCase().replace(/\.$/, '');
      endpointsByHost.set(host, [...(endpointsByHost.get(host) ?? []), { catalog, endpoint }]);
    }
    for (const source of catalog.inboundSources) {
      // Keyed by the canonical text the allowlist parser gives addresses (e.g. compressed IPv6), so lookups match.
      const address = parseAddress(source.address, { start: 0, end: 0 }).network?.canonical ?? source.address.trim();
      sourcesByAddress.set(address, [...(sourcesByAddress.get(address) ?? []), { catalog, source }]);
    }
  }
  // Locations are left out: moving an entry in a catalog file does not change what it says.
  const content = effective.map(({ locations: _locations, ...rest }) => rest);
  const key = createHash('sha1').update(JSON.stringify(content)).digest('hex');
  return { catalogs: effective, byVendor, endpointsByHost, sourcesByAddress, key };
}
