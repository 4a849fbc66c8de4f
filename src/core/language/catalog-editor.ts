/** The editor's view of a catalog file (`catalog: 1`): its outline (the vendor, options, endpoints, inbound
 * sources, exclusions and product advice, read from the YAML so it works while the file is being written) and
 * hovers: a host, source address, port, vendor id or product explained as the allowlist hover explains it, with
 * this file's current text in the catalog set, and a key's schema description. Pure, like locate.ts. */
import { isMap, isScalar, isSeq, parseDocument, type Document, type Pair } from 'yaml';
import { explain } from './explain';
import { catalogSchema, keyMarkdown, type Hover, type JsonPath } from './locate';
import type { OutlineKind, OutlineSymbol } from './symbols';
import type { Range } from '../common';
import { nodeRange, scalarText, toPlain, YamlValueError } from '../parse';
import { buildCatalogSet, type Catalog, type CatalogSet } from '../catalog';

/** The sections of a catalog listed in the outline, with the key naming each entry and what to show beside it. */
const LISTS: Record<string, { kind: OutlineKind; name: string; detail: (entry: Record<string, unknown>) => string | undefined }> = {
  endpoints: {
    kind: 'endpoint',
    name: 'id',
    detail: (entry) => ([entry.host, portsText(entry.ports)].filter(Boolean).join(': ') || undefined)?.concat(entry.required === false ? ' (optional)' : ''),
  },
  'inbound-sources': { kind: 'source', name: 'id', detail: (entry) => text(entry.address) },
  exclusions: { kind: 'exclusion', name: 'id', detail: (entry) => text(entry.path) },
  products: { kind: 'product', name: 'product', detail: (entry) => text(entry.name) },
};

const text = (value: unknown): string | undefined => (typeof value === 'string' || typeof value === 'number' ? String(value) : undefined);
const portsText = (ports: unknown): string | undefined => (Array.isArray(ports) ? ports.map(text).filter(Boolean).join(', ') : text(ports));

export function catalogSymbols(source: string): OutlineSymbol[] {
  const doc = parseDocument(source, { prettyErrors: false });
  if (!isMap(doc.contents)) return [];
  const symbols: OutlineSymbol[] = [];
  for (const pair of doc.contents.items) {
    const key = scalarText(pair.key);
    const keyRange = nodeRange(pair.key);
    if (key === undefined || !keyRange) continue;
    const range = pairRange(pair, keyRange);
    const value = pair.value;
    if (key === 'vendor' && isMap(value)) {
      const plain = fieldsOf(value, doc);
      symbols.push({ name: text(plain.name) ?? 'vendor', detail: text(plain.id), kind: 'vendor', range, selectionRange: keyRange, children: [] });
    } else if (key === 'options' && isMap(value)) {
      const children = value.items.flatMap((option): OutlineSymbol[] => {
        const name = scalarText(option.key);
        const nameRange = nodeRange(option.key);
        if (name === undefined || !nameRange) return [];
        const defaultValue = isMap(option.value) ? text(fieldsOf(option.value, doc).default) : undefined;
        return [{ name, detail: defaultValue && `default ${defaultValue}`, kind: 'option', range: pairRange(option, nameRange), selectionRange: nameRange, children: [] }];
      });
      symbols.push({ name: key, detail: `${children.length}`, kind: 'section', range, selectionRange: keyRange, children });
    } else if (LISTS[key] && isSeq(value)) {
      const list = LISTS[key];
      const children = value.items.flatMap((item, index): OutlineSymbol[] => {
        const itemRange = nodeRange(item);
        if (!itemRange || !isMap(item)) return [];
        const entry = fieldsOf(item, doc);
        const namePair = item.items.find((candidate) => scalarText(candidate.key) === list.name);
        const nameRange = nodeRange(namePair?.value) ?? itemRange;
        return [{ name: text(entry[list.name]) ?? `#${index + 1}`, detail: list.detail(entry), kind: list.kind, range: itemRange, selectionRange: nameRange, children: [] }];
      });
      symbols.push({ name: key, detail: `${children.length}`, kind: 'section', range, selectionRange: keyRange, children });
    } else {
      symbols.push({ name: key, detail: scalarText(value), kind: 'field', range, selectionRange: keyRange, children: [] });
    }
  }
  return symbols;
}

