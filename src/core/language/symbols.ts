/** The outline of an allowlist: top-level fields, vendors (with their options), outbound and inbound
 * rules by name, and endpoint protection (products and exclusions). Neutral shape; the language server
 * maps `kind` to LSP SymbolKinds. (A catalog's outline: catalog/editor.ts.) */
import { absolute, type AllowlistModel, type AllowRule } from '../parse';
import type { Range } from '../common';

export type OutlineKind = 'field' | 'vendors' | 'vendor' | 'option' | 'section' | 'rule' | 'endpoint-protection' | 'product' | 'exclusion' | 'endpoint' | 'source';

export interface OutlineSymbol {
  name: string;
  detail?: string;
  kind: OutlineKind;
  /** Everything the symbol covers. */
  range: Range;
  /** What to select when the symbol is picked (its name); inside `range`. */
  selectionRange: Range;
  children: OutlineSymbol[];
}

const span = (a: Range, b: Range | undefined): Range => ({ start: Math.min(a.start, b?.start ?? a.start), end: Math.max(a.end, b?.end ?? a.end) });

export function documentSymbols(model: AllowlistModel): OutlineSymbol[] {
  if (model.kind !== 'allowlist') return [];
  const symbols: OutlineSymbol[] = [];
  for (const key of ['allowlist', 'site', 'description'] as const) {
    const keyRange = model.topKeys[key];
    if (!keyRange) continue;
    const value = key === 'allowlist' ? model.version : model[key];
    const detail = value === undefined ? undefined : String(value.value);
    symbols.push({ name: key, detail: detail && detail.length > 60 ? `${detail.slice(0, 57)}…` : detail, kind: 'field', range: span(keyRange, value?.range), selectionRange: keyRange, children: [] });
  }
  if (model.vendorsRange) {
    const children = model.vendors.map((decl): OutlineSymbol => {
      const options = Object.entries(decl.options).map(([name, value]): OutlineSymbol => {
        const keyRange = decl.optionKeys[name] ?? value.range;
        return { name, detail: typeof value.value === 'string' ? value.value : undefined, kind: 'option', range: span(keyRange, value.range), selectionRange: keyRange, children: [] };
      });
      return { name: decl.id, kind: 'vendor', range: span(decl.entryRange, decl.range), selectionRange: decl.range, children: options };
    });
    symbols.push(section('vendors', 'vendors', model.vendorsRange, children));
  }
  for (const direction of ['outbound', 'inbound'] as const) {
    const keyRange = direction === 'outbound' ? model.outboundKey : model.inboundKey;
    if (!keyRange) continue;
    symbols.push(section(direction, 'section', keyRange, model[direction].map(ruleSymbol), `${model[direction].length} rule${model[direction].length === 1 ? '' : 's'}`));
  }
  const protection = model.endpointProtection;
  if (protection) {
    const children: OutlineSymbol[] = [
      ...protection.products.map((product): OutlineSymbol => ({ name: product.value, kind: 'product', range: product.range, selectionRange: product.range, children: [] })),
      ...protection.exclusions.map((exclusion): OutlineSymbol => ({ name: exclusion.path.value, kind: 'exclusion', range: span(exclusion.range, exclusion.path.range), selectionRange: exclusion.path.range, children: [] })),
    ];
    symbols.push(section('endpoint-protection', 'endpoint-protection', protection.keyRange, children, undefined, protection.range));
  }
  return symbols.sort((a, b) => a.range.start - b.range.start);
}

function section(name: string, kind: OutlineKind, keyRange: Range, children: OutlineSymbol[], detail?: string, valueRange?: Range): OutlineSymbol {
  let range = span(keyRange, valueRange);
  for (const child of children) range = span(range, child.range);
  return { name, detail, kind, range, selectionRange: keyRange, children };
}

function ruleSymbol(rule: AllowRule): OutlineSymbol {
  const range = absolute(rule, rule.range);
  const name = rule.name?.value || `#${rule.index + 1}`;
  const selectionRange = rule.name ? absolute(rule, rule.name.range) : { start: range.start, end: range.start + 1 };
  const to = rule.to?.addresses.map((address) => address.text) ?? [];
  const ports = rule.ports?.any ? 'any' : (rule.ports?.spans.map((span) => span.text).join(', ') ?? '');
  const detail = [rule.vendor?.value, to.length > 0 ? `→ ${to.length > 2 ? `${to.slice(0, 2).join(', ')}, …` : to.join(', ')}` : '', ports ? `: ${ports}` : ''].filter(Boolean).join(' ');
  return { name, detail: detail || undefined, kind: 'rule', range, selectionRange, children: [] };
}
