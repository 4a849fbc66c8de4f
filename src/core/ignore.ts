/** `# allowlist-ignore RULE-ID: reason` comments: found by a scan of the text, applied after all rules ran. */
import type { IgnoreComment } from './model';

const MARKER = 'allowlist-ignore';
const COMMENT = /(^|[ \t])#[ \t]*allowlist-ignore(?:[ \t]+([A-Za-z0-9_-]+))?[ \t]*(?::[ \t]*(.*?))?[ \t]*$/;

export function parseIgnoreComments(text: string): IgnoreComment[] {
  const ignores: IgnoreComment[] = [];
  // Comments are found in file order, so line numbers are counted on from the previous one.
  const cursor = { offset: 0, line: 0 };
  for (let at = text.indexOf(MARKER); at !== -1; at = text.indexOf(MARKER, at + MARKER.length)) {
    const lineStart = text.lastIndexOf('\n', at) + 1;
    const newline = text.indexOf('\n', at);
    const lineEnd = newline === -1 ? text.length : newline;
    const line = text.slice(lineStart, lineEnd).replace(/\r$/, '');
    const match = COMMENT.exec(line);
    if (!match || insideQuotes(line.slice(0, match.index + match[1].length))) continue;
    const hashAt = lineStart + match.index + match[1].length;
    const commentOnly = line.slice(0, match.index).trim() === '';
    const lineNumber = countLines(text, lineStart, cursor);
    ignores.push({
      ruleId: match[2] ?? '',
      reason: (match[3] ?? '').trim(),
      range: { start: hashAt, end: lineStart + line.length },
      targetLine: commentOnly ? nextCodeLine(text, lineEnd, lineNumber) : lineNumber,
    });
    at = lineEnd;
  }
  return ignores;
}

/** Whether the end of a line's start lies inside a quoted scalar that opens on that line (a `#` there is text,
 * not a comment). A quote opens a scalar only where one can start: at the line's start, or after `:`, `-`, `[`,
 * `{` or `,` and blanks; elsewhere (`it's`) it is a character of a plain scalar. */
function insideQuotes(prefix: string): boolean {
  let quote: string | undefined;
  let previous = '';
  for (let at = 0; at < prefix.length; at++) {
    const char = prefix[at];
    if (quote === '"') {
      if (char === '\\') at++;
      else if (char === '"') quote = undefined;
    } else if (quote === "'") {
      if (char === "'" && prefix[at + 1] === "'") at++;
      else if (char === "'") quote = undefined;
    } else if ((char === '"' || char === "'") && (previous === '' || ':-[{,'.includes(previous))) {
      quote = char;
    }
    if (char !== ' ' && char !== '\t') previous = quote ? '' : char;
  }
  return quote !== undefined;
}

/** Zero-based line number of an offset at or after the cursor's; moves the cursor there. */
function countLines(text: string, offset: number, cursor: { offset: number; line: number }): number {
  for (let i = text.indexOf('\n', cursor.offset); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) cursor.line++;
  cursor.offset = offset;
  return cursor.line;
}

/** The line after `lineEnd` that has something other than blanks and comments. */
function nextCodeLine(text: string, lineEnd: number, lineNumber: number): number {
  let line = lineNumber;
  let start = lineEnd + 1;
  while (start <= text.length) {
    line++;
    const newline = text.indexOf('\n', start);
    const end = newline === -1 ? text.length : newline;
    const content = text.slice(start, end).trim();
    if (content !== '' && !content.startsWith('#')) return line;
    if (newline === -1) break;
    start = end + 1;
  }
  return lineNumber + 1;
}
