/** Output of `allowlist diff`: a one-line verdict, plain text, a reviewer's Markdown summary (for a PR comment
 * or `$GITHUB_STEP_SUMMARY`) and JSON. Pure functions of a `DiffReport`. */
import { firstFew, plural, safeJson, visible } from '../common';
import { type AccessChange, type Change, CHANGE_KINDS, type ChangeKind, type DiffFinding, type DiffReport, type ExpiryChange, type FileDiff, type RequirementChange } from './types';
import { portsText } from './reach';
import { showsAnything } from './diff';

export const DIFF_FORMATS = ['text', 'markdown', 'json'] as const;
export type DiffFormat = (typeof DIFF_FORMATS)[number];

export function isDiffFormat(value: string): value is DiffFormat {
  return (DIFF_FORMATS as readonly string[]).includes(value);
}

export function formatDiff(format: DiffFormat, report: DiffReport): string {
  switch (format) {
    case 'text':
      return formatDiffText(report);
    case 'markdown':
      return formatDiffMarkdown(report);
    case 'json':
      return `${safeJson(JSON.stringify(toJson(report), null, 2))}\n`;
  }
}


function isAccess(change: Change): change is AccessChange {
  return change.kind === 'opened' || change.kind === 'closed' || change.kind === 'widened' || change.kind === 'narrowed';
}

/** "443" or "10.0.0.20:443" style: the target with its ports, for the verdict line. */
function target(change: AccessChange): string {
  const ports = portsText(change.ports);
  return ports === 'any port' ? `${change.to.label} (any port)` : change.to.label + (change.ports.length === 1 ? `:${ports}` : ` (${ports})`);
}

/** Whether a closed or narrowed access change is the access a newly unmet vendor requirement is about (the same file and
 * direction, and the vendor's host, or source address, as the remote side; or, without one, the same rule). */
function sameAccess(unmet: RequirementChange, change: AccessChange): boolean {
  if (unmet.file !== change.file || unmet.direction !== change.direction) return false;
  const remote = change.direction === 'inbound' ? change.from.label : change.to.label;
  if (unmet.target !== undefined) return remote.toLowerCase() === unmet.target.toLowerCase();
  const rules = new Set((unmet.rule ?? '').split(', ').filter(Boolean));
  return (change.rule ?? '').split(', ').some((rule) => rules.has(rule));
}

/**
 * The verdict: "⚠ Opens inbound access from any to 10.0.0.20:443; closes 1 vendor endpoint", "✓ No change in effect".
 * ⚠ when the change opens or widens access, breaks a vendor requirement, extends an expiry, introduces a lint
 * finding or does not parse; ℹ for other changes; ✓ when nothing changed in effect and no finding was introduced.
 */
