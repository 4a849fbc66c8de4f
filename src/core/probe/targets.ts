/** Turns an allowlist's rules into the endpoints the probe engine tests: one target per rule and
 * destination, with the catalog's TLS ports, the vendor's published sources for inbound rules, and
 * for outbound rules that allow a bare IP the vendor hostnames the pinning check compares it with. */
import { hostKey } from '../common';
import type { Catalog, CatalogSet } from '../catalog';
import { conditionsHold, defaultCatalogSet, describeRulesRefusal, type LintConfig, lintText, rulesRefusal, type RulesRefusal, type VendorUse, vendorUses } from '../lint';
import { type AllowlistModel, type AllowRule, mergeSpans } from '../parse';
import { singleAddress } from './address';
import type { ProbeTarget } from './types';

export function probeTargets(model: AllowlistModel, catalogs: CatalogSet = defaultCatalogSet()): ProbeTarget[] {
  const uses = vendorUses(model, catalogs);
  const targets: ProbeTarget[] = [];
  for (const rule of [...model.outbound, ...model.inbound]) {
    const name = rule.name?.value ?? `${rule.direction} #${rule.index + 1}`;
    const ports = rule.ports?.any ? [] : mergeSpans(rule.ports?.spans ?? []);
    const inbound = rule.direction === 'inbound' ? inboundSources(rule, catalogs, uses) : undefined;
    for (const address of rule.to?.addresses ?? []) {
      if (address.kind === 'invalid') continue;
      const host =
        address.kind === 'wildcard' || address.kind === 'any'
          ? address.text.trim()
          : (address.host ?? address.network?.canonical ?? address.text.trim());
      const target: ProbeTarget = {
        rule: name,
        direction: rule.direction,
        host,
        ports,
        protocol: rule.protocol.value,
        tlsPorts: tlsPortsFor(address.host, catalogs),
        sources: inbound?.sources,
      };
      if (inbound?.vendorName) target.sourcesOf = inbound.vendorName;
      if (rule.direction === 'outbound' && singleAddress(host) !== undefined) {
        const hosts = pinningHosts(rule, catalogs, uses);
        if (hosts.length > 0) target.pinningHosts = hosts;
      }
      targets.push(target);
    }
  }
  return targets;
}

function tlsPortsFor(host: string | undefined, catalogs: CatalogSet): number[] | undefined {
  const ports = (host ? catalogs.endpointsByHost.get(host) : undefined)?.flatMap(({ endpoint }) => endpoint.tlsPorts ?? []) ?? [];
  return ports.length > 0 ? [...new Set(ports)] : undefined;
}

/** The rule's vendor's catalog and effective options: as declared under `vendors:`, else the catalog's defaults. */
function vendorOf(rule: AllowRule, catalogs: CatalogSet, uses: Map<string, VendorUse>): { catalog: Catalog; options: Record<string, string> } | undefined {
  const id = rule.vendor?.value;
  if (!id) return undefined;
  const use = uses.get(id);
  if (use?.catalog) return { catalog: use.catalog, options: use.options };
  const catalog = catalogs.byVendor.get(id);
  return catalog ? { catalog, options: Object.fromEntries(catalog.options.map((o) => [o.name, o.default])) } : undefined;
}

/** Where the vendor connects from: the sources its catalog publishes (those whose conditions hold for
 * the site's options, or all of them when none does: an inbound rule for the vendor means it connects
 * in), else the rule's own `from`. */
function inboundSources(rule: AllowRule, catalogs: CatalogSet, uses: Map<string, VendorUse>): { sources: string[]; vendorName?: string } {
  const vendor = vendorOf(rule, catalogs, uses);
  if (vendor && vendor.catalog.inboundSources.length > 0) {
    const holding = vendor.catalog.inboundSources.filter((source) => conditionsHold(source.when, vendor.options));
    const chosen = holding.length > 0 ? holding : vendor.catalog.inboundSources;
    return { sources: [...new Set(chosen.map((source) => source.address.trim()))], vendorName: vendor.catalog.name };
  }
  return { sources: (rule.from?.addresses ?? []).map((address) => address.network?.canonical ?? address.text.trim()) };
}

/** The catalog hostnames a bare IP in an outbound rule may be an address of: those of the rule's vendor,
 * or without a vendor, of every declared vendor's catalog; only hosts the vendor says to allowlist by
 * hostname (wildcards cannot be resolved). */
function pinningHosts(rule: AllowRule, catalogs: CatalogSet, uses: Map<string, VendorUse>): string[] {
  const vendor = vendorOf(rule, catalogs, uses);
  const sources = rule.vendor ? (vendor ? [vendor.catalog] : []) : [...uses.values()].flatMap((use) => (use.catalog ? [use.catalog] : []));
  const hosts = sources.flatMap((catalog) =>
    catalog.endpoints.filter((endpoint) => endpoint.allowlistBy === 'hostname').map((endpoint) => hostKey(endpoint.host.trim())),
  );
  return [...new Set(hosts)].filter((host) => host !== '' && !host.startsWith('*'));
}

/** Thrown by `probeTargetsFromText` for a file `rulesRefusal` refuses. */
export class ProbeRefusedError extends Error {
  constructor(readonly refusal: RulesRefusal) {
    super(describeRulesRefusal('the file', refusal, 'probe', 'lint it'));
  }
}

/** Lints an allowlist's text into probe targets (the CLI's `probe` and `probe-script`); throws ProbeRefusedError
 * when its rules are not reliable enough to probe. */
export function probeTargetsFromText(text: string, fileName: string, catalogs: CatalogSet = defaultCatalogSet(), config?: LintConfig): ProbeTarget[] {
  const result = lintText(text, { fileName, catalogs, config });
  const refusal = rulesRefusal(result);
  if (refusal) throw new ProbeRefusedError(refusal);
  return probeTargets(result.model, catalogs);
}
