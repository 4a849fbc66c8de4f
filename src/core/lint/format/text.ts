/** Compiler-style text: `path:line:col: severity message [rule-id]`, one finding a line, then a summary. */
import { type Severity, visible } from '../../common';
import { linesOf, locate, summarize, summaryLine, type LintReport } from './types';

export interface TextOptions {
  /** ANSI colours (the CLI turns them on only for a terminal without NO_COLOR). */
  color?: boolean;
}

const ANSI = { reset: '\x1b[0m', bold: '\x1b[1m', dim: '\x1b[2m', red: '\x1b[31m', yellow: '\x1b[33m', blue: '\x1b[34m', green: '\x1b[32m' };
const SEVERITY_COLOR: Record<Severity, string> = { error: ANSI.red, warning: ANSI.yellow, info: ANSI.blue };

export function formatText(report: LintReport, options: TextOptions = {}): string {
  const paint = (code: string, text: string): string => (options.color ? `${code}${text}${ANSI.reset}` : text);
  const out: string[] = [];
  for (const file of report.files) {
    const lines = linesOf(file);
    for (const finding of file.findings) {
      const { line, column } = locate(lines, finding.range);
      const where = paint(ANSI.bold, `${visible(file.path)}:${line}:${column}:`);
      const severity = paint(SEVERITY_COLOR[finding.severity], finding.severity);
      out.push(`${where} ${severity} ${visible(oneLine(finding.message))} ${paint(ANSI.dim, `[${visible(finding.ruleId)}]`)}`);
    }
  }
  const summary = summarize(report);
  if (out.length > 0) out.push('');
  const line = summaryLine(summary);
  out.push(paint(summary.errors > 0 ? ANSI.red + ANSI.bold : summary.warnings > 0 ? ANSI.yellow + ANSI.bold : summary.infos > 0 ? ANSI.bold : ANSI.green, line));
  return `${out.join('\n')}\n`;
}

/** A finding's message on one line (a multi-line message would break `path:line:col:` parsers). */
function oneLine(message: string): string {
  return message.replace(/\s*\r?\n\s*/g, ' ');
}
