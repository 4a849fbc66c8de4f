import { type LintRule, ruleSubject } from './rule';
import { quoted } from '../../common';

export const expiredRule: LintRule = {
  meta: {
    id: 'expired-rule',
    defaultSeverity: 'error',
    description:
      'A rule whose `expires` date has passed is still open on the firewall. Temporary access (a vendor\'s remote session, a migration) is the access most often forgotten: remove the rule, or move its date with a ticket that says why.',
    example: 'inbound:\n  - name: vendor-migration\n    from: 203.0.113.7\n    to: 10.0.0.20\n    ports: 22\n    expires: 2024-03-31',
  },
  checkRule(rule, context, report) {
    if (!rule.expires) return;
    if (!rule.expires.date) {
      return; // not a valid date: the schema reports it
    }
    if (rule.expires.date < context.today) {
      report({
        message: `${rule.name ? `rule ${quoted(rule.name.value)}` : 'this rule'} expired on ${rule.expires.date}; remove it or extend it with a ticket`,
        range: rule.expires.range,
        subject: ruleSubject(rule, 'expired'),
      });
    }
  },
};