/** A mapping's fields, to read a few of them; aliases are resolved within the usual limits, and one that cannot be
 * (no anchor, an alias bomb, nesting too deep) leaves nothing to read: the catalog's diagnostics say why. */
function fieldsOf(node: unknown, doc: Document): Record<string, unknown> {
  try {
    const value = toPlain(node, doc);
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  } catch (error) {
    if (error instanceof YamlValueError) return {};
    throw error;
  }
}

/** From a key to the end of its value. */
function pairRange(pair: Pair, keyRange: Range): Range {
  return { start: keyRange.start, end: Math.max(keyRange.end, nodeRange(pair.value)?.end ?? keyRange.end) };
}

/** What the hover says at `offset` of a catalog's text; `catalogs` are those loaded, to which `own`, this text's
 * catalog as the lint parsed it (LintResult.catalog, absent when the text has errors), is added (replacing the
 * saved version of this file). */
export function catalogHoverAt(source: string, offset: number, catalogs: CatalogSet, own: Catalog | undefined): Hover | undefined {
  const doc = parseDocument(source, { prettyErrors: false });
  const found = scalarAt(doc.contents, offset, []);
  if (!found) return undefined;
  if (found.isKey) {
    const markdown = keyMarkdown(found.path, catalogSchema);
    return markdown ? { markdown, range: found.range } : undefined;
  }
  const subject = subjectAt(found.path, found.value, fieldsOf(doc.contents, doc));
  if (subject === undefined) return undefined;
  const withOwn = own ? buildCatalogSet([...catalogs.catalogs, { ...own, origin: 'this file' }]) : catalogs;
  return { markdown: explain(subject, withOwn).markdown, range: found.range };
}

/** What to explain for a value at `path`: an endpoint's host (also from its role), a port, a source address, the vendor id, a product. */
function subjectAt(path: JsonPath, value: string, plain: Record<string, unknown>): string | undefined {
  const [section, index, field] = path;
  if (section === 'vendor' && index === 'id') return value;
  if (section === 'endpoints' && (field === 'host' || field === 'ports' || field === 'tls-ports')) return value;
  if (section === 'endpoints' && field === 'role') return text((plain.endpoints as Record<string, unknown>[] | undefined)?.[index as number]?.host);
  if (section === 'inbound-sources' && (field === 'address' || field === 'ports')) return value;
  if (section === 'products' && field === 'product') return value;
  return undefined;
}

/** The scalar (key or value) under the offset, with its path. */
function scalarAt(node: unknown, offset: number, path: JsonPath): { path: JsonPath; value: string; range: Range; isKey: boolean } | undefined {
  const range = nodeRange(node);
  if (!range || offset < range.start || offset > range.end) return undefined;
  if (isScalar(node)) {
    const value = scalarText(node);
    return value === undefined ? undefined : { path, value, range, isKey: false };
  }
  if (isMap(node)) {
    for (const pair of node.items) {
      const key = scalarText(pair.key);
      const keyRange = nodeRange(pair.key);
      if (key === undefined || !keyRange) continue;
      if (offset >= keyRange.start && offset <= keyRange.end) return { path: [...path, key], value: key, range: keyRange, isKey: true };
      const inValue = scalarAt(pair.value, offset, [...path, key]);
      if (inValue) return inValue;
    }
  }
  if (isSeq(node)) {
    for (const [index, item] of node.items.entries()) {
      const inItem = scalarAt(item, offset, [...path, index]);
      if (inItem) return inItem;
    }
  }
  return undefined;
}
