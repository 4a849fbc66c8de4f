import { type Document, isMap, isPair, isScalar, visit } from 'yaml';
import { hasUnsafe, quoted, type Range, unsafeCharacters } from '../../common';
import { type AllowRule, nodeRange, type PortSpan, type RawFinding, type RuleSide, type Spanned } from '../../parse';
import { yamlScalar } from './helpers';
import { ruleSubject, type LintRule, type Report } from './rule';

const ID = 'control-character';

/** Free text (descriptions, the vendor's words) may have tabs and line breaks, and the zero-width (non-)joiners that
 * some scripts and emoji need; every other value and every key may not. */
const FREE_TEXT_ALLOWED = new Set(['\t', '\n', '\u200c', '\u200d']);

const NAMES: Record<string, string> = {
  '\u0000': 'null',
  '\u0007': 'bell',
  '\u0008': 'backspace',
  '\t': 'tab',
  '\n': 'line feed',
  '\r': 'carriage return',
  '\u001b': 'escape',
  '\u007f': 'delete',
  '\u009b': 'control sequence introducer',
  '\u009d': 'operating system command',
  '\u00ad': 'soft hyphen',
  '\u061c': 'Arabic letter mark',
  '\u200b': 'zero-width space',
  '\u200c': 'zero-width non-joiner',
  '\u200d': 'zero-width joiner',
  '\u200e': 'left-to-right mark',
  '\u200f': 'right-to-left mark',
  '\u2028': 'line separator',
  '\u2029': 'paragraph separator',
  '\u202a': 'left-to-right embedding',
  '\u202b': 'right-to-left embedding',
  '\u202c': 'pop directional formatting',
  '\u202d': 'left-to-right override',
  '\u202e': 'right-to-left override',
  '\u2060': 'word joiner',
  '\u2066': 'left-to-right isolate',
  '\u2067': 'right-to-left isolate',
  '\u2068': 'first strong isolate',
  '\u2069': 'pop directional isolate',
  '\ufeff': 'zero-width no-break space',
};

/** "U+001B (escape, …)": the code point and what it is; never the character itself. */
function describe(character: string): string {
  const code = character.codePointAt(0)!;
  const name = NAMES[character] ?? (code < 0xa0 ? 'control character' : 'invisible character');
  return `U+${code.toString(16).toUpperCase().padStart(4, '0')} (${name})`;
}

/** The characters to report in a value: all unsafe ones, or for free text those besides tabs, line breaks and joiners. */
function reported(text: string, freeText: boolean): string[] {
  const found = unsafeCharacters(text);
  return freeText ? found.filter((character) => !FREE_TEXT_ALLOWED.has(character)) : found;
}

function message(what: string, characters: string[]): string {
  const one = characters.length === 1;
  return `${what} contains ${characters.map(describe).join(', ')}: ${one ? 'it' : 'they'} can rewrite what a terminal shows or make the text read differently from what it is ("Trojan Source"); remove ${one ? 'it' : 'them'}`;
}

/** The value without the reported characters, as a YAML scalar: the fix for a key or a one-line value. */
function cleanedFix(text: string, characters: string[], range: Range) {
  let cleaned = text;
  for (const character of characters) cleaned = cleaned.split(character).join('');
  return [{ title: 'Remove the control and invisible characters', edits: [{ range, newText: yamlScalar(cleaned) }], preferred: true }];
}

interface Checked {
  what: string;
  text: string;
  range: Range;
  subject: string;
  freeText?: boolean;
}

function check(value: Checked, report: Report): void {
  const characters = reported(value.text, value.freeText ?? false);
  if (characters.length === 0) return;
  report({
    message: message(value.what, characters),
    range: value.range,
    subject: value.subject,
    // Free text may be a block scalar: it is left for the author to edit rather than rewritten on one line.
    fixes: value.freeText || value.text.trim() === '' ? undefined : cleanedFix(value.text, characters, value.range),
  });
}

/** Whether any key or value of a rule item has an unsafe character: a quick pass before `ruleValues` (most items have
 * none). It runs for every item of every file, so it reads property by property (a keyed read with a varying name is
 * slow) and allocates nothing. */
function ruleHasUnsafe(rule: AllowRule): boolean {
  if (spannedUnsafe(rule.name) || spannedUnsafe(rule.vendor) || spannedUnsafe(rule.ticket) || spannedUnsafe(rule.owner) || spannedUnsafe(rule.expires) || spannedUnsafe(rule.description)) return true;
  for (const key in rule.keys) if (hasUnsafe(key)) return true;
  return sideUnsafe(rule.from) || sideUnsafe(rule.to) || (rule.ports !== undefined && rule.ports.spans.some(spanUnsafe));
}

function spannedUnsafe(spanned: Spanned<string> | undefined): boolean {
  return spanned !== undefined && hasUnsafe(spanned.value);
}

function sideUnsafe(side: RuleSide | undefined): boolean {
  if (side === undefined) return false;
  for (const address of side.addresses) if (hasUnsafe(address.text)) return true;
  return false;
}

function spanUnsafe(span: PortSpan): boolean {
  return hasUnsafe(span.text);
}

const SPANNED_FIELDS = ['name', 'vendor', 'ticket', 'owner', 'expires', 'description'] as const;

