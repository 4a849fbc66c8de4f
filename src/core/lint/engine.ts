/** The lint engine: text in, findings out. One pass: parse (cached per rule item), per-item rule
 * visitors (cached per item and context), file-wide visitors over the item models, then ignores
 * and severities. The CLI, the language server and `allowlist diff` all call this. */
import { buildCatalogSet, builtinCatalogs, type Catalog, type CatalogSet, MAX_CATALOG_SIZE, parseCatalog } from '../catalog';
import { emptyConfig, type LintConfig } from './config';
import { isCatalogFileName } from './file-kind';
import { type AllowlistModel, type AllowRule, type ChunkMemo, isAllowlistFileName, parseAllowlist, type ParsedItem, parseStats, parseWhole, type RawFinding } from '../parse';
import { applyIgnores } from './ignore-apply';
import { MAX_FILE_SIZE, megabytes } from '../files';
import { catalogControlCharacters, type LintRule, type Report, ruleById, type RuleContext, rules, vendorUses } from './rules';
import { cacheKey, type Finding, type Fix, type Range, type Severity } from '../common';

export interface LintOptions {
  fileName?: string;
  catalogs?: CatalogSet;
  config?: LintConfig;
  /** YYYY-MM-DD; defaults to the machine's date (UTC). Tests and `--today` pin it. */
  today?: string;
  /** Parse the file as one YAML document instead of chunk by chunk (the reference the chunked parse must
   * equal; the robustness tests compare the two). Default false. */
  wholeDocument?: boolean;
  /** Longer texts (in UTF-16 code units, about bytes for ASCII) are not linted: one finding says so. Default
   * `MAX_FILE_SIZE`. Keeps time and memory bounded for a file opened by mistake (a log, a dump). */
  maxFileSize?: number;
}

export interface LintTimings {
  /** Parsing the text into the model, JSON Schema validation included. */
  parseMs: number;
  /** Of `parseMs`, the time spent in JSON Schema validation. */
  schemaMs: number;
  rulesMs: number;
}

export interface LintResult {
  findings: Finding[];
  model: AllowlistModel;
  /** A catalog file's catalog, when it has no errors: the editor's catalog hovers explain with it, unparsed again. */
  catalog?: Catalog;
  timings: LintTimings;
}

/** An item's rule findings for one context: its parse findings and the item rules' findings, relative to the item's
 * offset and sorted (`compareFindings`, stable), so that placed at any offset they are in the final order. */
interface CheckedItem {
  contextKey: string;
  findings: RawFinding[];
}

/** What the last lint kept per item (in `ParsedFile.items` order): the check, and its findings as placed then (with
 * severities, absolute; `off`: those whose rule the config turns off, for the ignore comments only). */
interface ItemsState {
  items: ParsedItem[];
  /** The items' rules as placed: the same rule object means the same item at the same place. */
  rules: AllowRule[];
  /** The memo of the parse these items come from. */
  memo?: ChunkMemo;
  contextKey: string;
  checks: CheckedItem[];
  placed: Finding[][];
  off: RawFinding[][];
}

const NO_FINDINGS: never[] = [];
const NO_ITEMS: ItemsState = { items: [], rules: [], contextKey: '', checks: [], placed: [], off: [] };

let defaultCatalogs: CatalogSet | undefined;

export function defaultCatalogSet(): CatalogSet {
  defaultCatalogs ??= buildCatalogSet(builtinCatalogs());
  return defaultCatalogs;
}

export function todayUtc(): string {
  return new Date().toISOString().slice(0, 10);
}

/** Lints one document again and again (as the editor does), reusing what an edit did not touch. */
export class Linter {
  private memo?: ChunkMemo;
  /** Item rules' findings by the item's parse findings: one array per parsed chunk text, shared by every
   * lint that reuses that parse, so its identity stands for the item's text (and the entry goes with it). */
  private checked = new WeakMap<RawFinding[], CheckedItem>();
  /** The last lint's items, by position: most items of the next lint are the very same parse at the same position
   * (before the edit) or moved by the edit (after it), found without a lookup. */
  private last: ItemsState = NO_ITEMS;
  /** The last lint's allowlist and config, for `prepareForEdits`. */
  private lastAllowlist?: { model: AllowlistModel; config: LintConfig };
  /** The rules' key for what they keep of this Linter's lints (`RuleContext.document`). */
  private readonly document = {};

