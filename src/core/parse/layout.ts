/** A line scan that cuts an allowlist into top-level sections and, inside `outbound:` and `inbound:`,
 * one chunk per rule item (a block sequence's `- ...` item, or a flow sequence's `{...}` item). Each chunk is valid YAML on its own, so it can be parsed (and its results
 * cached) separately: an edit re-parses only the chunk it touched. Anything the scan does not fully
 * understand (documents markers, directives, flow style at the top, odd indentation, duplicate keys)
 * returns undefined, and the caller parses the whole document instead. */

export const RULE_SECTIONS = ['outbound', 'inbound'] as const;

export interface Chunk {
  /** Offset of the chunk's first line start; its text is the file's text from here to `end`. */
  start: number;
  end: number;
}

export interface Section extends Chunk {
  key: string;
  /** Rule items, for `outbound`/`inbound` written as a block sequence; the section's own chunk then ends at the first item. */
  items?: Chunk[];
  /** For rule items written as a flow sequence (`outbound: [{...}, {...}]`): the offset of its `[`, where the
   * section's own chunk ends. Each item's chunk is then its `{...}` alone. */
  flowStart?: number;
}

const KEY_LINE = /^(?:([A-Za-z_][A-Za-z0-9_-]*)|"([A-Za-z0-9_ -]*)"|'([A-Za-z0-9_ -]*)')[ \t]*:(?:[ \t]|$)/;
const [SPACE, TAB, CR, HASH, DASH] = [' ', '\t', '\r', '#', '-'].map((char) => char.charCodeAt(0));

