/** Exports an allowlist's parsed model through one target: the rules normalised once, expired rules noted or left
 * out, one warning per capability a rule needs and the platform lacks, then the target's files. */
import { visible, visibleLines } from '../common';
import { todayUtc } from '../lint';
import type { AllowlistModel } from '../parse';
import { missingCapabilities } from './capabilities';
import { exportRules } from './rules';
import type { ExportOptions, ExportResult, ExportRule, ExportTarget, ExportWarning } from './types';

/** Rules whose errors stop an export besides those that stop every command acting on rules (pass it to
 * `rulesRefusal`): object names are derived from rule names, so two rules of one name would become one object. */
export const EXPORT_UNRELIABLE: readonly string[] = ['duplicate-name'];

export function exportAllowlist(model: AllowlistModel, target: ExportTarget, options: ExportOptions = {}): ExportResult {
  const today = options.today ?? todayUtc();
  const warnings: ExportWarning[] = [];
  const warn = (rule: ExportRule, message: string, kind: ExportWarning['kind'] = 'unfaithful') => {
    warnings.push({ rule: rule.name, line: rule.line, message, kind });
  };
  const rules: ExportRule[] = [];
  for (const rule of exportRules(model, today)) {
    if (rule.expired && options.skipExpired) {
      warn(rule, `expired on ${rule.expires}: left out (--skip-expired)`, 'note');
      continue;
    }
    if (rule.expired) warn(rule, `expired on ${rule.expires} and exported all the same: remove it, or export with --skip-expired`, 'note');
    for (const capability of missingCapabilities(rule, target.capabilities)) warn(rule, target.limits[capability] ?? `${target.title} cannot express ${capability}`);
    rules.push(rule);
  }
  const files = target.render(rules, { options: { ...options, today, sourceName: options.sourceName ?? 'allowlist' }, warn });
  // By line, then in the order given (Array.prototype.sort is stable).
  return { files, warnings: warnings.sort((a, b) => a.line - b.line) };
}

/** A warning as the CLI and the editor's output channel show it: `FILE:LINE: warning: rule "name": message` (`note:`
 * for notes), with control characters from the file made visible. */
export function formatExportWarning(file: string, warning: ExportWarning): string {
  const label = warning.kind === 'unfaithful' ? 'warning' : 'note';
  return `${visible(file)}:${warning.line}: ${label}: rule ${visible(JSON.stringify(warning.rule))}: ${visibleLines(warning.message)}`;
}
