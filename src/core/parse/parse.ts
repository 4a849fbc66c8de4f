/** Parses an allowlist's text into the model the rules visit, with source ranges, plus the
 * `yaml-syntax` and `schema` findings. Rule items are parsed one chunk at a time (layout.ts) through
 * an `ItemCache`, so a re-lint after an edit re-parses only the items whose text changed. */
import { Document, isMap, isPair, isScalar, isSeq, parseDocument, type Pair, type YAMLMap } from 'yaml';
import { parseAddress } from './address';
import { excerpt, type Finding, quoted, type Range } from '../common';
import { RULE_SECTIONS, scanLayout, type Section } from './layout';
import {
  absolute,
  itemSubject,
  newAllowRule,
  placedRule,
  recordListSplice,
  ruleSide,
  type Address,
  type AllowlistModel,
  type AllowRule,
  type Direction,
  type EndpointProtection,
  type FileKind,
  type PortSet,
  type PortSpan,
  type Protocol,
  type Spanned,
  type VendorDecl,
} from './model';
import { isAnyPort, parsePortSpan } from './ports';
import { validateAllowlistShell, validateInboundRule, validateOutboundRule, type SchemaIssue } from './schema';
import { dealias, isUnquotedWildcard, nodeAtPath, nodeRange, scalarText, toPlain, yamlProblemMessage, YamlValueError } from './yaml-nodes';
import { MARKER, parseIgnoreComments } from './ignore';
import { lexFlowItem, lexHeader, lexItem, type LexedItem, type LexedList, type LexedScalar } from './lexed-item';

/** A finding before the engine assigns its severity (from the rule's default or the user's config). */
export type RawFinding = Omit<Finding, 'severity'> & { severity?: Finding['severity'] };

/** A parsed rule item: its model and its syntax/schema findings, both relative to the item's offset. */
export interface ParsedItem {
  rule: AllowRule;
  findings: RawFinding[];
}

export interface ParsedFile {
  model: AllowlistModel;
  /** Findings outside rule items, at absolute ranges. */
  findings: RawFinding[];
  /** One per rule item, in the order of its section in the file: its parse, with findings relative to the item's offset
   * (a chunk's parse is of its text alone, its rule at index 0 and offset 0, and shared by every parse that reuses it). */
  items: ParsedItem[];
  /** Per item, its rule as placed in the model (the rule of `items` moved to its index and offset). */
  rules: AllowRule[];
  /** Why the file was parsed as one document instead of per item (undefined when it was not). */
  wholeDocumentReason?: string;
  /** Where an alias stands for a whole rule (`- *rule`, or each rule of `inbound: *rules`), at absolute ranges: the
   * rule's ranges are the alias's, so no fix may edit there (whole-document parses only). */
  aliasedItems?: Range[];
  /** For the next parse of the same document (chunked parses only). */
  memo?: ChunkMemo;
  /** Per item, the position in the items of the parse that made `ParseOptions.memo` of the same parse (its text
   * unchanged, moved at most), or -1: how the engine finds what it kept per item without reading the items. */
  previous?: Int32Array;
}

/** What a chunked parse keeps for the next parse of the same document (the editor's re-lint): the text, its layout,
 * its section heads and its items. The next parse takes the items whose chunks lie wholly before or after the edited
 * span from here by position, without slicing or hashing their text. Items are kept in parallel arrays, in file order:
 * a re-lint moves thousands of them, and an object per item would be garbage on every keystroke. */
export interface ChunkMemo {
  text: string;
  layout: FlatLayout;
  /** The parse of each section's head, by its text. */
  heads: Map<string, HeadParse>;
  /** Per item: its chunk's parse, relative to the chunk (index 0, offset 0: what `ItemCache` holds), and its rule as
   * placed in that parse's model (its index and offset). Chunk bounds and directions are the layout's. */
  parsed: ParsedItem[];
  placed: AllowRule[];
  /** Per item, its index in its list (its offset is its chunk's start), and its position in `ParsedFile.items`. */
  indexes: Int32Array;
  itemPositions: Int32Array;
  /** The model's rule lists, each made of `parsed` from `first` (where the section was cut into items): the previous
   * lists of the next parse's `ListSplice`s. */
  lists: { rules: AllowRule[]; first: number }[];
  /** The text has no ignore-comment marker (so no ignore comments): most files. */
  markerFree: boolean;
}

/** The layout as the chunked parse reads it: the sections, and every rule item's chunk as flat arrays of bounds in
 * file order (no object per chunk: after an edit most of them only move; typed arrays, which the collector does not trace). */
interface FlatLayout {
  sections: SectionHead[];
  starts: Int32Array;
  ends: Int32Array;
  /** Per item, its list. */
  directions: Direction[];
}

/** A section without its chunks: those of its items are `count` from `first` in the layout's arrays (`count` undefined
 * where the section is not cut into items). */
type SectionHead = Omit<Section, 'items'> & { first: number; count?: number };

/** A section head's parse: its document, its one pair, and the pair's value as plain JavaScript (or why it could not be read). */
interface HeadParse {
  doc?: Document;
  pair?: Pair;
  plain?: unknown;
  error?: unknown;
}

function flatLayout(sections: Section[]): FlatLayout {
  const heads: SectionHead[] = [];
  const starts: number[] = [];
  const ends: number[] = [];
  const directions: Direction[] = [];
  for (const { items, ...head } of sections) {
    heads.push({ ...head, first: starts.length, count: items?.length });
    for (const chunk of items ?? []) {
      starts.push(chunk.start);
      ends.push(chunk.end);
      directions.push(head.key as Direction);
    }
  }
  return { sections: heads, starts: Int32Array.from(starts), ends: Int32Array.from(ends), directions };
}

/** Parsed items by chunk text; the engine keeps one per open document. */
export type ItemCache = Map<string, ParsedItem>;

const ALLOWLIST_NAME = /\.allowlist\.ya?ml$/i;

