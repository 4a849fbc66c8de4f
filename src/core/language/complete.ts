/** Completion for allowlists, in a neutral shape the language server translates to LSP: keys and enum
 * values from the schema, vendor ids and their options/values from the catalogs, catalog hosts for `to:`
 * (with their role), ports for the rule's host, and snippets for a vendor block and a new rule.
 *
 * Where the cursor is comes from the text around it (indentation and `key:`/`- ` prefixes), not only
 * from the parsed model: while the user types, the item under the cursor is often not valid YAML yet. */
import type { Catalog, CatalogSet } from '../catalog';
import { lineStartOf } from '../lint';
import { ruleBefore, resolveSchema, schemaAt, type JsonPath } from './locate';
import { type AllowlistModel, type AllowRule, type Direction, formatPortRange } from '../parse';
import { codeSpan, escapeMarkdown, markdownLink, type Range } from '../common';

export type CompletionKind = 'key' | 'value' | 'enum' | 'vendor' | 'option' | 'host' | 'address' | 'port' | 'product' | 'path' | 'snippet';

export interface CompletionEntry {
  label: string;
  kind: CompletionKind;
  detail?: string;
  /** Markdown. */
  documentation?: string;
  /** Plain text, or a snippet (`${1:placeholder}`) when `snippet` is set. */
  insertText: string;
  snippet?: boolean;
  /** What the insert replaces: the word being typed. */
  range: Range;
  /** Sorts before the others (e.g. hosts of the rule's own vendor). */
  preselect?: boolean;
  sortText?: string;
  filterText?: string;
}

/** Where the cursor stands: the chain of keys (with `-` for a sequence item) and whether a key or a value is typed there. */
export interface CursorContext {
  path: string[];
  position: 'key' | 'value';
  /** The part of the word already typed, and its range (extends over the rest of the word after the cursor). */
  prefix: string;
  range: Range;
  /** Whether the line starts a sequence item (`- ` before the word). */
  dash: boolean;
}

interface LineInfo {
  indent: number;
  dash: boolean;
  /** Column of the key or scalar after `- `. */
  contentCol: number;
  key?: string;
  blank: boolean;
}

