/** The lint engine: text in, findings out. One pass: parse (cached per rule item), per-item rule
 * visitors (cached per item and context), file-wide visitors over the item models, then ignores
 * and severities. The CLI, the language server and `allowlist diff` all call this. */
import { buildCatalogSet, builtinCatalogs, type Catalog, type CatalogSet, MAX_CATALOG_SIZE, parseCatalog } from '../catalog';
import { emptyConfig, type LintConfig } from './config';
import { isCatalogFileName } from './file-kind';
import { type AllowlistModel, type ChunkMemo, isAllowlistFileName, parseAllowlist, type ParsedItem, parseStats, parseWhole, type RawFinding } from '../parse';
import { applyIgnores } from './ignore-apply';
import { MAX_FILE_SIZE, megabytes } from '../files';
import { catalogControlCharacters, type LintRule, type Report, ruleById, type RuleContext, rules, vendorUses } from './rules';
import { cacheKey, type Finding, type Severity } from '../common';

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

interface CheckedItem {
  contextKey: string;
  /** Relative to the item's offset. */
  findings: RawFinding[];
  /** The findings at `offset`, as the last lint placed them. */
  offset: number;
  placed: RawFinding[];
}

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
  /** The last lint's items and what was found in each, by position: most items of the next lint are the very same
   * (before the edit) or the same parse moved by the edit's length (after it), found without a lookup. */
  private lastItems: ParsedItem[] = [];
  private lastChecked: CheckedItem[] = [];
  /** Findings with their severities, by the raw finding (for the context key `finishedKey`): an item's placed
   * findings are the same objects while it neither changes nor moves. */
  private finished = new WeakMap<RawFinding, Finding>();
  private finishedKey = '';

  lint(text: string, options: LintOptions = {}): LintResult {
    const started = performance.now();
    const config = options.config ?? emptyConfig();
    const catalogs = options.catalogs ?? defaultCatalogSet();
    const today = options.today ?? todayUtc();

    const maxFileSize = options.maxFileSize ?? MAX_FILE_SIZE;
    if (isCatalogFileName(options.fileName ?? '') && text.length > MAX_CATALOG_SIZE) {
      this.memo = undefined;
      this.checked = new WeakMap();
      return catalogTooLarge(text, started);
    }
    if (text.length > maxFileSize) {
      this.memo = undefined;
      this.checked = new WeakMap();
      return tooLarge(text, maxFileSize, options.fileName, started);
    }

    parseStats.schemaMs = 0;
    const parsed = options.wholeDocument ? parseWhole(text, options.fileName) : parseAllowlist(text, { fileName: options.fileName, memo: this.memo });
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

    const context = ruleContext(model, catalogs, today);
    const contextKey = contextKeyOf(context, catalogs, config);
    const contextFor = (rule: LintRule): RuleContext => ({
      ...context,
      option: <T>(name: string, fallback: T, ruleId = rule.meta.id): T => (config.rules[ruleId]?.options[name] as T | undefined) ?? fallback,
    });
    const raw: RawFinding[] = [...parsed.findings];
    const itemRules = rules.filter((rule) => rule.checkRule && enabled(rule, config)).map((rule) => ({ rule, context: contextFor(rule) }));
    const lastItems = this.lastItems;
    const lastChecked = this.lastChecked;
    const checkedItems: CheckedItem[] = new Array(parsed.items.length);
    const moved = parsed.items.length - lastItems.length;
    for (const [at, item] of parsed.items.entries()) {
      const offset = item.rule.offset;
      let result = lastItems[at] === item ? lastChecked[at] : lastItems[at - moved]?.findings === item.findings ? lastChecked[at - moved] : this.checked.get(item.findings);
      if (!result || result.contextKey !== contextKey) {
        const findings: RawFinding[] = [...item.findings];
        for (const { rule, context: ruleContext } of itemRules) rule.checkRule!(item.rule, ruleContext, reporter(rule, findings));
        result = { contextKey, findings, offset, placed: findings.map((finding) => shiftFinding(finding, offset)) };
        this.checked.set(item.findings, result);
      } else if (result.offset !== offset && result.findings.length > 0) {
        // Moved (an edit above it changed the text's length): its findings move with it. Most items have none.
        result = { ...result, offset, placed: result.findings.map((finding) => shiftFinding(finding, offset)) };
        this.checked.set(item.findings, result);
      }
      checkedItems[at] = result;
      for (const finding of result.placed) raw.push(finding);
    }
    this.lastItems = parsed.items;
    this.lastChecked = checkedItems;
    for (const rule of rules) {
      if (rule.checkFile && enabled(rule, config)) rule.checkFile(model, contextFor(rule), reporter(rule, raw));
    }
    if (this.finishedKey !== contextKey) {
      this.finished = new WeakMap();
      this.finishedKey = contextKey;
    }
    const findings = finish(raw, model, config, this.finished);
    return { findings, model, timings: { parseMs: parseDone - started, schemaMs, rulesMs: performance.now() - parseDone } };
  }
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
  return {
    ...finding,
    range: { start: finding.range.start + by, end: finding.range.end + by },
    fixes: finding.fixes?.map((fix) => ({
      ...fix,
      edits: fix.edits.map((edit) => ({ ...edit, range: { start: edit.range.start + by, end: edit.range.end + by } })),
    })),
  };
}

/** Applies ignore comments, then severities (config over the finding's own over the rule's default), and sorts.
 * `finished`: the findings with severities of earlier calls with the same config, by the raw finding. */
function finish(raw: RawFinding[], model: AllowlistModel, config: LintConfig, finished?: WeakMap<RawFinding, Finding>): Finding[] {
  const kept = applyIgnores(raw, model);
  const findings: Finding[] = [];
  for (const finding of kept) {
    const known = finished?.get(finding);
    if (known) {
      findings.push(known);
      continue;
    }
    const configured = config.rules[finding.ruleId]?.severity;
    if (configured === 'off') continue;
    const severity: Severity = configured ?? finding.severity ?? ruleById.get(finding.ruleId)?.meta.defaultSeverity ?? 'warning';
    const withSeverity = { ...finding, severity };
    finished?.set(finding, withSeverity);
    findings.push(withSeverity);
  }
  return findings.sort((a, b) => a.range.start - b.range.start || a.range.end - b.range.end || a.ruleId.localeCompare(b.ruleId));
}

function ruleContext(model: AllowlistModel, catalogs: CatalogSet, today: string): RuleContext {
  return { catalogs, vendors: vendorUses(model, catalogs), today, option: <T>(_name: string, fallback: T): T => fallback };
}

/** Everything per-item findings may depend on besides the item's text. */
function contextKeyOf(context: RuleContext, catalogs: CatalogSet, config: LintConfig): string {
  const vendors = [...context.vendors.entries()].map(([id, use]) => [id, use.options]);
  return cacheKey(JSON.stringify([catalogs.key, context.today, vendors, config.rules]));
}
