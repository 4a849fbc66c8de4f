/** What stands at an offset of an allowlist, for the editor's hover, go-to-definition and references:
 * an address of a rule's from/to, a port span, a key (with its JSON path), a vendor id or option, an
 * endpoint-protection product or exclusion path, or a rule's vendor value. Rule items are found by
 * binary search (they are sorted by offset), so a hover in a 10,000-rule file costs a few comparisons.
 * Pure: no editor types; the language server translates the results. */
import type { Catalog, CatalogSet } from '../catalog';
import { codeSpan, escapeMarkdown, firstFew, LineIndex, markdownLink, type Range } from '../common';
import { explain } from './explain';
import { rulesAllowing } from './explain-file';
import type { Address, AllowlistModel, AllowRule, Direction, PortSpan, VendorDecl } from '../parse';
import schemaJson from '../../../schemas/allowlist.schema.json';
import catalogSchemaJson from '../../../schemas/catalog.schema.json';
import { ruleLabel } from '../lint';

export type JsonPath = (string | number)[];

export type Located =
  | { kind: 'address'; rule: AllowRule; field: 'from' | 'to'; address: Address; range: Range }
  | { kind: 'port'; rule: AllowRule; span: PortSpan; range: Range }
  | { kind: 'rule-vendor'; rule: AllowRule; vendorId: string; range: Range }
  | { kind: 'key'; key: string; path: JsonPath; range: Range; rule?: AllowRule }
  | { kind: 'vendor-id'; decl: VendorDecl; range: Range }
  | { kind: 'vendor-option'; decl: VendorDecl; option: string; part: 'key' | 'value'; value?: string; range: Range }
  | { kind: 'product'; product: string; range: Range }
  | { kind: 'exclusion-path'; path: string; range: Range };

const inside = (range: Range, offset: number): boolean => offset >= range.start && offset <= range.end;

/** The rule item whose range contains the offset, by binary search over one section's sorted items. */
export function ruleAt(rules: AllowRule[], offset: number): AllowRule | undefined {
  let low = 0;
  let high = rules.length - 1;
  while (low <= high) {
    const mid = (low + high) >> 1;
    const rule = rules[mid];
    const start = rule.offset + rule.range.start;
    const end = rule.offset + rule.range.end;
    if (offset < start) high = mid - 1;
    else if (offset > end) low = mid + 1;
    else return rule;
  }
  return undefined;
}

/** The last rule item starting at or before the offset (the item a cursor on a blank line after it belongs to). */
export function ruleBefore(rules: AllowRule[], offset: number): AllowRule | undefined {
  let low = 0;
  let high = rules.length - 1;
  let found: AllowRule | undefined;
  while (low <= high) {
    const mid = (low + high) >> 1;
    if (rules[mid].offset + rules[mid].range.start <= offset) {
      found = rules[mid];
      low = mid + 1;
    } else high = mid - 1;
  }
  return found;
}

export function ruleAtOffset(model: AllowlistModel, offset: number): AllowRule | undefined {
  return ruleAt(model.outbound, offset) ?? ruleAt(model.inbound, offset);
}

/** What is at `offset` (UTF-16, as the editor counts), or undefined for nothing of interest. */
export function locate(model: AllowlistModel, offset: number): Located | undefined {
  if (model.kind !== 'allowlist') return undefined;
  const rule = ruleAtOffset(model, offset);
  if (rule) return locateInRule(rule, offset);

  for (const [key, range] of Object.entries(model.topKeys)) {
    if (inside(range, offset)) return { kind: 'key', key, path: [key], range };
  }
  for (const decl of model.vendors) {
    if (inside(decl.range, offset)) return { kind: 'vendor-id', decl, range: decl.range };
    for (const [option, range] of Object.entries(decl.optionKeys)) {
      if (inside(range, offset)) return { kind: 'vendor-option', decl, option, part: 'key', range };
    }
    for (const [option, spanned] of Object.entries(decl.options)) {
      if (inside(spanned.range, offset) && typeof spanned.value === 'string') {
        return { kind: 'vendor-option', decl, option, part: 'value', value: spanned.value, range: spanned.range };
      }
    }
  }
  const protection = model.endpointProtection;
  if (protection && inside(protection.range, offset)) {
    for (const product of protection.products) if (inside(product.range, offset)) return { kind: 'product', product: product.value, range: product.range };
    for (const exclusion of protection.exclusions) {
      if (inside(exclusion.path.range, offset)) return { kind: 'exclusion-path', path: exclusion.path.value, range: exclusion.path.range };
      for (const product of exclusion.products ?? []) if (inside(product.range, offset)) return { kind: 'product', product: product.value, range: product.range };
    }
    const key = keyOnLine(model.text, offset);
    if (key) {
      const inExclusion = protection.exclusions.findIndex((exclusion) => inside(exclusion.range, offset));
      const path: JsonPath = inExclusion >= 0 ? ['endpoint-protection', 'exclusions', inExclusion, key.key] : ['endpoint-protection', key.key];
      return { kind: 'key', key: key.key, path, range: key.range };
    }
  }
  return undefined;
}