/** The keys and values of a rule item, ranges relative to the item. */
function ruleValues(rule: AllowRule): Checked[] {
  const values: Checked[] = Object.entries(rule.keys).map(([key, range]) => ({ what: 'a key', text: key, range, subject: ruleSubject(rule, `${ID}:key:${key}`) }));
  for (const field of SPANNED_FIELDS) {
    const spanned = rule[field];
    if (spanned) values.push({ what: field, text: spanned.value, range: spanned.range, subject: ruleSubject(rule, `${ID}:${field}`), freeText: field === 'description' });
  }
  for (const field of ['from', 'to'] as const) {
    for (const address of rule[field]?.addresses ?? []) values.push({ what: field, text: address.text, range: address.range, subject: ruleSubject(rule, `${ID}:${field}:${address.text}`) });
  }
  for (const span of rule.ports?.spans ?? []) values.push({ what: 'ports', text: span.text, range: span.range, subject: ruleSubject(rule, `${ID}:ports:${span.text}`) });
  return values;
}

export const controlCharacter: LintRule = {
  meta: {
    id: ID,
    defaultSeverity: 'error',
    description:
      "A key or value contains a control character (ESC, CR, backspace, DEL, C1 controls), a bidirectional override, embedding, isolate or mark, or an invisible character (zero-width space, word joiner, soft hyphen, tag characters). YAML's double-quoted escapes (`\"\\e[2K\"`, `\"\\u202e\"`) put them in a value while the file looks harmless. Printed by a tool, an escape sequence in a rule name can erase the line of a real finding and print another in its place; a right-to-left override makes a name or host read differently from what it is, as in \"Trojan Source\" attacks on code. `allowlist` itself shows them escaped (`\\x1b`, `\\u202e`) in every output, but other tools may not. Descriptions (and a catalog's prose) may have tabs, line breaks and zero-width joiners; names, addresses, ports, vendors, tickets, owners and keys may not. Catalogs are checked too.",
    example: 'outbound:\n  - name: "backup\\e[1A\\e[2Kexamples look fine"   # ESC sequences in a double-quoted name\n    to: backup.example.com\n    ports: 443',
  },
  checkRule(rule, _context, report) {
    if (ruleHasUnsafe(rule)) for (const value of ruleValues(rule)) check(value, report);
  },
  checkFile(model, _context, report) {
    for (const [key, range] of Object.entries(model.topKeys)) check({ what: 'a key', text: key, range, subject: `${ID}:key:${key}` }, report);
    for (const field of ['site', 'description'] as const) {
      const spanned = model[field];
      if (spanned) check({ what: field, text: spanned.value, range: spanned.range, subject: `${ID}:${field}`, freeText: true }, report);
    }
    for (const vendor of model.vendors) {
      check({ what: 'a vendor', text: vendor.id, range: vendor.range, subject: `${ID}:vendor:${vendor.id}` }, report);
      for (const [name, range] of Object.entries(vendor.optionKeys)) check({ what: `an option of ${quoted(vendor.id)}`, text: name, range, subject: `${ID}:vendor:${vendor.id}:${name}` }, report);
      for (const [name, option] of Object.entries(vendor.options)) {
        if (typeof option.value === 'string') check({ what: `the option ${quoted(name)}`, text: option.value, range: option.range, subject: `${ID}:vendor:${vendor.id}:${name}:value` }, report);
      }
    }
    const protection = model.endpointProtection;
    for (const product of protection?.products ?? []) check({ what: 'a product', text: product.value, range: product.range, subject: `${ID}:product:${product.value}` }, report);
    for (const exclusion of protection?.exclusions ?? []) {
      check({ what: 'an exclusion path', text: exclusion.path.value, range: exclusion.path.range, subject: `${ID}:exclusion:${exclusion.path.value}` }, report);
      for (const product of exclusion.products ?? []) check({ what: 'a product', text: product.value, range: product.range, subject: `${ID}:exclusion:${exclusion.path.value}:${product.value}` }, report);
    }
  },
};

/** Catalog keys whose values are prose (the vendor's words): checked as free text. */
const CATALOG_FREE_TEXT = new Set(['description', 'name', 'role', 'note', 'problem', 'advice', 'quote', 'condition', 'allowlist-by-reason']);

/** The rule over a catalog file (which the engine lints through the catalog loader, not the allowlist model):
 * every key and string value of the document the catalog loader parsed. */
export function catalogControlCharacters(document: Document): RawFinding[] {
  const findings: RawFinding[] = [];
  const report: Report = (finding) => findings.push({ ruleId: ID, ...finding });
  visit(document, {
    Scalar(key, node, path) {
      if (typeof node.value !== 'string') return;
      const range = nodeRange(node);
      if (!range) return;
      const parent = path[path.length - 1];
      const owner = isPair(parent) && isScalar(parent.key) ? String(parent.key.value) : undefined;
      // Under `value-descriptions:` every value is prose.
      const grandparent = path[path.length - 3];
      const inDescriptions = isMap(path[path.length - 2]) && isPair(grandparent) && isScalar(grandparent.key) && grandparent.key.value === 'value-descriptions';
      const freeText = key === 'value' && ((owner !== undefined && CATALOG_FREE_TEXT.has(owner)) || inDescriptions);
      check({ what: key === 'key' ? 'a key' : owner === undefined ? 'a value' : `the value of ${quoted(owner)}`, text: node.value, range, subject: `${ID}:${owner ?? ''}:${node.value}`, freeText }, report);
    },
  });
  return findings;
}
