import type { CatalogInboundSource } from '../../catalog';
import type { Address, AllowRule } from '../../parse';
import { conditionsHold, type LintRule, type RuleContext, ruleSubject } from './rule';
import { addressValue } from './helpers';

const PREFIX_OPTIONS = {
  'max-ipv4-prefix': { description: 'The widest IPv4 network allowed as an inbound source, as a prefix length.', default: 16, minimum: 0, maximum: 32 },
  'max-ipv6-prefix': { description: 'The widest IPv6 network allowed as an inbound source, as a prefix length.', default: 32, minimum: 0, maximum: 128 },
};

/** The widest prefixes an inbound source may have: this rule's options `max-ipv4-prefix` / `max-ipv6-prefix`
 * (read by inbound-unknown-source too, which leaves what is too broad to this rule). */
export function prefixLimits(context: RuleContext): { v4: number; v6: number } {
  const read = (name: keyof typeof PREFIX_OPTIONS): number => context.option(name, PREFIX_OPTIONS[name].default, inboundTooBroad.meta.id);
  return { v4: read('max-ipv4-prefix'), v6: read('max-ipv6-prefix') };
}

/** What a source open to the whole internet (`any`, 0.0.0.0/0, ::/0) lets in, or undefined for any other source. */
export function opensToInternet(address: Address): string | undefined {
  if (address.kind === 'any') return `${address.text.trim()} lets in every address on the internet`;
  if (address.network?.prefix === 0) return `${address.text.trim()} lets in every ${address.network.family === 4 ? 'IPv4' : 'IPv6'} address`;
  return undefined;
}

/** What a too-broad source lets in (`any`, a /0, or a prefix shorter than the limit), or undefined. */
export function tooBroad(address: Address, limits: { v4: number; v6: number }): string | undefined {
  const open = opensToInternet(address);
  if (open) return open;
  const network = address.network;
  if (!network) return undefined;
  if (network.family === 4 && network.prefix < limits.v4) {
    return `${address.text.trim()} lets in ${(2 ** (32 - network.prefix)).toLocaleString('en-US')} addresses (a /${network.prefix}; the widest allowed is /${limits.v4})`;
  }
  if (network.family === 6 && network.prefix < limits.v6) {
    return `${address.text.trim()} lets in a whole /${network.prefix} network (the widest allowed is /${limits.v6})`;
  }
  return undefined;
}

/** The inbound sources a rule's vendor publishes for this site's options (none when the vendor is unknown or undeclared). */
export function publishedSources(rule: AllowRule, context: RuleContext): { vendorName: string; sources: CatalogInboundSource[] } | undefined {
  if (!rule.vendor) return undefined;
  const use = context.vendors.get(rule.vendor.value);
  if (!use?.catalog) return undefined;
  return { vendorName: use.catalog.name, sources: use.catalog.inboundSources.filter((source) => conditionsHold(source.when, use.options)) };
}

export const inboundTooBroad: LintRule = {
  meta: {
    id: 'inbound-too-broad',
    defaultSeverity: 'error',
    description:
      'An inbound rule lets in `any`, 0.0.0.0/0, ::/0, or a network wider than a /16 (IPv4) or /32 (IPv6) (options `max-ipv4-prefix`, `max-ipv6-prefix`). Inbound access is the firewall\'s front door: a port opened to the whole internet is found by scanners within minutes, and a vendor that connects from a few published addresses never needs more than those. Least privilege: allow only the sources that need access. Where the rule\'s vendor publishes its source addresses, the fix puts them in.',
    example: 'vendors:\n  helpdesk-buttons: { ticket-system: self-hosted }\ninbound:\n  - name: hdb-ticket-api\n    vendor: helpdesk-buttons\n    from: any   # the vendor connects from 34.202.14.153 and 3.209.57.193\n    to: 10.0.0.20\n    ports: 443',
    options: PREFIX_OPTIONS,
  },
  checkRule(rule, context, report) {
    if (rule.direction !== 'inbound' || !rule.from) return;
    const limits = prefixLimits(context);
    const published = publishedSources(rule, context);
    for (const address of rule.from.addresses) {
      const why = tooBroad(address, limits);
      if (!why) continue;
      const fixes =
        published && published.sources.length > 0
          ? [
              {
                title: `Replace with ${published.vendorName}'s published sources`,
                edits: [{ range: rule.from.range, newText: addressValue(published.sources.map((source) => source.address)) }],
                preferred: true,
              },
            ]
          : undefined;
      const advice =
        published && published.sources.length > 0
          ? `${published.vendorName} connects from ${published.sources.map((source) => source.address).join(', ')}: allow only those`
          : 'allow only the addresses that need access';
      report({
        message: `from: ${why}; ${advice} (least privilege)`,
        range: address.range,
        subject: ruleSubject(rule, `from:${address.text}`),
        fixes,
      });
    }
  },
};
