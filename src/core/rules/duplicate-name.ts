import { absolute, allRules, type AllowRule } from '../model';
import type { LintRule } from './rule';

export const duplicateName: LintRule = {
  meta: {
    id: 'duplicate-name',
    defaultSeverity: 'error',
    description:
      'Every rule has a `name` unique in the file, across `outbound` and `inbound`: names are how reviewers, tickets, `allowlist diff` and firewall change logs refer to a rule, and a second rule with the same name is usually a copy-paste that was meant to be edited.',
    example: 'outbound:\n  - name: hdb-api\n    to: flu1pjyrr2.execute-api.us-east-1.amazonaws.com\n    ports: 443\n  - name: hdb-api   # duplicate\n    to: e4rz8vlrg0.execute-api.us-east-1.amazonaws.com\n    ports: 443',
  },
  checkFile(model, _context, report) {
    const first = new Map<string, AllowRule>();
    for (const rule of allRules(model)) {
      if (!rule.name) continue;
      const earlier = first.get(rule.name.value);
      if (!earlier) {
        first.set(rule.name.value, rule);
        continue;
      }
      report({
        message: `another rule is already named "${rule.name.value}" (${earlier.direction} rule ${earlier.index + 1}); rule names must be unique`,
        range: absolute(rule, rule.name.range),
        subject: `${rule.direction}:${rule.name.value}:duplicate`,
      });
    }
  },
};
