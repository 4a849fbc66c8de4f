/** Output of `allowlist drift`: plain text (one line per entry, `FILE:LINE` first), Markdown sized for a GitHub job
 * summary, and JSON. Pure functions of a `DriftReport`. */
import { escapeMarkdown, firstFew, plural, safeJson, visible, visibleLines } from '../common';
import { portsText } from '../diff';
import type { DriftAccess, DriftReport, DriftRequirement, DriftSource } from './types';

export const DRIFT_FORMATS = ['text', 'markdown', 'json'] as const;
export type DriftFormat = (typeof DRIFT_FORMATS)[number];

export function isDriftFormat(value: string): value is DriftFormat {
  return (DRIFT_FORMATS as readonly string[]).includes(value);
}

/** How many entries of each list the Markdown shows: a job summary is for reading (the JSON has them all). */
const MARKDOWN_ROWS = 50;

export function formatDrift(report: DriftReport, format: DriftFormat): string {
  switch (format) {
    case 'text':
      return driftText(report);
    case 'markdown':
      return driftMarkdown(report);
    case 'json':
      return `${safeJson(JSON.stringify(report, null, 2))}\n`;
  }
}


/** "✓ in sync" or "2 extra, 1 missing, 1 vendor requirement unmet". */
export function driftVerdict(report: DriftReport): string {
  if (report.unparsable) return `not compared: the allowlist does not parse (${report.unparsable})`;
  if (report.firewallUnreadable) return `not compared: the firewall's configuration could not be read (${report.firewallUnreadable})`;
  if (report.inSync) return 'in sync: the firewall allows what the allowlist allows, and meets its vendors\' requirements';
  return [`${report.extra.length} extra`, `${report.missing.length} missing`, `${plural(report.requirements.length, 'vendor requirement')} unmet`].join(', ');
}

function where(access: DriftAccess): string {
  const from = access.direction === 'outbound' && access.from.kind === 'site' ? '' : `from ${access.from.label} `;
  const to = access.direction === 'inbound' && access.to.kind === 'site' ? 'to this site' : `to ${access.to.label}`;
  return `${access.direction} ${from}${to} on ${access.protocol.toUpperCase()} ${portsText(access.ports)}`;
}

function sourcesText(sources: DriftSource[], file: string, word: string): string {
  return sources.map((source) => `${word} ${visible(source.name)} (${visible(file)}:${source.line})`).join(', ');
}

function driftText(report: DriftReport): string {
  const lines = [`${visible(report.allowlist)} against ${visible(report.against)} (${report.platform}): ${driftVerdict(report)}`];
  const accessLine = (access: DriftAccess): string => {
    const [own, ownFile, ownWord, other, otherFile, otherWord] =
      access.kind === 'extra'
        ? [access.firewallPolicies, report.against, 'policy', access.allowlistRules, report.allowlist, 'rule']
        : [access.allowlistRules, report.allowlist, 'rule', access.firewallPolicies, report.against, 'policy'];
    const at = own[0] ? `${visible(ownFile)}:${own[0].line}` : visible(ownFile);
    const part = other.length ? `; allows part of it: ${sourcesText(other, otherFile, otherWord)}` : '';
    // The first source is the line's own location; any others say where they are.
    const ownText = own.map((source, index) => (index === 0 ? `${ownWord} ${visible(source.name)}` : sourcesText([source], ownFile, ownWord))).join(', ');
    return `  ${at}: ${access.kind} ${where(access)}: ${ownText || `no ${ownWord}`}${part}`;
  };
  if (report.extra.length) lines.push('', 'Extra (the firewall allows it, the allowlist does not):', ...report.extra.map(accessLine));
  if (report.missing.length) lines.push('', 'Missing (the allowlist allows it, the firewall does not):', ...report.missing.map(accessLine));
  if (report.requirements.length) {
    lines.push('', 'Vendor requirements the firewall fails:');
    for (const requirement of report.requirements) {
      const at = requirement.allowlistRules[0] ? `${visible(report.allowlist)}:${requirement.allowlistRules[0].line}` : visible(report.allowlist);
      lines.push(`  ${at}: requirement-unmet (${requirement.ruleId}) ${visibleLines(requirement.summary)}`);
    }
  }
  if (report.notCompared.length) {
    lines.push('', `Not compared (parts of ${visible(report.against)} that could not be mapped):`);
    for (const problem of report.notCompared) lines.push(`  ${visible(report.against)}:${problem.line}: ${problem.kind === 'skipped' ? 'not compared' : 'compared in part'}: ${visibleLines(problem.message)}`);
  }
  if (report.notes.length) lines.push('', 'Notes:', ...report.notes.map((note) => `  ${visibleLines(note)}`));
  return `${lines.join('\n')}\n`;
}

/** Text for a table cell or list item: on one line, Markdown escaped (`|` too). */
function cell(text: string): string {
  return escapeMarkdown(text.replace(/\s+/g, ' '));
}

function sourcesCell(sources: DriftSource[], file: string): string {
  return sources.length ? cell(firstFew(sources.map((source) => `${source.name} (${file}:${source.line})`))) : '—';
}

function driftMarkdown(report: DriftReport): string {
  const title = `### Drift: ${cell(report.allowlist)} against ${cell(report.against)} (${report.platform})`;
  const lines = [title, '', `${report.inSync ? '✓' : '⚠'} ${cell(driftVerdict(report))}`];
  const table = (heading: string, rows: string[], header: string): void => {
    if (rows.length === 0) return;
    lines.push('', `**${heading}**`, '', header, header.replace(/[^|]+/g, ' --- '), ...rows.slice(0, MARKDOWN_ROWS));
    if (rows.length > MARKDOWN_ROWS) lines.push('', `… and ${rows.length - MARKDOWN_ROWS} more (run \`allowlist drift --format json\` for all).`);
  };
  const accessRow = (access: DriftAccess) => `| ${cell(where(access))} | ${sourcesCell(access.firewallPolicies, report.against)} | ${sourcesCell(access.allowlistRules, report.allowlist)} |`;
  table('Extra: the firewall allows it, the allowlist does not', report.extra.map(accessRow), '| Access | Firewall policy | Allowlist rule |');
  table('Missing: the allowlist allows it, the firewall does not', report.missing.map(accessRow), '| Access | Firewall policy | Allowlist rule |');
  const requirementRow = (requirement: DriftRequirement) => `| ${cell(requirement.vendorName)} | ${cell(requirement.roles.join('; '))} | ${cell(requirement.summary)} |`;
  table('Vendor requirements the firewall fails', report.requirements.map(requirementRow), '| Vendor | Role | What |');
  if (report.notCompared.length || report.notes.length) {
    lines.push('', `<details><summary>Not compared (${plural(report.notCompared.length + report.notes.length, 'item')})</summary>`, '');
    const items = [...report.notCompared.map((problem) => `${report.against}:${problem.line}: ${problem.message}`), ...report.notes];
    lines.push(...items.slice(0, MARKDOWN_ROWS).map((item) => `- ${cell(item)}`));
    if (items.length > MARKDOWN_ROWS) lines.push(`- … and ${items.length - MARKDOWN_ROWS} more`);
    lines.push('', '</details>');
  }
  return `${lines.join('\n')}\n`;
}
