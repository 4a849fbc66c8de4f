import { absolute, type AllowRule, formatPortRange, mergeSpans, type PortSet, uncoveredPorts, wildcardCovers } from '../../parse';
import type { CatalogEndpoint } from '../../catalog';
import { appendRuleItems, appendToList, portText } from '../edits';
import type { Fix } from '../../common';
import { includeOptional, OutboundIndex, newRuleName, outboundItem, quotedRoles, requiredHosts } from './missing-endpoint';
import { ruleLabel, type LintRule } from './rule';

/** The ports all the given rules allow together. */
function unionPorts(rules: AllowRule[]): PortSet {
  const spans = rules.flatMap((rule) => rule.ports?.spans ?? []);
  return { any: rules.some((rule) => rule.ports?.any), spans, range: { start: 0, end: 0 } };
}

/** Whether the rule names the host itself (not through a wildcard or `any`). */
function namesHost(rule: AllowRule, host: string): boolean {
  return rule.to?.addresses.some((address) => address.kind === 'hostname' && address.host === host) ?? false;
}

export const missingPorts: LintRule = {
  meta: {
    id: 'missing-ports',
    defaultSeverity: 'error',
    description:
      "A host a declared vendor needs is allowed, but not on every port the vendor's catalog lists for it: e.g. connect.helpdeskbuttons.com allowed on 443 (\"request slot for TechConnect\") but not on 2001-2500 (\"establish TechConnect session\"). Half-open access is worse to troubleshoot than none: the software starts, then one feature (here, remote sessions) times out at this customer only. Ports of all rules allowing the host count together. Endpoints the catalog marks optional (`required: false`) are checked only when missing-endpoint's option `include-optional` is true.",
    example:
      'vendors:\n  helpdesk-buttons: {}\noutbound:\n  - name: hdb-techconnect\n    vendor: helpdesk-buttons\n    to: connect.helpdeskbuttons.com\n    ports: 443   # 2001-2500 missing',
  },
  checkFile(model, context, report) {
    const index = OutboundIndex.forVendors(model.outbound, context);
    for (const use of context.vendors.values()) {
      const catalog = use.catalog;
      if (!catalog) continue;
      for (const [host, endpoints] of requiredHosts(use, includeOptional(context))) {
        let first: AllowRule | undefined;
        const missing: { endpoint: CatalogEndpoint; ports: { from: number; to: number }[] }[] = [];
        for (const endpoint of endpoints) {
          const allowing = index.rulesAllowing(host, endpoint.protocol);
          if (allowing.length === 0) continue; // missing-endpoint reports it
          first ??= allowing.find((rule) => namesHost(rule, host)) ?? allowing[0];
          const ports = uncoveredPorts(unionPorts(allowing), endpoint.ports);
          if (ports.length) missing.push({ endpoint, ports });
        }
        if (!first || missing.length === 0) continue;
        const ports = mergeSpans(missing.flatMap((m) => m.ports.map((p) => ({ ...p, text: '', range: { start: 0, end: 0 } }))));
        const portList = ports.map(formatPortRange).join(', ');
        const missingEndpoints = missing.map((m) => m.endpoint);
        const exact = namesHost(first, host);
        const ruleName = ruleLabel(first);
        const fixes: Fix[] = [];
        const addToRule = first.ports ? appendToList(model.text, absolute(first, first.ports.range), ports.map(portText)) : undefined;
        const newRule = appendRuleItems(model, 'outbound', [outboundItem(newRuleName(model, catalog, missingEndpoints, new Set()), catalog, host, missingEndpoints, ports)]);
        if (addToRule) fixes.push({ title: `Add ${portList} to the ports of ${ruleName}`, edits: [addToRule], preferred: exact });
        if (newRule && !exact) fixes.unshift({ title: `Add an outbound rule for ${host} on ${portList}`, edits: [newRule], preferred: true });
        const via = exact ? '' : ` (through ${first.to?.addresses.find((a) => a.kind === 'any' || (a.kind === 'wildcard' && wildcardCovers(a.host!, host)))?.text ?? 'a broader address'})`;
        report({
          message:
            `${ruleName} allows ${host}${via} but not on ${portList}, which ${catalog.name} needs for ${quotedRoles(missingEndpoints)}; ` +
            `that feature will fail at this site. Add ${portList} to the rule's ports` +
            (exact ? '.' : `, or add a rule for ${host} alone so the broader rule stays narrow.`),
          range: first.ports ? absolute(first, first.ports.range) : absolute(first, first.name?.range ?? first.range),
          subject: `vendor:${catalog.id}:ports:${host}`,
          fixes,
        });
      }
    }
  },
};