export function scanLayout(text: string): Section[] | undefined {
  const sections: Section[] = [];
  const seen = new Set<string>();
  let current: Section | undefined;
  let itemIndent: number | undefined;
  /** Whether the current section is a rule list still open to itemizing. */
  let itemizable = false;
  let sawContent = false;
  /** A second `---` before any content starts a second document: left to the whole-document parse. */
  let sawMarker = false;
  /** The current section's flow sequence of items has closed: anything but comments after it is left to the section's parse. */
  let flowClosed = false;

  let lineStart = 0;
  while (lineStart < text.length) {
    const newline = text.indexOf('\n', lineStart);
    let lineEnd = newline === -1 ? text.length : newline;
    const next = newline === -1 ? text.length : newline + 1;
    if (lineEnd > lineStart && text.charCodeAt(lineEnd - 1) === CR) lineEnd--;

    // Character by character: most lines are inside an item and need only their indentation.
    let first = lineStart;
    while (first < lineEnd && text.charCodeAt(first) === SPACE) first++;
    const indent = first - lineStart;
    const lead = first < lineEnd ? text.charCodeAt(first) : -1;
    if (lead === -1 || lead === HASH) {
      lineStart = next;
      continue;
    }
    if (lead === TAB) return undefined;

    const afterLead = first + 1 < lineEnd ? text.charCodeAt(first + 1) : -1;
    const isItemLine = lead === DASH && (afterLead === -1 || afterLead === SPACE || afterLead === TAB);
    if (indent === 0 && !(isItemLine && itemizable && (itemIndent === undefined || itemIndent === 0))) {
      const rest = text.slice(first, lineEnd);
      if (rest.startsWith('---') && !sawContent && !sawMarker && /^---[ \t]*(#.*)?$/.test(rest)) {
        sawMarker = true;
        lineStart = next;
        continue;
      }
      const match = KEY_LINE.exec(rest);
      if (!match) return undefined;
      const key = match[1] ?? match[2] ?? match[3];
      if (seen.has(key)) return undefined;
      seen.add(key);
      if (current) closeSection(current, lineStart);
      current = { key, start: lineStart, end: text.length };
      sections.push(current);
      sawContent = true;
      const inlineValue = rest.slice(match[0].length).replace(/(^|[ \t])#.*$/, '').trim();
      const ruleSection = (RULE_SECTIONS as readonly string[]).includes(key);
      itemizable = ruleSection && inlineValue === '';
      itemIndent = undefined;
      flowClosed = false;
      if (itemizable) current.items = [];
      const flow = ruleSection && inlineValue.startsWith('[') ? scanFlowItems(text, text.indexOf('[', first + match[0].length)) : undefined;
      if (flow) {
        current.items = flow.items;
        current.flowStart = flow.open;
        flowClosed = true;
        lineStart = flow.resume;
        continue;
      }
      lineStart = next;
      continue;
    }
    if (!current) return undefined;
    if (flowClosed) {
      current.items = undefined;
      current.flowStart = undefined;
      flowClosed = false;
    }
    if (itemizable && current.items) {
      if (itemIndent === undefined) {
        if (!isItemLine) {
          // A mapping or scalar under outbound:/inbound: is a schema error; parse the section whole to report it.
          itemizable = false;
          current.items = undefined;
        } else {
          itemIndent = indent;
          current.items.push({ start: lineStart, end: text.length });
        }
      } else if (indent === itemIndent && isItemLine) {
        current.items[current.items.length - 1].end = lineStart;
        current.items.push({ start: lineStart, end: text.length });
      } else if (indent <= itemIndent) {
        return undefined;
      }
    }
    lineStart = next;
  }
  if (current) closeSection(current, text.length);
  return sections;
}

function closeSection(section: Section, end: number): void {
  section.end = end;
  if (section.flowStart !== undefined) return;
  if (section.items?.length) {
    section.items[section.items.length - 1].end = end;
  } else if (section.items) {
    section.items = undefined;
  }
}

/** The end of a section's own chunk: its flow sequence's `[`, where its first item starts, or its end. */
export function sectionHeadEnd(section: Section): number {
  return section.flowStart ?? (section.items?.length ? section.items[0].start : section.end);
}

const [QUOTE, APOSTROPHE, BACKSLASH, NEWLINE] = ['"', "'", '\\', '\n'].map((char) => char.charCodeAt(0));
const CLOSER: Record<string, string> = { '[': ']', '{': '}' };
/** Characters that start an anchor, alias, tag, complex key, block entry or reserved token: left to the section's parse. */
const ODD_TOKEN_START = /[&*!?|>@`%-]/;
/** A `#` right after one of these is part of a plain scalar, not a comment. */
const PLAIN_BEFORE_HASH = /[A-Za-z0-9._\/-]/;

/** The `{...}` items of a flow sequence of mappings whose `[` is at `open`, each a chunk, or undefined when the
 * sequence holds anything else or the scan is unsure how YAML reads it (see the file comment). `resume`: the start
 * of the line after the closing `]`, which only a comment may follow. A line inside the sequence may not start at
 * column 0 except with that `]`. Quotes and comments are tracked so that their commas and brackets split nothing. */
export function scanFlowItems(text: string, open: number): { open: number; items: Chunk[]; resume: number } | undefined {
  const items: Chunk[] = [];
  /** Closers of the open brackets; the item level is depth 1. */
  const closers: string[] = [']'];
  let itemStart = -1;
  /** At depth 1: an item must come next (after `[` or `,`); otherwise a `,` or the `]`. */
  let expectItem = true;
  /** The last character outside whitespace and comments, and whether whitespace followed it. */
  let previous = '[';
  let afterSpace = false;
  for (let at = open + 1; at < text.length; at++) {
    const code = text.charCodeAt(at);
    const char = text[at];
    if (code === SPACE || code === CR) {
      afterSpace = true;
      continue;
    }
    if (code === NEWLINE) {
      const following = text[at + 1];
      if (following !== undefined && following !== ' ' && following !== '\n' && following !== '\r' && !(following === ']' && closers.length === 1)) return undefined;
      afterSpace = true;
      continue;
    }
    if (code === TAB) return undefined;
    if (code === HASH) {
      if (afterSpace) {
        const newline = text.indexOf('\n', at);
        at = (newline === -1 ? text.length : newline) - 1;
        continue;
      }
      if (!PLAIN_BEFORE_HASH.test(previous)) return undefined;
    }
    if (closers.length === 1) {
      if (expectItem) {
        if (char !== '{') return undefined;
        itemStart = at;
        closers.push('}');
        expectItem = false;
      } else if (char === ',') {
        expectItem = true;
      } else if (char === ']') {
        const resume = flowEnd(text, at + 1);
        return resume === undefined ? undefined : { open, items, resume };
      } else {
        return undefined;
      }
    } else if (code === QUOTE || code === APOSTROPHE) {
      // A quote opens a quoted scalar only where a scalar starts; inside a plain scalar (`it's`) it is a character.
      if (!afterSpace && previous === ':') return undefined;
      if (afterSpace ? '{[,:'.includes(previous) : '{[,'.includes(previous)) {
        const close = quotedEnd(text, at);
        if (close === undefined) return undefined;
        at = close;
      }
    } else if ((afterSpace || previous === '[' || previous === '{' || previous === ',') && ODD_TOKEN_START.test(char)) {
      return undefined;
    } else if (char === '[' || char === '{') {
      closers.push(CLOSER[char]);
    } else if (char === ']' || char === '}') {
      if (closers.pop() !== char) return undefined;
      if (closers.length === 1) items.push({ start: itemStart, end: at + 1 });
    }
    previous = text[at];
    afterSpace = false;
  }
  return undefined;
}

/** The offset of a quoted scalar's closing quote, or undefined if it is not closed on its line. */
function quotedEnd(text: string, open: number): number | undefined {
  const quote = text.charCodeAt(open);
  for (let at = open + 1; at < text.length; at++) {
    const code = text.charCodeAt(at);
    if (code === NEWLINE) return undefined;
    if (quote === QUOTE && code === BACKSLASH) at++;
    else if (code === quote) {
      if (quote === APOSTROPHE && text.charCodeAt(at + 1) === APOSTROPHE) at++;
      else return at;
    }
  }
  return undefined;
}

/** After a flow sequence's `]` at `after`: the start of the next line, if only blanks and a comment follow on this one. */
function flowEnd(text: string, after: number): number | undefined {
  const newline = text.indexOf('\n', after);
  const rest = text.slice(after, newline === -1 ? text.length : newline);
  return /^(?:[ \r]*|[ ]+#.*)$/.test(rest) ? (newline === -1 ? text.length : newline + 1) : undefined;
}