export function isAllowlistFileName(fileName: string | undefined): boolean {
  return fileName !== undefined && ALLOWLIST_NAME.test(fileName);
}

export interface ParseOptions {
  fileName?: string;
  /** Filled with this parse's items by chunk text; `previous` is the cache the last parse filled. */
  cache?: ItemCache;
  previous?: ItemCache;
  /** The last chunked parse's memo of the same document (`ParsedFile.memo`). */
  memo?: ChunkMemo;
}

export function parseAllowlist(text: string, options: ParseOptions = {}): ParsedFile {
  const reuse = new Reuse(options.memo, text);
  const scanned = reuse.layout(text) ?? scanLayout(text);
  const layout = scanned && (Array.isArray(scanned) ? flatLayout(scanned) : scanned);
  if (layout) {
    const chunked = parseChunked(text, layout, options, reuse);
    if (chunked) return chunked;
  }
  return parseWhole(text, options.fileName, layout ? 'an item needs the whole document (an alias to another item, or a syntax error in a flow item)' : 'the layout is not a plain block mapping');
}

// ---------------------------------------------------------------------------------------------
// Chunked parse: the fast path for ordinary files.

function parseChunked(text: string, layout: FlatLayout, options: ParseOptions, reuse: Reuse): ParsedFile | undefined {
  const findings: RawFinding[] = [];
  const root = { value: {} as Record<string, unknown> };
  const heads = new Map<string, HeadParse>();
  const headers: { section: SectionHead; doc?: Document; pair?: Pair; plain?: unknown }[] = [];
  for (const section of layout.sections) {
    const head = text.slice(section.start, section.flowStart ?? (section.count ? layout.starts[section.first] : section.end));
    const parse = heads.get(head) ?? options.memo?.heads.get(head) ?? parseHead(options.memo ? ownCopy(head) : head, (RULE_SECTIONS as readonly string[]).includes(section.key));
    heads.set(head, parse);
    const { doc, pair, plain, error } = parse;
    if (doc) findings.push(...syntaxFindings(doc, section.start, head.length));
    headers.push({ section, doc, pair, plain });
    if (error === undefined) root.value[section.key] = plain;
    else if (error instanceof YamlValueError && error.reason === 'unresolved-alias') return undefined;
    else findings.push(valueErrorFinding(error, section.start));
  }
  const kind = fileKind(root.value, options.fileName);
  const model = emptyModel(kind, text);
  const chunks = layout.starts.length;
  // Sized for the chunks (a flow sequence parsed with its section adds its items after them).
  const items: ParsedItem[] = new Array(chunks);
  const placedRules: AllowRule[] = new Array(chunks);
  let position = 0;
  const memo: ChunkMemo = { text, layout, heads, parsed: new Array(chunks), placed: new Array(chunks), indexes: new Int32Array(chunks), itemPositions: new Int32Array(chunks), lists: [], markerFree: false };
  const lastPositions = options.memo ? new Int32Array(chunks).fill(-1) : undefined;
  for (const { section, doc, pair, plain } of headers) {
    model.topKeys[section.key] = shift(nodeRange(pair?.key) ?? { start: 0, end: 0 }, section.start);
    if (section.count !== undefined) {
      const direction = section.key as Direction;
      const flow = section.flowStart !== undefined;
      const rules: AllowRule[] = new Array(section.count);
      // The same list of the last parse, and how many of its first and last rules are kept (the same parses).
      const previousList = options.memo?.lists.find((list) => list.rules[0]?.direction === direction);
      let prefix = 0;
      let suffix = 0;
      for (let index = 0; index < section.count; index++) {
        const at = section.first + index;
        const start = layout.starts[at];
        const end = layout.ends[at];
        const remembered = reuse.unchanged(at, chunks, start, end, direction);
        if (previousList && remembered !== -1) {
          const previousIndex = options.memo!.indexes[remembered];
          if (remembered === previousList.first + previousIndex && previousIndex === index && prefix === index) prefix++;
          else if (remembered === previousList.first + previousIndex && previousList.rules.length - previousIndex === section.count - index) suffix++;
          else suffix = 0;
        } else suffix = 0;
        let parsed = remembered === -1 ? undefined : options.memo!.parsed[remembered];
        if (parsed === undefined) {
          // A re-lint's new items outlive this version of the text (they are kept until edited): each gets a copy of its
          // chunk, not a slice, or every edit's whole document would stay alive through the strings read from it.
          const chunkText = options.memo ? ownCopy(text.slice(start, end)) : text.slice(start, end);
          // No key without a cache to look in (a first lint).
          const key = options.cache || options.previous || options.memo ? `${direction}\n${chunkText}` : undefined;
          if (key !== undefined) parsed = options.cache?.get(key) ?? options.previous?.get(key) ?? reuse.byText(key);
          parsed ??= parseItemChunk(chunkText, direction, flow);
          if (!parsed) return undefined;
          if (key !== undefined) options.cache?.set(key, parsed);
        } else if (options.cache) {
          options.cache.set(`${direction}\n${text.slice(start, end)}`, parsed);
        }
        memo.parsed[at] = parsed;
        // Where it was last time: the same placed item (read from the memo's arrays, not from the item: a re-lint
        // goes over 10,000 of them, and each object read is a likely cache miss).
        const placed = remembered !== -1 && options.memo!.layout.starts[remembered] === start && options.memo!.indexes[remembered] === index ? options.memo!.placed[remembered] : placedRule(parsed.rule, index, start);
        memo.placed[at] = placed;
        memo.indexes[at] = index;
        memo.itemPositions[at] = position;
        if (lastPositions && remembered !== -1) lastPositions[position] = options.memo!.itemPositions[remembered];
        items[position] = parsed;
        placedRules[position++] = placed;
        rules[index] = placed;
      }
      model[direction] = rules;
      memo.lists.push({ rules, first: section.first });
      if (previousList) recordListSplice(rules, previousList.rules, { prefix, suffix: Math.min(suffix, section.count - prefix, previousList.rules.length - prefix) });
      root.value[section.key] = nullList(section.count);
    } else if ((RULE_SECTIONS as readonly string[]).includes(section.key) && pair && isSeq(pair.value)) {
      // A flow sequence (`outbound: [...]`) is parsed with its section: its items are not cached separately.
      const direction = section.key as Direction;
      // The items' plain values were read with the section's (under its limits): not read again.
      const plainItems = Array.isArray(plain) ? plain : undefined;
      const parsedItems = pair.value.items.map((node, index) => buildItem(node, doc!, direction, index, section.start, nodeRange(node)?.start ?? 0, plainItems && { value: plainItems[index] }));
      for (const item of parsedItems) {
        items[position] = item;
        placedRules[position++] = item.rule;
      }
      model[direction] = parsedItems.map((item) => item.rule);
      root.value[section.key] = nullList(parsedItems.length);
    }
    buildHeader(model, section.key, pair, doc, section.start);
  }
  if (kind === 'allowlist') findings.push(...schemaFindingsAt(validateAllowlistShell, root.value, (path) => locateTop(headers, path)));
  memo.markerFree = reuse.markerFree(text) || !text.includes(MARKER);
  model.ignores = memo.markerFree ? [] : parseIgnoreComments(text);
  // Items of a flow sequence parsed with its section are not in the memo: for them, no position.
  return { model, findings, items, rules: placedRules, memo, previous: lastPositions && items.length > lastPositions.length ? undefined : lastPositions };
}

