import { type Address, type AllowRule, wildcardCovers } from '../../parse';
import type { CatalogEndpoint } from '../../catalog';
import { type Fix, isPublicSuffix, publicSuffixesUnder, publicSuffixOf } from '../../common';
import { conditionsHold, type LintRule, type RuleContext, ruleSubject } from './rule';
import { portsOverlap, removeAddressEdit, replaceAddressEdit } from './helpers';

const EXAMPLES = 3;

/** The outbound endpoints of the rule's (declared) vendor that a wildcard covers, those on the rule's ports first. */
function vendorEndpointsUnder(rule: AllowRule, context: RuleContext, base: string): { vendorName: string; endpoints: CatalogEndpoint[] } | undefined {
  if (!rule.vendor) return undefined;
  const use = context.vendors.get(rule.vendor.value);
  if (!use?.catalog) return undefined;
  const covered = use.catalog.endpoints.filter((endpoint) => conditionsHold(endpoint.when, use.options) && wildcardCovers(base, endpoint.host.toLowerCase()));
  const onPorts = covered.filter((endpoint) => portsOverlap(rule.ports, endpoint));
  return { vendorName: use.catalog.name, endpoints: onPorts.length > 0 ? onPorts : covered };
}

const isWildcard = (address: Address): boolean => address.kind === 'wildcard';

export const wildcardTooBroad: LintRule = {
  meta: {
    id: 'wildcard-too-broad',
    defaultSeverity: 'warning',
    description:
      'A wildcard reaches host names that anyone can register: its base is a public suffix (`*.s3.amazonaws.com` is every S3 bucket in the world, `*.com` every .com domain), or it covers one (`*.amazonaws.com` covers s3.amazonaws.com, execute-api.us-east-1.amazonaws.com and hundreds more). Such a rule lets malware and data exfiltration through to any attacker who creates a bucket or an API under that suffix. Decided with the Public Suffix List (private section included). Allow the vendor\'s exact host names instead; where the rule\'s vendor publishes endpoints under the wildcard, the fix puts them in.',
    example: 'vendors:\n  helpdesk-buttons: {}\noutbound:\n  - name: hdb-aws\n    vendor: helpdesk-buttons\n    to: "*.amazonaws.com"   # covers s3.amazonaws.com: every S3 bucket\n    ports: 443',
  },
  checkRule(rule, context, report) {
    // Most rules have no wildcard: they are let go before anything is built for them.
    if (!(rule.to?.addresses.some(isWildcard) || rule.from?.addresses.some(isWildcard))) return;
    const fields = rule.direction === 'outbound' ? (['to', 'from'] as const) : (['from', 'to'] as const);
    for (const field of fields) {
      const list = rule[field];
      if (!list) continue;
      list.addresses.forEach((address, index) => {
        if (address.kind !== 'wildcard') return;
        const base = address.host!;
        const text = address.text.trim();
        const vendor = field === 'to' && rule.direction === 'outbound' ? vendorEndpointsUnder(rule, context, base) : undefined;
        let reach: string;
        if (isPublicSuffix(base)) {
          reach = `${text} reaches every host under ${base}, a public suffix: anyone can register names under it`;
        } else {
          const under = publicSuffixesUnder(base);
          if (under.length === 0) return;
          // Examples: first the suffixes the vendor's own hosts are under (what this rule was likely written for).
          const vendorSuffixes = (vendor?.endpoints ?? [])
            .map((endpoint) => publicSuffixOf(endpoint.host))
            .filter((suffix): suffix is string => suffix !== undefined && wildcardCovers(base, suffix));
          const examples = [...new Set([...vendorSuffixes, ...under])].slice(0, EXAMPLES);
          const count = under.length > EXAMPLES ? ` (${under.length} in all)` : '';
          reach = `${text} covers public suffixes such as ${examples.join(', ')}${count}: anyone can register hosts under them`;
        }
        const fixes: Fix[] = [];
        if (vendor && vendor.endpoints.length > 0) {
          const named = new Set(list.addresses.filter((other) => other.kind === 'hostname').map((other) => other.host));
          const hosts = [...new Set(vendor.endpoints.map((endpoint) => endpoint.host.toLowerCase()))].filter((host) => !named.has(host));
          if (hosts.length > 0) {
            fixes.push({ title: `Replace ${text} with ${vendor.vendorName}'s host${hosts.length === 1 ? '' : 's'} under it`, edits: [replaceAddressEdit(list, index, hosts)], preferred: true });
          } else if (list.addresses.length > 1) {
            fixes.push({ title: `Remove ${text} (${vendor.vendorName}'s hosts under it are already listed)`, edits: [removeAddressEdit(list.addresses, index)], preferred: true });
          }
        }
        const advice = fixes.length > 0 ? `allow ${vendor!.vendorName}'s exact host names instead` : 'allow the exact host names that are needed instead';
        report({
          message: `${field}: ${reach}, and this rule lets traffic through to all of them; ${advice}`,
          range: address.range,
          subject: ruleSubject(rule, `${field}:${text}`),
          fixes: fixes.length > 0 ? fixes : undefined,
        });
      });
    }
  },
};