function locateInRule(rule: AllowRule, offset: number): Located | undefined {
  const rel = offset - rule.offset;
  const abs = (range: Range): Range => ({ start: rule.offset + range.start, end: rule.offset + range.end });
  for (const field of ['from', 'to'] as const) {
    for (const address of rule[field]?.addresses ?? []) {
      if (inside(address.range, rel)) return { kind: 'address', rule, field, address, range: abs(address.range) };
    }
  }
  for (const span of rule.ports?.spans ?? []) {
    if (inside(span.range, rel)) return { kind: 'port', rule, span, range: abs(span.range) };
  }
  if (rule.vendor && inside(rule.vendor.range, rel)) return { kind: 'rule-vendor', rule, vendorId: rule.vendor.value, range: abs(rule.vendor.range) };
  for (const [key, range] of Object.entries(rule.keys)) {
    if (inside(range, rel)) return { kind: 'key', key, path: [rule.direction, rule.index, key], range: abs(range), rule };
  }
  return undefined;
}

/** A `key:` under the cursor on its line (for keys the model keeps no range of). */
function keyOnLine(text: string, offset: number): { key: string; range: Range } | undefined {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  const newline = text.indexOf('\n', offset);
  const line = text.slice(lineStart, newline === -1 ? text.length : newline);
  const match = /^([ \t]*(?:-[ \t]+)?)([A-Za-z_][\w-]*)[ \t]*:/.exec(line);
  if (!match) return undefined;
  const start = lineStart + match[1].length;
  const range = { start, end: start + match[2].length };
  return inside(range, offset) ? { key: match[2], range } : undefined;
}

// ---------------------------------------------------------------------------------------------
// The schema's words about a key.

interface SchemaNode {
  $ref?: string;
  title?: string;
  description?: string;
  examples?: unknown[];
  enum?: unknown[];
  default?: unknown;
  properties?: Record<string, SchemaNode>;
  items?: SchemaNode;
  additionalProperties?: SchemaNode | boolean;
  required?: string[];
}

type RootSchema = SchemaNode & { $defs: Record<string, SchemaNode> };
const allowlistSchema = schemaJson as unknown as RootSchema;
export const catalogSchema = catalogSchemaJson as unknown as RootSchema;

/** A schema node with its `$ref` resolved; the referring node's own title/description/examples win. */
export function resolveSchema(node: SchemaNode | undefined, root: RootSchema = allowlistSchema): SchemaNode | undefined {
  if (!node?.$ref) return node;
  const target = root.$defs[node.$ref.replace('#/$defs/', '')];
  const { $ref: _ref, ...own } = node;
  return { ...resolveSchema(target, root), ...own };
}

/** The schema node for a JSON path into an allowlist, or a catalog with `root` (numbers index arrays; any string works as an item marker). */
export function schemaAt(path: JsonPath, root: RootSchema = allowlistSchema): SchemaNode | undefined {
  let node: SchemaNode | undefined = root;
  for (const segment of path) {
    node = resolveSchema(node, root);
    if (!node) return undefined;
    if (typeof segment === 'number' || segment === '-') node = node.items;
    else if (node.properties && segment in node.properties) node = node.properties[segment];
    else if (typeof node.additionalProperties === 'object') node = node.additionalProperties;
    else return undefined;
  }
  return resolveSchema(node, root);
}