export function verdict(report: DiffReport): string {
  const changes = report.changes;
  const unparsable = report.files.filter((file) => file.unparsable);
  const of = (kind: ChangeKind, direction?: string) => changes.filter((change) => change.kind === kind && (!direction || ('direction' in change && change.direction === direction)));
  const parts: string[] = [];
  const inbound = changes.filter((change): change is AccessChange => (change.kind === 'opened' || change.kind === 'widened') && change.direction === 'inbound');
  if (inbound.length) {
    const first = inbound[0];
    parts.push(`${first.kind === 'opened' ? 'Opens' : 'Widens'} inbound access from ${first.from.label} to ${target(first)}${inbound.length > 1 ? ` (and ${inbound.length - 1} more inbound)` : ''}`);
  }
  const unmet = changes.filter((change): change is RequirementChange => change.kind === 'requirement-unmet');
  if (unmet.length) parts.push(`closes ${plural(unmet.length, 'vendor endpoint')}`);
  const outbound = of('opened', 'outbound').length + of('widened', 'outbound').length;
  if (outbound) parts.push(`opens ${plural(outbound, 'outbound endpoint')}`);
  const expiry = changes.filter((change): change is ExpiryChange => change.kind === 'expiry');
  const expiryCount = (...kinds: ExpiryChange['change'][]): number => expiry.filter((change) => kinds.includes(change.change)).length;
  const extended = expiryCount('removed', 'later');
  if (extended) parts.push(`extends ${plural(extended, 'expiry', 'expiries')}`);
  // Closed reach that broke a vendor requirement is the same access as the vendor endpoint: counted once.
  const closed = changes.filter((change): change is AccessChange => (change.kind === 'closed' || change.kind === 'narrowed') && !unmet.some((u) => sameAccess(u, change))).length;
  if (closed) parts.push(`closes ${plural(closed, unmet.length ? 'other endpoint' : 'endpoint')}`);
  const removed = of('removed').length;
  if (removed) parts.push(`removes ${plural(removed, 'rule')} whose access stays allowed`);
  const met = of('requirement-met');
  if (met.length) parts.push(`meets ${plural(met.length, 'vendor requirement')}`);
  if (expiryCount('added')) parts.push(`adds ${plural(expiryCount('added'), 'expiry', 'expiries')}`);
  if (expiryCount('earlier')) parts.push(`brings ${plural(expiryCount('earlier'), 'expiry', 'expiries')} forward`);
  if (expiryCount('changed')) parts.push(`changes ${plural(expiryCount('changed'), 'expiry', 'expiries')}`);
  const metadata = of('metadata').length;
  if (metadata) parts.push(`${plural(metadata, 'owner or ticket change')}`);
  const introduced = report.findings.introduced.length;
  if (introduced) parts.push(`introduces ${plural(introduced, 'finding')}`);
  const resolved = report.findings.resolved.length;
  if (resolved) parts.push(`resolves ${plural(resolved, 'finding')}`);
  if (unparsable.length) parts.unshift(`${plural(unparsable.length, 'file')} does not parse`.replace('files does', 'files do'));
  if (parts.length === 0) {
    return report.files.length === 0 ? '✓ No allowlist changed' : '✓ No change in effect';
  }
  const risky = inbound.length > 0 || unmet.length > 0 || outbound > 0 || extended > 0 || unparsable.length > 0 || introduced > 0;
  const text = parts.join('; ');
  return `${risky ? '⚠' : changes.length === 0 ? '✓' : 'ℹ'} ${text[0].toUpperCase()}${text.slice(1)}`;
}

// ---------------------------------------------------------------------------------------------
// Text.

export function formatDiffText(report: DiffReport): string {
  const out: string[] = [verdict(report), ''];
  for (const file of report.files) {
    if (file.status === 'unchanged' && !showsAnything(file)) continue;
    const status = file.status === 'renamed' ? `renamed from ${file.previousFile}` : file.status === 'unchanged' ? 'unchanged; its catalogs changed' : file.status;
    out.push(`${file.file} (${status})${file.noEffect ? ': no change in effect' : ''}`);
    for (const change of file.changes) out.push(`  ${change.kind.padEnd(17)} ${change.summary}`);
    for (const finding of file.findings.introduced) out.push(`  + ${finding.severity} ${finding.ruleId} (line ${finding.line}): ${finding.message}`);
    for (const finding of file.findings.resolved) out.push(`  - ${finding.severity} ${finding.ruleId} (was line ${finding.line}): ${finding.message}`);
    for (const note of file.notes) out.push(`  note: ${note}`);
    out.push('');
  }
  // Every line names files, rules and hosts from the allowlists: each is shown visible, on its one line.
  return `${out.map(visible).join('\n').replace(/\n+$/, '')}\n`;
}

// ---------------------------------------------------------------------------------------------
// Markdown.

function cell(text: string | null | undefined): string {
  return visible((text ?? '').replace(/\r?\n/g, ' ')).replace(/\\/g, '\\\\').replace(/\|/g, '\\|');
}

function code(text: string): string {
  return `\`${visible(text).replace(/`/g, "'")}\``;
}

const KIND_LABEL: Record<ChangeKind, string> = {
  opened: '🔓 opened',
  widened: '↗ widened',
  closed: '🔒 closed',
  narrowed: '↘ narrowed',
  removed: '➖ removed',
  'requirement-unmet': '✖ requirement unmet',
  'requirement-met': '✔ requirement met',
  expiry: '⏱ expiry',
  metadata: '✎ metadata',
};

