/** A fast route through a rule item's chunk (a block item's `- ...`, or a flow item's `{...}`): most of
 * `parseDocument`'s time goes to its CST parser and its node classes, not to its lexer, so for the plain shape rule
 * items almost always have (keys with scalars, flow lists of scalars or block lists of scalars as values) the item
 * is read here from `yaml`'s own Lexer tokens,
 * with the values and ranges its Composer would give the nodes (a list's range as `valueRangeOf` trims it:
 * up to its last item, or its closing bracket). Anything else (comments,
 * anchors, aliases, tags, block scalars, multi-line or escaped scalars, values YAML would read as other than a
 * string or a small integer, duplicate keys, odd indentation) returns undefined, and the caller parses the
 * chunk with `parseDocument`, which also reports what is wrong with it. */
import { Lexer } from 'yaml';

/** The Lexer's markers: they stand for no source text. */
const DOCUMENT = '\u0002';
const SCALAR = '\u001f';

const KEY = /^[A-Za-z_][A-Za-z0-9_-]*$/;
/** Plain scalars the core schema reads as null, a boolean or a number (other than the small integers taken below). */
const NOT_A_STRING = /^(?:~|[Nn]ull|NULL|[Tt]rue|TRUE|[Ff]alse|FALSE|[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+|[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/;
const SMALL_INTEGER = /^[0-9]{1,9}$/;
/** First characters `yaml` reports an error for in a plain scalar. */
const RESERVED_START = /^[\t,%|>@`]/;

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
  return new TokenReader(new Lexer().lex(chunkText)).item();
}

/** The item of a flow item's chunk `{key: value, ...}` on one line, or undefined where `parseDocument` must read it. */
export function lexFlowItem(chunkText: string): LexedItem | undefined {
  return new TokenReader(new Lexer().lex(chunkText)).flowItem();
}

class TokenReader {
  private readonly tokens: string[] = [];
  private at = 0;
  /** Source offset of the token at `at`. */
  private offset = 0;

  constructor(tokens: Iterable<string>) {
    for (const token of tokens) this.tokens.push(token);
  }

  private peek(): string | undefined {
    return this.tokens[this.at];
  }

  /** The next token, or undefined at the end (a chunk can end anywhere while the user types). */
  private take(): string | undefined {
    const token = this.tokens[this.at];
    if (token === undefined) return undefined;
    this.at++;
    if (token !== DOCUMENT && token !== SCALAR) this.offset += token.length;
    return token;
  }

  private isSpace(token: string | undefined): boolean {
    return token !== undefined && token.length > 0 && /^ +$/.test(token);
  }

  item(): LexedItem | undefined {
    if (this.take() !== DOCUMENT) return undefined;
    let dashColumn = 0;
    if (this.isSpace(this.peek())) dashColumn = this.take()!.length;
    if (this.take() !== '-' || !this.isSpace(this.peek())) return undefined;
    const keyColumn = dashColumn + 1 + this.take()!.length;
    const entries: LexedItem['entries'] = [];
    const start = this.offset;
    const seen = new Set<string>();
    for (;;) {
      const key = this.entryKey(seen);
      if (!key) return undefined;
      const value = this.isSpace(this.peek()) ? (this.take(), this.inlineValue()) : this.peek() === '\n' ? this.blockList(keyColumn) : undefined;
      if (!value) return undefined;
      entries.push({ key, value });
      if (this.at === this.tokens.length) break;
      // The next key, at the key column.
      const indent = this.take();
      if (!this.isSpace(indent) || indent!.length !== keyColumn) return undefined;
    }
    return { entries, start, end: this.offset };
  }

  /** `{key: value, ...}`, the whole chunk; the map's range is from its `{` to past its `}`. */
  flowItem(): LexedItem | undefined {
    if (this.take() !== DOCUMENT || this.take() !== '{') return undefined;
    const entries: LexedItem['entries'] = [];
    const seen = new Set<string>();
    for (;;) {
      if (this.isSpace(this.peek())) this.take();
      const key = this.entryKey(seen);
      if (!key || !this.isSpace(this.peek())) return undefined;
      this.take();
      const value = this.scalarOrList();
      if (!value) return undefined;
      entries.push({ key, value });
      if (this.isSpace(this.peek())) this.take();
      const next = this.take();
      if (next === '}') break;
      if (next !== ',') return undefined;
    }
    return this.at === this.tokens.length ? { entries, start: 0, end: this.offset } : undefined;
  }

  /** A mapping entry's key and its `:`, in block and flow items alike; undefined for a key `seen` already has. */
  private entryKey(seen: Set<string>): LexedScalar | undefined {
    const key = this.plainKey();
    if (!key || seen.has(key.value as string)) return undefined;
    seen.add(key.value as string);
    return this.take() === ':' ? key : undefined;
  }

  /** A scalar or a flow list. */
  private scalarOrList(): LexedScalar | LexedList | undefined {
    return this.peek() === '[' ? this.flowList() : this.scalar();
  }

  private plainKey(): LexedScalar | undefined {
    if (this.take() !== SCALAR) return undefined;
    const start = this.offset;
    const source = this.take();
    // `yaml` reports implicit keys over 1024 characters.
    if (source === undefined || source.length > 1024 || !KEY.test(source) || NOT_A_STRING.test(source)) return undefined;
    return { value: source, start, end: this.offset };
  }

  /** A scalar or a flow list after `key: `, then the line's end. */
  private inlineValue(): LexedScalar | LexedList | undefined {
    const value = this.scalarOrList();
    if (!value) return undefined;
    return this.lineEnd() ? value : undefined;
  }

  /** Trailing blanks and the newline, or the end of the text. */
  private lineEnd(): boolean {
    if (this.isSpace(this.peek())) this.take();
    if (this.at === this.tokens.length) return true;
    return this.take() === '\n';
  }

  private scalar(): LexedScalar | undefined {
    const token = this.peek();
    if (token === SCALAR) {
      this.take();
      const start = this.offset;
      const source = this.take();
      if (source === undefined || source.includes('\n') || RESERVED_START.test(source)) return undefined;
      if (SMALL_INTEGER.test(source)) return { value: Number(source), start, end: this.offset };
      if (NOT_A_STRING.test(source)) return undefined;
      return { value: source, start, end: this.offset };
    }
    if (token === undefined || token.length < 2 || token.includes('\n')) return undefined;
    const start = this.offset;
    if (token[0] === '"' && token.endsWith('"') && !token.includes('\\')) {
      this.take();
      return { value: token.slice(1, -1), start, end: this.offset };
    }
    if (token[0] === "'" && token.endsWith("'")) {
      this.take();
      return { value: token.slice(1, -1).replace(/''/g, "'"), start, end: this.offset };
    }
    return undefined;
  }

  /** `[a, b, c]` on one line. */
  private flowList(): LexedList | undefined {
    const items: LexedScalar[] = [];
    const start = this.offset;
    this.take();
    if (this.isSpace(this.peek())) this.take();
    if (this.peek() !== ']') {
      for (;;) {
        const item = this.scalar();
        if (!item) return undefined;
        items.push(item);
        if (this.isSpace(this.peek())) this.take();
        if (this.peek() === ']') break;
        if (this.take() !== ',') return undefined;
        if (this.isSpace(this.peek())) this.take();
      }
    }
    this.take();
    return { items, flow: true, start, end: this.offset };
  }

  /** `key:` then lines `- scalar`, indented deeper than the key. */
  private blockList(keyColumn: number): LexedList | undefined {
    this.take();
    const items: LexedScalar[] = [];
    let column: number | undefined;
    let start = 0;
    for (;;) {
      const indent = this.peek();
      if (!this.isSpace(indent) || indent!.length <= keyColumn || this.tokens[this.at + 1] !== '-') break;
      if (column === undefined) column = indent!.length;
      else if (indent!.length !== column) return undefined;
      this.take();
      if (items.length === 0) start = this.offset;
      this.take();
      if (!this.isSpace(this.peek())) return undefined;
      this.take();
      const item = this.scalar();
      if (!item || !this.lineEnd()) return undefined;
      items.push(item);
    }
    if (items.length === 0) return undefined;
    return { items, flow: false, start, end: items[items.length - 1].end };
  }
}
