/** An allowlist's rules as export targets read them: each side's addresses sorted by kind, ports merged, the
 * comment fields and the line, computed once for every target. */
import { commentParts, directionMarker, LineIndex } from '../common';
import { allRules, mergedSpansOf, type Address, type AllowlistModel, type AllowRule } from '../parse';
import type { ExportEndpoints, ExportRule } from './types';

export function exportRules(model: AllowlistModel, today: string): ExportRule[] {
  const lines = new LineIndex(model.text);
  return allRules(model).map((rule) => exportRule(rule, lines, today));
}

function exportRule(rule: AllowRule, lines: LineIndex, today: string): ExportRule {
  const line = lines.positionAt(rule.offset + rule.range.start).line + 1;
  return {
    direction: rule.direction,
    name: rule.name?.value ?? `${rule.direction}-line-${line}`,
    line,
    protocol: rule.protocol.value,
    ports: !rule.ports || rule.ports.any ? 'any' : mergedSpansOf(rule.ports),
    // An outbound rule without `from` is the whole site: no source condition.
    from: endpoints(rule.from?.addresses),
    to: endpoints(rule.to?.addresses),
    description: rule.description?.value,
    vendor: rule.vendor?.value,
    ticket: rule.ticket?.value,
    owner: rule.owner?.value,
    expires: rule.expires?.value,
    expired: rule.expires?.date !== undefined && rule.expires.date < today,
  };
}

function endpoints(addresses: Address[] | undefined): ExportEndpoints {
  const side: ExportEndpoints = { any: addresses === undefined || addresses.length === 0, hosts: [], wildcards: [], ipv4: [], ipv6: [] };
  for (const address of addresses ?? []) {
    if (address.kind === 'any') side.any = true;
    else if (address.kind === 'hostname' && address.host) side.hosts.push(address.host);
    else if (address.kind === 'wildcard' && address.host) side.wildcards.push(address.host);
    else if (address.network) (address.network.family === 4 ? side.ipv4 : side.ipv6).push(address.network.canonical);
  }
  // `any` beside other addresses is still any; the others add nothing.
  if (side.any) return { any: true, hosts: [], wildcards: [], ipv4: [], ipv6: [] };
  for (const list of [side.hosts, side.wildcards, side.ipv4, side.ipv6]) dedupe(list);
  return side;
}

/** Sorted and unique, so that the order the file lists addresses in does not change the output's objects. */
function dedupe(list: string[]): void {
  const unique = [...new Set(list)].sort();
  list.splice(0, list.length, ...unique);
}

/** An address of ExportEndpoints (a network or one host) as a network: a host as `/32` or `/128`. */
export function withPrefix(address: string): string {
  return address.includes('/') ? address : `${address}/${address.includes(':') ? 128 : 32}`;
}

/** The comment a target attaches to a rule's objects: its name, then ticket, owner and expiry where set, cut to
 * `maxLength` characters (platform limits); `visible()` and quoting are the target's, as its syntax needs. With
 * `markInbound`, for a target whose rules may not carry their direction otherwise (nftables' forward hook without
 * interfaces), the comment says the direction so that import and drift read it back (`exportComment`): an inbound
 * rule's starts `inbound; `, before any text of the file, so that no cut loses it; an outbound rule's starts
 * `outbound; ` where its own text would read as marked, so that no name or ticket can forge it. */
export function ruleComment(rule: ExportRule, maxLength = Infinity, { markInbound = false } = {}): string {
  const parts = [rule.name];
  if (rule.ticket) parts.push(`ticket ${rule.ticket}`);
  if (rule.owner) parts.push(`owner ${rule.owner}`);
  if (rule.expires) parts.push(`expires ${rule.expires}`);
  let text = parts.join('; ');
  if (markInbound && (rule.direction === 'inbound' || directionMarker(commentParts(text)))) text = `${rule.direction}; ${text}`;
  return text.length <= maxLength ? text : `${text.slice(0, Math.max(0, maxLength - 1))}…`;
}
