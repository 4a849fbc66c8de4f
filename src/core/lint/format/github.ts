/** GitHub Actions workflow commands: `::error file=…,line=…,col=…,endLine=…,endColumn=…,title=…::message`,
 * which GitHub shows as annotations on the pull request's diff. */
import { type Severity, visible, visibleLines } from '../../common';
import { linesOf, locate, slashes, summarize, summaryLine, type LintReport } from './types';

const COMMAND: Record<Severity, string> = { error: 'error', warning: 'warning', info: 'notice' };

/** Escapes a command's message (data): `%`, CR and LF. */
export function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** Escapes a command property's value: as data, plus `:` and `,` (which delimit properties). */
export function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

export function formatGithub(report: LintReport): string {
  const out: string[] = [];
  for (const file of report.files) {
    const lines = linesOf(file);
    for (const finding of file.findings) {
      const at = locate(lines, finding.range);
      // Visible first: GitHub's log renders ANSI sequences, and reviewers read the annotations.
      const properties = [
        `file=${escapeProperty(visible(slashes(file.path)))}`,
        `line=${at.line}`,
        `col=${at.column}`,
        `endLine=${at.endLine}`,
        `endColumn=${at.endColumn}`,
        `title=${escapeProperty(visible(finding.ruleId))}`,
      ];
      out.push(`::${COMMAND[finding.severity]} ${properties.join(',')}::${escapeData(visibleLines(finding.message))}`);
    }
  }
  out.push(summaryLine(summarize(report)));
  return `${out.join('\n')}\n`;
}
