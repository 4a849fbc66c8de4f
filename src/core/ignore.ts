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
    if (!match) continue;
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
