import { absolute, type AllowRule, coveringKeys, type IndexKey, indexKey, parseAddress } from '../../parse';
import type { CatalogInboundSource } from '../../catalog';
import { appendToList, yamlString } from '../edits';
import type { Fix } from '../../common';
import { conditionsHold, ruleLabel, servesVendor, type LintRule } from './rule';

/** Whether some `from` address of the rules admits the source address. */
function admitted(fromKeys: Set<IndexKey>, source: CatalogInboundSource): boolean {
  const address = parseAddress(source.address, { start: 0, end: 0 });
  return coveringKeys(address).some((key) => fromKeys.has(key));
}

export const inboundMissingSource: LintRule = {
  meta: {
    id: 'inbound-missing-source',
    defaultSeverity: 'error',
    description:
      "When a declared vendor connects into the site (Helpdesk Buttons with `ticket-system: self-hosted` sends its API requests to your ticket system from two published static IPs), an inbound rule with `vendor:` set to that vendor must admit every source the vendor publishes. A source left out makes a share of the vendor's requests fail (here: tickets that never arrive, from one of the two addresses only, which looks random), and with no inbound rule at all the integration cannot work.",
    example:
      'vendors:\n  helpdesk-buttons: { ticket-system: self-hosted }\ninbound:\n  - name: hdb-ticket-api\n    vendor: helpdesk-buttons\n    from: 34.202.14.153   # 3.209.57.193 missing\n    to: 10.0.0.20\n    ports: 443',
  },
  checkFile(model, context, report) {
    for (const use of context.vendors.values()) {
      const catalog = use.catalog;
      if (!catalog) continue;
      const sources = catalog.inboundSources.filter((source) => conditionsHold(source.when, use.options));
      if (sources.length === 0) continue;
      const serving = model.inbound.filter((rule) => servesVendor(rule, catalog.id));
      const list = sources.map((source) => source.address).join(', ');
      if (serving.length === 0) {
        const conditions = [...new Set(sources.map((source) => source.condition).filter(Boolean))];
        report({
          message:
            `${catalog.name} needs an inbound rule with \`vendor: ${catalog.id}\` admitting ${list} for "${sources[0].role}"` +
            (conditions.length ? ` (${conditions.join('; ')})` : '') +
            `, but no inbound rule serves ${catalog.id}. Add one with \`from: [${list}]\` and your own host (\`to\`) and service port (\`ports\`), which only you know.`,
          range: use.decl.range,
          subject: `vendor:${catalog.id}:inbound`,
        });
        continue;
      }
      const fromKeys = new Set<IndexKey>();
      for (const rule of serving) for (const address of rule.from?.addresses ?? []) {
        const key = indexKey(address);
        if (key !== undefined) fromKeys.add(key);
      }
      const target: AllowRule | undefined = serving.find((rule) => rule.from);
      for (const source of sources) {
        if (admitted(fromKeys, source)) continue;
        const fixes: Fix[] = [];
        const edit = target?.from ? appendToList(model.text, absolute(target, target.from.range), [yamlString(source.address)]) : undefined;
        if (edit && target) fixes.push({ title: `Add ${source.address} to the \`from\` of ${ruleLabel(target)}`, edits: [edit], preferred: true });
        const where = target ?? serving[0];
        report({
          message:
            `${source.address} is one of the addresses ${catalog.name} sends "${source.role}" from, but no inbound rule for ${catalog.id} admits it ` +
            `(${serving.map(ruleLabel).join(', ')}). Requests from that address will be blocked; add it to \`from\`.`,
          range: where.from ? absolute(where, where.from.range) : absolute(where, where.name?.range ?? where.range),
          subject: `vendor:${catalog.id}:inbound-source:${source.id}`,
          fixes,
        });
      }
    }
  },
};
