/** What the editor's probe commands need that does not depend on VS Code: which targets a command
 * probes (the whole file, the rule or host at the cursor, one named rule), the engine's options from
 * the user's settings, and the results view (the webview's HTML, the Markdown for the clipboard and
 * the output channel's lines). The extension only translates these to VS Code calls. */
import type { CatalogSet } from './catalog/types';
import type { AllowlistModel, AllowRule } from './model';
import { failedEndpoints, formatMarkdown, isReachable } from './probe/format';
import type { PinnedAddress } from './probe/pinning';
import { proxyLabel } from './probe/proxy';
import type { ProbeResult, ProbeState, ProbeTarget, ProxyConfig } from './probe/types';
import { probeTargets } from './targets';

export const PROBE_PANEL_TITLE = 'Allowlist Probe Results';

// ---------------------------------------------------------------------------------------------
// What to probe

/** The name probe results carry for a rule (unnamed rules: "outbound #3"), as `probeTargets` names them. */
export function ruleLabel(rule: AllowRule): string {
  return rule.name?.value ?? `${rule.direction} #${rule.index + 1}`;
}

function rulesOf(model: AllowlistModel): AllowRule[] {
  return [...model.outbound, ...model.inbound];
}

/** The rule whose item contains `offset`: from the start of its `- ` line to its last non-blank character. */
export function ruleAtOffset(model: AllowlistModel, offset: number): AllowRule | undefined {
  return rulesOf(model).find((rule) => {
    const start = rule.offset + rule.range.start;
    const lineStart = model.text.lastIndexOf('\n', start - 1) + 1;
    const dashOnly = /^[ \t-]*$/.test(model.text.slice(lineStart, start));
    let end = rule.offset + rule.range.end;
    while (end > start && /\s/.test(model.text[end - 1])) end--;
    return offset >= (dashOnly ? lineStart : start) && offset <= end;
  });
}

/** The targets of one rule, or of one of its `to` addresses. */
export function ruleTargets(model: AllowlistModel, rule: AllowRule, catalogs?: CatalogSet, addressIndex?: number): ProbeTarget[] {
  const only =
    addressIndex === undefined || !rule.to ? rule : { ...rule, to: { ...rule.to, addresses: [rule.to.addresses[addressIndex]] } };
  const single: AllowlistModel = { ...model, outbound: [], inbound: [] };
  single[rule.direction === 'outbound' ? 'outbound' : 'inbound'] = [only];
  return probeTargets(single, catalogs);
}

/** What a command probes, kept to re-run it on the file's current text: the whole file, one rule, or
 * one destination of a rule. */
export interface ProbeScope {
  rule?: string;
  host?: string;
  sweep?: boolean;
}

export interface ProbeSelection {
  /** What is probed, for titles and messages: "every endpoint", "rule hdb-api", "rule hdb-api: a.example.com". */
  label: string;
  scope: ProbeScope;
  targets: ProbeTarget[];
}

export function scopeLabel(scope: ProbeScope): string {
  const what = scope.rule === undefined ? 'every endpoint' : `rule ${scope.rule}${scope.host !== undefined ? `: ${scope.host}` : ''}`;
  return scope.sweep ? `${what}, every port` : what;
}

/** The targets of a scope in the model; undefined when its rule (or destination) is gone. */
export function selectScope(model: AllowlistModel, scope: ProbeScope, catalogs?: CatalogSet): ProbeSelection | undefined {
  let targets: ProbeTarget[];
  if (scope.rule === undefined) {
    targets = probeTargets(model, catalogs);
  } else {
    const rules = rulesOf(model).filter((rule) => ruleLabel(rule) === scope.rule);
    targets = rules.flatMap((rule) => ruleTargets(model, rule, catalogs));
    if (scope.host !== undefined) targets = targets.filter((t) => t.host === scope.host);
    if (targets.length === 0) return undefined;
  }
  return { label: scopeLabel(scope), scope, targets };
}

