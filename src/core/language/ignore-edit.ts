/** The editor's "Ignore <rule> on this line" quick fix: a `# allowlist-ignore RULE-ID: reason` comment
 * on its own line above the finding's line, indented like that line (the engine and the CLI honour it:
 * a comment-only line silences the next line with code). Pure, so it is tested with the engine. */
import type { Finding, TextEdit } from '../common';

export const DEFAULT_IGNORE_REASON = 'TODO say why this is acceptable';

export function ignoreEdit(text: string, finding: Pick<Finding, 'ruleId' | 'range'>, reason = DEFAULT_IGNORE_REASON): TextEdit {
  const offset = Math.max(0, Math.min(finding.range.start, text.length));
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  const indent = /^[ \t]*/.exec(text.slice(lineStart))![0];
  // Keep the file's line ends: a CRLF file gets a CRLF after the comment.
  const newline = text.includes('\r\n') ? '\r\n' : '\n';
  return { range: { start: lineStart, end: lineStart }, newText: `${indent}# allowlist-ignore ${finding.ruleId}: ${reason}${newline}` };
}