  lint(text: string, options: LintOptions = {}): LintResult {
    const started = performance.now();
    const config = options.config ?? emptyConfig();
    const catalogs = options.catalogs ?? defaultCatalogSet();
    const today = options.today ?? todayUtc();

    const maxFileSize = options.maxFileSize ?? MAX_FILE_SIZE;
    if (isCatalogFileName(options.fileName ?? '') && text.length > MAX_CATALOG_SIZE) {
      this.forget();
      return catalogTooLarge(text, started);
    }
    if (text.length > maxFileSize) {
      this.forget();
      return tooLarge(text, maxFileSize, options.fileName, started);
    }

    this.lastAllowlist = undefined;
    parseStats.schemaMs = 0;
    const memo = this.memo;
    const parsed = options.wholeDocument ? parseWhole(text, options.fileName) : parseAllowlist(text, { fileName: options.fileName, memo });
    this.memo = parsed.memo;
    const parseDone = performance.now();
    const schemaMs = parseStats.schemaMs;
    const { model } = parsed;

    if (model.kind === 'catalog') {
      const { catalog, findings: catalogFindings, document } = parseCatalog(text, options.fileName ?? 'catalog');
      const findings = finish([...catalogFindings, ...catalogControlCharacters(document)], model, config);
      return { findings, model, catalog, timings: { parseMs: parseDone - started, schemaMs, rulesMs: performance.now() - parseDone } };
    }
    if (model.kind !== 'allowlist') {
      return { findings: [], model, timings: { parseMs: parseDone - started, schemaMs, rulesMs: 0 } };
    }

    const context = ruleContext(model, catalogs, today, this.document);
    const contextKey = contextKeyOf(context, catalogs, config);
    const contextFor = (rule: LintRule): RuleContext => ({
      ...context,
      option: <T>(name: string, fallback: T, ruleId = rule.meta.id): T => (config.rules[ruleId]?.options[name] as T | undefined) ?? fallback,
    });
    // One report function per rule for all items, into the findings of the item being checked: a closure per rule
    // and item was 20 allocations per item.
    let itemFindings: RawFinding[] = [];
    const itemRules = rules
      .filter((rule) => rule.checkRule && enabled(rule, config))
      .map((rule) => {
        const report: Report = (finding) => itemFindings.push({ ruleId: rule.meta.id, ...finding });
        return { rule, context: contextFor(rule), report };
      });
    const severityOf = severities(config);
    // The parse's positions of the last items hold for the last lint's items if that lint's parse made the memo.
    const lastPositions = memo && this.last.memo === memo ? parsed.previous : undefined;
    const state = this.checkItems(parsed.items, parsed.rules, lastPositions, contextKey, severityOf, (item, placed) => {
      const findings: RawFinding[] = [...item.findings];
      itemFindings = findings;
      for (const { rule, context: ruleContext, report } of itemRules) rule.checkRule!(placed, ruleContext, report);
      return findings.sort(compareFindings);
    });
    state.memo = parsed.memo;
    this.last = state;
    const fileFindings: RawFinding[] = [];
    for (const rule of rules) {
      if (rule.checkFile && enabled(rule, config)) rule.checkFile(model, contextFor(rule), reporter(rule, fileFindings));
    }
    this.lastAllowlist = { model, config };
    const findings = (model.ignores.length === 0 && merged(parsed.findings, state.placed, fileFindings, severityOf)) || finish(rawFindings(parsed.findings, state, fileFindings), model, config);
    return { findings: parsed.aliasedItems ? withoutFixesInside(findings, parsed.aliasedItems) : findings, model, timings: { parseMs: parseDone - started, schemaMs, rulesMs: performance.now() - parseDone } };
  }

  /** Makes what the next lint of an edited version of the last linted allowlist would otherwise make on the keystroke's
   * time (the language server calls it when idle after a lint). The results stay those of a lint without it. */
  prepareForEdits(): void {
    const last = this.lastAllowlist;
    if (!last) return;
    for (const rule of rules) if (rule.prepareEdits && enabled(rule, last.config)) rule.prepareEdits(last.model, this.document);
  }