/** The rule at `offset`, narrowed to one destination when the offset is on one of its `to` addresses. */
export function selectionAtOffset(model: AllowlistModel, offset: number, catalogs?: CatalogSet): ProbeSelection | undefined {
  const rule = ruleAtOffset(model, offset);
  if (!rule) return undefined;
  const addresses = rule.to?.addresses ?? [];
  const index = addresses.findIndex((a) => offset >= rule.offset + a.range.start && offset <= rule.offset + a.range.end);
  if (index >= 0) {
    const targets = ruleTargets(model, rule, catalogs, index);
    if (targets.length > 0) {
      const scope = { rule: ruleLabel(rule), host: targets[0].host };
      return { label: scopeLabel(scope), scope, targets };
    }
  }
  const scope = { rule: ruleLabel(rule) };
  return { label: scopeLabel(scope), scope, targets: ruleTargets(model, rule, catalogs) };
}

/** Whether the rule has a port range (more than one port in a span): its lens offers a full sweep. */
export function hasPortRange(rule: AllowRule): boolean {
  return (rule.ports?.spans ?? []).some((span) => !span.problem && span.to > span.from);
}

/** Every hostname the catalogs know (exact names and *.wildcards), for `pinnedAddressAdvice`. */
export function catalogHosts(catalogs: CatalogSet): string[] {
  return [...catalogs.endpointsByHost.keys()];
}

// ---------------------------------------------------------------------------------------------
// Settings

export interface ProbeSettings {
  /** `allowlist.probe.timeoutMs`, `allowlist.probe.concurrency`, `allowlist.probe.sweep`. */
  timeoutMs?: unknown;
  concurrency?: unknown;
  sweep?: unknown;
  /** VS Code's `http.proxy` and `http.noProxy` (an array of NO_PROXY entries). */
  httpProxy?: unknown;
  noProxy?: unknown;
}

export interface ProbeRunOptions {
  timeoutMs: number;
  concurrency: number;
  sweep: boolean;
  /** Unset: the engine reads HTTPS_PROXY/HTTP_PROXY/NO_PROXY from the environment. */
  proxy?: ProxyConfig;
}

export const probeDefaults = { timeoutMs: 3000, concurrency: 64, sweep: false } as const;

function positive(value: unknown, fallback: number, max: number): number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 1 ? Math.min(Math.floor(value), max) : fallback;
}

/** The engine's options from the settings; out-of-range values fall back to the defaults. */
export function probeOptionsFromSettings(settings: ProbeSettings): ProbeRunOptions {
  const options: ProbeRunOptions = {
    timeoutMs: positive(settings.timeoutMs, probeDefaults.timeoutMs, 600_000),
    concurrency: positive(settings.concurrency, probeDefaults.concurrency, 4096),
    sweep: settings.sweep === true,
  };
  const url = typeof settings.httpProxy === 'string' ? settings.httpProxy.trim() : '';
  if (url) {
    const entries = Array.isArray(settings.noProxy)
      ? settings.noProxy.filter((e): e is string => typeof e === 'string' && e.trim() !== '').map((e) => e.trim())
      : typeof settings.noProxy === 'string'
        ? [settings.noProxy]
        : [];
    options.proxy = { url: url.includes('://') ? url : `http://${url}`, ...(entries.length ? { noProxy: entries.join(',') } : {}) };
  }
  return options;
}

/** One line about the options, without proxy credentials: "timeout 3000 ms, 64 at once, ranges sampled, direct". */
export function describeOptions(options: ProbeRunOptions): string {
  const proxy = options.proxy ? `proxy ${proxyLabel(options.proxy)} (http.proxy)` : 'proxy from the environment, if any';
  return `time-out ${options.timeoutMs} ms, ${options.concurrency} at once, ranges ${options.sweep ? 'swept' : 'sampled'}, ${proxy}`;
}

// ---------------------------------------------------------------------------------------------
// Results