export function formatDiffMarkdown(report: DiffReport, options: { title?: string } = {}): string {
  const out: string[] = [`### ${options.title ?? 'Allowlist changes'}`, '', `**${visible(verdict(report))}**`, ''];
  // Unchanged files with something to show: a catalog change affects them (two identical files compared are neither).
  const affected = report.files.filter((file) => file.status === 'unchanged' && showsAnything(file));
  const changed = report.files.filter((file) => file.status !== 'unchanged');
  const range = `Compared ${code(report.base)} → ${code(report.head)}; ${plural(changed.length, 'allowlist')} changed${affected.length ? `; a catalog change affects ${plural(affected.length, 'unchanged allowlist')}` : ''}.`;
  out.push(range, '');
  if (affected.length) out.push(...catalogImpact(report, affected), '');
  const access = report.changes.filter(isAccess);
  if (access.length) {
    out.push('#### Access', '', '| Change | Direction | From | To | Protocol | Ports | Rule | File |', '|---|---|---|---|---|---|---|---|');
    for (const change of access) {
      out.push(
        `| ${KIND_LABEL[change.kind]} | ${change.direction} | ${cell(change.from.label)} | ${cell(change.to.label)} | ${change.protocol.toUpperCase()} | ${portsText(change.ports)} | ${cell(change.rule)} | ${cell(change.file)} |`,
      );
    }
    const explained = access.filter((change) => change.related);
    if (explained.length) {
      out.push('');
      for (const change of explained) out.push(`- ${cell(change.summary)}`);
    }
    out.push('');
  }
  const removed = report.changes.filter((change) => change.kind === 'removed');
  if (removed.length) {
    out.push('#### Rules removed', '', '| Change | Direction | Rule | Still allowed by | File |', '|---|---|---|---|---|');
    for (const change of removed) {
      if (change.kind !== 'removed') continue;
      out.push(`| ${KIND_LABEL.removed} | ${change.direction} | ${cell(change.rule)} | ${cell(change.stillAllowedBy.join(', ') || 'nothing (it allowed nothing)')} | ${cell(change.file)} |`);
    }
    out.push('');
  }
  const requirements = report.changes.filter((change) => change.kind === 'requirement-unmet' || change.kind === 'requirement-met');
  if (requirements.length) {
    out.push('#### Vendor requirements', '', '| Change | Vendor | Role | Detail | File |', '|---|---|---|---|---|');
    for (const change of requirements) {
      if (change.kind !== 'requirement-unmet' && change.kind !== 'requirement-met') continue;
      out.push(`| ${KIND_LABEL[change.kind]} | ${cell(change.vendorName)} | ${cell(change.roles.map((role) => `“${role}”`).join(', '))} | ${cell(change.summary)} | ${cell(change.file)} |`);
    }
    out.push('');
  }
  const records = report.changes.filter((change) => change.kind === 'expiry' || change.kind === 'metadata');
  if (records.length) {
    out.push('#### Expiry and ownership', '', '| Change | Rule | Before | After | File |', '|---|---|---|---|---|');
    for (const change of records) {
      if (change.kind !== 'expiry' && change.kind !== 'metadata') continue;
      const what = change.kind === 'expiry' ? `${KIND_LABEL.expiry} ${change.change}` : `${KIND_LABEL.metadata} ${change.field}`;
      out.push(`| ${what} | ${cell(change.rule)} | ${cell(change.before ?? '—')} | ${cell(change.after ?? '—')} | ${cell(change.file)} |`);
    }
    out.push('');
  }
  const findingRows = (findings: DiffFinding[], sign: string): string[] =>
    findings.map((finding) => `| ${sign} | ${finding.severity} | ${code(finding.ruleId)} | ${cell(finding.message)} | ${cell(`${finding.file}:${finding.line}`)} |`);
  if (report.findings.introduced.length || report.findings.resolved.length) {
    out.push('#### Lint findings', '', '| | Severity | Rule | Message | Where |', '|---|---|---|---|---|');
    out.push(...findingRows(report.findings.introduced, 'introduced'), ...findingRows(report.findings.resolved, 'resolved'));
    out.push('');
  }
  const files = report.files.filter((file) => file.status !== 'modified' && file.status !== 'unchanged');
  if (files.length) {
    out.push('#### Files', '');
    for (const file of files) out.push(`- ${code(file.file)} ${file.status}${file.status === 'renamed' ? ` from ${code(file.previousFile ?? '?')}` : ''}`);
    out.push('');
  }
  if (report.notes.length) {
    out.push('<details><summary>Changes without effect and notes</summary>', '');
    for (const note of report.notes) out.push(`- ${cell(note)}`);
    out.push('', '</details>', '');
  }
  return `${out.join('\n').replace(/\n+$/, '')}\n`;
}

/** Per vendor, the sites (unchanged allowlists, `affected`) whose requirements a catalog change makes unmet or met:
 * "this vendor update breaks 37 sites", then the sites whose findings it changes, before the per-change tables. */
