import type { LintRule } from './rule';
import { ruleSubject } from './rule';

export const invalidAddress: LintRule = {
  meta: {
    id: 'invalid-address',
    defaultSeverity: 'error',
    description:
      'An address in `from` or `to` must be a host name, a `*.` wildcard host name, an IPv4 or IPv6 address, a CIDR network, or `any`. Typos (`10.0.0.256`, `exa mple.com`), URLs, `host:port` and CIDRs with host bits set (`10.0.0.5/24`, which a firewall silently widens to 10.0.0.0/24) are reported, with a fix where the intended value is clear.',
    example: 'inbound:\n  - name: office\n    from: 10.0.0.5/24   # host bits set; the network is 10.0.0.0/24\n    to: 10.0.0.20\n    ports: 443',
  },
  checkRule(rule, _context, report) {
    for (const field of ['from', 'to'] as const) {
      for (const address of rule[field]?.addresses ?? []) {
        if (!address.problem) continue;
        const network = address.kind === 'cidr' ? address.network?.canonical : undefined;
        report({
          message: `${field}: ${address.problem}`,
          range: address.range,
          subject: ruleSubject(rule, `${field}:${address.text}`),
          fixes: network ? [{ title: `Use the network ${network}`, edits: [{ range: address.range, newText: network }], preferred: true }] : undefined,
        });
      }
    }
  },
};