/** `failed`: a required endpoint none of whose addresses answered. `warning`: this address did not
 * answer (another did, or the endpoint is optional), or TLS looks inspected/filtered. */
export type RowStatus = 'failed' | 'warning' | 'ok';

export interface ViewRow {
  result: ProbeResult;
  status: RowStatus;
}

const endpointKey = (r: ProbeResult) => `${r.rule}\0${r.direction}\0${r.host}\0${r.port}`;

/** The results with their status, failed rows first, then warnings, then the rest (stable within each). */
export function viewRows(results: ProbeResult[]): ViewRow[] {
  const failed = new Set(failedEndpoints(results).map(endpointKey));
  const rank: Record<RowStatus, number> = { failed: 0, warning: 1, ok: 2 };
  return results
    .map((result): ViewRow => {
      const tlsTrouble = result.tls && (result.tls.inspectionSuspected || result.tls.sniFilteringSuspected);
      const status: RowStatus =
        !isReachable(result) && result.required && failed.has(endpointKey(result))
          ? 'failed'
          : !isReachable(result) || tlsTrouble
            ? 'warning'
            : 'ok';
      return { result, status };
    })
    .map((row, index) => ({ row, index }))
    .sort((a, b) => rank[a.row.status] - rank[b.row.status] || a.index - b.index)
    .map(({ row }) => row);
}

export interface ProbeView {
  /** The allowlist file, as shown (a workspace-relative path). */
  file: string;
  /** "every endpoint", "rule hdb-api", ... (`scopeLabel`). */
  scope: string;
  results: ProbeResult[];
  /** ISO 8601. */
  startedAt: string;
  ms: number;
  /** The run was cancelled: `results` are those finished before, out of `total`. */
  cancelled?: boolean;
  total?: number;
  options?: ProbeRunOptions;
  pinned?: PinnedAddress[];
}

export function probeSummary(view: ProbeView): string {
  const failed = failedEndpoints(view.results);
  const count = `${view.results.length} probe${view.results.length === 1 ? '' : 's'}`;
  const verdict = view.cancelled
    ? `cancelled after ${view.results.length}${view.total ? ` of ${view.total}` : ''} probes`
    : failed.length
      ? `${failed.length} required endpoint${failed.length === 1 ? '' : 's'} not reachable`
      : 'all required endpoints reachable';
  return `${verdict} (${view.cancelled ? '' : `${count}, `}${view.ms} ms)`;
}

export function tlsCell(r: ProbeResult): string {
  if (!r.tls) return '';
  if (r.tls.sniFilteringSuspected) return 'reset after ClientHello (SNI filter?)';
  return `${r.tls.issuer || '-'}${r.tls.inspectionSuspected ? ' (inspection?)' : ''}`;
}

/** One line per result for the output channel. */
export function probeLogLine(r: ProbeResult): string {
  const where = `${r.address}${r.port ? `:${r.port}` : ''}${r.via === 'proxy' ? ' via proxy' : ''}`;
  const tls = tlsCell(r);
  const parts = [`${r.rule}`, r.host === r.address ? where : `${r.host} ${where}`, r.state, `${Math.round(r.ms)} ms`];
  if (tls) parts.push(`TLS ${tls}`);
  if (r.detail) parts.push(`- ${r.detail}`);
  if (r.advice) parts.push(`- ${r.advice}`);
  return parts.join(' ');
}

/** The Markdown put on the clipboard: a heading line, the table (failed rows first) and any pinned-address advice. */
export function probeMarkdown(view: ProbeView): string {
  const rows = viewRows(view.results).map((row) => row.result);
  const head = `**Allowlist probe** of \`${view.file.replace(/`/g, "'")}\` (${view.scope}), ${view.startedAt}: ${probeSummary(view)}`;
  const pinned = (view.pinned ?? []).map((p) => `- ${p.advice}`);
  return [head, '', formatMarkdown(rows).trimEnd(), ...(pinned.length ? ['', ...pinned] : [])].join('\n') + '\n';
}