function catalogImpact(report: DiffReport, affected: FileDiff[]): string[] {
  const unchanged = new Set(affected.map((file) => file.file));
  const byVendor = new Map<string, { name: string; unmet: Set<string>; met: Set<string> }>();
  for (const change of report.changes) {
    if ((change.kind !== 'requirement-unmet' && change.kind !== 'requirement-met') || !unchanged.has(change.file)) continue;
    let vendor = byVendor.get(change.vendor);
    if (!vendor) byVendor.set(change.vendor, (vendor = { name: change.vendorName, unmet: new Set(), met: new Set() }));
    (change.kind === 'requirement-unmet' ? vendor.unmet : vendor.met).add(change.file);
  }
  const sites = (files: Set<string>) => firstFew([...files].map(code));
  const lines = ['#### Sites affected by catalog changes', ''];
  for (const { name, unmet, met } of byVendor.values()) {
    const parts = [unmet.size ? `breaks ${plural(unmet.size, 'site')} (${sites(unmet)})` : '', met.size ? `mends ${plural(met.size, 'site')} (${sites(met)})` : ''];
    lines.push(`- ${cell(name)}: the catalog change ${parts.filter(Boolean).join('; ')}.`);
  }
  const findings = (which: 'introduced' | 'resolved') => {
    const files = affected.filter((file) => file.findings[which].length > 0);
    const count = files.reduce((sum, file) => sum + file.findings[which].length, 0);
    return files.length ? `${which === 'introduced' ? 'introduces' : 'resolves'} ${plural(count, 'finding')} in ${plural(files.length, 'site')} (${sites(new Set(files.map((file) => file.file)))})` : '';
  };
  const findingParts = [findings('introduced'), findings('resolved')].filter(Boolean);
  if (findingParts.length) lines.push(`- Lint findings: the catalog change ${findingParts.join('; ')}.`);
  return lines;
}

// ---------------------------------------------------------------------------------------------
// JSON.

export function toJson(report: DiffReport): object {
  return {
    verdict: verdict(report),
    base: report.base,
    head: report.head,
    noEffect: report.noEffect,
    kinds: CHANGE_KINDS,
    changes: report.changes,
    findings: report.findings,
    files: report.files.map((file) => ({
      file: file.file,
      status: file.status,
      previousFile: file.previousFile,
      noEffect: file.noEffect,
      notes: file.notes,
      unparsable: file.unparsable,
      changes: file.changes.length,
      introduced: file.findings.introduced.length,
      resolved: file.findings.resolved.length,
    })),
    notes: report.notes,
  };
}

// ---------------------------------------------------------------------------------------------
// --fail-on.

/** Names `--fail-on` accepts: every kind, `<kind>-inbound`/`<kind>-outbound`, and findings. */
export const FAIL_ON_NAMES: string[] = [
  ...CHANGE_KINDS,
  ...CHANGE_KINDS.filter((kind) => kind !== 'expiry' && kind !== 'metadata').flatMap((kind) => [`${kind}-inbound`, `${kind}-outbound`]),
  'expiry-removed',
  'expiry-later',
  'introduced',
  'introduced-error',
  'resolved',
  'unparsable',
  'any',
];

/**
 * Which of the `--fail-on` names the report triggers. `opened` (and `opened-inbound`, `opened-outbound`) also
 * catches `widened`: a widening is reach newly allowed (a source widened to `any`, a port added), and a gate on
 * new access must not pass it because an older, narrower rule sat at the same place.
 */
export function failures(report: DiffReport, names: string[]): string[] {
  const hit = new Set<string>();
  for (const change of report.changes) {
    const kinds = change.kind === 'widened' ? ['widened', 'opened'] : [change.kind];
    for (const kind of kinds) {
      hit.add(kind);
      if ('direction' in change) hit.add(`${kind}-${change.direction}`);
    }
    if (change.kind === 'expiry') hit.add(`expiry-${change.change}`);
    hit.add('any');
  }
  if (report.findings.introduced.length) hit.add('introduced');
  if (report.findings.introduced.some((finding) => finding.severity === 'error')) hit.add('introduced-error');
  if (report.findings.resolved.length) hit.add('resolved');
  if (report.files.some((file) => file.unparsable)) hit.add('unparsable');
  return names.filter((name) => hit.has(name));
}
