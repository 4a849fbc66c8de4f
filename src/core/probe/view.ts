/** What the editor's probe commands need that does not depend on VS Code: which targets a command
 * probes (the whole file, the rule or host at the cursor, one named rule), the engine's options from
 * the user's settings, and the results view (the webview's HTML, the Markdown for the clipboard and
 * the output channel's lines). The extension only translates these to VS Code calls. */
import { dirname } from 'node:path';
import { type CatalogSet, editorCatalogSet } from '../catalog';
import { escapeHtml, webviewPage, type WebviewPage } from '../common';
import { ConfigError, emptyConfig, type LintConfig, loadConfigFor, withSettingRules } from '../lint';
import { type AllowlistModel, type AllowRule, ruleSide } from '../parse';
import { failedEndpoints, failedGroupLine, failedGroups, formatMarkdown, isReachable, probedNothing } from './format';
import type { PinnedAddress } from './pinning';
import { proxyLabel } from './proxy';
import type { ProbeResult, ProbeState, ProbeTarget, ProxyConfig } from './types';
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
    addressIndex === undefined || !rule.to ? rule : { ...rule, to: ruleSide([rule.to.addresses[addressIndex]], rule.to.range) };
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

/** The scope a Probe lens's command arguments `[uri, ruleName, { sweep: true }?]` (src/server/probe-lens.ts) name,
 * for the command's two handlers: our VS Code client's and the server's own (src/server/server-probe.ts). */