const LINE = /^([ \t]*)(-(?:[ \t]+|$))?(?:(["']?)([A-Za-z_][\w-]*)\3[ \t]*:(?:[ \t]|$))?/;

function lineInfo(line: string): LineInfo {
  const trimmed = line.trim();
  if (trimmed === '' || trimmed.startsWith('#')) return { indent: 0, dash: false, contentCol: 0, blank: true };
  const match = LINE.exec(line)!;
  const indent = match[1].length;
  const dash = match[2] !== undefined;
  return { indent, dash, contentCol: indent + (match[2]?.length ?? 0), key: match[4], blank: false };
}

/** The context at `offset` from indentation alone. */
export function cursorContext(text: string, offset: number): CursorContext {
  const lineStart = lineStartOf(text, offset);
  const lineEndAt = text.indexOf('\n', offset);
  const lineEnd = lineEndAt === -1 ? text.length : lineEndAt;
  const before = text.slice(lineStart, offset);
  const after = text.slice(offset, lineEnd).replace(/\r$/, '');

  const wordStartMatch = /[^\s:,[\]{}"']*$/.exec(before)!;
  const wordEndMatch = /^[^\s:,[\]{}"'#]*/.exec(after)!;
  const prefix = wordStartMatch[0];
  const range = { start: offset - prefix.length, end: offset + wordEndMatch[0].length };

  const head = /^([ \t]*)(-[ \t]+)?/.exec(before)!;
  const dash = head[2] !== undefined;
  const contentCol = head[0].length;
  const keyValue = /^([ \t]*)(?:-[ \t]+)?(["']?)([A-Za-z_][\w-]*)\2[ \t]*:[ \t]+(.*)$/.exec(before) ?? /^([ \t]*)(?:-[ \t]+)?(["']?)([A-Za-z_][\w-]*)\2[ \t]*:()$/.exec(before);
  // `key: value` on the cursor's line: a value of `key`, unless the cursor is still on the key itself.
  let path: string[];
  let position: 'key' | 'value';
  if (keyValue) {
    path = [...parents(text, lineStart, contentCol, dash), keyValue[3]];
    // A flow sequence or a scalar: both are values of the key.
    position = 'value';
  } else {
    path = parents(text, lineStart, contentCol, dash);
    position = 'key';
  }
  return { path, position, prefix, range, dash };
}

/** Keys above the line (with `-` for sequence items), from the outermost. */
function parents(text: string, lineStart: number, col: number, dash: boolean): string[] {
  const chain: string[] = [];
  let limit = col;
  // After a `- ` the parent key may stand at the dash's own column (`outbound:\n- name: x`).
  let equalAllowed = false;
  if (dash) {
    chain.push('-');
    limit = col - (/-[ \t]+$/.exec(text.slice(lineStart, lineStart + col))?.[0].length ?? 2);
    equalAllowed = true;
  }
  for (let end = lineStart - 1; end >= 0 && (limit > 0 || equalAllowed); ) {
    const start = lineStartOf(text, end);
    const info = lineInfo(text.slice(start, end).replace(/\r$/, ''));
    end = start - 1;
    if (info.blank) continue;
    if (info.dash && info.contentCol === limit && !equalAllowed) {
      // The sequence item our mapping belongs to.
      chain.push('-');
      limit = info.indent;
      equalAllowed = true;
      continue;
    }
    if (info.key && (info.contentCol < limit || (equalAllowed && info.contentCol === limit && !info.dash))) {
      chain.push(info.key);
      if (info.dash) {
        chain.push('-');
        limit = info.indent;
        equalAllowed = true;
      } else {
        limit = info.contentCol;
        equalAllowed = false;
      }
      continue;
    }
    if (info.indent < limit) {
      // A less indented line that is not a key: a scalar item of an outer sequence, or a continuation we cannot name.
      if (!info.dash) break;
      chain.push('-');
      limit = info.indent;
      equalAllowed = true;
    }
  }
  return chain.reverse();
}

// ---------------------------------------------------------------------------------------------

export function complete(model: AllowlistModel, offset: number, catalogs: CatalogSet): CompletionEntry[] {
  if (model.kind !== 'allowlist') return [];
  const context = cursorContext(model.text, offset);
  const { path, position } = context;
  const entries: CompletionEntry[] = [];
  const top = path[0];

  if (path.length === 0 && position === 'key' && !context.dash) return topKeys(model, context);

  if ((top === 'outbound' || top === 'inbound') && path.length >= 1) {
    const direction = top as Direction;
    const rule = ruleBefore(model[direction], offset);
    if (path.length === 1 && position === 'key') return [ruleSnippet(direction, model, catalogs, context)];
    if (path.length === 2 && path[1] === '-' && position === 'key') {
      const present = presentKeys(model.text, offset, rule);
      return [...ruleKeys(direction, context, present), ...(context.dash ? [ruleSnippet(direction, model, catalogs, context)] : [])];
    }
    const field = path[2];
    if (path[1] === '-' && field && (position === 'value' || path[3] === '-')) {
      return ruleValues(direction, field, model, rule, offset, catalogs, context);
    }
    return entries;
  }

  if (top === 'vendors') {
    if (path.length === 1 && position === 'key') return vendorIds(model, catalogs, context);
    const catalog = catalogs.byVendor.get(path[1]);
    if (path.length === 2 && position === 'key' && catalog) return optionKeys(catalog, context);
    if (path.length === 3 && position === 'value' && catalog) return optionValues(catalog, path[2], context);
    return entries;
  }

  if (top === 'endpoint-protection') {
    if (path.length === 1 && position === 'key') return schemaKeys(['endpoint-protection'], context);
    if (path[1] === 'products' || (path[1] === 'exclusions' && path[3] === 'products')) return products(catalogs, context);
    if (path[1] === 'exclusions' && path.length === 2 && position === 'key') return [exclusionSnippet(catalogs, context)];
    if (path[1] === 'exclusions' && path[2] === '-' && path.length === 3 && position === 'key') return schemaKeys(['endpoint-protection', 'exclusions', '-'], context);
    if (path[1] === 'exclusions' && path[3] === 'path') return exclusionPaths(catalogs, context);
    return entries;
  }

  if (path.length === 1 && position === 'value') return enumValues([top], context);
  return entries;
}

function entry(label: string, kind: CompletionKind, context: CursorContext, extra: Partial<CompletionEntry> = {}): CompletionEntry {
  return { label, kind, insertText: label, range: context.range, ...extra };
}

function schemaDoc(path: JsonPath): string | undefined {
  const node = schemaAt(path);
  return node ? [node.description, node.examples?.length ? `Example: \`${JSON.stringify(node.examples[0])}\`` : undefined].filter(Boolean).join('\n\n') : undefined;
}

function topKeys(model: AllowlistModel, context: CursorContext): CompletionEntry[] {
  const root = resolveSchema(schemaAt([]))!;
  return Object.entries(root.properties ?? {})
    .filter(([key]) => !(key in model.topKeys))
    .map(([key], index) => {
      const node = schemaAt([key])!;
      const insertText =
        key === 'allowlist' ? 'allowlist: 1' : key === 'outbound' || key === 'inbound' ? `${key}:\n  - name: \${1:name}\n    to: \${2}\n    ports: \${3:443}` : key === 'vendors' ? 'vendors:\n  ${1}' : key === 'endpoint-protection' ? 'endpoint-protection:\n  products: [${1}]' : `${key}: \${1}`;
      return entry(key, 'key', context, { detail: node.title, documentation: schemaDoc([key]), insertText, snippet: true, sortText: String(index).padStart(2, '0') });
    });
}

function schemaKeys(path: JsonPath, context: CursorContext, present = new Set<string>()): CompletionEntry[] {
  const node = schemaAt(path);
  return Object.keys(node?.properties ?? {})
    .filter((key) => !present.has(key))
    .map((key) => entry(key, 'key', context, { detail: schemaAt([...path, key])?.title, documentation: schemaDoc([...path, key]), insertText: `${key}: ` }));
}

function ruleKeys(direction: Direction, context: CursorContext, present: Set<string>): CompletionEntry[] {
  const required = new Set(schemaAt([direction, '-'])?.required ?? []);
  return schemaKeys([direction, '-'], context, present).map((item) => ({ ...item, sortText: `${required.has(item.label) ? '0' : '1'}${item.label}`, detail: `${item.detail ?? ''}${required.has(item.label) ? ' (required)' : ''}` }));
}

/** Keys already written in the rule item under the cursor (from the model, or the lines around the cursor). */
function presentKeys(text: string, offset: number, rule: AllowRule | undefined): Set<string> {
  const keys = new Set<string>();
  if (rule && rule.offset + rule.range.end >= offset - 1) for (const key of Object.keys(rule.keys)) keys.add(key);
  // Lines of the same item around the cursor (the model may not have the item the user is typing).
  const lineStart = lineStartOf(text, offset);
  const col = /^[ \t]*(-[ \t]+)?/.exec(text.slice(lineStart, offset))![0].length;
  for (let end = lineStart - 1; end > 0; ) {
    const start = lineStartOf(text, end);
    const info = lineInfo(text.slice(start, end).replace(/\r$/, ''));
    end = start - 1;
    if (info.blank) continue;
    if (info.contentCol < col) break;
    if (info.contentCol === col && info.key) keys.add(info.key);
    if (info.dash && info.contentCol === col) break;
  }

  return keys;
}

function ruleSnippet(direction: Direction, model: AllowlistModel, catalogs: CatalogSet, context: CursorContext): CompletionEntry {
  const vendor = model.vendors.find((decl) => catalogs.byVendor.has(decl.id))?.id;
  const lines =
    direction === 'outbound'
      ? ['name: ${1:name}', ...(vendor ? [`vendor: \${2:${vendor}}`] : []), 'to: ${3:host.example.com}', 'ports: ${4:443}', 'ticket: ${5:CHG-0000}']
      : ['name: ${1:name}', ...(vendor ? [`vendor: \${2:${vendor}}`] : []), 'from: ${3:203.0.113.10}', 'to: ${4:10.0.0.10}', 'ports: ${5:443}', 'ticket: ${6:CHG-0000}'];
  const indent = context.dash ? '  ' : '';
  const body = lines.map((line, index) => (index === 0 ? line : `${indent}${line}`)).join('\n');
  return entry(`new ${direction} rule`, 'snippet', context, {
    detail: `A complete ${direction} rule`,
    documentation: schemaDoc([direction, '-']),
    insertText: context.dash ? body : `- ${body.replace(/\n/g, '\n  ')}`,
    snippet: true,
    sortText: '~',
    filterText: context.prefix || 'name',
  });
}

function ruleValues(direction: Direction, field: string, model: AllowlistModel, rule: AllowRule | undefined, offset: number, catalogs: CatalogSet, context: CursorContext): CompletionEntry[] {
  const ruleVendor = rule && rule.offset + rule.range.start <= offset ? rule.vendor?.value : undefined;
  const declared = model.vendors.map((decl) => catalogs.byVendor.get(decl.id)).filter((catalog): catalog is Catalog => catalog !== undefined);
  switch (field) {
    case 'vendor': {
      const ids = new Set([...model.vendors.map((decl) => decl.id), ...catalogs.catalogs.map((catalog) => catalog.id)]);
      return [...ids].map((id) => entry(id, 'vendor', context, { detail: catalogs.byVendor.get(id)?.name ?? 'not in the loaded catalogs', sortText: model.vendors.some((decl) => decl.id === id) ? `0${id}` : `1${id}` }));
    }
    case 'protocol':
      return enumValues([direction, '-', 'protocol'], context);
    case 'to':
    case 'from': {
      if (direction === 'outbound' && field === 'to') {
        const seen = new Set<string>();
        const list: CompletionEntry[] = [];
        for (const catalog of declared.length > 0 ? declared : catalogs.catalogs) {
          for (const endpoint of catalog.endpoints) {
            const key = `${catalog.id}\n${endpoint.host}`;
            const roles = catalog.endpoints.filter((other) => other.host === endpoint.host);
            if (seen.has(key)) continue;
            seen.add(key);
            const own = ruleVendor === catalog.id;
            list.push(
              entry(endpoint.host, 'host', context, {
                detail: `${catalog.name}: ${roles.map((other) => other.role).join('; ')}`,
                documentation: roles.map((other) => `- “${escapeMarkdown(other.role)}”: ${other.protocol.toUpperCase()} ${other.ports.map(formatPortRange).join(', ')}${other.required ? '' : ' (optional)'}${other.condition ? ` — ${escapeMarkdown(other.condition)}` : ''}`).join('\n') + `\n\nSource: ${markdownLink(endpoint.source.url)}`,
                sortText: `${own ? '0' : '1'}${endpoint.host}`,
                preselect: own && list.length === 0 ? true : undefined,
              }),
            );
          }
        }
        return list;
      }
      if (direction === 'inbound' && field === 'from') {
        return (declared.length > 0 ? declared : catalogs.catalogs).flatMap((catalog) =>
          catalog.inboundSources.map((source) => entry(source.address, 'address', context, { detail: `${catalog.name}: ${source.role}`, documentation: `${escapeMarkdown(source.condition ?? '')}\n\nSource: ${markdownLink(source.source.url)}`.trim() })),
        );
      }
      return [entry('any', 'value', context, { detail: 'every address' })];
    }
    case 'ports': {
      const hosts = (rule?.to?.addresses ?? []).map((address) => address.host).filter((host): host is string => host !== undefined);
      const list: CompletionEntry[] = [];
      const seen = new Set<string>();
      for (const host of hosts) {
        for (const { catalog, endpoint } of catalogs.endpointsByHost.get(host) ?? []) {
          for (const port of endpoint.ports) {
            const label = formatPortRange(port);
            if (seen.has(label)) continue;
            seen.add(label);
            list.push(entry(label, 'port', context, { detail: `${catalog.name}: ${endpoint.role} (${host})`, insertText: port.from === port.to ? label : `"${label}"`, sortText: `0${String(port.from).padStart(5, '0')}` }));
          }
        }
      }
      if (direction === 'inbound') {
        for (const catalog of declared) for (const source of catalog.inboundSources) for (const port of source.ports ?? []) {
          const label = formatPortRange(port);
          if (!seen.has(label)) list.push(entry(label, 'port', context, { detail: `${catalog.name}: ${source.role}` }));
          seen.add(label);
        }
      }
      if (list.length === 0) for (const port of ['443', '80']) list.push(entry(port, 'port', context, { sortText: `1${port}` }));
      return list;
    }
    default:
      return [];
  }
}

function enumValues(path: JsonPath, context: CursorContext): CompletionEntry[] {
  const node = schemaAt(path);
  const values = node?.enum ?? (path.length === 1 && path[0] === 'allowlist' ? [1] : []);
  return values.map((value) => entry(String(value), 'enum', context, { detail: value === node?.default ? 'default' : node?.title, documentation: node?.description }));
}

function vendorIds(model: AllowlistModel, catalogs: CatalogSet, context: CursorContext): CompletionEntry[] {
  return catalogs.catalogs
    .filter((catalog) => !model.vendors.some((decl) => decl.id === catalog.id && decl.range.start !== context.range.start))
    .map((catalog) => {
      const options = catalog.options.map((option, index) => `  ${option.name}: \${${index + 1}|${[option.default, ...option.values.filter((value) => value !== option.default)].join(',')}|}`);
      const insertText = options.length > 0 ? `${catalog.id}:\n${options.join('\n')}` : `${catalog.id}: ~`;
      return entry(catalog.id, 'vendor', context, {
        detail: catalog.name,
        documentation: [catalog.description && escapeMarkdown(catalog.description), ...catalog.options.map((option) => `- ${codeSpan(option.name)}: ${escapeMarkdown(option.description)} (default ${codeSpan(option.default)})`)].filter(Boolean).join('\n\n'),
        insertText,
        snippet: true,
      });
    });
}

function optionKeys(catalog: Catalog, context: CursorContext): CompletionEntry[] {
  return catalog.options.map((option) =>
    entry(option.name, 'option', context, {
      detail: `${catalog.name} option (default ${option.default})`,
      documentation: escapeMarkdown(option.description),
      insertText: `${option.name}: \${1|${[option.default, ...option.values.filter((value) => value !== option.default)].join(',')}|}`,
      snippet: true,
    }),
  );
}

function optionValues(catalog: Catalog, name: string, context: CursorContext): CompletionEntry[] {
  const option = catalog.options.find((candidate) => candidate.name === name);
  return (option?.values ?? []).map((value) => entry(value, 'enum', context, { detail: `${option!.valueDescriptions?.[value] ?? ''}${value === option!.default ? ' (default)' : ''}`.trim() || undefined, documentation: escapeMarkdown(option!.description) }));
}

function products(catalogs: CatalogSet, context: CursorContext): CompletionEntry[] {
  return catalogs.catalogs.flatMap((catalog) => catalog.products.map((product) => entry(product.product, 'product', context, { detail: `${product.name} (${catalog.name})`, documentation: `${escapeMarkdown(product.problem)}${product.advice ? `\n\n${escapeMarkdown(product.advice)}` : ''}` })));
}

function exclusionPaths(catalogs: CatalogSet, context: CursorContext): CompletionEntry[] {
  return catalogs.catalogs.flatMap((catalog) =>
    catalog.exclusions.map((exclusion) =>
      entry(exclusion.path, 'path', context, {
        detail: `${catalog.name}: ${exclusion.role}`,
        documentation: exclusion.note && escapeMarkdown(exclusion.note),
        insertText: `'${exclusion.path.replace(/'/g, "''")}'`,
        filterText: exclusion.path,
      }),
    ),
  );
}

function exclusionSnippet(catalogs: CatalogSet, context: CursorContext): CompletionEntry {
  const first = catalogs.catalogs.flatMap((catalog) => catalog.exclusions)[0];
  return entry('new exclusion', 'snippet', context, { insertText: `- path: '\${1:${first?.path.replace(/[$}\\]/g, (ch) => `\\${ch}`) ?? 'C:\\\\Program Files\\\\Vendor'}}'`, snippet: true, detail: 'A folder excluded from scanning' });
}
