import { addressCovers, coveringKeys, indexKey } from '../address';
import { removeItemLines } from '../edits';
import { absolute, type Address, type AllowRule } from '../model';
import { portsCover } from '../ports';
import type { Fix } from '../types';
import { protocolCovers } from './missing-endpoint';
import { ruleSubject, type LintRule } from './rule';

/** Whether every address of `inner` is covered by some address of `outer`. An absent side is "the
 * default" (for outbound `from`: the whole site), which only an absent side or `any` covers. */
function sideCovers(outer: { addresses: Address[] } | undefined, inner: { addresses: Address[] } | undefined): boolean {
  if (!outer) return true;
  if (outer.addresses.length === 0) return false;
  if (!inner) return outer.addresses.some((address) => address.kind === 'any');
  if (inner.addresses.length === 0) return false;
  return inner.addresses.every((address) => outer.addresses.some((o) => addressCovers(o, address)));
}

/** Whether `earlier` allows everything `later` allows, for at least as long. */
function covers(earlier: AllowRule, later: AllowRule): boolean {
  if (!earlier.ports || !later.ports) return false;
  if (later.ports.spans.some((span) => span.problem) || (!later.ports.any && later.ports.spans.length === 0)) return false;
  if (!protocolCovers(earlier.protocol.value, later.protocol.value)) return false;
  // A temporary rule does not make a permanent (or longer-lived) one redundant.
  if (earlier.expires) {
    if (!earlier.expires.date || !later.expires?.date || later.expires.date > earlier.expires.date) return false;
  }
  return portsCover(earlier.ports, later.ports) && sideCovers(earlier.to, later.to) && sideCovers(earlier.from, later.from);
}

function label(rule: AllowRule): string {
  return rule.name ? `"${rule.name.value}"` : `${rule.direction} rule ${rule.index + 1}`;
}

export const shadowedRule: LintRule = {
  meta: {
    id: 'shadowed-rule',
    defaultSeverity: 'warning',
    description:
      'A rule that an earlier rule of the same direction already covers entirely (every `from` and `to` address, every port, the protocol, and at least as long if the earlier one expires) has no effect: it is dead weight that reviewers still read and believe in. Usually one of the two was meant to be narrower (a wildcard or `any` added "temporarily"), or it is a plain duplicate. Remove it, or narrow the earlier rule if that one is the mistake.',
    example:
      'outbound:\n  - name: web\n    to: "*.example.com"\n    ports: [80, 443]\n  - name: api   # shadowed by web\n    to: api.example.com\n    ports: 443',
  },
  checkFile(model, _context, report) {
    for (const rules of [model.outbound, model.inbound]) {
      // Earlier rules by the index key of each of their `to` addresses.
      const byKey = new Map<string, AllowRule[]>();
      for (const rule of rules) {
        const to = rule.to?.addresses ?? [];
        if (to.length > 0 && to.every((address) => address.kind !== 'invalid')) {
          // Candidates: earlier rules that cover the first `to` address; any coverer must.
          const seen = new Set<AllowRule>();
          let shadow: AllowRule | undefined;
          for (const key of coveringKeys(to[0])) {
            for (const earlier of byKey.get(key) ?? []) {
              if (seen.has(earlier)) continue;
              seen.add(earlier);
              if (covers(earlier, rule) && (!shadow || earlier.index < shadow.index)) shadow = earlier;
            }
          }
          if (shadow) {
            const fixes: Fix[] = [];
            const edit = removeItemLines(model.text, rule);
            if (edit) fixes.push({ title: `Remove ${label(rule)}`, edits: [edit], preferred: true });
            report({
              message: `${label(rule)} is shadowed by the earlier rule ${label(shadow)} (${shadow.direction} rule ${shadow.index + 1}), which already allows all its addresses, ports and protocol: this rule has no effect. Remove it, or narrow ${label(shadow)} if this rule was meant to be the only one.`,
              range: absolute(rule, rule.name?.range ?? rule.range),
              subject: ruleSubject(rule, 'shadowed'),
              fixes,
            });
          }
        }
        const keys = new Set<string>();
        for (const address of to) {
          const key = indexKey(address);
          if (key === undefined || keys.has(key)) continue;
          keys.add(key);
          let list = byKey.get(key);
          if (!list) byKey.set(key, (list = []));
          list.push(rule);
        }
      }
    }
  },
};
