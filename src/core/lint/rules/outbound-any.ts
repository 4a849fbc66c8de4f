import type { Address } from '../../parse';
import { type LintRule, ruleSubject } from './rule';

/** What an outbound destination that stands for every address lets this site reach, or undefined. */
function everyDestination(address: Address): string | undefined {
  if (address.kind === 'any') return 'every destination on the internet';
  const network = address.network;
  if (network?.prefix === 0) return `every ${network.family === 4 ? 'IPv4' : 'IPv6'} destination`;
  return undefined;
}

export const outboundAny: LintRule = {
  meta: {
    id: 'outbound-any',
    defaultSeverity: 'warning',
    description:
      'An outbound rule allows `to: any`, 0.0.0.0/0 or ::/0: this site may connect to every address on the internet on those ports. Such a rule defeats every vendor check in the file: the firewall lets every vendor host through it whatever the vendor rules say, so a vendor rule that is missing, mistyped or removed breaks nothing anyone sees (with `any`, `missing-endpoint` has nothing to report and `allowlist diff` shows no access closed), and data can leave for anywhere. An allowlist exists to name the destinations that are needed: list them instead.',
    example: 'outbound:\n  - name: web\n    to: any   # every vendor rule below is now moot\n    ports: [80, 443]\n  - name: hdb-uploads\n    vendor: helpdesk-buttons\n    to: hdb-stuff.s3.amazonaws.com\n    ports: 443',
  },
  checkRule(rule, _context, report) {
    if (rule.direction !== 'outbound' || !rule.to) return;
    for (const address of rule.to.addresses) {
      const reach = everyDestination(address);
      if (!reach) continue;
      report({
        message: `to: ${address.text.trim()} lets this site connect to ${reach}: it defeats every vendor check in this file (every vendor host is reachable through it, so a vendor rule missing or removed goes unnoticed); list the destinations that are needed (least privilege)`,
        range: address.range,
        subject: ruleSubject(rule, `to:${address.text.trim()}`),
      });
    }
  },
};