/** An array of `length` nulls: what the file's shell schema sees for a rule list (the items are validated one by one).
 * The same few lengths come back on every keystroke, so the last few are kept (the validator does not change its value). */
function nullList(length: number): null[] {
  let list = nullLists.get(length);
  if (!list) {
    if (nullLists.size >= 4) nullLists.clear();
    nullLists.set(length, (list = new Array<null>(length).fill(null)));
  }
  return list;
}

const nullLists = new Map<number, null[]>();

/** A section head's parse, the same for every lint while its text is unchanged: its text alone, read by the scanner
 * where it is in the plain shape (then without a document: no syntax findings, no aliases), else by `yaml`. */
function parseHead(head: string, ruleSection: boolean): HeadParse {
  const scanned = lexHeader(head, ruleSection);
  const doc = scanned ? undefined : parseDocument(head, { prettyErrors: false });
  const pair = scanned ?? (doc && isMap(doc.contents) ? (doc.contents.items[0] as Pair | undefined) : undefined);
  try {
    return { doc, pair, plain: pair ? toPlain(pair.value, doc) : null };
  } catch (error) {
    return { doc, pair, error };
  }
}

/** `text` in a string of its own: V8 makes a substring of 13 or more characters a view into its parent string, which it
 * then keeps alive; a concatenation is copied into a new flat string when it is sliced. */
function ownCopy(text: string): string {
  return ` ${text}`.slice(1);
}

/** The last parse's items that an edit left alone: those whose chunks lie in the text before the first changed
 * character or after the last one, found by position (the n-th chunk, or the n-th from the end); and the others
 * by their text. */
class Reuse {
  private readonly before: number = 0;
  private readonly after: number = 0;
  private readonly delta: number = 0;
  private textKeyed?: Map<string, ParsedItem>;

  constructor(
    private readonly memo: ChunkMemo | undefined,
    text: string,
  ) {
    if (!memo) return;
    const old = memo.text;
    const shorter = Math.min(old.length, text.length);
    this.before = commonPrefix(old, text, shorter);
    this.after = commonSuffix(old, text, shorter - this.before);
    this.delta = text.length - old.length;
  }

  /** The last layout, moved by the edit, where the edit cannot change it: an edit within one line, after the first
   * two characters of a line that is not a top-level one (of those lines the scan reads no further). */
  layout(text: string): FlatLayout | undefined {
    if (!this.memo) return undefined;
    const { text: old, layout } = this.memo;
    if (old === text) return layout;
    const oldEnd = old.length - this.after;
    if (/[\r\n]/.test(old.slice(this.before, oldEnd)) || /[\r\n]/.test(text.slice(this.before, text.length - this.after))) return undefined;
    // Any character can change how a flow sequence is cut.
    if (layout.sections.some((section) => section.flowStart !== undefined && section.start <= this.before && this.before < section.end)) return undefined;
    const lineStart = text.lastIndexOf('\n', this.before - 1) + 1;
    let first = lineStart;
    while (first < this.before && text.charCodeAt(first) === 32) first++;
    if (first === lineStart || first + 2 > this.before) return undefined;
    if (this.delta === 0) return layout;
    const delta = this.delta;
    const move = (at: number): number => (at >= oldEnd ? at + delta : at);
    return {
      sections: layout.sections.map((section) => ({ ...section, start: move(section.start), end: move(section.end), ...(section.flowStart !== undefined && { flowStart: move(section.flowStart) }) })),
      starts: layout.starts.map(move),
      ends: layout.ends.map(move),
      directions: layout.directions,
    };
  }

  /** The position in the memo of the item whose chunk had exactly this text, for the `at`-th of `chunks` items; -1 if none. */
  unchanged(at: number, chunks: number, start: number, end: number, direction: Direction): number {
    if (!this.memo) return -1;
    const { starts, ends, directions } = this.memo.layout;
    let found = -1;
    let shift = 0;
    if (end <= this.before) {
      found = at;
    } else if (start >= this.memo.text.length + this.delta - this.after) {
      found = at + starts.length - chunks;
      shift = this.delta;
    }
    return found >= 0 && found < starts.length && starts[found] === start - shift && ends[found] === end - shift && directions[found] === direction ? found : -1;
  }

