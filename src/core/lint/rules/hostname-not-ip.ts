import type { Address } from '../../parse';
import type { Fix } from '../../common';
import { conditionsHold, type LintRule, ruleSubject } from './rule';
import { portsOverlap, removeAddressEdit } from './helpers';

const isNetwork = (address: Address): boolean => address.network !== undefined;

export const hostnameNotIp: LintRule = {
  meta: {
    id: 'hostname-not-ip',
    defaultSeverity: 'warning',
    description:
      'An outbound rule for a vendor whose catalog says its endpoints must be allowlisted by host name uses an IP address or CIDR in `to`. Such endpoints (edge-optimized APIs, cloud storage, load-balanced services) answer from many addresses that change with region and load: an IP copied from a DNS lookup works on the day it is written and breaks later, at random, for some users. Allowlist the vendor\'s host names (an FQDN object or DNS-based rule on the firewall) instead.',
    example: 'vendors:\n  helpdesk-buttons: {}\noutbound:\n  - name: hdb-techconnect\n    vendor: helpdesk-buttons\n    to: 52.20.13.7   # must be connect.helpdeskbuttons.com\n    ports: 2001-2500',
  },
  checkRule(rule, context, report) {
    // Most rules name hosts: they are let go before the catalog's endpoints are looked through.
    if (rule.direction !== 'outbound' || !rule.vendor || !rule.to || !rule.to.addresses.some(isNetwork)) return;
    const use = context.vendors.get(rule.vendor.value);
    const catalog = use?.catalog;
    if (!use || !catalog) return; // undeclared or unknown vendor: unknown-vendor's
    const byName = catalog.endpoints.filter(
      (endpoint) =>
        endpoint.allowlistBy === 'hostname' &&
        conditionsHold(endpoint.when, use.options) &&
        (rule.protocol.value === 'any' || endpoint.protocol === rule.protocol.value),
    );
    if (byName.length === 0) return;
    // The endpoints this rule is most likely for: those on its ports (else all that must be allowlisted by name).
    const onPorts = byName.filter((endpoint) => portsOverlap(rule.ports, endpoint));
    const candidates = onPorts.length > 0 ? onPorts : byName;
    const hosts = [...new Set(candidates.map((endpoint) => endpoint.host.toLowerCase()))];
    const reasons = [...new Set(candidates.map((endpoint) => endpoint.allowlistByReason).filter((reason): reason is string => !!reason))];
    const addresses = rule.to.addresses;
    const named = new Set(addresses.filter((address) => address.kind === 'hostname').map((address) => address.host));
    addresses.forEach((address, index) => {
      if (!address.network) return;
      const what = address.kind === 'cidr' ? 'a network (CIDR)' : 'an IP address';
      const instead =
        hosts.length === 1
          ? `allowlist ${hosts[0]} by name instead`
          : `allowlist by name the hosts this rule is for (${catalog.name} publishes ${hosts.join(', ')}${onPorts.length > 0 && rule.ports && !rule.ports.any ? ' on these ports' : ''})`;
      const quote = reasons.length > 0 ? ` ${catalog.name} says: "${reasons.join('" / "')}"` : '';
      const fixes: Fix[] = [];
      if (hosts.length === 1 && !named.has(hosts[0])) {
        fixes.push({ title: `Replace with ${hosts[0]}`, edits: [{ range: address.range, newText: hosts[0] }], preferred: true });
      } else if (hosts.length === 1 && addresses.length > 1) {
        fixes.push({ title: `Remove ${address.text} (${hosts[0]} is already allowed)`, edits: [removeAddressEdit(addresses, index)], preferred: true });
      }
      report({
        message: `to: ${address.text} is ${what}, but ${catalog.name} must be allowlisted by host name, not by address: ${instead}.${quote}`,
        range: address.range,
        subject: ruleSubject(rule, `to:${address.text}`),
        fixes: fixes.length > 0 ? fixes : undefined,
      });
    });
  },
};