/** Hover text of a key: the schema's title, description and examples. */
export function keyMarkdown(path: JsonPath, root: RootSchema = allowlistSchema): string | undefined {
  const node = schemaAt(path, root);
  if (!node || (!node.title && !node.description)) return undefined;
  const parts: string[] = [];
  if (node.title) parts.push(`### ${node.title}`);
  if (node.description) parts.push(node.description);
  if (node.enum) parts.push(`Values: ${node.enum.map((value) => `\`${String(value)}\``).join(', ')}${node.default !== undefined ? ` (default \`${String(node.default)}\`)` : ''}`);
  const examples = (node.examples ?? []).filter((example) => typeof example !== 'object' || example === null);
  if (examples.length > 0) parts.push(`Examples: ${examples.map((example) => `\`${String(example)}\``).join(', ')}`);
  return parts.join('\n\n');
}

// ---------------------------------------------------------------------------------------------
// Hover.

export interface Hover {
  markdown: string;
  range: Range;
}

export function hoverAt(model: AllowlistModel, offset: number, catalogs: CatalogSet): Hover | undefined {
  const found = locate(model, offset);
  if (!found) return undefined;
  const markdown = hoverMarkdown(model, found, catalogs);
  return markdown ? { markdown, range: found.range } : undefined;
}

function hoverMarkdown(model: AllowlistModel, found: Located, catalogs: CatalogSet): string | undefined {
  switch (found.kind) {
    case 'address': {
      const also = alsoAllowedMarkdown(model, found);
      return `${explain(found.address.text, catalogs).markdown}${also ? `\n\n${also}` : ''}`;
    }
    case 'port':
      return found.span.problem ? `Invalid port: ${found.span.problem}` : explain(found.span.from === found.span.to ? String(found.span.from) : `${found.span.from}-${found.span.to}`, catalogs).markdown;
    case 'rule-vendor':
      return explain(found.vendorId, catalogs).markdown;
    case 'vendor-id':
      return explain(found.decl.id, catalogs).markdown;
    case 'vendor-option':
      return optionMarkdown(catalogs.byVendor.get(found.decl.id), found.option, found.value);
    case 'product':
      return explain(found.product, catalogs).markdown;
    case 'exclusion-path':
      return exclusionMarkdown(found.path, catalogs);
    case 'key':
      return keyMarkdown(found.path);
  }
}

/** "Also allowed in this file by …": the other rules of the same direction whose same side covers the hovered address
 * (the same address, a wildcard or network above it, or `any`), at most three named. One pass over the rules. */
function alsoAllowedMarkdown(model: AllowlistModel, found: Extract<Located, { kind: 'address' }>): string | undefined {
  if (found.address.kind === 'invalid' || found.address.kind === 'any') return undefined;
  const others = rulesAllowing(model, { kind: 'address', address: found.address }, found.rule).filter((match) => match.rule.direction === found.rule.direction && match.field === found.field);
  if (others.length === 0) return undefined;
  const lines = new LineIndex(model.text);
  const named = others.map(({ rule, by }) => {
    const line = lines.positionAt(rule.offset + rule.range.start).line + 1;
    const through = by === found.address.text.trim() ? '' : `, by ${codeSpan(by)}`;
    return `${escapeMarkdown(ruleLabel(rule))} (line ${line}${through})`;
  });
  return `Also allowed in this file by ${firstFew(named)}.`;
}

function optionMarkdown(catalog: Catalog | undefined, name: string, value: string | undefined): string | undefined {
  const option = catalog?.options.find((candidate) => candidate.name === name);
  if (!catalog || !option) return catalog ? `${codeSpan(name)} is not an option of ${escapeMarkdown(catalog.name)} (options: ${catalog.options.map((o) => codeSpan(o.name)).join(', ') || 'none'}).` : undefined;
  const parts = [`### ${escapeMarkdown(catalog.name)}: ${codeSpan(name)}`, escapeMarkdown(option.description)];
  parts.push(option.values.map((candidate) => `- ${codeSpan(candidate)}${candidate === option.default ? ' (default)' : ''}${option.valueDescriptions?.[candidate] ? `: ${escapeMarkdown(option.valueDescriptions[candidate])}` : ''}${candidate === value ? ' ← this file' : ''}`).join('\n'));
  if (value !== undefined && !option.values.includes(value)) parts.push(`${codeSpan(value)} is not one of its values.`);
  if (option.source) parts.push(`Source: ${markdownLink(option.source.url)}`);
  return parts.join('\n\n');
}