  /** An item of the edited span by its text: e.g. items moved by a cut and paste, or both ends of a two-place edit. */
  byText(key: string): ParsedItem | undefined {
    if (!this.memo) return undefined;
    if (!this.textKeyed) {
      this.textKeyed = new Map();
      const { text, parsed } = this.memo;
      const { starts, ends, directions } = this.memo.layout;
      const editedEnd = text.length - this.after;
      // Items are in file order: from the first that ends after the unchanged start, while they start before the unchanged end.
      let low = 0;
      for (let high = starts.length; low < high; ) {
        const mid = (low + high) >> 1;
        if (ends[mid] > this.before) high = mid;
        else low = mid + 1;
      }
      for (let at = low; at < starts.length && starts[at] < editedEnd; at++) {
        this.textKeyed.set(`${directions[at]}\n${text.slice(starts[at], ends[at])}`, parsed[at]);
      }
    }
    return this.textKeyed.get(key);
  }

  /** Whether the text has no ignore-comment marker, where the last text had none: then only an edit that wrote one
   * (in or across the edited span) could have. */
  markerFree(text: string): boolean {
    if (!this.memo?.markerFree) return false;
    const reach = MARKER.length - 1;
    return !text.slice(Math.max(0, this.before - reach), Math.min(text.length, text.length - this.after + reach)).includes(MARKER);
  }
}

/** Length of the common prefix of `a` and `b`, at most `limit`: compared in blocks, then character by character. */
function commonPrefix(a: string, b: string, limit: number): number {
  let at = 0;
  for (let block = 65536; block >= 1; block >>= 4) {
    while (at + block <= limit && a.slice(at, at + block) === b.slice(at, at + block)) at += block;
  }
  return at;
}

/** Length of the common suffix of `a` and `b`, at most `limit`. */
function commonSuffix(a: string, b: string, limit: number): number {
  let length = 0;
  for (let block = 65536; block >= 1; block >>= 4) {
    while (length + block <= limit && a.slice(a.length - length - block, a.length - length) === b.slice(b.length - length - block, b.length - length)) length += block;
  }
  return length;
}

/** A rule item's chunk: a block item `- ...`, or a flow item `{...}` of a flow sequence. The scanner's fast path
 * where it reads the item, else `parseDocument`. Undefined where the chunk cannot stand alone (an alias to another
 * chunk; for a flow item, any syntax error: the scan that cut it reads less than YAML does, so only the whole
 * document's parse can say what is wrong there, and where). */
function parseItemChunk(chunkText: string, direction: Direction, flow: boolean): ParsedItem | undefined {
  const lexed = flow ? lexFlowItem(chunkText) : lexItem(chunkText);
  const fast = lexed && buildLexedItem(lexed, direction);
  if (fast) return fast;
  const doc = parseDocument(chunkText, { prettyErrors: false });
  const contents = doc.contents;
  const node = flow
    ? doc.errors.length === 0 && isMap(contents) && contents.flow
      ? contents
      : undefined
    : isSeq(contents) && contents.items.length === 1
      ? contents.items[0]
      : undefined;
  if (node === undefined) return undefined;
  if (chunkText.includes('*') && hasUnresolvedAlias(doc)) return undefined;
  const item = buildItem(node, doc, direction, 0, 0, 0, undefined, chunkText);
  item.findings.unshift(...syntaxFindings(doc, 0, chunkText.length));
  return item;
}

/** An alias whose anchor may stand in another chunk: only the whole document can resolve it. */
function hasUnresolvedAlias(doc: Document): boolean {
  try {
    toPlain(doc.contents, doc);
    return false;
  } catch (error) {
    return error instanceof YamlValueError && error.reason === 'unresolved-alias';
  }
}

// ---------------------------------------------------------------------------------------------
// Whole-document parse: for files the layout scan does not cut (and the reference the chunked path must equal).

export function parseWhole(text: string, fileName?: string, reason = 'requested'): ParsedFile {
  const doc = parseDocument(text, { prettyErrors: false, uniqueKeys: true });
  const findings: RawFinding[] = [...syntaxFindings(doc, 0, text.length), ...repeatedYamlDirectives(text)];
  const model = emptyModel('other', text);
  const items: ParsedItem[] = [];
  const aliasedItems: Range[] = [];
  let plain: unknown = null;
  /** False when the values could not be read (an alias bomb, an alias without its anchor): that finding says why, and the schema has nothing to check. */
  let readable = true;
  let valueError: RawFinding | undefined;
  try {
    plain = toPlain(doc.contents, doc);
  } catch (error) {
    readable = false;
    valueError = valueErrorFinding(error, 0);
  }
  const rootMap = isMap(doc.contents) ? doc.contents : undefined;
  model.kind = fileKind(plain, fileName);
  if (rootMap) {
    for (const pair of rootMap.items) {
      const key = scalarText(pair.key);
      if (key === undefined) continue;
      if (!(key in model.topKeys)) model.topKeys[key] = nodeRange(pair.key) ?? { start: 0, end: 0 };
      // A rule list may be an alias of another (`inbound: *rules`): it holds that list's rules, placed at the alias.
      const { node: list, range: listAlias } = (RULE_SECTIONS as readonly string[]).includes(key) ? dealias(pair.value, doc) : { node: undefined, range: undefined };
      if (isSeq(list)) {
        const direction = key as Direction;
        const parsedItems = list.items.map((node, index) => buildItem(node, doc, direction, index, 0, listAlias?.start ?? nodeRange(node)?.start ?? 0, undefined, text, listAlias));
        items.push(...parsedItems);
        model[direction] = parsedItems.map((item) => item.rule);
        for (const node of list.items) {
          const aliasAt = listAlias ?? dealias(node, doc).range;
          if (aliasAt) aliasedItems.push(aliasAt);
        }
      }
      buildHeader(model, key, pair, doc, 0);
    }
  }
  // A value that cannot be read inside a rule item is that item's finding (which moves with it), not the file's too.
  if (valueError && !items.some((item) => item.findings.some((finding) => finding.subject === valueError.subject && absolute(item.rule, finding.range).start === valueError.range.start))) findings.push(valueError);
  // Issues about the whole file point at its first key, as the chunked parse does (not at the whole file).
  // An empty file (or one with only comments) reads as an empty mapping, as in the chunked parse.
  const blank = doc.contents === null || (isScalar(doc.contents) && text.slice(doc.contents.range?.[0] ?? 0, doc.contents.range?.[1] ?? 0).trim() === '');
  if (model.kind === 'allowlist' && blank) plain = {};
  const locateRoot = (path: (string | number)[]) =>
    path.length === 0 && (rootMap || blank) ? { node: rootMap?.items[0]?.key, base: 0 } : locate(doc.contents, path, 0);
  if (model.kind === 'allowlist' && plain !== null && typeof plain === 'object' && !Array.isArray(plain)) {
    const shell = { ...(plain as Record<string, unknown>) };
    for (const key of RULE_SECTIONS) if (Array.isArray(shell[key])) shell[key] = (shell[key] as unknown[]).map(() => null);
    findings.push(...schemaFindingsAt(validateAllowlistShell, shell, locateRoot));
  } else if (readable && (model.kind === 'allowlist' || (plain !== null && typeof plain !== 'object'))) {
    findings.push(...schemaFindingsAt(validateAllowlistShell, plain, locateRoot));
  }
  model.ignores = parseIgnoreComments(text);
  return { model, findings, items, rules: items.map((item) => item.rule), wholeDocumentReason: reason, aliasedItems: aliasedItems.length > 0 ? aliasedItems : undefined };
}

