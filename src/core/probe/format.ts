import { visible } from '../common';
import type { ProbeResult } from './types';

const headers = ['rule', 'host', 'address', 'port', 'state', 'ms', 'TLS issuer', 'advice'];

/** A result's cells, shown visible (rule names and hosts come from the allowlist, issuers from the server). */
function cells(r: ProbeResult): string[] {
  const issuer = r.tls
    ? r.tls.sniFilteringSuspected
      ? '(reset: SNI filter?)'
      : `${r.tls.issuer || '-'}${r.tls.inspectionSuspected ? ' (inspection?)' : ''}`
    : '';
  const address = r.via === 'proxy' ? `${r.address} (via proxy)` : r.address;
  return [r.rule, r.host, address, r.port ? String(r.port) : '', r.state, String(Math.round(r.ms)), issuer, r.advice].map(visible);
}

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, Math.max(1, max - 1))}…` : text;
}

/** Results as an aligned text table for a terminal. Long cells are clipped (the last column to fit
 * `width` when given), so each result stays on one line. */
export function formatTable(results: ProbeResult[], opts: { width?: number } = {}): string {
  const rows = [headers, ...results.map((r) => cells(r).map((c, i) => (i < headers.length - 1 ? clip(c, 40) : c)))];
  const widths = headers.map((_, i) => Math.max(...rows.map((row) => row[i].length)));
  const lines = rows.map((row) => {
    const head = row.slice(0, -1).map((c, i) => (i === 3 || i === 5 ? c.padStart(widths[i]) : c.padEnd(widths[i])));
    const line = [...head, row[row.length - 1]].join('  ');
    return (opts.width ? clip(line, opts.width) : line).trimEnd();
  });
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  lines.splice(1, 0, opts.width ? rule.slice(0, opts.width) : rule);
  return lines.join('\n') + '\n';
}

/** Results as a Markdown table (with the detail column) for pasting into a ticket. */
export function formatMarkdown(results: ProbeResult[]): string {
  const escape = (text: string) => text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|');
  const mdHeaders = [...headers.slice(0, -1), 'detail', 'advice'];
  const rows = results.map((r) => {
    const c = cells(r);
    return [...c.slice(0, -1), visible(r.detail.replace(/\r?\n/g, ' ')), c[c.length - 1]];
  });
  return [
    `| ${mdHeaders.join(' | ')} |`,
    `|${mdHeaders.map((_, i) => (i === 3 || i === 5 ? ' ---: ' : ' --- ')).join('|')}|`,
    ...rows.map((row) => `| ${row.map((c) => escape(c) || ' ').join(' | ')} |`),
  ].join('\n') + '\n';
}

/** TLS trouble that breaks the endpoint for the vendor's software although TCP connects: a firewall
 * re-signing the traffic (clients that pin certificates fail) or resetting after the ClientHello. */
export function tlsProblem(r: ProbeResult): 'TLS inspection suspected' | 'SNI filtering suspected' | undefined {
  if (r.tls?.sniFilteringSuspected) return 'SNI filtering suspected';
  if (r.tls?.inspectionSuspected) return 'TLS inspection suspected';
  return undefined;
}

/** Whether an endpoint counts as reachable: open outbound (without suspected TLS inspection or SNI
 * filtering), listening inbound, or not probeable. */
export function isReachable(r: ProbeResult): boolean {
  if (r.state === 'open') return tlsProblem(r) === undefined;
  return r.state === 'listening' || r.state === 'not-probed';
}

/** No endpoint was tested: the allowlist has none, or none can be probed (UDP, wildcards, `any`, no ports). That is
 * not "all reachable". */
export function probedNothing(results: ProbeResult[]): boolean {
  return results.every((r) => r.state === 'not-probed');
}

/** The summary of a run that `probedNothing`. */
export function nothingProbed(results: ProbeResult[]): string {
  return results.length === 0 ? 'nothing probed: the file allows no endpoints' : noneProbeable(results.length);
}

/** The summary of a run whose `count` endpoints none can be tested (the probe scripts' too). */
export function noneProbeable(count: number): string {
  return `nothing probed: none of the ${count} endpoint(s) can be tested from here (see the advice column)`;
}

/** Required (rule, host, port) endpoints none of whose addresses was reachable. */
export function failedEndpoints(results: ProbeResult[]): ProbeResult[] {
  const byEndpoint = new Map<string, ProbeResult[]>();
  for (const r of results.filter((r) => r.required)) {
    const key = `${r.rule}\0${r.direction}\0${r.host}\0${r.port}`;
    byEndpoint.set(key, [...(byEndpoint.get(key) ?? []), r]);
  }
  return [...byEndpoint.values()].filter((rs) => !rs.some(isReachable)).map((rs) => rs[0]);
}

/** Failed endpoints of one rule and host that failed the same way, on one range of consecutive ports. */
export interface FailedGroup {
  /** "sweep 10.0.0.5:7000-7050" (visible: the rule name and host are the file's). */
  label: string;
  reason: string;
  /** The advice of the group's endpoints, naming the range where each names its own port. */
  advice: string;
  endpoints: ProbeResult[];
}

/** The failed endpoints grouped for the summaries: a sweep of 101 ports reads "7000-7050: filtered",
 * "7051-7100: closed" instead of 101 lines. An endpoint joins the group before it when it is the next port of
 * the same rule and host and failed the same way (same reason, same advice but for the port); the probe
 * scripts group their summary alike. */
export function failedGroups(results: ProbeResult[]): FailedGroup[] {
  return groupFailed(failedEndpoints(results));
}

/** `failedGroups` of endpoints already known to have failed (`failedEndpoints`). */
function groupFailed(failed: ProbeResult[]): FailedGroup[] {
  const runs: ProbeResult[][] = [];
  const kind = (r: ProbeResult) => [r.rule, r.direction, r.host, failureReason(r), adviceWithPort(r, '\0')].join('\0');
  let lastKind = '';
  for (const r of failed) {
    const run = runs.at(-1);
    const last = run?.[run.length - 1];
    const rKind = kind(r);
    if (run && last && last.port > 0 && r.port === last.port + 1 && rKind === lastKind) run.push(r);
    else runs.push([r]);
    lastKind = rKind;
  }
  return runs.map((run) => {
    const first = run[0];
    const ports = run.length > 1 ? `${first.port}-${run[run.length - 1].port}` : first.port ? String(first.port) : '';
    return {
      label: visible(`${first.rule} ${first.host}${ports ? `:${ports}` : ''}`),
      reason: failureReason(first),
      advice: visible(adviceWithPort(first, ports)),
      endpoints: run,
    };
  });
}

/** A result's advice with its own port (as "10.0.0.5:7000") shown as `ports`: each ":PORT" not followed by a digit, a
 * "]" or a colon and a hex digit (then it is a part of an IPv6 address). A search, not a regular expression built per
 * result: building one for each of a sweep's 500 results took longer than the rest of the summary. */
export function adviceWithPort(r: ProbeResult, ports: string): string {
  if (!r.port) return r.advice;
  const needle = `:${r.port}`;
  let out = '';
  let from = 0;
  for (let at = r.advice.indexOf(needle); at !== -1; at = r.advice.indexOf(needle, at + 1)) {
    const after = at + needle.length;
    if (/^(?:[\d\]]|:[\da-f])/i.test(r.advice.slice(after, after + 2))) continue;
    out += `${r.advice.slice(from, at)}:${ports}`;
    from = after;
    at = after - 1;
  }
  return out + r.advice.slice(from);
}

/** A failed group with why and what to do: "db 10.0.0.5:5432: filtered: a firewall drops …". */
export function failedGroupLine(group: FailedGroup): string {
  return `${group.label}: ${group.reason}: ${group.advice}`;
}

/** Why a failed endpoint failed: its state, or the TLS trouble of an open one. */
export function failureReason(r: ProbeResult): string {
  return tlsProblem(r) ?? r.state;
}

/** A failed endpoint for `--json`'s `failed` array. */
export interface FailedEndpoint {
  rule: string;
  direction: 'outbound' | 'inbound';
  host: string;
  port: number;
  state: ProbeResult['state'];
  /** The state, or "TLS inspection suspected" / "SNI filtering suspected" for an open port. */
  reason: string;
  advice: string;
}

export function failedEndpointList(results: ProbeResult[]): FailedEndpoint[] {
  return failedEndpoints(results).map((r) => ({
    rule: r.rule,
    direction: r.direction,
    host: r.host,
    port: r.port,
    state: r.state,
    reason: failureReason(r),
    advice: r.advice,
  }));
}

/** The verdict after the table, as the CLI (and the probe scripts) print it: one line, then for each
 * failed endpoint why and what to do. */
export function formatSummary(results: ProbeResult[], ms: number): string {
  if (probedNothing(results)) return `${nothingProbed(results)}\n`;
  const failed = failedEndpoints(results);
  if (failed.length === 0) return `all required endpoints reachable (${results.length} probes in ${ms} ms)\n`;
  const groups = groupFailed(failed);
  return [
    `${failed.length} required endpoint(s) not reachable: ${groups.map((g) => g.label).join(', ')}`,
    ...groups.map((g) => `  ${failedGroupLine(g)}`),
  ].join('\n') + '\n';
}
