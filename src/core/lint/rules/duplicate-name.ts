import { absolute, allRules, type AllowRule, type Spanned } from '../../parse';
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

/** The names of the last lints and their duplicates: after an edit, most `name` objects are the very same
 * (the models of unchanged items are reused), and where they differ the text usually does not, so the
 * duplicates are those of last time: found by comparing references, without hashing 10,000 names. */
const memos: { names: (Spanned<string> | undefined)[]; duplicates: [number, number][] }[] = [];
const MEMOS = 8;

/** Pairs of positions in `rules`: a rule whose name an earlier rule already has, and the first such rule. */
function duplicates(rules: AllowRule[]): [number, number][] {
  const names = rules.map((rule) => rule.name);
  const memo = memos.find((candidate) => sameNames(candidate.names, names));
  if (memo) {
    memo.names = names;
    return memo.duplicates;
  }
  const first = new Map<string, number>();
  const found: [number, number][] = [];
  names.forEach((name, at) => {
    if (!name) return;
    const earlier = first.get(name.value);
    if (earlier === undefined) first.set(name.value, at);
    else found.push([at, earlier]);
  });
  memos.unshift({ names, duplicates: found });
  memos.length = Math.min(memos.length, MEMOS);
  return found;
}

function sameNames(before: (Spanned<string> | undefined)[], now: (Spanned<string> | undefined)[]): boolean {
  if (before.length !== now.length) return false;
  for (let at = 0; at < now.length; at++) {
    if (before[at] !== now[at] && before[at]?.value !== now[at]?.value) return false;
  }
  return true;
}