// ---------------------------------------------------------------------------------------------
// Model building.

function emptyModel(kind: FileKind, text: string): AllowlistModel {
  return { kind, text, topKeys: {}, vendors: [], outbound: [], inbound: [], ignores: [] };
}

function fileKind(plain: unknown, fileName: string | undefined): FileKind {
  const top = plain !== null && typeof plain === 'object' && !Array.isArray(plain) ? (plain as Record<string, unknown>) : undefined;
  if (top && 'allowlist' in top) return 'allowlist';
  if (top && 'catalog' in top) return 'catalog';
  return isAllowlistFileName(fileName) ? 'allowlist' : 'other';
}

/**
 * Builds one rule item. `base` is subtracted from node ranges so that the rule's ranges are relative to
 * `offset`: a chunk parse passes 0 (the chunk starts at the item's line, and the engine sets the chunk's
 * offset); a section or whole-document parse passes the item's own start.
 */
/** `plain`: the item's value as plain JavaScript, if already read; `source`: the text `doc` was parsed from, where it
 * is a block item's. */
function buildItem(node: unknown, doc: Document, direction: Direction, index: number, sectionOffset: number, base: number, plain?: { value: unknown }, source?: string, listAlias?: Range): ParsedItem {
  // An item that is an alias of another (`- *rule`), or in a list that is one, is that rule again where the alias is:
  // every range is the alias's (its text is the anchor's, elsewhere).
  const aliased = dealias(node, doc);
  const aliasAt = listAlias ?? aliased.range;
  node = aliased.node;
  const itemRange = aliasAt ?? (source === undefined ? nodeRange(node) : withoutNextIndent(nodeRange(node), source)) ?? { start: 0, end: 0 };
  const rel = (range: Range | undefined): Range => {
    const at = aliasAt ?? range;
    return at ? { start: at.start - base, end: at.end - base } : { start: 0, end: 0 };
  };
  const rule = newAllowRule(direction, index, sectionOffset + base, rel(itemRange));
  const findings: RawFinding[] = [];
  let readable = true;
  let value: unknown;
  try {
    value = plain ? plain.value : toPlain(node, doc);
  } catch (error) {
    readable = false;
    findings.push(valueErrorFinding(error, negated(base)));
  }
  if (isMap(node)) {
    for (const pair of node.items) {
      const key = scalarText(pair.key);
      if (key === undefined) continue;
      rule.keys[key] = rel(nodeRange(pair.key));
      // An aliased value (`to: *hosts`) is read from its anchor, at the alias's place.
      const { node: value, range: aliasRange } = dealias(pair.value, doc);
      const valueRange = rel(aliasRange ?? valueRangeOf(value) ?? nodeRange(pair.key));
      switch (key) {
        case 'name':
        case 'description':
        case 'vendor':
        case 'ticket':
        case 'owner': {
          const text = scalarText(value);
          if (text !== undefined) rule[key] = { value: text, range: valueRange };
          break;
        }
        case 'from':
        case 'to':
          rule[key] = ruleSide(addressesOf(value, doc, rel, aliasRange), valueRange);
          break;
        case 'ports':
          rule.ports = portsOf(value, doc, rel, valueRange, aliasRange);
          break;
        case 'protocol': {
          const text = scalarText(value)?.toLowerCase();
          if (text === 'tcp' || text === 'udp' || text === 'any') rule.protocol = { value: text as Protocol, range: valueRange };
          break;
        }
        case 'expires': {
          const text = scalarText(value);
          if (text !== undefined) rule.expires = { value: text, range: valueRange, date: validDate(text) };
          break;
        }
      }
    }
  }
  const subject = itemSubject(rule);
  // An aliased item's unquoted wildcards are its anchor's, reported there.
  for (const wildcard of aliasAt ? [] : unquotedWildcards(node)) {
    const range = rel(nodeRange(wildcard));
    findings.push({
      ruleId: 'yaml-syntax',
      message: `YAML reads an unquoted ${excerpt(`*${wildcard.source}`)} as an alias; quote the wildcard: ${quoted(`*${wildcard.source}`)}`,
      range,
      subject: `${subject}:unquoted:*${wildcard.source}`,
      fixes: [{ title: `Quote "*${wildcard.source}"`, edits: [{ range, newText: `"*${wildcard.source}"` }], preferred: true }],
    });
  }
  if (!readable) return { rule, findings };
  const validate = direction === 'outbound' ? validateOutboundRule : validateInboundRule;
  findings.push(
    ...schemaFindingsAt(validate, value, (path) => locate(node, path, base), source).map((finding) => ({
      ...finding,
      ...(aliasAt && { range: rel(aliasAt), fixes: undefined }),
      subject: `${subject}:${finding.subject}`,
    })),
  );
  return { rule, findings };
}