  /** Each item's findings, placed: an item of the last lint's unchanged start or end (the same parse) keeps its check,
   * and its placed findings unless it moved; the others are looked up by their parse, or checked. */
  private checkItems(items: ParsedItem[], rules: AllowRule[], lastPositions: Int32Array | undefined, contextKey: string, severityOf: (finding: RawFinding) => Severity | 'off', check: (item: ParsedItem, rule: AllowRule) => RawFinding[]): ItemsState {
    const last = this.last.contextKey === contextKey ? this.last : NO_ITEMS;
    const count = items.length;
    const lastItems = last.items;
    // Without the parse's positions: the unchanged ends, by the parse of each item (the same item object for most).
    let prefix = 0;
    let suffix = 0;
    if (!lastPositions) {
      const shorter = Math.min(count, lastItems.length);
      while (prefix < shorter && sameParse(items[prefix], lastItems[prefix])) prefix++;
      while (suffix < shorter - prefix && sameParse(items[count - 1 - suffix], lastItems[lastItems.length - 1 - suffix])) suffix++;
    }
    const moved = count - lastItems.length;
    const state: ItemsState = { items, rules, contextKey, checks: new Array(count), placed: new Array(count), off: new Array(count) };
    for (let at = 0; at < count; at++) {
      const item = items[at];
      const before = lastPositions ? (last === NO_ITEMS ? -1 : lastPositions[at]) : at < prefix ? at : at >= count - suffix ? at - moved : -1;
      if (before !== -1) {
        const checked = last.checks[before];
        state.checks[at] = checked;
        // Not moved (the parse keeps the very same placed rule), or nothing to move (no findings, read without the check).
        if (rules[at] === last.rules[before] || (last.placed[before] === NO_FINDINGS && last.off[before] === NO_FINDINGS)) {
          state.placed[at] = last.placed[before];
          state.off[at] = last.off[before];
          continue;
        }
      } else {
        let checked = this.checked.get(item.findings);
        if (!checked || checked.contextKey !== contextKey) {
          checked = { contextKey, findings: check(item, rules[at]) };
          this.checked.set(item.findings, checked);
        }
        state.checks[at] = checked;
        if (checked.findings.length === 0) {
          state.placed[at] = state.off[at] = NO_FINDINGS;
          continue;
        }
      }
      placeFindings(state, at, rules[at].offset, severityOf);
    }
    return state;
  }

  private forget(): void {
    this.lastAllowlist = undefined;
    this.memo = undefined;
    this.checked = new WeakMap();
    this.last = NO_ITEMS;
  }
}

function sameParse(item: ParsedItem, last: ParsedItem): boolean {
  return item === last || item.findings === last.findings;
}

/** The item's findings at its offset, with their severities (those turned off apart). */
function placeFindings(state: ItemsState, at: number, offset: number, severityOf: (finding: RawFinding) => Severity | 'off'): void {
  const placed: Finding[] = [];
  let off: RawFinding[] = NO_FINDINGS;
  for (const finding of state.checks[at].findings) {
    const severity = severityOf(finding);
    if (severity !== 'off') placed.push(placedFinding(finding, offset, severity));
    else {
      if (off === NO_FINDINGS) off = [];
      off.push(shiftFinding(finding, offset));
    }
  }
  state.placed[at] = placed.length === 0 ? NO_FINDINGS : placed;
  state.off[at] = off;
}

/** `withSeverity(shiftFinding(finding, by), severity)` in one object: what most re-lints make for every finding of
 * the items after the edit. */
function placedFinding(finding: RawFinding, by: number, severity: Severity): Finding {
  if (by === 0) return withSeverity(finding, severity);
  const { start, end } = finding.range;
  return { ruleId: finding.ruleId, severity, message: finding.message, range: { start: start + by, end: end + by }, subject: finding.subject, fixes: finding.fixes && shiftFixes(finding.fixes, by) };
}

