import type { LintRule } from './rule';
import { ruleSubject } from './rule';

export const invalidPort: LintRule = {
  meta: {
    id: 'invalid-port',
    defaultSeverity: 'error',
    description:
      'Ports must be whole numbers from 1 to 65535, ranges written `"from-to"` with from ≤ to, or `any`. A port outside that range or a reversed range (`"2500-2001"`) allows nothing on most firewalls, or something else than intended on others.',
    example: 'outbound:\n  - name: techconnect\n    to: connect.helpdeskbuttons.com\n    ports: "2500-2001"   # reversed',
  },
  checkRule(rule, _context, report) {
    for (const span of rule.ports?.spans ?? []) {
      if (!span.problem) continue;
      const reversed = span.to < span.from && span.from <= 65535 && span.to >= 1;
      report({
        message: `ports: ${span.problem}`,
        range: span.range,
        subject: ruleSubject(rule, `ports:${span.text}`),
        fixes: reversed ? [{ title: `Use "${span.to}-${span.from}"`, edits: [{ range: span.range, newText: `"${span.to}-${span.from}"` }], preferred: true }] : undefined,
      });
    }
  },
};
