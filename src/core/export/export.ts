/** Exports an allowlist's parsed model through one target: the rules normalised once, expired rules noted or left
 * out, one warning per capability a rule needs and the platform lacks, then the target's files. A change set
 * (`--since`) does the same for two versions of the file and asks the target for what differs only. */
import { visible, visibleLines } from '../common';
import { todayUtc } from '../lint';
import type { AllowlistModel } from '../parse';
import { missingCapabilities } from './capabilities';
import { exportRules } from './rules';
import type { ChangeSetResult, ExportEndpoints, ExportOptions, ExportResult, ExportRule, ExportTarget, ExportWarning, RenderContext, RuleChanges } from './types';

/** Rules whose errors stop an export besides those that stop every command acting on rules (pass it to
 * `rulesRefusal`): object names are derived from rule names, so two rules of one name would become one object. */
export const EXPORT_UNRELIABLE: readonly string[] = ['duplicate-name'];

export function exportAllowlist(model: AllowlistModel, target: ExportTarget, options: ExportOptions = {}): ExportResult {
  const { rules, context, warnings } = prepare(model, target, options);
  const files = target.render(rules, context);
  return { files, warnings: sortWarnings(warnings) };
}

/** The targets that can write a change set. */
export function changeSetTargets(targets: readonly ExportTarget[]): ExportTarget[] {
  return targets.filter((target) => target.changeSet !== undefined);
}

/** The commands that take a firewall from the export of `before` (the file at an earlier revision; undefined where it
 * did not exist: everything is new) to the export of `after`, with the same options. Warnings are those of the
 * export of `after`: they describe the firewall as the change set leaves it. */
export function exportChangeSet(before: AllowlistModel | undefined, after: AllowlistModel, target: ExportTarget, since: string, options: ExportOptions = {}): ChangeSetResult {
  if (!target.changeSet) throw new Error(`${target.id} writes no change sets`);
  const { rules, context, warnings } = prepare(after, target, options);
  const previous = before ? prepare(before, target, options).rules : [];
  const changes = ruleChanges(previous, rules);
  const files = target.changeSet(previous, rules, { ...context, since, existed: before !== undefined, changes, beforeContext: { ...context, warn: () => {} } });
  return { files, warnings: sortWarnings(warnings), changes };
}

/** A rule's identity across versions: its direction and name (a rename is a removal and an addition). */
export const ruleKey = (rule: Pick<ExportRule, 'direction' | 'name'>): string => `${rule.direction} ${rule.name}`;

/** Added, changed (any normalised field but the line differs) and removed rules, by direction and name. */
export function ruleChanges(before: ExportRule[], after: ExportRule[]): RuleChanges {
  const comparable = (rule: ExportRule) => JSON.stringify({ ...rule, line: 0 });
  const old = new Map(before.map((rule) => [ruleKey(rule), rule]));
  const current = new Set(after.map(ruleKey));
  const changes: RuleChanges = { added: [], changed: [], removed: [] };
  for (const rule of after) {
    const previous = old.get(ruleKey(rule));
    if (!previous) changes.added.push(rule.name);
    else if (comparable(previous) !== comparable(rule)) changes.changed.push(rule.name);
  }
  for (const rule of before) if (!current.has(ruleKey(rule))) changes.removed.push(rule.name);
  return changes;
}

function prepare(model: AllowlistModel, target: ExportTarget, options: ExportOptions): { rules: ExportRule[]; context: RenderContext; warnings: ExportWarning[] } {
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
    if (!sharesFamily(rule)) {
      warn(rule, 'left out: its sides have no address family in common (IPv4 addresses on one side, IPv6 on the other), so no packet can match it');
      continue;
    }
    if (rule.expired) warn(rule, `expired on ${rule.expires} and exported all the same: remove it, or export with --skip-expired`, 'note');
    for (const capability of missingCapabilities(rule, target.capabilities)) warn(rule, target.limits[capability] ?? `${target.title} cannot express ${capability}`);
    rules.push(rule);
  }
  return { rules, context: { options: { ...options, today, sourceName: options.sourceName ?? 'allowlist' }, warn }, warnings };
}

/** Whether a packet can match the rule: an address family (IPv4, IPv6) both its sides allow. A host name or wildcard
 * may resolve to either, and `any` is both. Every target leaves out a rule that matches nothing, with one warning. */
function sharesFamily({ from, to }: ExportRule): boolean {
  const allows = (side: ExportEndpoints, family: 4 | 6) => side.any || side.hosts.length + side.wildcards.length > 0 || (family === 4 ? side.ipv4 : side.ipv6).length > 0;
  return ([4, 6] as const).some((family) => allows(from, family) && allows(to, family));
}

/** By line, then in the order given (Array.prototype.sort is stable). */
function sortWarnings(warnings: ExportWarning[]): ExportWarning[] {
  return warnings.sort((a, b) => a.line - b.line);
}

/** A warning as the CLI and the editor's output channel show it: `FILE:LINE: warning: rule "name": message` (`note:`
 * for notes), with control characters from the file made visible. */
export function formatExportWarning(file: string, warning: ExportWarning): string {
  const label = warning.kind === 'unfaithful' ? 'warning' : 'note';
  return `${visible(file)}:${warning.line}: ${label}: rule ${visible(JSON.stringify(warning.rule))}: ${visibleLines(warning.message)}`;
}