export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** Messages the webview posts to the extension. */
export type ProbeViewMessage = { type: 'copyMarkdown' } | { type: 'rerun' };

export function isProbeViewMessage(message: unknown): message is ProbeViewMessage {
  const type = (message as { type?: unknown } | null)?.type;
  return type === 'copyMarkdown' || type === 'rerun';
}

const stateClass: Record<ProbeState, string> = {
  open: 'good',
  listening: 'good',
  closed: 'bad',
  filtered: 'bad',
  unreachable: 'bad',
  'dns-error': 'bad',
  'not-listening': 'bad',
  'not-probed': 'muted',
};

const css = `
body { font-family: var(--vscode-font-family); font-size: var(--vscode-font-size); color: var(--vscode-foreground); background: var(--vscode-editor-background); padding: 0 16px 16px; }
header { display: flex; flex-wrap: wrap; align-items: baseline; gap: 8px 16px; margin: 12px 0; }
h1 { font-size: 1.2em; margin: 0; font-weight: 600; }
.summary.failed { color: var(--vscode-errorForeground); font-weight: 600; }
.summary.ok { color: var(--vscode-testing-iconPassed, var(--vscode-foreground)); font-weight: 600; }
.meta, .detail, .muted { color: var(--vscode-descriptionForeground); }
.buttons { margin-left: auto; display: flex; gap: 8px; }
button { font-family: inherit; font-size: inherit; color: var(--vscode-button-foreground); background: var(--vscode-button-background); border: 1px solid var(--vscode-button-border, transparent); padding: 4px 12px; cursor: pointer; }
button:hover { background: var(--vscode-button-hoverBackground); }
button.secondary { color: var(--vscode-button-secondaryForeground); background: var(--vscode-button-secondaryBackground); }
button.secondary:hover { background: var(--vscode-button-secondaryHoverBackground); }
.table { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; vertical-align: top; padding: 3px 8px; border-bottom: 1px solid var(--vscode-widget-border, var(--vscode-panel-border, transparent)); }
th { font-weight: 600; position: sticky; top: 0; background: var(--vscode-editor-background); }
td { white-space: nowrap; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
td.addr, td.port { font-family: var(--vscode-editor-font-family); }
tr.has-note td { border-bottom: none; padding-bottom: 0; }
tr.note td { white-space: normal; padding: 0 8px 4px 24px; }
tr.note .advice + .detail::before { content: "· "; }
tr.failed { background: var(--vscode-inputValidation-errorBackground, transparent); }
tr.failed td:first-child { box-shadow: inset 3px 0 var(--vscode-errorForeground); }
tr.warning td:first-child { box-shadow: inset 3px 0 var(--vscode-editorWarning-foreground); }
.state { font-weight: 600; white-space: nowrap; }
.state.good { color: var(--vscode-testing-iconPassed, var(--vscode-charts-green)); }
.state.bad { color: var(--vscode-errorForeground); }
.state.muted { color: var(--vscode-descriptionForeground); font-weight: normal; }
.tls.warn { color: var(--vscode-editorWarning-foreground); }
ul.pinned { color: var(--vscode-editorWarning-foreground); }
p.empty { color: var(--vscode-descriptionForeground); }
`;

const script = `
const vscode = acquireVsCodeApi();
for (const button of document.querySelectorAll('button[data-message]')) {
  button.addEventListener('click', () => vscode.postMessage({ type: button.dataset.message }));
}
`;

/** The results panel's HTML: a strict CSP (scripts and styles only with `nonce`), theme colours, every
 * value escaped. Rows carry `data-state` (the probe state) and `data-status` (failed/warning/ok). */
