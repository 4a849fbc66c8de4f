import { absolute, allRules, type AllowRule } from '../../parse';
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
  checkFile(model, _context, report) {
    const rules = allRules(model);
    for (const [later, earlier] of duplicates(rules)) {
      const rule = rules[later];
      const first = rules[earlier];
      report({
        message: `another rule is already named ${quoted(rule.name!.value)} (${first.direction} rule ${first.index + 1}); rule names must be unique`,
        range: absolute(rule, rule.name!.range),
        subject: `${rule.direction}:${rule.name!.value}:duplicate`,
      });
    }
  },
};

/** The rules of the last lints and their duplicates: after an edit, most rules are the very same objects (the parse
 * keeps an item that neither changed nor moved) or have the same `name` object (the same parse, moved), and where
 * they differ the text usually does not, so the duplicates are those of last time: found by comparing references,
 * without hashing 10,000 names. */
const memos: { rules: AllowRule[]; duplicates: [number, number][] }[] = [];
const MEMOS = 8;

/** Pairs of positions in `rules`: a rule whose name an earlier rule already has, and the first such rule. */
function duplicates(rules: AllowRule[]): [number, number][] {
  const memo = memos.find((candidate) => sameNames(candidate.rules, rules));
  if (memo) {
    memo.rules = rules;
    return memo.duplicates;
  }
  const first = new Map<string, number>();
  const found: [number, number][] = [];
  rules.forEach((rule, at) => {
    if (!rule.name) return;
    const earlier = first.get(rule.name.value);
    if (earlier === undefined) first.set(rule.name.value, at);
    else found.push([at, earlier]);
  });
  memos.unshift({ rules, duplicates: found });
  memos.length = Math.min(memos.length, MEMOS);
  return found;
}

/** Whether two lists have the same names: the same parses but for a few (what an edit replaced), whose names are
 * compared. A list parsed anew (a fresh lint) shares no parse, and is not taken for another. */
function sameNames(before: AllowRule[], now: AllowRule[]): boolean {
  if (before.length !== now.length) return false;
  let compared = 0;
  for (let at = 0; at < now.length; at++) {
    const was = before[at];
    const is = now[at];
    if (was === is || was.name === is.name) continue;
    if (was.name?.value !== is.name?.value || ++compared > MAX_REPLACED) return false;
  }
  return true;
}

/** More rules than this with a name of another parse, and the list is looked at anew. */
const MAX_REPLACED = 16;
