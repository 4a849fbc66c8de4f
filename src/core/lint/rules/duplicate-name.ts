import { absolute, type AllowlistModel, type AllowRule, recordedSplice } from '../../parse';
import type { LintRule } from './rule';
import { quoted } from '../../common';

export const duplicateName: LintRule = {
  meta: {
    id: 'duplicate-name',
    defaultSeverity: 'error',
    description:
      'Every rule has a `name` unique in the file, across `outbound` and `inbound`: names are how reviewers, tickets, `allowlist diff` and firewall change logs refer to a rule, and a second rule with the same name is usually a copy-paste that was meant to be edited.',
    example: 'outbound:\n  - name: hdb-api\n    to: flu1pjyrr2.execute-api.us-east-1.amazonaws.com\n    ports: 443\n  - name: hdb-api   # duplicate\n    to: e4rz8vlrg0.execute-api.us-east-1.amazonaws.com\n    ports: 443',
  },
  checkFile(model, context, report) {
    const ruleAt = (at: number): AllowRule => (at < model.outbound.length ? model.outbound[at] : model.inbound[at - model.outbound.length]);
    for (const [later, earlier] of duplicates(model, context.document)) {
      const rule = ruleAt(later);
      const first = ruleAt(earlier);
      report({
        message: `another rule is already named ${quoted(rule.name!.value)} (${first.direction} rule ${first.index + 1}); rule names must be unique`,
        range: absolute(rule, rule.name!.range),
        subject: `${rule.direction}:${rule.name!.value}:duplicate`,
      });
    }
  },
};

/** A document's rules of its last lint and their duplicates (`RuleContext.document`): after an edit, most rules are
 * the very same objects (the parse keeps an item that neither changed nor moved) or have the same `name` object (the
 * same parse, moved), and where they differ the text usually does not, so the duplicates are those of last time: found
 * by comparing references, without hashing 10,000 names. The two lists are kept apart (not copied into one on every
 * keystroke). */
const memos = new WeakMap<object, { outbound: AllowRule[]; inbound: AllowRule[]; duplicates: [number, number][] }>();

/** Pairs of positions in the outbound rules followed by the inbound ones: a rule whose name an earlier rule already
 * has, and the first such rule. */
function duplicates({ outbound, inbound }: Pick<AllowlistModel, 'outbound' | 'inbound'>, document: object): [number, number][] {
  const memo = memos.get(document);
  const replaced = { count: 0 };
  if (memo && sameNames(memo.outbound, outbound, replaced) && sameNames(memo.inbound, inbound, replaced)) {
    memo.outbound = outbound;
    memo.inbound = inbound;
    return memo.duplicates;
  }
  const first = new Map<string, number>();
  const found: [number, number][] = [];
  let at = 0;
  for (const rules of [outbound, inbound]) {
    for (const rule of rules) {
      if (rule.name) {
        const earlier = first.get(rule.name.value);
        if (earlier === undefined) first.set(rule.name.value, at);
        else found.push([at, earlier]);
      }
      at++;
    }
  }
  memos.set(document, { outbound, inbound, duplicates: found });
  return found;
}

/** Whether two lists have the same names: the same parses but for a few (what an edit replaced, counted in
 * `replaced` over both lists), whose names are compared. A list parsed anew (a fresh lint) shares no parse, and is
 * not taken for another. */
function sameNames(before: AllowRule[], now: AllowRule[], replaced: { count: number }): boolean {
  if (before.length !== now.length) return false;
  // The parse's record of which rules it kept spares reading them.
  const kept = recordedSplice(now, before);
  for (let at = kept?.prefix ?? 0, end = now.length - (kept?.suffix ?? 0); at < end; at++) {
    const was = before[at];
    const is = now[at];
    if (was === is || was.name === is.name) continue;
    if (was.name?.value !== is.name?.value || ++replaced.count > MAX_REPLACED) return false;
  }
  return true;
}

/** More rules than this with a name of another parse, and the list is looked at anew. */
const MAX_REPLACED = 16;
