/** Every occurrence of a host (or IP address) in an allowlist's rules, for the editor's "Find All
 * References" and highlights: the addresses in from/to that name the same host (case and a trailing dot
 * aside) or the same network. Pure: ranges are absolute UTF-16 offsets. */
import { absolute, type Address, type AllowlistModel, allRules, parseAddress } from '../parse';
import { locate } from './locate';
import type { Range } from '../common';

/** The comparable form of an address: `host:`/`wildcard:` plus the host, or `net:` plus the canonical network. */
function identity(address: Address): string | undefined {
  if (address.kind === 'hostname' || address.kind === 'wildcard') return `${address.kind}:${address.host}`;
  if (address.network) return `net:${address.network.canonical}/${address.network.prefix}`;
  return undefined;
}

/** Ranges of every address in the document that is the same as `subject` (a host, wildcard, IP or CIDR text). */
export function hostReferences(model: AllowlistModel, subject: string): Range[] {
  const wanted = identity(parseAddress(subject, { start: 0, end: 0 }));
  if (!wanted) return [];
  const ranges: Range[] = [];
  for (const rule of allRules(model)) {
    for (const field of [rule.from, rule.to]) {
      for (const address of field?.addresses ?? []) if (identity(address) === wanted) ranges.push(absolute(rule, address.range));
    }
  }
  return ranges.sort((a, b) => a.start - b.start);
}

/** References of the address at `offset`, or undefined when the offset is not on an address. */
export function referencesAt(model: AllowlistModel, offset: number): Range[] | undefined {
  const found = locate(model, offset);
  if (found?.kind !== 'address') return undefined;
  return hostReferences(model, found.address.text);
}
