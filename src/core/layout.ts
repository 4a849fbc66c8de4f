/** A line scan that cuts an allowlist into top-level sections and, inside `outbound:` and `inbound:`,
 * one chunk per rule item. Each chunk is valid YAML on its own, so it can be parsed (and its results
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
      itemizable = (RULE_SECTIONS as readonly string[]).includes(key) && inlineValue === '';
      itemIndent = undefined;
      if (itemizable) current.items = [];
      lineStart = next;
      continue;
    }
    if (!current) return undefined;
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
  if (section.items?.length) {
    section.items[section.items.length - 1].end = end;
  } else if (section.items) {
    section.items = undefined;
  }
}

/** The end of a section's own chunk: where its first item starts, or its end. */
export function sectionHeadEnd(section: Section): number {
  return section.items?.length ? section.items[0].start : section.end;
}
