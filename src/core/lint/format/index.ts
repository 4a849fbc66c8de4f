/** Output formats of `allowlist lint`, as pure functions from results to text. */
import { formatSarif } from './sarif';
import { formatGithub } from './github';
import { formatJson } from './json';
import { formatText } from './text';
import type { LintReport } from './types';

export const FORMATS = ['text', 'json', 'sarif', 'github'] as const;
export type Format = (typeof FORMATS)[number];

export function isFormat(value: string): value is Format {
  return (FORMATS as readonly string[]).includes(value);
}

export function formatReport(format: Format, report: LintReport, options: { color?: boolean } = {}): string {
  switch (format) {
    case 'text':
      return formatText(report, options);
    case 'json':
      return formatJson(report);
    case 'sarif':
      return formatSarif(report);
    case 'github':
      return formatGithub(report);
  }
}

export { formatGithub, escapeData, escapeProperty } from './github';
export { formatJson, toJsonReport, type JsonReport, type JsonFinding } from './json';
export { formatText, type TextOptions } from './text';
export * from './types';
export { buildSarif, firstSentence } from './sarif';
