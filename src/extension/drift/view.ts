/** The "Allowlist Drift" results view: a drift report as the probe results are shown (the shared page of
 * core/common), one row per entry: extra, missing, requirement unmet, each linking to the allowlist rule's line and
 * naming (and linking to) the configuration's line. Pure (no `vscode`): the extension renders it in a ResultsPanel. */
import { escapeHtml, webviewPage, type WebviewPage } from '../../core/common';
import { portsText } from '../../core/diff';
import { driftVerdict, type DriftAccess, type DriftReport, type DriftRequirement, type DriftSource } from '../../core/drift';

export const DRIFT_PANEL_TITLE = 'Allowlist Drift';

export interface DriftView {
  report: DriftReport;
  /** ISO time of the check. */
  checkedAt: string;
}

/** What the page posts: open a line of the allowlist or of the configuration (1-based, as text: a data- attribute),
 * or run the check again. */
export type DriftViewMessage = { type: 'openAllowlist' | 'openConfiguration'; line: string } | { type: 'checkAgain' };

export function isDriftViewMessage(message: unknown): message is DriftViewMessage {
  const { type, line } = (message ?? {}) as { type?: unknown; line?: unknown };
  if (type === 'checkAgain') return true;
  return (type === 'openAllowlist' || type === 'openConfiguration') && typeof line === 'string' && /^\d+$/.test(line);
}

const css = `
.kind { font-weight: 600; white-space: nowrap; }
tr.missing .kind, tr.requirement-unmet .kind { color: var(--vscode-errorForeground); }
tr.extra .kind { color: var(--vscode-editorWarning-foreground); }
tr.missing td:first-child, tr.requirement-unmet td:first-child { box-shadow: inset 3px 0 var(--vscode-errorForeground); }
tr.extra td:first-child { box-shadow: inset 3px 0 var(--vscode-editorWarning-foreground); }
h2 { font-size: 1.05em; font-weight: 600; margin: 16px 0 6px; }
ul.not-compared, ul.notes { padding-left: 20px; color: var(--vscode-descriptionForeground); }
`;

export function renderDriftHtml(view: DriftView, page: WebviewPage): string {
  const { report } = view;
  const summaryClass = report.inSync ? 'summary ok' : 'summary failed';
  const meta = [`${report.allowlist} against ${report.against} (${report.platform})`, `${view.checkedAt.replace('T', ' ').replace(/\.\d+Z$|Z$/, '')} UTC`]
    .map(escapeHtml)
    .join(' · ');
  const rows = [...report.missing.map((access) => accessRow(report, access)), ...report.extra.map((access) => accessRow(report, access)), ...report.requirements.map((requirement) => requirementRow(report, requirement))];
  const table = rows.length
    ? `<div class="table"><table>
<thead><tr><th>kind</th><th>direction</th><th>from</th><th>to</th><th>ports</th><th>allowlist</th><th>firewall</th></tr></thead>
<tbody>
${rows.join('\n')}
</tbody>
</table></div>`
    : report.unparsable || report.firewallUnreadable
      ? ''
      : '<p class="empty" id="in-sync">In sync: the firewall allows what the allowlist allows, and meets its vendors\' requirements.</p>';
  const notCompared = report.notCompared.length
    ? `<h2>Not compared: parts of ${escapeHtml(report.against)} that could not be mapped</h2>
<ul class="not-compared">${report.notCompared.map((problem) => `<li>${configurationLink(report, problem.line)}: ${escapeHtml(problem.message)}</li>`).join('')}</ul>`
    : '';
  const notes = report.notes.length ? `<h2>Notes</h2>\n<ul class="notes">${report.notes.map((note) => `<li>${escapeHtml(note)}</li>`).join('')}</ul>` : '';
  return webviewPage(page, {
    title: DRIFT_PANEL_TITLE,
    css,
    body: `<header>
<h1>${DRIFT_PANEL_TITLE}</h1>
<span class="${summaryClass}" id="summary">${escapeHtml(driftVerdict(report))}</span>
<div class="buttons"><button id="check-again" data-message="checkAgain">Check Again</button></div>
</header>
<p class="meta">${meta}</p>
${table}
${notCompared}
${notes}`,
  });
}

function accessRow(report: DriftReport, access: DriftAccess): string {
  return row(access.kind, access.kind, [
    escapeHtml(access.direction),
    `<span class="addr">${escapeHtml(access.from.label)}</span>`,
    `<span class="addr">${escapeHtml(access.to.label)}</span>`,
    escapeHtml(`${access.protocol.toUpperCase()} ${portsText(access.ports)}`),
    sourcesHtml(access.allowlistRules, (source) => allowlistLink(source)),
    sourcesHtml(access.firewallPolicies, (source) => `${escapeHtml(source.name)} (${configurationLink(report, source.line)})`),
  ], access.summary);
}

function requirementRow(report: DriftReport, requirement: DriftRequirement): string {
  const target = escapeHtml(requirement.target ?? '');
  const [from, to] = requirement.direction === 'inbound' ? [target, 'this site'] : ['this site', target];
  return row('requirement-unmet', 'requirement unmet', [
    escapeHtml(requirement.direction),
    `<span class="addr">${from}</span>`,
    `<span class="addr">${to}</span>`,
    '',
    sourcesHtml(requirement.allowlistRules, (source) => allowlistLink(source)),
    `<span class="muted">${escapeHtml(`not on ${report.against}`)}</span>`,
  ], requirement.summary);
}

const LABELS = ['direction', 'from', 'to', 'ports', 'allowlist', 'firewall'];

function row(kind: string, kindText: string, cells: string[], summary: string): string {
  return `<tr class="${kind} has-note" data-kind="${kind}">
<td><span class="kind">${escapeHtml(kindText)}</span></td>
${cells.map((cell, index) => `<td data-label="${LABELS[index]}">${cell}</td>`).join('\n')}
</tr>
<tr class="note ${kind}"><td colspan="7">${escapeHtml(summary)}</td></tr>`;
}

function sourcesHtml(sources: DriftSource[], link: (source: DriftSource) => string): string {
  return sources.length ? sources.map(link).join(', ') : '<span class="muted">none</span>';
}

function allowlistLink(source: DriftSource): string {
  return `<a href="#" data-message="openAllowlist" data-line="${source.line}">${escapeHtml(source.name)}</a> <span class="muted">(line ${source.line})</span>`;
}

function configurationLink(report: DriftReport, line: number): string {
  return `<a href="#" data-message="openConfiguration" data-line="${line}">${escapeHtml(`${report.against}:${line}`)}</a>`;
}
