import type { LintRule } from './rule';
import { ruleSubject } from './rule';

const DAY_MS = 86_400_000;

const DAYS = { description: 'How many days ahead an expiry is reported.', default: 14, minimum: 0, maximum: 3650 };

export const expiresSoon: LintRule = {
  meta: {
    id: 'expires-soon',
    defaultSeverity: 'info',
    description:
      'A rule expires within the next 14 days (option `days`): a reminder to remove it on time, or to renew it before the access it gives disappears in the middle of someone\'s work.',
    example: 'outbound:\n  - name: migration-window\n    to: sftp.example.com\n    ports: 22\n    expires: 2026-12-01   # within 14 days of today',
    options: { days: DAYS },
  },
  checkRule(rule, context, report) {
    const date = rule.expires?.date;
    if (!date || date < context.today) return;
    const days = Math.round((Date.parse(date) - Date.parse(context.today)) / DAY_MS);
    const window = context.option('days', DAYS.default);
    if (days > window) return;
    report({
      message: days === 0 ? `rule expires today (${date})` : `rule expires in ${days} day${days === 1 ? '' : 's'} (${date})`,
      range: rule.expires!.range,
      subject: ruleSubject(rule, 'expires-soon'),
    });
  },
};
