/** Which rules of one allowlist allow a host, address, port or vendor: the file's side of `allowlist explain
 * --file` and of the editor's hover. One pass over the rules, with the matchers lint uses (`addressCovers` for
 * host names, wildcards, networks and `any`; `uncoveredPorts` for ports), so explain and lint never disagree. */
import { type Address, addressCovers, type AllowlistModel, type AllowRule, formatPortRange, uncoveredPorts } from '../parse';

/** What is asked about, as the file's rules can allow it. */
export type FileSubject = { kind: 'address'; address: Address } | { kind: 'ports'; from: number; to: number } | { kind: 'vendor'; id: string };

export interface RuleMatch {
  rule: AllowRule;
  /** The part of the rule that allows the subject. */
  field: 'to' | 'from' | 'ports' | 'vendor';
  /** The address, ports or vendor as the rule writes them (`*.example.com` for a host under it, `any`). */
  by: string;
  /** The rule allows only part of an asked port range. */
  partly: boolean;
}

/** The rules allowing the subject, in file order (outbound, then inbound); `except` is left out (the hovered rule). */
export function rulesAllowing(model: AllowlistModel, subject: FileSubject, except?: AllowRule): RuleMatch[] {
  const matches: RuleMatch[] = [];
  for (const rule of [...model.outbound, ...model.inbound]) {
    if (rule === except) continue;
    const match = matchRule(rule, subject);
    if (match) matches.push(match);
  }
  return matches;
}

function matchRule(rule: AllowRule, subject: FileSubject): RuleMatch | undefined {
  switch (subject.kind) {
    case 'address':
      for (const field of ['to', 'from'] as const) {
        const covering = rule[field]?.addresses.find((address) => addressCovers(address, subject.address));
        if (covering) return { rule, field, by: covering.text.trim(), partly: false };
      }
      return undefined;
    case 'ports': {
      if (!rule.ports) return undefined;
      const asked = { from: subject.from, to: subject.to };
      const missing = uncoveredPorts(rule.ports, [asked]);
      if (missing.length === 1 && missing[0].from === asked.from && missing[0].to === asked.to) return undefined;
      return { rule, field: 'ports', by: rulePortsText(rule), partly: missing.length > 0 };
    }
    case 'vendor':
      return rule.vendor?.value === subject.id ? { rule, field: 'vendor', by: subject.id, partly: false } : undefined;
  }
}

/** The rule's ports as written: `443, 2001-2500`, `any`, or `none` when it has none. */
export function rulePortsText(rule: AllowRule): string {
  if (!rule.ports) return 'none';
  if (rule.ports.any) return 'any';
  return rule.ports.spans.map((span) => (span.problem ? span.text : formatPortRange(span))).join(', ');
}