export function renderProbeHtml(view: ProbeView | undefined, page: { nonce: string; cspSource: string }): string {
  const nonce = page.nonce.replace(/[^A-Za-z0-9+/=_-]/g, '');
  const csp = `default-src 'none'; img-src ${page.cspSource.replace(/[\s;"'<>]/g, '')}; style-src 'nonce-${nonce}'; script-src 'nonce-${nonce}';`;
  const head = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp.replace(/"/g, '&quot;')}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>${PROBE_PANEL_TITLE}</title>
<style nonce="${nonce}">${css}</style>
</head>
<body>
`;
  const tail = `<script nonce="${nonce}">${script}</script>
</body>
</html>
`;
  if (!view) {
    return `${head}<header><h1>${PROBE_PANEL_TITLE}</h1></header>
<p class="empty">No probe has run yet. Run "Allowlist: Probe Every Endpoint in This File" from the command palette.</p>
${tail}`;
  }
  const rows = viewRows(view.results);
  const failed = !view.cancelled && rows.some((row) => row.status === 'failed');
  const summaryClass = view.cancelled ? 'summary' : failed ? 'summary failed' : 'summary ok';
  const body = rows.map(({ result: r, status }) => {
    const tls = tlsCell(r);
    const tlsWarn = r.tls && (r.tls.inspectionSuspected || r.tls.sniFilteringSuspected || !r.tls.publicRoot);
    const tlsTitle = r.tls ? [r.tls.subject && `subject ${r.tls.subject}`, r.tls.validTo && `valid to ${r.tls.validTo}`, r.tls.error].filter(Boolean).join('; ') : '';
    const address = r.via === 'proxy' ? `${r.address} (via proxy)` : r.address;
    const optional = r.required ? '' : ' <span class="muted">(optional)</span>';
    const note = [r.advice && `<span class="advice">${escapeHtml(r.advice)}</span>`, r.detail && `<span class="detail">${escapeHtml(r.detail)}</span>`]
      .filter(Boolean)
      .join(' ');
    return `<tr class="${status}${note ? ' has-note' : ''}" data-state="${escapeHtml(r.state)}" data-status="${status}" data-rule="${escapeHtml(r.rule)}">
<td>${escapeHtml(r.rule)}${optional}</td>
<td class="addr">${escapeHtml(r.host)}</td>
<td class="addr">${escapeHtml(address)}</td>
<td class="num port">${r.port ? r.port : ''}</td>
<td><span class="state ${stateClass[r.state] ?? 'muted'}">${escapeHtml(r.state)}</span></td>
<td class="num">${Math.round(r.ms)}</td>
<td class="tls${tlsWarn ? ' warn' : ''}"${tlsTitle ? ` title="${escapeHtml(tlsTitle)}"` : ''}>${escapeHtml(tls)}</td>
</tr>${note ? `\n<tr class="note ${status}"><td colspan="7">${note}</td></tr>` : ''}`;
  });
  const pinned = view.pinned?.length
    ? `<ul class="pinned">${view.pinned.map((p) => `<li>${escapeHtml(p.advice)}</li>`).join('')}</ul>\n`
    : '';
  const meta = [`${view.file} — ${view.scope}`, `${view.startedAt.replace('T', ' ').replace(/\.\d+Z$|Z$/, '')} UTC`, view.options && describeOptions(view.options)]
    .filter(Boolean)
    .map((part) => escapeHtml(String(part)))
    .join(' · ');
  return `${head}<header>
<h1>${PROBE_PANEL_TITLE}</h1>
<span class="${summaryClass}" id="summary">${escapeHtml(probeSummary(view))}</span>
<div class="buttons">
<button id="copy-markdown" data-message="copyMarkdown" class="secondary">Copy as Markdown</button>
<button id="rerun" data-message="rerun">Re-run</button>
</div>
</header>
<p class="meta">${meta}</p>
${pinned}${
    rows.length
      ? `<div class="table"><table>
<thead><tr><th>rule</th><th>host</th><th>address</th><th>port</th><th>state</th><th>ms</th><th>TLS issuer</th></tr></thead>
<tbody>
${body.join('\n')}
</tbody>
</table></div>`
      : '<p class="empty">No endpoints to probe.</p>'
  }
${tail}`;
}