/** `buildItem` for an item read by the scanner of lexed-item.ts (at index 0 and offset 0, as a chunk), without `yaml` nodes:
 * the same rule, value and findings. Undefined when the schema has something to say: locating its findings
 * needs the nodes, so the caller parses the chunk with `parseDocument` then. */
function buildLexedItem(item: LexedItem, direction: Direction): ParsedItem | undefined {
  const rule = newAllowRule(direction, 0, 0, itemRange(item.start, item.end));
  const value: Record<string, unknown> = {};
  for (const { key, value: node } of item.entries) {
    const name = String(key.value);
    value[name] = 'items' in node ? node.items.map((scalar) => scalar.value) : node.value;
    rule.keys[name] = itemRange(key.start, key.end);
    const valueRange = itemRange(node.start, node.end);
    const text = 'items' in node ? undefined : String(node.value);
    // A property per case, not `rule[name]`: keyed stores with a varying name are slow, and this runs for every item.
    switch (name) {
      case 'name':
        if (text !== undefined) rule.name = { value: text, range: valueRange };
        break;
      case 'description':
        if (text !== undefined) rule.description = { value: text, range: valueRange };
        break;
      case 'vendor':
        if (text !== undefined) rule.vendor = { value: text, range: valueRange };
        break;
      case 'ticket':
        if (text !== undefined) rule.ticket = { value: text, range: valueRange };
        break;
      case 'owner':
        if (text !== undefined) rule.owner = { value: text, range: valueRange };
        break;
      case 'from':
        rule.from = ruleSide(addressesOfLexed(node, valueRange), valueRange);
        break;
      case 'to':
        rule.to = ruleSide(addressesOfLexed(node, valueRange), valueRange);
        break;
      case 'ports':
        rule.ports = portsOfLexed(node, valueRange);
        break;
      case 'protocol': {
        const protocol = text?.toLowerCase();
        if (protocol === 'tcp' || protocol === 'udp' || protocol === 'any') rule.protocol = { value: protocol, range: valueRange };
        break;
      }
      case 'expires':
        if (text !== undefined) rule.expires = { value: text, range: valueRange, date: validDate(text) };
        break;
    }
  }
  const started = performance.now();
  const issues = (direction === 'outbound' ? validateOutboundRule : validateInboundRule)(value);
  parseStats.schemaMs += performance.now() - started;
  return issues.length === 0 ? { rule, findings: [] } : undefined;
}

/** A range in a rule item (relative to its chunk). Items look alike, the same keys at the same places and values of
 * similar lengths, and a range is never changed in place: one object serves every item with the same range. Made per
 * key and value, they were some 130,000 of the 300,000 objects a lint of 10,000 rules holds (30 → 25 MB), which every
 * collection during the lint copies. Those of small items only, so that what is shared stays small (at most
 * 1,024 × 128 ranges, a few thousand in practice) in a server that runs for days. */
function itemRange(start: number, end: number): Range {
  const length = end - start;
  if (start >= SHARED_RANGE_STARTS || length >= SHARED_RANGE_LENGTHS || length < 0) return { start, end };
  const byLength = (sharedRanges[start] ??= new Array<Range | undefined>(SHARED_RANGE_LENGTHS).fill(undefined));
  return (byLength[length] ??= { start, end });
}

const SHARED_RANGE_STARTS = 1024;
const SHARED_RANGE_LENGTHS = 128;
/** By start, then length; filled with `undefined` (not holes: V8 keeps an array with far-apart holes as a dictionary). */
const sharedRanges: ((Range | undefined)[] | undefined)[] = new Array(SHARED_RANGE_STARTS).fill(undefined);

/** A scalar's or a list's addresses. A scalar's address is at the value's range: the same object (ranges are not
 * changed in place), one fewer per rule in the model. */
function addressesOfLexed(node: LexedScalar | LexedList, valueRange: Range): Address[] {
  return 'items' in node ? node.items.map(addressOfLexed) : [parseAddress(String(node.value), valueRange)];
}

function addressOfLexed(scalar: LexedScalar): Address {
  return parseAddress(String(scalar.value), itemRange(scalar.start, scalar.end));
}

/** A lexed `ports:` value. Its spans' array is made at its size: one filled by `push` has room for 17 (152 bytes per
 * rule, kept as long as the model). */
function portsOfLexed(node: LexedScalar | LexedList, range: Range): PortSet {
  if (!('items' in node)) return isAnyPort(node.value) ? { any: true, spans: [], range } : { any: false, spans: [parsePortSpan({ value: node.value, range })], range };
  const spans = node.items.filter((scalar) => !isAnyPort(scalar.value)).map(portSpanOfLexed);
  return { any: spans.length < node.items.length, spans, range };
}

function portSpanOfLexed(scalar: LexedScalar): PortSpan {
  return parsePortSpan({ value: scalar.value, range: itemRange(scalar.start, scalar.end) });
}

/** A value's range without what follows its last item: `yaml` ends a block collection after its last
 * line break (and a trailing comment), which would put findings and fixes on the value onto the next line. */
function valueRangeOf(node: unknown): Range | undefined {
  const range = nodeRange(node);
  if (!range || !(isSeq(node) || isMap(node)) || node.flow || node.items.length === 0) return range;
  const last: unknown = node.items[node.items.length - 1];
  const inner = valueRangeOf(isPair(last) ? (last.value ?? last.key) : last);
  return inner ? { start: range.start, end: inner.end } : range;
}