export function lensScope(rule: string, options: unknown): ProbeScope {
  return (options as { sweep?: unknown } | null | undefined)?.sweep === true ? { rule, sweep: true } : { rule };
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

// ---------------------------------------------------------------------------------------------
// Catalogs

export interface ProbeCatalogSources {
  /** The allowlist's path on disk (its folder's `.allowlistrc.yaml` sets rules and names catalogs); unset for unsaved files. */
  filePath?: string;
  /** The workspace folder holding the file: its `*.catalog.yaml` files are loaded when trusted. */
  workspaceFolder?: string;
  /** Workspace trust: catalogs from the workspace (its files and its config) only when trusted. */
  trusted: boolean;
  /** The `allowlist.catalogs` setting (files or folders; relative ones against the workspace folder). */
  settingCatalogs?: unknown;
  /** The `allowlist.rules` setting, over the config's rules. */
  settingRules?: unknown;
}

/** The catalogs and config the editor lints a file with, as the language server finds them (src/server/server.ts),
 * so that what a probe refuses and probes agrees with the file's diagnostics: the config of the nearest
 * `.allowlistrc.yaml` with `allowlist.rules` over it; the built-in catalogs, then in a trusted workspace the
 * workspace's `*.catalog.yaml` files and the catalogs the config lists, then `allowlist.catalogs`. Catalogs with
 * errors are left out (the editor shows their findings); `problems` says which, and any config error (the config
 * is then left out, as the language server leaves it out). */
export async function loadProbeInputs(sources: ProbeCatalogSources): Promise<{ catalogs: CatalogSet; config: LintConfig; problems: string[] }> {
  const problems: string[] = [];
  let fromFile = emptyConfig();
  if (sources.filePath) {
    try {
      fromFile = loadConfigFor(dirname(sources.filePath));
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      problems.push(error.message);
    }
  }
  let config = fromFile;
  try {
    config = withSettingRules(fromFile, sources.settingRules);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    problems.push(error.message);
  }
  const configCatalogs = sources.trusted ? fromFile.catalogs : [];
  const settingCatalogs = Array.isArray(sources.settingCatalogs) ? sources.settingCatalogs.filter((p): p is string => typeof p === 'string' && p.trim() !== '') : [];
  const base = sources.workspaceFolder ?? (sources.filePath ? dirname(sources.filePath) : undefined);
  const loaded = await editorCatalogSet({ trusted: sources.trusted, workspaceFolder: sources.workspaceFolder, configCatalogs, settingCatalogs, base });
  return { catalogs: loaded.catalogs, config: { ...config, catalogs: configCatalogs }, problems: [...problems, ...loaded.problems] };
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
      : probedNothing(view.results)
        ? 'nothing probed: no endpoint here can be tested'
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

/** Each failed required endpoint (consecutive ports that failed alike as one range) with why it failed and what
 * to do: "db 10.0.0.5:5432: filtered: a firewall drops …". */
export function failedEndpointLines(view: ProbeView): string[] {
  if (view.cancelled) return [];
  return failedGroups(view.results).map(failedGroupLine);
}

/** The Markdown put on the clipboard: a heading line, the failed endpoints, the table (failed rows first) and any pinned-address advice. */
export function probeMarkdown(view: ProbeView): string {
  const rows = viewRows(view.results).map((row) => row.result);
  const head = `**Allowlist probe** of \`${view.file.replace(/`/g, "'")}\` (${view.scope}), ${view.startedAt}: ${probeSummary(view)}`;
  const failed = failedEndpointLines(view).map((line) => `- ${line}`);
  const pinned = (view.pinned ?? []).map((p) => `- ${p.advice}`);
  return [head, ...(failed.length ? ['', ...failed] : []), '', formatMarkdown(rows).trimEnd(), ...(pinned.length ? ['', ...pinned] : [])].join('\n') + '\n';
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

/** The probe table's own styles (RESULTS_CSS has the shared ones). */
const css = `
td:first-child, td.tls { min-width: 4em; }
tr.note .advice + .detail::before { content: "· "; }
.state { font-weight: 600; white-space: nowrap; }
.state.good { color: var(--vscode-testing-iconPassed, var(--vscode-charts-green)); }
.state.bad { color: var(--vscode-errorForeground); }
.state.muted { color: var(--vscode-descriptionForeground); font-weight: normal; }
.tls.warn { color: var(--vscode-editorWarning-foreground); }
ul.pinned { color: var(--vscode-editorWarning-foreground); }
ul.failed-endpoints { margin: 0 0 12px; padding-left: 20px; }
ul.failed-endpoints .endpoint { font-weight: 600; }
ul.failed-endpoints .reason { color: var(--vscode-errorForeground); }
`;

/** The results panel's HTML: a strict CSP (scripts and styles only with `nonce`), theme colours, every
 * value escaped. Rows carry `data-state` (the probe state) and `data-status` (failed/warning/ok). */
export function renderProbeHtml(view: ProbeView | undefined, page: WebviewPage): string {
  const html = (body: string) => webviewPage(page, { title: PROBE_PANEL_TITLE, css, body });
  if (!view) {
    return html(`<header><h1>${PROBE_PANEL_TITLE}</h1></header>
<p class="empty">No probe has run yet. Run "Allowlist: Probe Every Endpoint in This File" from the command palette.</p>`);
  }
  const rows = viewRows(view.results);
  const failed = !view.cancelled && rows.some((row) => row.status === 'failed');
  const summaryClass = view.cancelled || probedNothing(view.results) ? 'summary' : failed ? 'summary failed' : 'summary ok';
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
<td class="addr" data-label="host">${escapeHtml(r.host)}</td>
<td class="addr" data-label="address">${escapeHtml(address)}</td>
<td class="num port" data-label="port">${r.port ? r.port : ''}</td>
<td><span class="state ${stateClass[r.state] ?? 'muted'}">${escapeHtml(r.state)}</span></td>
<td class="num" data-label="ms">${Math.round(r.ms)}</td>
<td class="tls${tlsWarn ? ' warn' : ''}" data-label="TLS issuer"${tlsTitle ? ` title="${escapeHtml(tlsTitle)}"` : ''}>${escapeHtml(tls)}</td>
</tr>${note ? `\n<tr class="note ${status}"><td colspan="7">${note}</td></tr>` : ''}`;
  });
  const failedList = view.cancelled ? [] : failedGroups(view.results);
  const failedHtml = failedList.length
    ? `<ul class="failed-endpoints" id="failed-endpoints">${failedList
        .map(
          (g) =>
            `<li><span class="endpoint">${escapeHtml(g.label)}</span>: <span class="reason">${escapeHtml(g.reason)}</span>: <span class="advice">${escapeHtml(g.advice)}</span></li>`,
        )
        .join('')}</ul>\n`
    : '';
  const pinned = view.pinned?.length
    ? `<ul class="pinned">${view.pinned.map((p) => `<li>${escapeHtml(p.advice)}</li>`).join('')}</ul>\n`
    : '';
  const meta = [`${view.file} — ${view.scope}`, `${view.startedAt.replace('T', ' ').replace(/\.\d+Z$|Z$/, '')} UTC`, view.options && describeOptions(view.options)]
    .filter(Boolean)
    .map((part) => escapeHtml(String(part)))
    .join(' · ');
  return html(`<header>
<h1>${PROBE_PANEL_TITLE}</h1>
<span class="${summaryClass}" id="summary">${escapeHtml(probeSummary(view))}</span>
<div class="buttons">
<button id="copy-markdown" data-message="copyMarkdown" class="secondary">Copy as Markdown</button>
<button id="rerun" data-message="rerun">Re-run</button>
</div>
</header>
<p class="meta">${meta}</p>
${failedHtml}${pinned}${
    rows.length
      ? `<div class="table"><table>
<thead><tr><th>rule</th><th>host</th><th>address</th><th>port</th><th>state</th><th>ms</th><th>TLS issuer</th></tr></thead>
<tbody>
${body.join('\n')}
</tbody>
</table></div>`
      : '<p class="empty">No endpoints to probe.</p>'
  }`);
}