const normalPath = (path: string): string => path.replace(/\//g, '\\').replace(/\\+$/, '').toLowerCase();

function exclusionMarkdown(path: string, catalogs: CatalogSet): string {
  const wanted = normalPath(path);
  const parts: string[] = [];
  for (const catalog of catalogs.catalogs) {
    for (const exclusion of catalog.exclusions) {
      const exact = normalPath(exclusion.path) === wanted;
      const seen = (exclusion.seenSpellings ?? []).some((spelling) => normalPath(spelling) === wanted);
      if (!exact && !seen) continue;
      parts.push(`### ${escapeMarkdown(catalog.name)}: ${escapeMarkdown(exclusion.role)}`);
      if (seen && !exact) parts.push(`This is a spelling seen in the vendor's text; the folder on disk is ${codeSpan(exclusion.path)}.`);
      if (exclusion.note) parts.push(escapeMarkdown(exclusion.note));
      if (exclusion.source.quote) parts.push(`The vendor: “${escapeMarkdown(exclusion.source.quote.replace(/\s+/g, ' ').trim())}”`);
      parts.push(`${exclusion.recommended ? 'Recommended by the vendor. ' : ''}Source: ${markdownLink(exclusion.source.url)}`);
    }
  }
  return parts.length > 0 ? parts.join('\n\n') : `${codeSpan(path)} is not an exclusion the loaded catalogs recommend.`;
}

// ---------------------------------------------------------------------------------------------
// Go to definition: catalog entries.

export interface DefinitionTarget {
  catalog: Catalog;
  /** Key into `catalog.locations`. */
  location: string;
}

/** The catalog entries the thing at `offset` is defined by: a vendor (rule `vendor:` value or `vendors:` key),
 * a vendor option, a catalog host's endpoints, a product, an exclusion path. */
export function definitionsAt(model: AllowlistModel, offset: number, catalogs: CatalogSet): DefinitionTarget[] {
  const found = locate(model, offset);
  if (!found) return [];
  const present = (catalog: Catalog | undefined, location: string): DefinitionTarget[] => (catalog?.locations?.[location] ? [{ catalog, location }] : []);
  switch (found.kind) {
    case 'rule-vendor':
      return present(catalogs.byVendor.get(found.vendorId), 'vendor');
    case 'vendor-id':
      return present(catalogs.byVendor.get(found.decl.id), 'vendor');
    case 'vendor-option':
      return present(catalogs.byVendor.get(found.decl.id), `option:${found.option}`);
    case 'address':
      if (found.address.kind !== 'hostname' || !found.address.host) return [];
      return (catalogs.endpointsByHost.get(found.address.host) ?? []).flatMap(({ catalog, endpoint }) => present(catalog, endpoint.id));
    case 'product':
      return catalogs.catalogs.flatMap((catalog) => present(catalog, `product:${found.product.toLowerCase()}`));
    case 'exclusion-path': {
      const wanted = normalPath(found.path);
      return catalogs.catalogs.flatMap((catalog) =>
        catalog.exclusions
          .filter((exclusion) => [exclusion.path, ...(exclusion.seenSpellings ?? [])].some((path) => normalPath(path) === wanted))
          .flatMap((exclusion) => present(catalog, exclusion.id)),
      );
    }
    default:
      return [];
  }
}

/** Rules of one direction, for callers that need the section of an offset. */
export function sectionOf(model: AllowlistModel, offset: number): Direction | undefined {
  const after = (key: Range | undefined): number => (key ? key.start : Infinity);
  const outbound = after(model.outboundKey);
  const inbound = after(model.inboundKey);
  const candidates = ([['outbound', outbound], ['inbound', inbound]] as const).filter(([, start]) => start <= offset).sort((a, b) => b[1] - a[1]);
  if (candidates.length === 0) return undefined;
  // The section runs until the next top-level key.
  const [direction, start] = candidates[0];
  const nextTop = Math.min(...Object.values(model.topKeys).map((range) => range.start).filter((s) => s > start), Infinity);
  return offset < nextTop ? direction : undefined;
}