/** The scalars of a value (one, or a list's), each with the range to report it at: an alias's own where the
 * list or the item is aliased (`at`: the whole list's alias). */
function scalarsOfNode(node: unknown, doc: Document, at: Range | undefined): { node: unknown; range?: Range }[] {
  const items = isSeq(node) ? node.items : [node];
  return items.map((item) => {
    const resolved = dealias(item, doc);
    return { node: resolved.node, range: at ?? resolved.range ?? nodeRange(item) };
  });
}

function addressesOf(node: unknown, doc: Document, rel: (range: Range | undefined) => Range, at: Range | undefined): Address[] {
  const addresses: Address[] = [];
  for (const { node: item, range } of scalarsOfNode(node, doc, at)) {
    const text = isScalar(item) ? (item.value === null ? '' : String(item.value)) : isUnquotedWildcard(item) ? `*${item.source}` : undefined;
    if (text !== undefined) addresses.push(parseAddress(text, rel(range)));
  }
  return addresses;
}

function portsOf(node: unknown, doc: Document, rel: (range: Range | undefined) => Range, range: Range, at: Range | undefined): PortSet {
  const set: PortSet = { any: false, spans: [], range };
  for (const { node: item, range: itemRange } of scalarsOfNode(node, doc, at)) {
    if (!isScalar(item)) continue;
    if (isAnyPort(item.value)) set.any = true;
    else set.spans.push(parsePortSpan({ value: item.value, range: rel(itemRange) }));
  }
  return set;
}

/** `text` if it is a YYYY-MM-DD date of the (proleptic) Gregorian calendar: by arithmetic, as a `Date` costs far more. */
function validDate(text: string): string | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) return undefined;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const days = month === 2 ? (leap ? 29 : 28) : month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
  return month >= 1 && month <= 12 && day >= 1 && day <= days ? text : undefined;
}

function unquotedWildcards(node: unknown): { source: string; range?: [number, number, number] }[] {
  const found: { source: string; range?: [number, number, number] }[] = [];
  const walk = (current: unknown): void => {
    if (isUnquotedWildcard(current)) found.push(current as never);
    else if (isMap(current)) for (const pair of current.items) walk(pair.value);
    else if (isSeq(current)) for (const item of current.items) walk(item);
  };
  walk(node);
  return found;
}

function buildHeader(model: AllowlistModel, key: string, pair: Pair | undefined, doc: Document | undefined, offset: number): void {
  if (!pair) return;
  const value = pair.value;
  const abs = (range: Range | undefined): Range => shift(range ?? nodeRange(pair.key) ?? { start: 0, end: 0 }, offset);
  switch (key) {
    case 'allowlist':
      model.version = { value: isScalar(value) ? value.value : toSafePlain(value, doc), range: abs(nodeRange(value)) };
      break;
    case 'site':
    case 'description': {
      const text = scalarText(value);
      if (text !== undefined) model[key] = { value: text, range: abs(nodeRange(value)) };
      break;
    }
    case 'vendors':
      model.vendorsRange = abs(nodeRange(pair.key));
      if (isMap(value)) model.vendors = value.items.flatMap((entry) => vendorDecl(entry, doc, abs));
      break;
    case 'endpoint-protection':
      model.endpointProtection = endpointProtection(pair, abs);
      break;
    case 'outbound':
      model.outboundKey = abs(nodeRange(pair.key));
      break;
    case 'inbound':
      model.inboundKey = abs(nodeRange(pair.key));
      break;
  }
}

function vendorDecl(entry: Pair, doc: Document | undefined, abs: (range: Range | undefined) => Range): VendorDecl[] {
  const id = scalarText(entry.key);
  if (id === undefined) return [];
  const options: Record<string, Spanned<unknown>> = {};
  const optionKeys: Record<string, Range> = {};
  if (isMap(entry.value)) {
    for (const option of (entry.value as YAMLMap).items) {
      const name = scalarText(option.key);
      if (name === undefined) continue;
      options[name] = { value: toSafePlain(option.value, doc), range: abs(nodeRange(option.value) ?? nodeRange(option.key)) };
      optionKeys[name] = abs(nodeRange(option.key));
    }
  }
  const keyRange = abs(nodeRange(entry.key));
  const valueRange = nodeRange(entry.value);
  return [{ id, range: keyRange, options, optionKeys, entryRange: { start: keyRange.start, end: valueRange ? abs(valueRange).end : keyRange.end } }];
}

function endpointProtection(pair: Pair, abs: (range: Range | undefined) => Range): EndpointProtection {
  const result: EndpointProtection = { range: abs(nodeRange(pair.value) ?? nodeRange(pair.key)), keyRange: abs(nodeRange(pair.key)), products: [], exclusions: [] };
  if (!isMap(pair.value)) return result;
  for (const field of pair.value.items) {
    const name = scalarText(field.key);
    if (name === 'products') {
      result.productsRange = abs(nodeRange(field.value) ?? nodeRange(field.key));
      result.products = stringsOf(field.value, abs);
    } else if (name === 'exclusions') {
      result.exclusionsRange = abs(nodeRange(field.value) ?? nodeRange(field.key));
      if (!isSeq(field.value)) continue;
      for (const item of field.value.items) {
        if (!isMap(item)) continue;
        const pathPair = item.items.find((p) => scalarText(p.key) === 'path');
        const productsPair = item.items.find((p) => scalarText(p.key) === 'products');
        const path = pathPair ? scalarText(pathPair.value) : undefined;
        if (path === undefined) continue;
        result.exclusions.push({
          path: { value: path, range: abs(nodeRange(pathPair!.value)) },
          products: productsPair ? stringsOf(productsPair.value, abs) : undefined,
          range: abs(nodeRange(item)),
        });
      }
    }
  }
  return result;
}

