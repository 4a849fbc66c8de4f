/** Machine-readable results: one JSON object with every linted file (clean ones too) and a summary. */
import { type Fix, safeJson } from '../../common';
import { linesOf, locate, summarize, type FileReport, type LintReport, type Location, type Summary } from './types';

export interface JsonFinding extends Location {
  ruleId: string;
  severity: string;
  message: string;
  /** UTF-16 offsets into the file, half-open. */
  range: { start: number; end: number };
  /** What the finding is about, stable when lines move (`allowlist diff` matches findings by it). */
  subject: string;
  fixes: (Fix & { edits: (Fix['edits'][number] & Location)[] })[];
}

export interface JsonReport {
  version: string;
  files: { path: string; findings: JsonFinding[] }[];
  summary: Summary;
}

export function toJsonReport(report: LintReport): JsonReport {
  return {
    version: report.toolVersion,
    files: report.files.map((file) => ({ path: file.path, findings: file.findings.map((finding) => jsonFinding(file, finding)) })),
    summary: summarize(report),
  };
}

export function formatJson(report: LintReport): string {
  return `${safeJson(JSON.stringify(toJsonReport(report), null, 2))}\n`;
}

function jsonFinding(file: FileReport, finding: FileReport['findings'][number]): JsonFinding {
  const lines = linesOf(file);
  return {
    ruleId: finding.ruleId,
    severity: finding.severity,
    message: finding.message,
    ...locate(lines, finding.range),
    range: { start: finding.range.start, end: finding.range.end },
    subject: finding.subject,
    fixes: (finding.fixes ?? []).map((fix) => ({
      ...fix,
      edits: fix.edits.map((edit) => ({ range: edit.range, newText: edit.newText, ...locate(lines, edit.range) })),
    })),
  };
}
