/** Helpers for rule tests: lint a YAML snippet with the built-in catalogs on a fixed day. */
import { lintText, type LintOptions, type LintResult } from './engine';
import type { Finding } from '../common';

export const TEST_TODAY = '2026-11-25';

export function lintYaml(text: string, options: LintOptions = {}): LintResult {
  return lintText(text, { today: TEST_TODAY, fileName: 'test.allowlist.yaml', ...options });
}

/** The findings of one rule. */
export function findingsOf(text: string, ruleId: string, options: LintOptions = {}): Finding[] {
  return lintYaml(text, options).findings.filter((finding) => finding.ruleId === ruleId);
}

/** The text a finding's range covers: tests assert exact ranges through it. */
export function rangeText(text: string, finding: Finding): string {
  return text.slice(finding.range.start, finding.range.end);
}

/** Applies a fix's edits to the text (last edit first, so earlier offsets stay valid). */
export function applyFix(text: string, fix: NonNullable<Finding['fixes']>[number]): string {
  return [...fix.edits]
    .sort((a, b) => b.range.start - a.range.start)
    .reduce((result, edit) => result.slice(0, edit.range.start) + edit.newText + result.slice(edit.range.end), text);
}