function stringsOf(node: unknown, abs: (range: Range | undefined) => Range): Spanned<string>[] {
  const nodes = isSeq(node) ? node.items : [node];
  return nodes.flatMap((item) => {
    const text = scalarText(item);
    return text === undefined ? [] : [{ value: text, range: abs(nodeRange(item)) }];
  });
}

function toSafePlain(node: unknown, doc: Document | undefined): unknown {
  try {
    return toPlain(node, doc);
  } catch {
    return null;
  }
}

// ---------------------------------------------------------------------------------------------
// Findings from the YAML parser and the schema.

function syntaxFindings(doc: Document, offset: number, length: number): RawFinding[] {
  return [...doc.errors, ...doc.warnings].map((error) => {
    // The parser may point one past the end ("expected ] at end of input"): keep ranges inside the text.
    const start = Math.min(error.pos[0], length);
    const end = Math.min(Math.max(error.pos[1], start), length);
    const message = yamlProblemMessage(error);
    return {
      ruleId: 'yaml-syntax',
      severity: doc.errors.includes(error as never) ? 'error' : 'warning',
      message,
      range: { start: start + offset, end: end + offset },
      subject: `yaml:${error.code}:${message}`,
    };
  });
}

/** A second `%YAML` directive before a document's `---`: YAML 1.2 forbids it, `yaml` accepts it silently. */
function repeatedYamlDirectives(text: string): RawFinding[] {
  if (!text.includes('%YAML')) return [];
  const findings: RawFinding[] = [];
  let prologue = true;
  let seen = false;
  let start = 0;
  while (start < text.length) {
    const newline = text.indexOf('\n', start);
    const end = newline === -1 ? text.length : newline;
    const content = text.slice(start, end).replace(/\r$/, '');
    if (content.startsWith('...')) {
      prologue = true;
      seen = false;
    } else if (prologue && content.startsWith('%')) {
      if (/^%YAML(?:[ \t]|$)/.test(content)) {
        if (seen) {
          findings.push({
            ruleId: 'yaml-syntax',
            severity: 'error',
            message: 'a document may have only one %YAML directive',
            range: { start, end: start + content.length },
            subject: 'yaml:DUPLICATE_YAML_DIRECTIVE',
          });
        }
        seen = true;
      }
    } else if (content.startsWith('---') || (prologue && content.trim() !== '' && !content.startsWith('#'))) {
      prologue = false;
      seen = false;
    }
    start = end + 1;
  }
  return findings;
}

function valueErrorFinding(error: unknown, offset: number): RawFinding {
  const range = error instanceof YamlValueError ? nodeRange(error.node) : undefined;
  const message = error instanceof Error ? error.message : String(error);
  return {
    ruleId: 'yaml-syntax',
    message,
    range: range ? shift(range, offset) : { start: 0, end: 0 },
    subject: `yaml:value:${message}`,
  };
}

/** Time spent in JSON Schema validation since the engine last reset it (the engine's `schemaMs`). */
export const parseStats = { schemaMs: 0 };

/** Schema issues at the ranges of the nodes they are about: the key for an unknown key, else the value. With the
 * `source` the nodes were parsed from, a range that ends in the next line's indentation ends at its line break. */
function schemaFindingsAt(
  validate: (value: unknown) => SchemaIssue[],
  value: unknown,
  locateAt: (path: (string | number)[]) => { node: unknown; pair?: Pair; base: number },
  source?: string,
): RawFinding[] {
  const started = performance.now();
  const issues = validate(value);
  parseStats.schemaMs += performance.now() - started;
  return issues.map((issue) => {
    const { node, pair, base } = locateAt(issue.path);
    const target = issue.target === 'key' && pair ? pair.key : node ?? pair?.key;
    const range = source === undefined ? nodeRange(target) : withoutNextIndent(nodeRange(target), source);
    const at = range ? shift(range, negated(base)) : { start: 0, end: 0 };
    const rename = issue.suggestion !== undefined && range ? [{ title: `Rename to ${issue.suggestion}`, edits: [{ range: at, newText: issue.suggestion }], preferred: true }] : undefined;
    return {
      ruleId: 'schema',
      message: issue.message,
      range: at,
      subject: `schema:${issue.path.join('/')}:${issue.message}`,
      ...(rename && { fixes: rename }),
    };
  });
}

/** `yaml` ends a block map whose last value is empty and followed by a comment line after the next line's
 * indentation (the whole document's item before `  - name: …`), where a chunk's text ends at the line break: the
 * item, and findings on it, end there in both. */
function withoutNextIndent(range: Range | undefined, source: string): Range | undefined {
  if (!range) return range;
  let end = range.end;
  while (end > range.start && (source[end - 1] === ' ' || source[end - 1] === '\t')) end--;
  return end < range.end && end > range.start && source[end - 1] === '\n' ? { start: range.start, end } : range;
}

function locate(root: unknown, path: (string | number)[], base: number): { node: unknown; pair?: Pair; base: number } {
  return { ...nodeAtPath(root, path), base };
}

function locateTop(headers: { section: Section; pair?: Pair }[], path: (string | number)[]): { node: unknown; pair?: Pair; base: number } {
  if (path.length === 0) {
    // The whole file: point at the first key.
    const first = headers[0];
    return { node: first?.pair?.key, base: negated(first?.section.start ?? 0) };
  }
  const header = headers.find((h) => h.section.key === String(path[0]));
  if (!header?.pair) return { node: undefined, base: 0 };
  const found = nodeAtPath(header.pair.value, path.slice(1));
  return { node: found.node, pair: path.length === 1 ? header.pair : found.pair, base: negated(header.section.start) };
}

/** `-offset`, but 0 for 0: V8 keeps -0 as a heap number, so do the offsets computed from it, and once a range's
 * `start` or `end` is one, V8 stores those fields as heap numbers in every range made after (in the language server,
 * for the rest of the session). */
function negated(offset: number): number {
  return 0 - offset;
}

function shift(range: Range, by: number): Range {
  return { start: range.start + by, end: range.end + by };
}