/** A catalog over MAX_CATALOG_SIZE is not parsed (as the loaders refuse to read it): one finding at its first line. */
function catalogTooLarge(text: string, started: number): LintResult {
  const model: AllowlistModel = { kind: 'catalog', text, topKeys: {}, vendors: [], outbound: [], inbound: [], ignores: [] };
  const newline = text.indexOf('\n');
  const finding: Finding = {
    ruleId: 'catalog',
    severity: 'error',
    message: `the catalog is ${megabytes(text.length)}, over the ${megabytes(MAX_CATALOG_SIZE)} limit for catalogs: it is not read (a catalog is a few KB)`,
    range: { start: 0, end: newline === -1 ? Math.min(text.length, 200) : Math.min(newline, 200) },
    subject: 'catalog:too-large',
  };
  return { findings: [finding], model, timings: { parseMs: performance.now() - started, schemaMs: 0, rulesMs: 0 } };
}

/** The one finding for a text over the size limit, at its first line. Not an allowlist file (by name) and
 * no `allowlist:` at the start: no finding, as for other YAML files. */
function tooLarge(text: string, limit: number, fileName: string | undefined, started: number): LintResult {
  const model: AllowlistModel = { kind: 'other', text, topKeys: {}, vendors: [], outbound: [], inbound: [], ignores: [] };
  const timings = { parseMs: performance.now() - started, schemaMs: 0, rulesMs: 0 };
  if (!isAllowlistFileName(fileName) && !/^(?:[ \t]*(?:#[^\n]*)?\r?\n)*(?:---[^\n]*\n)?allowlist[ \t]*:/.test(text.slice(0, 64 * 1024))) return { findings: [], model, timings };
  model.kind = 'allowlist';
  const newline = text.indexOf('\n');
  const finding: Finding = {
    ruleId: 'yaml-syntax',
    severity: 'error',
    message: `the file is ${megabytes(text.length)}, over the linter's limit of ${megabytes(limit)}: it is not linted. Split it into smaller allowlists (a 10,000-rule allowlist is about 2.3 MB).`,
    range: { start: 0, end: newline === -1 ? Math.min(text.length, 200) : Math.min(newline, 200) },
    subject: 'file:too-large',
  };
  return { findings: [finding], model, timings };
}

/** `findings` without the fixes that would edit inside one of `aliases`: an aliased rule's ranges are its alias's
 * (`*rule`), and a fix of one of its values written there would replace the whole rule. */
function withoutFixesInside(findings: Finding[], aliases: Range[]): Finding[] {
  const sorted = [...aliases].sort((a, b) => a.start - b.start);
  const inside = ({ range }: { range: Range }): boolean => {
    // The last alias that starts at or before the edit (aliases do not overlap).
    let low = 0;
    let high = sorted.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (sorted[mid].start <= range.start) low = mid + 1;
      else high = mid;
    }
    return low > 0 && range.end <= sorted[low - 1].end;
  };
  return findings.map((finding) => (finding.fixes?.some((fix) => fix.edits.some(inside)) ? { ...finding, fixes: undefined } : finding));
}

/** Lints a text once. */
export function lintText(text: string, options: LintOptions = {}): LintResult {
  return new Linter().lint(text, options);
}

function reporter(rule: LintRule, into: RawFinding[]): Report {
  return (finding) => into.push({ ruleId: rule.meta.id, ...finding });
}

function enabled(rule: LintRule, config: LintConfig): boolean {
  return config.rules[rule.meta.id]?.severity !== 'off';
}

function shiftFinding(finding: RawFinding, by: number): RawFinding {
  if (by === 0) return finding;
  return { ...finding, range: { start: finding.range.start + by, end: finding.range.end + by }, fixes: finding.fixes && shiftFixes(finding.fixes, by) };
}

function shiftFixes(fixes: Fix[], by: number): Fix[] {
  return fixes.map((fix) => ({ ...fix, edits: fix.edits.map((edit) => ({ ...edit, range: { start: edit.range.start + by, end: edit.range.end + by } })) }));
}

/** How findings are ordered: by start, then end, then rule id. */
function compareFindings(a: RawFinding, b: RawFinding): number {
  return a.range.start - b.range.start || a.range.end - b.range.end || a.ruleId.localeCompare(b.ruleId);
}

/** A finding's severity: the config's, else its own, else its rule's default; 'off' where the config turns the rule off. */
function severities(config: LintConfig): (finding: RawFinding) => Severity | 'off' {
  return (finding) => config.rules[finding.ruleId]?.severity ?? finding.severity ?? ruleById.get(finding.ruleId)?.meta.defaultSeverity ?? 'warning';
}

function withSeverity(finding: RawFinding, severity: Severity): Finding {
  return finding.severity === severity ? (finding as Finding) : { ...finding, severity };
}

/** The findings in the order of `rawFindings`, before ignores and severities (what `finish` takes). */
function rawFindings(parseFindings: RawFinding[], state: ItemsState, fileFindings: RawFinding[]): RawFinding[] {
  const raw: RawFinding[] = [...parseFindings];
  for (let at = 0; at < state.placed.length; at++) {
    for (const finding of state.placed[at]) raw.push(finding);
    for (const finding of state.off[at]) raw.push(finding);
  }
  for (const finding of fileFindings) raw.push(finding);
  return raw;
}

/** What `finish` makes of `rawFindings` for a file without ignore comments, without sorting the items' findings:
 * each item's are sorted already, and the items are in the text's order, so the parse's and the file rules'
 * findings (few) are sorted and merged in. A tie keeps the order of `rawFindings`: parse, items, file rules.
 * Undefined in the rare case where one item's findings do not all come before the next item's (empty ranges at
 * the border of two items): `finish` sorts them all. */
function merged(parseFindings: RawFinding[], placed: Finding[][], fileFindings: RawFinding[], severityOf: (finding: RawFinding) => Severity | 'off'): Finding[] | undefined {
  const loose = (raw: RawFinding[]): Finding[] => {
    const found: Finding[] = [];
    for (const finding of raw) {
      const severity = severityOf(finding);
      if (severity !== 'off') found.push(withSeverity(finding, severity));
    }
    return found.sort(compareFindings);
  };
  const first = loose(parseFindings);
  const last = loose(fileFindings);
  const findings: Finding[] = [];
  let firstAt = 0;
  let lastAt = 0;
  let previous: Finding | undefined;
  for (const itemFindings of placed) {
    if (itemFindings.length === 0) continue;
    if (previous && compareFindings(previous, itemFindings[0]) > 0) return undefined;
    for (const finding of itemFindings) {
      // Before it: the parse's findings up to a tie, the file rules' short of one, the smaller first.
      for (;;) {
        const fromFirst = firstAt < first.length && compareFindings(first[firstAt], finding) <= 0;
        const fromLast = lastAt < last.length && compareFindings(last[lastAt], finding) < 0;
        if (fromFirst && (!fromLast || compareFindings(first[firstAt], last[lastAt]) <= 0)) findings.push(first[firstAt++]);
        else if (fromLast) findings.push(last[lastAt++]);
        else break;
      }
      findings.push(finding);
    }
    previous = itemFindings[itemFindings.length - 1];
  }
  // The rest of both, merged (the parse's first on a tie).
  while (firstAt < first.length || lastAt < last.length) {
    if (lastAt === last.length || (firstAt < first.length && compareFindings(first[firstAt], last[lastAt]) <= 0)) findings.push(first[firstAt++]);
    else findings.push(last[lastAt++]);
  }
  return findings;
}

/** Applies ignore comments, then severities (config over the finding's own over the rule's default), and sorts. */
function finish(raw: RawFinding[], model: AllowlistModel, config: LintConfig): Finding[] {
  const severityOf = severities(config);
  const findings: Finding[] = [];
  for (const finding of applyIgnores(raw, model)) {
    const severity = severityOf(finding);
    if (severity !== 'off') findings.push(withSeverity(finding, severity));
  }
  return findings.sort(compareFindings);
}

function ruleContext(model: AllowlistModel, catalogs: CatalogSet, today: string, document: object): RuleContext {
  return { catalogs, vendors: vendorUses(model, catalogs), today, option: <T>(_name: string, fallback: T): T => fallback, document };
}

/** Everything per-item findings may depend on besides the item's text. */
function contextKeyOf(context: RuleContext, catalogs: CatalogSet, config: LintConfig): string {
  const vendors = [...context.vendors.entries()].map(([id, use]) => [id, use.options]);
  return cacheKey(JSON.stringify([catalogs.key, context.today, vendors, config.rules]));
}
