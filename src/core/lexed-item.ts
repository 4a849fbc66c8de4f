/** A fast route from a rule item's chunk to `yaml` nodes: most of `parseDocument`'s time goes to its CST
 * parser, not to its lexer, so for the plain shape rule items almost always have (keys with scalars, flow
 * lists of scalars or block lists of scalars as values) the nodes are composed here from `yaml`'s own Lexer
 * tokens, exactly as its Composer would compose them (values, ranges, flow flags). Anything else (comments,
 * anchors, aliases, tags, block scalars, multi-line or escaped scalars, values YAML would read as other than a
 * string or a small integer, duplicate keys, odd indentation) returns undefined, and the caller parses the
 * chunk with `parseDocument`, which also reports what is wrong with it. */
import { Lexer, Pair, Scalar, YAMLMap, YAMLSeq } from 'yaml';

/** The Lexer's markers: they stand for no source text. */
const DOCUMENT = '\u0002';
const SCALAR = '\u001f';

const KEY = /^[A-Za-z_][A-Za-z0-9_-]*$/;
/** Plain scalars the core schema reads as null, a boolean or a number (other than the small integers taken below). */
const NOT_A_STRING = /^(?:~|[Nn]ull|NULL|[Tt]rue|TRUE|[Ff]alse|FALSE|[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+|[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/;
const SMALL_INTEGER = /^[0-9]{1,9}$/;
/** First characters `yaml` reports an error for in a plain scalar. */
const RESERVED_START = /^[\t,%|>@`]/;

/** The item map of a chunk `- key: value ...`, or undefined where `parseDocument` must compose it. */
export function composeLexedItem(chunkText: string): YAMLMap | undefined {
  return new TokenReader(new Lexer().lex(chunkText)).item();
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

  private take(): string {
    const token = this.tokens[this.at++];
    if (token !== DOCUMENT && token !== SCALAR) this.offset += token.length;
    return token;
  }

  private isSpace(token: string | undefined): boolean {
    return token !== undefined && token.length > 0 && /^ +$/.test(token);
  }

  item(): YAMLMap | undefined {
    if (this.take() !== DOCUMENT) return undefined;
    let dashColumn = 0;
    if (this.isSpace(this.peek())) dashColumn = this.take().length;
    if (this.take() !== '-' || !this.isSpace(this.peek())) return undefined;
    const keyColumn = dashColumn + 1 + this.take().length;
    const map = new YAMLMap();
    const start = this.offset;
    const seen = new Set<string>();
    for (;;) {
      const key = this.plainKey();
      if (!key || seen.has(key.value as string)) return undefined;
      seen.add(key.value as string);
      if (this.take() !== ':') return undefined;
      const value = this.isSpace(this.peek()) ? (this.take(), this.inlineValue()) : this.peek() === '\n' ? this.blockList(keyColumn) : undefined;
      if (!value) return undefined;
      map.items.push(new Pair(key, value));
      if (this.at === this.tokens.length) break;
      // The next key, at the key column.
      const indent = this.take();
      if (!this.isSpace(indent) || indent.length !== keyColumn) return undefined;
    }
    map.range = [start, this.offset, this.offset];
    return map;
  }

  private plainKey(): Scalar | undefined {
    if (this.take() !== SCALAR) return undefined;
    const start = this.offset;
    const source = this.take();
    if (!KEY.test(source) || NOT_A_STRING.test(source)) return undefined;
    return scalar(source, Scalar.PLAIN, start, this.offset);
  }

  /** A scalar or a flow list after `key: `, then the line's end. */
  private inlineValue(): Scalar | YAMLSeq | undefined {
    const value = this.peek() === '[' ? this.flowList() : this.scalar();
    if (!value) return undefined;
    return this.lineEnd() ? value : undefined;
  }

  /** Trailing blanks and the newline, or the end of the text. */
  private lineEnd(): boolean {
    if (this.isSpace(this.peek())) this.take();
    if (this.at === this.tokens.length) return true;
    return this.take() === '\n';
  }

  private scalar(): Scalar | undefined {
    const token = this.peek();
    if (token === SCALAR) {
      this.take();
      const start = this.offset;
      const source = this.take();
      if (source.includes('\n') || RESERVED_START.test(source)) return undefined;
      if (SMALL_INTEGER.test(source)) return scalar(Number(source), Scalar.PLAIN, start, this.offset);
      if (NOT_A_STRING.test(source)) return undefined;
      return scalar(source, Scalar.PLAIN, start, this.offset);
    }
    if (token === undefined || token.length < 2 || token.includes('\n')) return undefined;
    const start = this.offset;
    if (token[0] === '"' && token.endsWith('"') && !token.includes('\\')) {
      this.take();
      return scalar(token.slice(1, -1), Scalar.QUOTE_DOUBLE, start, this.offset);
    }
    if (token[0] === "'" && token.endsWith("'")) {
      this.take();
      return scalar(token.slice(1, -1).replace(/''/g, "'"), Scalar.QUOTE_SINGLE, start, this.offset);
    }
    return undefined;
  }

  /** `[a, b, c]` on one line. */
  private flowList(): YAMLSeq | undefined {
    const seq = new YAMLSeq();
    seq.flow = true;
    const start = this.offset;
    this.take();
    if (this.isSpace(this.peek())) this.take();
    if (this.peek() !== ']') {
      for (;;) {
        const item = this.scalar();
        if (!item) return undefined;
        seq.items.push(item);
        if (this.isSpace(this.peek())) this.take();
        if (this.peek() === ']') break;
        if (this.take() !== ',') return undefined;
        if (this.isSpace(this.peek())) this.take();
      }
    }
    this.take();
    seq.range = [start, this.offset, this.offset];
    return seq;
  }

  /** `key:` then lines `- scalar`, indented deeper than the key. */
  private blockList(keyColumn: number): YAMLSeq | undefined {
    this.take();
    const seq = new YAMLSeq();
    let column: number | undefined;
    let start = 0;
    for (;;) {
      const indent = this.peek();
      if (!this.isSpace(indent) || indent!.length <= keyColumn || this.tokens[this.at + 1] !== '-') break;
      if (column === undefined) column = indent!.length;
      else if (indent!.length !== column) return undefined;
      this.take();
      if (seq.items.length === 0) start = this.offset;
      this.take();
      if (!this.isSpace(this.peek())) return undefined;
      this.take();
      const item = this.scalar();
      if (!item || !this.lineEnd()) return undefined;
      seq.items.push(item);
    }
    if (seq.items.length === 0) return undefined;
    seq.range = [start, this.offset, this.offset];
    return seq;
  }
}

function scalar(value: unknown, type: Scalar.Type, start: number, end: number): Scalar {
  const node = new Scalar(value);
  node.type = type;
  node.range = [start, end, end];
  return node;
}
