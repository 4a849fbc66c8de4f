import { type Network, networkContains, parseAddress } from '../../parse';
import type { Fix } from '../../common';
import { conditionsHold, type LintRule, ruleSubject } from './rule';
import { removeAddressEdit, replaceAddressEdit } from './helpers';
import { prefixLimits, tooBroad } from './inbound-too-broad';

export const inboundUnknownSource: LintRule = {
  meta: {
    id: 'inbound-unknown-source',
    defaultSeverity: 'warning',
    description:
      'An inbound rule for a vendor lets in a source address the vendor does not publish (its catalog lists where its servers connect from). A stray address is often a leftover from a test, an address copied from an old version of the vendor\'s page, or another vendor\'s range pasted into the wrong rule: it stays open under the vendor\'s name, and nobody knows who is behind it. `any` and ranges wider than /16 (IPv4) or /32 (IPv6) are left to `inbound-too-broad` (options `max-ipv4-prefix`, `max-ipv6-prefix`, as there).',
    example: 'vendors:\n  helpdesk-buttons: { ticket-system: self-hosted }\ninbound:\n  - name: hdb-ticket-api\n    vendor: helpdesk-buttons\n    from: [34.202.14.153, 3.209.57.193, 198.51.100.7]   # 198.51.100.7 is not published\n    to: 10.0.0.20\n    ports: 443',
  },
  checkRule(rule, context, report) {
    if (rule.direction !== 'inbound' || !rule.from || !rule.vendor) return;
    const use = context.vendors.get(rule.vendor.value);
    const catalog = use?.catalog;
    if (!use || !catalog || catalog.inboundSources.length === 0) return;
    const applying = catalog.inboundSources.filter((source) => conditionsHold(source.when, use.options));
    const published = applying.flatMap((source) => {
      const network = parseAddress(source.address, { start: 0, end: 0 }).network;
      return network ? [{ source, network }] : [];
    });
    const limits = prefixLimits(context);
    const addresses = rule.from.addresses;
    addresses.forEach((address, index) => {
      if (address.kind === 'invalid' || tooBroad(address, limits)) return; // invalid-address's and inbound-too-broad's
      const network: Network | undefined = address.network;
      if (network && published.some((entry) => networkContains(entry.network, network))) return;
      const subject = ruleSubject(rule, `from:${address.text}`);
      if (published.length === 0) {
        // The vendor publishes sources, but none for this site's options (e.g. only for a self-hosted ticket system).
        const conditions = [...new Set(catalog.inboundSources.map((source) => source.condition).filter((condition): condition is string => !!condition))];
        report({
          message: `from: ${address.text} is not a source ${catalog.name} publishes for this site's options: its inbound sources apply ${conditions.length > 0 ? conditions.join('; ') : 'only with other option values'}; remove this rule, or set the vendor's options under \`vendors:\` if they are wrong`,
          range: address.range,
          subject,
        });
        return;
      }
      const inside = network ? published.filter((entry) => networkContains(network, entry.network)) : [];
      const fixes: Fix[] = [];
      if (inside.length > 0) {
        const texts = inside.map((entry) => entry.source.address);
        const edit = replaceAddressEdit(rule.from!, index, texts);
        fixes.push({ title: `Narrow to ${catalog.name}'s published source${texts.length === 1 ? '' : 's'} ${texts.join(', ')}`, edits: [edit], preferred: true });
      } else if (addresses.length > 1) {
        fixes.push({ title: `Remove ${address.text.trim()}`, edits: [removeAddressEdit(addresses, index)], preferred: true });
      }
      const list = published.map((entry) => entry.source.address).join(', ');
      report({
        message:
          inside.length > 0
            ? `from: ${address.text} is wider than what ${catalog.name} publishes (${list}); narrow it to the published source${inside.length === 1 ? '' : 's'} it contains`
            : `from: ${address.text} is not a source ${catalog.name} publishes (it connects from ${list}); remove it, or move it to a rule of its own that says whose address it is`,
        range: address.range,
        subject,
        fixes: fixes.length > 0 ? fixes : undefined,
      });
    });
  },
};
