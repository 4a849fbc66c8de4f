/** What the formatters format: the findings of each linted file, with the text their ranges point into.
 * Pure data, so the CLI, the editor and the GitHub Action can all format the same results. */
import { type Finding, LineIndex, plural, type Range, type Severity } from '../../common';

export interface FileReport {
  /** The path as shown to the user: relative to the working folder, forward slashes. */
  path: string;
  /** The path relative to the repository root, forward slashes (SARIF's `%SRCROOT%`); defaults to `path`. */
  uri?: string;
  /** The text the findings' offsets point into ('' for a file that could not be read as text). */
  text: string;
  findings: Finding[];
}

export interface LintReport {
  files: FileReport[];
  /** The tool's version, for JSON's `version` and SARIF's driver. */
  toolVersion: string;
}

export interface Summary {
  files: number;
  filesWithFindings: number;
  errors: number;
  warnings: number;
  infos: number;
}

/** 1-based line and column (UTF-16 code units); the end is exclusive (the column after the last character). */
export interface Location {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

export function summarize(report: LintReport): Summary {
  const summary: Summary = { files: report.files.length, filesWithFindings: 0, errors: 0, warnings: 0, infos: 0 };
  for (const file of report.files) {
    if (file.findings.length > 0) summary.filesWithFindings++;
    for (const finding of file.findings) count(summary, finding.severity);
  }
  return summary;
}

function count(summary: Summary, severity: Severity): void {
  if (severity === 'error') summary.errors++;
  else if (severity === 'warning') summary.warnings++;
  else summary.infos++;
}

const indexes = new WeakMap<FileReport, LineIndex>();

/** The line index of a file's text, built once per report entry. */
export function linesOf(file: FileReport): LineIndex {
  let lines = indexes.get(file);
  if (!lines) indexes.set(file, (lines = new LineIndex(file.text)));
  return lines;
}

export function locate(lines: LineIndex, range: Range): Location {
  const start = lines.positionAt(range.start);
  const end = lines.positionAt(Math.max(range.start, range.end));
  return { line: start.line + 1, column: start.character + 1, endLine: end.line + 1, endColumn: end.character + 1 };
}

/** Forward slashes, whatever the platform wrote. */
export function slashes(path: string): string {
  return path.replace(/\\/g, '/');
}

/** "✖ 3 errors, 2 warnings in 1 of 4 files", "2 warnings in 2 files" or "no problems in 4 files": the ✖ marks
 * errors only (warnings and infos alone do not fail a run), and the count is of every file linted. */
export function summaryLine(summary: Summary): string {
  const parts: string[] = [];
  if (summary.errors > 0) parts.push(plural(summary.errors, 'error'));
  if (summary.warnings > 0) parts.push(plural(summary.warnings, 'warning'));
  if (summary.infos > 0) parts.push(plural(summary.infos, 'info'));
  if (parts.length === 0) return `no problems in ${plural(summary.files, 'file')}`;
  const files = summary.filesWithFindings === summary.files ? plural(summary.files, 'file') : `${summary.filesWithFindings} of ${plural(summary.files, 'file')}`;
  return `${summary.errors > 0 ? '✖ ' : ''}${parts.join(', ')} in ${files}`;
}
