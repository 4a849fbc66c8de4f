/** A fast route through a rule item's chunk (a block item's `- ...`, or a flow item's `{...}`): `parseDocument`
 * builds a token stream, a CST and node classes, and the plain shape rule items almost always have (keys with
 * scalars, flow lists of scalars or block lists of scalars as values) needs none of them. This scanner reads such
 * an item straight from the chunk's text, by offsets (it slices only keys and values), with the values and ranges
 * `yaml`'s Composer would give the nodes (a list's range as `valueRangeOf` trims it: up to its last item, or its
 * closing bracket). Anything it is not sure YAML reads the same way returns undefined, and the caller parses the
 * chunk with `parseDocument`, which also reports what is wrong with it: comments, blank lines, tabs, anchors,
 * aliases, tags, block or multi-line or escaped scalars, values YAML would read as other than a string or a small
 * integer, quoted or duplicate keys, odd indentation, control characters. */

import { Pair, Scalar, YAMLMap, YAMLSeq } from 'yaml';
import { isDigit, isDigits } from './chars';

/** Plain scalars the core schema reads as null, a boolean or a number (other than the small integers taken below). */
const NOT_A_STRING = /^(?:~|[Nn]ull|NULL|[Tt]rue|TRUE|[Ff]alse|FALSE|[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+|[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/;
/** `yaml` reports implicit keys longer than this. */
const KEY_LIMIT = 1024;

const TAB = 0x09;
const LF = 0x0a;
const CR = 0x0d;
const SPACE = 0x20;
const QUOTE = 0x22;
const HASH = 0x23;
const APOSTROPHE = 0x27;
const COMMA = 0x2c;
const DASH = 0x2d;
const COLON = 0x3a;
const OPEN_BRACKET = 0x5b;
const BACKSLASH = 0x5c;
const CLOSE_BRACKET = 0x5d;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;

export interface LexedScalar {
  value: string | number;
  start: number;
  end: number;
}

export interface LexedList {
  items: LexedScalar[];
  flow: boolean;
  start: number;
  end: number;
}

export interface LexedItem {
  entries: { key: LexedScalar; value: LexedScalar | LexedList }[];
  /** The item map's range: from its first key to the end of its last line. */
  start: number;
  end: number;
}

/** The item of a chunk `- key: value ...`, or undefined where `parseDocument` must read it. */
export function lexItem(chunkText: string): LexedItem | undefined {
  return new ItemScanner(chunkText).blockItem();
}

/** The item of a flow item's chunk `{key: value, ...}` on one line, or undefined where `parseDocument` must read it. */
export function lexFlowItem(chunkText: string): LexedItem | undefined {
  return new ItemScanner(chunkText).flowItem();
}

/** A header node as `parseDocument` composes it: `yaml`'s own classes, so that what reads the file's header (its
 * values, ranges and schema findings) reads them as it reads a parsed document's. */
type HeaderNode = Scalar | YAMLMap | YAMLSeq;

/** A top-level section's head (`key: value`, or `key:` and the block below it: the text `scanLayout` gives a key
 * before its rule items) as the pair `parseDocument(head)` composes, with the same values and ranges; undefined
 * where it must parse it. The shapes a header has: scalars, flow lists and flow maps of scalars, block maps and
 * block lists of them, and (as the section's own value) a folded or literal block scalar. A rule section's head
 * (`outbound:`) is read only when it is empty: its items are chunks of their own. */
export function lexHeader(head: string, ruleSection: boolean): Pair<Scalar, HeaderNode> | undefined {
  return new ItemScanner(head).header(ruleSection);
}

function scalarNode(value: unknown, start: number, end: number, nodeEnd: number): Scalar {
  const node = new Scalar(value);
  node.range = [start, end, nodeEnd];
  return node;
}

/** A character that YAML reads as itself inside a scalar on one line: printable, not a tab (a separator YAML
 * trims or an error, depending on where it stands), and none of the characters other YAML readers take for a
 * line break or a byte order mark. */
function isPlainCharacter(code: number): boolean {
  if (code < 0x7f) return code >= SPACE;
  return code >= 0xa0 && code !== 0xfeff && code !== 0x2028 && code !== 0x2029;
}

function isFlowIndicator(code: number): boolean {
  return code === COMMA || code === OPEN_BRACKET || code === CLOSE_BRACKET || code === OPEN_BRACE || code === CLOSE_BRACE;
}

/** Where a plain scalar may start: anything printable but the indicators (`-?:` start one only before a
 * non-blank, and are left to `parseDocument`; `,%|>@` and the backquote are errors there). */
function isPlainStart(code: number): boolean {
  switch (code) {
    case DASH:
    case 0x3f: // ?
    case COLON:
    case COMMA:
    case OPEN_BRACKET:
    case CLOSE_BRACKET:
    case OPEN_BRACE:
    case CLOSE_BRACE:
    case HASH:
    case 0x26: // &
    case 0x2a: // *
    case 0x21: // !
    case 0x7c: // |
    case 0x3e: // >
    case APOSTROPHE:
    case QUOTE:
    case 0x25: // %
    case 0x40: // @
    case 0x60: // `
    case SPACE:
      return false;
    default:
      return isPlainCharacter(code);
  }
}

function isKeyStart(code: number): boolean {
  return (code >= 0x61 && code <= 0x7a) || (code >= 0x41 && code <= 0x5a) || code === 0x5f;
}

function isKeyCharacter(code: number): boolean {
  return isKeyStart(code) || isDigit(code) || code === DASH;
}

/** A plain scalar's value as the core schema reads it: a string, or a small integer; undefined for anything else
 * (null, a boolean, other numbers), which the fast route leaves to `parseDocument`. */
function plainValue(source: string): string | number | undefined {
  const first = source.charCodeAt(0);
  if (isDigit(first)) {
    if (source.length <= 9 && isDigits(source, 1, source.length)) return Number(source);
  } else if (!(first === 0x7e || first === 0x2b || first === 0x2e || first === 0x6e || first === 0x4e || first === 0x74 || first === 0x54 || first === 0x66 || first === 0x46)) {
    // Not `~`, `+`, `.`, n, N, t, T, f or F: no null, boolean or number starts so.
    return source;
  }
  return NOT_A_STRING.test(source) ? undefined : source;
}

class ItemScanner {
  /** The offset of the next character to read. */
  private at = 0;

  constructor(private readonly text: string) {}

  blockItem(): LexedItem | undefined {
    const text = this.text;
    const dashColumn = this.spaces();
    if (text.charCodeAt(this.at) !== DASH) return undefined;
    this.at++;
    const gap = this.spaces();
    if (gap === 0) return undefined;
    const keyColumn = dashColumn + 1 + gap;
    const start = this.at;
    const entries: LexedItem['entries'] = [];
    const seen: string[] = [];
    for (;;) {
      const key = this.entryKey(seen);
      if (!key) return undefined;
      const next = text.charCodeAt(this.at);
      let value: LexedScalar | LexedList | undefined;
      if (next === SPACE) {
        this.spaces();
        value = this.scalarOrList(false);
        if (value && !this.lineEnd()) return undefined;
      } else if (next === LF || (next === CR && text.charCodeAt(this.at + 1) === LF)) {
        value = this.blockList(keyColumn);
      }
      if (!value) return undefined;
      entries.push({ key, value });
      if (this.at === text.length) break;
      // The next key, at the key column.
      if (this.spaces() !== keyColumn) return undefined;
    }
    return { entries, start, end: this.at };
  }

  /** `{key: value, ...}`, the whole chunk; the map's range is from its `{` to past its `}`. */
  flowItem(): LexedItem | undefined {
    const text = this.text;
    if (text.charCodeAt(0) !== OPEN_BRACE) return undefined;
    this.at = 1;
    const entries: LexedItem['entries'] = [];
    const seen: string[] = [];
    const read = this.flowEntries(
      CLOSE_BRACE,
      () => {
        const key = this.entryKey(seen);
        if (!key || this.spaces() === 0) return false;
        const value = this.scalarOrList(true);
        if (value) entries.push({ key, value });
        return value !== undefined;
      },
      false,
    );
    return read && this.at === text.length ? { entries, start: 0, end: this.at } : undefined;
  }

  header(ruleSection: boolean): Pair<Scalar, HeaderNode> | undefined {
    const key = this.entryKey([]);
    if (!key) return undefined;
    const value = ruleSection ? this.emptyValue(0) : this.entryValue(0, true);
    if (!value || this.at !== this.text.length) return undefined;
    return new Pair(scalarNode(key.value, key.start, key.end, key.end), value);
  }

  /** After the `:` of a key at `column` (of a block mapping): its value, which ends with its line or with the block
   * below it. `top`: the section's own value, which may be a block scalar. */
  private entryValue(column: number, top: boolean): HeaderNode | undefined {
    const text = this.text;
    if (text.charCodeAt(this.at) !== SPACE) return this.emptyValue(column) ?? this.blockNode(column);
    this.spaces();
    const first = text.charCodeAt(this.at);
    if (first === 0x3e || first === 0x7c) return top ? this.blockScalar() : undefined;
    const value = first === OPEN_BRACE ? this.flowMap() : first === OPEN_BRACKET ? this.flowListNode() : this.scalarNodeOf(this.scalar(false));
    if (!value || !this.lineEnd()) return undefined;
    value.range![2] = this.at;
    return value;
  }

  /** `key:` and its line break, with nothing below it deeper than `column`: a null scalar where the line's blanks end. */
  private emptyValue(column: number): Scalar | undefined {
    const colonEnd = this.at;
    this.spaces();
    const end = this.at;
    if (!this.lineEnd()) {
      this.at = colonEnd;
      return undefined;
    }
    const lineStart = this.at;
    const indent = this.spaces();
    this.at = lineStart;
    if (lineStart !== this.text.length && indent > column) {
      this.at = colonEnd;
      return undefined;
    }
    return scalarNode(null, end, end, end);
  }

  /** After `key:` and its line break: a block mapping or a block list on the lines below, deeper than `column`. */
  private blockNode(column: number): HeaderNode | undefined {
    if (!this.lineEnd()) return undefined;
    const indent = this.spaces();
    if (indent <= column) return undefined;
    return this.text.charCodeAt(this.at) === DASH ? this.blockSequence(indent) : this.blockMap(indent);
  }

  /** Whether the line goes on at `column` (consumed) or ends the block (left as it is); undefined for anything else. */
  private nextLineAt(column: number): boolean | undefined {
    if (this.at === this.text.length) return false;
    const lineStart = this.at;
    const indent = this.spaces();
    if (indent === column) return true;
    this.at = lineStart;
    return indent < column && this.text.charCodeAt(lineStart + indent) !== LF && this.text.charCodeAt(lineStart + indent) !== CR ? false : undefined;
  }

  /** Keys at `column` (the first one's indentation already read), each with a value. */
  private blockMap(column: number): YAMLMap | undefined {
    const map = new YAMLMap();
    const start = this.at;
    const seen: string[] = [];
    for (;;) {
      const key = this.entryKey(seen);
      const value = key && this.entryValue(column, false);
      if (!key || !value) return undefined;
      map.items.push(new Pair(scalarNode(key.value, key.start, key.end, key.end), value));
      const more = this.nextLineAt(column);
      if (more === undefined) return undefined;
      if (!more) break;
    }
    // A block collection ends where its last node does (a null value: right after its key's `:`).
    const end = (map.items[map.items.length - 1].value as HeaderNode).range![2];
    map.range = [start, end, end];
    return map;
  }

  /** Lines `- scalar` or `- key: value ...` at `column` (the first one's indentation already read). */
  private blockSequence(column: number): YAMLSeq | undefined {
    const text = this.text;
    const sequence = new YAMLSeq();
    const start = this.at;
    for (;;) {
      if (text.charCodeAt(this.at) !== DASH) return undefined;
      this.at++;
      const gap = this.spaces();
      if (gap === 0) return undefined;
      let item: HeaderNode | undefined;
      if (this.startsKey()) {
        item = this.blockMap(column + 1 + gap);
      } else {
        item = this.scalarNodeOf(this.scalar(false));
        if (item && this.lineEnd()) item.range![2] = this.at;
        else item = undefined;
      }
      if (!item) return undefined;
      sequence.items.push(item);
      const more = this.nextLineAt(column);
      if (more === undefined) return undefined;
      if (!more) break;
    }
    const end = (sequence.items[sequence.items.length - 1] as HeaderNode).range![2];
    sequence.range = [start, end, end];
    return sequence;
  }

  /** Whether a `key: ` or `key:` and a line break starts here. */
  private startsKey(): boolean {
    const text = this.text;
    let end = this.at;
    if (!isKeyStart(text.charCodeAt(end))) return false;
    while (isKeyCharacter(text.charCodeAt(end))) end++;
    const next = text.charCodeAt(end + 1);
    return text.charCodeAt(end) === COLON && (next === SPACE || next === LF || next === CR || end + 1 === text.length);
  }

  private scalarNodeOf(scalar: LexedScalar | undefined): Scalar | undefined {
    return scalar && scalarNode(scalar.value, scalar.start, scalar.end, scalar.end);
  }

  /** `[a, b]` on one line, as a flow sequence node. */
  private flowListNode(): YAMLSeq | undefined {
    const list = this.flowList();
    if (!list) return undefined;
    const sequence = new YAMLSeq();
    sequence.flow = true;
    sequence.items = list.items.map((item, at) => scalarNode(item.value, item.start, item.end, at + 1 < list.items.length ? this.text.indexOf(',', item.end) : list.end - 1));
    sequence.range = [list.start, list.end, list.end];
    return sequence;
  }

  /** `{key: scalar, ...}` (or `{}`) on one line. */
  private flowMap(): YAMLMap | undefined {
    const map = new YAMLMap();
    map.flow = true;
    const start = this.at++;
    const seen: string[] = [];
    const read = this.flowEntries(CLOSE_BRACE, () => {
      const key = this.entryKey(seen);
      if (!key || this.spaces() === 0) return false;
      const value = this.scalarNodeOf(this.scalar(true));
      if (!value) return false;
      this.spaces();
      value.range![2] = this.at;
      map.items.push(new Pair(scalarNode(key.value, key.start, key.end, key.end), value));
      return true;
    });
    if (!read) return undefined;
    map.range = [start, this.at, this.at];
    return map;
  }

  /** `>`, `>-`, `|` or `|-`, then lines all at one indentation to the end of the text, each with a line break:
   * folded (joined by spaces) or literal, its final line break kept or stripped. Anything else (blank, more
   * indented or trailing-space lines, whose folding has more rules; other indicators) is left to `parseDocument`. */
  private blockScalar(): Scalar | undefined {
    const text = this.text;
    const start = this.at;
    const folded = text.charCodeAt(this.at++) === 0x3e;
    const strip = text.charCodeAt(this.at) === DASH;
    if (strip) this.at++;
    if (text.charCodeAt(this.at++) !== LF) return undefined;
    const lines: string[] = [];
    let column = -1;
    while (this.at < text.length) {
      const indent = this.spaces();
      if (indent === 0 || (column !== -1 && indent !== column)) return undefined;
      column = indent;
      const lineStart = this.at;
      const lineEnd = text.indexOf('\n', lineStart);
      if (lineEnd === -1 || lineEnd === lineStart || text.charCodeAt(lineEnd - 1) === SPACE) return undefined;
      for (let at = lineStart; at < lineEnd; at++) if (!isPlainCharacter(text.charCodeAt(at))) return undefined;
      lines.push(text.slice(lineStart, lineEnd));
      this.at = lineEnd + 1;
    }
    if (lines.length === 0) return undefined;
    const value = lines.join(folded ? ' ' : '\n') + (strip ? '' : '\n');
    return scalarNode(value, start, this.at, this.at);
  }

  /** Skips spaces (never tabs): how many. */
  private spaces(): number {
    const from = this.at;
    while (this.text.charCodeAt(this.at) === SPACE) this.at++;
    return this.at - from;
  }

  /** Trailing spaces and the line break, or the end of the text. */
  private lineEnd(): boolean {
    this.spaces();
    const code = this.text.charCodeAt(this.at);
    if (code === LF) this.at++;
    else if (code === CR && this.text.charCodeAt(this.at + 1) === LF) this.at += 2;
    else return this.at === this.text.length;
    return true;
  }

  /** A mapping entry's key (`[A-Za-z_][A-Za-z0-9_-]*`, which YAML reads as a string) and its `:`, in block and
   * flow items alike; undefined for a key `seen` already has. */
  private entryKey(seen: string[]): LexedScalar | undefined {
    const text = this.text;
    const start = this.at;
    if (!isKeyStart(text.charCodeAt(start))) return undefined;
    let end = start + 1;
    while (isKeyCharacter(text.charCodeAt(end))) end++;
    if (text.charCodeAt(end) !== COLON || end - start > KEY_LIMIT) return undefined;
    const name = text.slice(start, end);
    if (plainValue(name) === undefined || seen.includes(name)) return undefined;
    seen.push(name);
    this.at = end + 1;
    return { value: name, start, end };
  }

  /** A scalar or a flow list. */
  private scalarOrList(flow: boolean): LexedScalar | LexedList | undefined {
    return this.text.charCodeAt(this.at) === OPEN_BRACKET ? this.flowList() : this.scalar(flow);
  }

  /** A quoted or plain scalar on one line; in a flow collection (`flow`) a plain one ends at a flow indicator. */
  private scalar(flow: boolean): LexedScalar | undefined {
    const text = this.text;
    const start = this.at;
    const first = text.charCodeAt(start);
    if (first === QUOTE || first === APOSTROPHE) return this.quoted(first);
    if (!isPlainStart(first)) return undefined;
    /** Past the last character that is not a space. */
    let end = start + 1;
    for (let at = end; at < text.length; at++) {
      const code = text.charCodeAt(at);
      if (code === SPACE) continue;
      if (code === LF || code === CR || (flow && isFlowIndicator(code))) break;
      // ` #` starts a comment; `: ` (or `:` before a flow indicator in a flow collection) a mapping.
      if (code === HASH && text.charCodeAt(at - 1) === SPACE) return undefined;
      if (code === COLON) {
        const next = text.charCodeAt(at + 1);
        if (next === SPACE || next === LF || next === CR || next === TAB || at + 1 === text.length || (flow && isFlowIndicator(next))) return undefined;
      }
      if (!isPlainCharacter(code)) return undefined;
      end = at + 1;
    }
    const value = plainValue(text.slice(start, end));
    if (value === undefined) return undefined;
    this.at = end;
    return { value, start, end };
  }

  /** `"..."` without escapes, or `'...'`, closed on its line. */
  private quoted(quote: number): LexedScalar | undefined {
    const text = this.text;
    const start = this.at;
    let doubled = false;
    for (let at = start + 1; at < text.length; at++) {
      const code = text.charCodeAt(at);
      if (code === quote) {
        if (quote === APOSTROPHE && text.charCodeAt(at + 1) === APOSTROPHE) {
          doubled = true;
          at++;
          continue;
        }
        const inner = text.slice(start + 1, at);
        this.at = at + 1;
        return { value: doubled ? inner.replaceAll("''", "'") : inner, start, end: this.at };
      }
      if ((code === BACKSLASH && quote === QUOTE) || !isPlainCharacter(code)) return undefined;
    }
    return undefined;
  }

  /** After a flow collection's opening bracket: its entries, each read by `entry` (false where it is not one the
   * scanner reads), separated by commas, to past `close`. False where the text is not that; `empty`: `close` may come
   * first. */
  private flowEntries(close: number, entry: () => boolean, empty = true): boolean {
    this.spaces();
    if (empty && this.text.charCodeAt(this.at) === close) {
      this.at++;
      return true;
    }
    for (;;) {
      if (!entry()) return false;
      this.spaces();
      const next = this.text.charCodeAt(this.at++);
      if (next === close) return true;
      if (next !== COMMA) return false;
      this.spaces();
    }
  }

  /** `[a, b, c]` on one line. */
  private flowList(): LexedList | undefined {
    const items: LexedScalar[] = [];
    const start = this.at++;
    const read = this.flowEntries(CLOSE_BRACKET, () => {
      const item = this.scalar(true);
      if (item) items.push(item);
      return item !== undefined;
    });
    return read ? { items, flow: true, start, end: this.at } : undefined;
  }

  /** After `key:`, its line break, then lines `- scalar`, indented deeper than the key, all at one column. */
  private blockList(keyColumn: number): LexedList | undefined {
    const text = this.text;
    this.lineEnd();
    const items: LexedScalar[] = [];
    let column = -1;
    let start = 0;
    for (;;) {
      const lineStart = this.at;
      const indent = this.spaces();
      if (indent <= keyColumn || text.charCodeAt(this.at) !== DASH) {
        this.at = lineStart;
        break;
      }
      if (column === -1) {
        column = indent;
        start = this.at;
      } else if (indent !== column) {
        return undefined;
      }
      this.at++;
      if (this.spaces() === 0) return undefined;
      const item = this.scalar(false);
      if (!item || !this.lineEnd()) return undefined;
      items.push(item);
    }
    if (items.length === 0) return undefined;
    return { items, flow: false, start, end: items[items.length - 1].end };
  }
}
