/** `# allowlist-ignore RULE-ID: reason` comments: found by a scan of the text, applied after all rules ran. */
import type { IgnoreComment } from './model';

export const MARKER = 'allowlist-ignore';
// No two quantifiers may match the same blanks one after the other: with `[ \t]*(...)?[ \t]*$` a long run of
// blanks would be tried split in every way, and a line of them would take time in the square of its length.
const COMMENT = /(^|[ \t])#[ \t]*allowlist-ignore(?:[ \t]+([A-Za-z0-9_-]+))?[ \t]*(?::(.*))?$/;

/** One forward pass over the lines: each line is read once, whatever the number of comments. */
export function parseIgnoreComments(text: string): IgnoreComment[] {
  const ignores: IgnoreComment[] = [];
  // Comment-only ignores apply to the next line with code; they wait here until the pass reaches it, so a
  // run of stacked comments is resolved once.
  let waiting: IgnoreComment[] = [];
  let marker = text.indexOf(MARKER);
  for (let lineStart = 0, lineNumber = 0; marker !== -1 || waiting.length > 0; lineNumber++) {
    const newline = text.indexOf('\n', lineStart);
    const lineEnd = newline === -1 ? text.length : newline;
    const markerOnLine = marker !== -1 && marker < lineEnd;
    if (markerOnLine || waiting.length > 0) {
      const code = hasCode(text, lineStart, lineEnd);
      if (code && waiting.length > 0) {
        for (const ignore of waiting) ignore.targetLine = lineNumber;
        waiting = [];
      }
      const ignore = markerOnLine ? ignoreOnLine(text, lineStart, lineEnd) : undefined;
      if (ignore) {
        // Trailing code, it silences that line. Alone on its line, it waits for the next line with code; at the
        // end of the text it keeps the line after its own.
        ignore.targetLine = code ? lineNumber : lineNumber + 1;
        ignores.push(ignore);
        if (!code) waiting.push(ignore);
      }
      if (markerOnLine) marker = text.indexOf(MARKER, lineEnd);
    }
    if (newline === -1) break;
    lineStart = newline + 1;
  }
  return ignores;
}

/** The ignore comment on a line, its target line still to be set. */
function ignoreOnLine(text: string, lineStart: number, lineEnd: number): IgnoreComment | undefined {
  const line = text.slice(lineStart, lineEnd).replace(/\r$/, '');
  const comment = commentStart(line);
  if (comment === -1) return undefined;
  const match = COMMENT.exec(line.slice(comment));
  if (!match) return undefined;
  return {
    ruleId: match[2] ?? '',
    reason: (match[3] ?? '').trim(),
    range: { start: lineStart + comment + match.index + match[1].length, end: lineStart + line.length },
    targetLine: -1,
  };
}

/** Whether a line has something other than blanks and a comment. */
function hasCode(text: string, lineStart: number, lineEnd: number): boolean {
  for (let at = lineStart; at < lineEnd; at++) {
    const char = text[at];
    if (char !== ' ' && char !== '\t' && char !== '\r') return char !== '#';
  }
  return false;
}

/** Where a line's comment starts: its first `#` at the start or after a blank that is not inside a quoted scalar
 * opening on that line, or -1. A quote opens a scalar only where one can start: at the line's start, or after
 * `:`, `-`, `[`, `{` or `,` and blanks; elsewhere (`it's`) it is a character of a plain scalar. */
function commentStart(line: string): number {
  let quote: string | undefined;
  let previous = '';
  for (let at = 0; at < line.length; at++) {
    const char = line[at];
    if (quote === '"') {
      if (char === '\\') at++;
      else if (char === '"') quote = undefined;
    } else if (quote === "'") {
      if (char === "'" && line[at + 1] === "'") at++;
      else if (char === "'") quote = undefined;
    } else if (char === '#' && (at === 0 || line[at - 1] === ' ' || line[at - 1] === '\t')) {
      return at;
    } else if ((char === '"' || char === "'") && (previous === '' || ':-[{,'.includes(previous))) {
      quote = char;
    }
    if (char !== ' ' && char !== '\t') previous = quote ? '' : char;
  }
  return -1;
}
