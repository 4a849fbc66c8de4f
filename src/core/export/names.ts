/** Object names for firewall platforms, derived from rule names: within the platform's length and character
 * limits, unique, and stable across runs (a name depends only on its own text and on which others collide with it,
 * never on the order rules are listed in). */
import { sha256Hex } from '../common';

export interface NameLimits {
  maxLength: number;
  /** One character the platform does not allow in a name (a character class, without flags), e.g. /[^A-Za-z0-9_-]/. */
  invalid: RegExp;
  /** What an invalid character becomes. */
  replacement: string;
  /** Names must start with a letter (PAN-OS, nftables): others get this prefix. */
  letterFirst?: string;
  lowerCase?: boolean;
}

/** Names for `wanted` (in order; duplicates in `wanted` get the same name), each within `limits`. A name that had to
 * be cut, or that two different wanted names would share, ends in a short hash of what was wanted instead. */
export function objectNames(wanted: readonly string[], limits: NameLimits): string[] {
  const invalid = new RegExp(limits.invalid.source, 'g');
  const cleaned = new Map<string, string>();
  for (const name of new Set(wanted)) {
    let clean = (limits.lowerCase ? name.toLowerCase() : name).replace(invalid, limits.replacement);
    if (limits.letterFirst && !/^[A-Za-z]/.test(clean)) clean = limits.letterFirst + clean;
    cleaned.set(name, clean);
  }
  const sharers = new Map<string, number>();
  for (const clean of cleaned.values()) sharers.set(clean, (sharers.get(clean) ?? 0) + 1);
  const final = new Map<string, string>();
  for (const [name, clean] of cleaned) {
    final.set(name, sharers.get(clean) === 1 && clean.length <= limits.maxLength ? clean : hashed(clean, name, limits));
  }
  return wanted.map((name) => final.get(name)!);
}

function hashed(clean: string, original: string, limits: NameLimits): string {
  const hash = sha256Hex(original).slice(0, 6);
  // `-` where the platform allows it, else the replacement character (pfSense alias names have no `-`).
  const separator = new RegExp(limits.invalid.source).test('-') ? limits.replacement : '-';
  return `${clean.slice(0, Math.max(0, limits.maxLength - hash.length - 1))}${separator}${hash}`;
}

/** What a rule's address object for `value` (a host or a network) is wanted as: `RULE VALUE`, beside the names of the
 * rule's own objects (`RULE dst`, `RULE svc`…, the `reserved` suffixes). A one-label host of such a name (`to: dst`)
 * is told apart, or its address object would be the group it is a member of. */
export function addressWanted(ruleName: string, value: string, reserved: ReadonlySet<string>): string {
  return reserved.has(value.toLowerCase()) ? `${ruleName} host:${value}` : `${ruleName} ${value}`;
}
