/** `allowlist init`'s text: a starter allowlist for a site, with the required rules of the vendors it names,
 * written by the same generators as the quick fixes of missing-endpoint (the outbound rules) and
 * missing-exclusion (the anti-virus exclusions), so that a starter lints as clean as a file those fixes
 * completed. Pure: catalogs and options in, text out. */
import type { Catalog, CatalogEndpoint, CatalogSet, PortRangeSpec } from '../catalog';
import { addExclusion, appendRuleItems, newOutboundItems, requiredHosts, suggestVendor, vendorUses, yamlString } from '../lint';
import { parseAllowlist } from '../parse';
import { normalize, oneLine, type TextEdit } from '../common';

export interface StarterOptions {
  /** The loaded catalogs (built-in and the user's). */
  catalogs: CatalogSet;
  /** Vendors the site uses, as `vendorCatalogs` resolved them. */
  vendors: Catalog[];
  /** The `site:` value; without it the line is left as a commented example. */
  site?: string;
  /** Where the `# yaml-language-server: $schema=` modeline points (a path relative to the file, or a URL). */
  schema: string;
}

/** A `--vendor` id no loaded catalog defines, with the id it most likely means. */
export class UnknownVendorError extends Error {
  constructor(
    readonly id: string,
    readonly suggestion: string | undefined,
    /** The ids the loaded catalogs define. */
    readonly known: string[],
  ) {
    super(`unknown vendor ${JSON.stringify(id)}; ${suggestion ? `did you mean ${suggestion}?` : `the loaded catalogs define ${known.join(', ') || 'no vendors'}`}`);
  }
}

/** The catalogs of the vendor ids, in the order given, each once; an UnknownVendorError for the first id no
 * catalog defines. */
export function vendorCatalogs(catalogs: CatalogSet, ids: string[]): Catalog[] {
  const found = new Set<Catalog>();
  for (const id of ids) {
    // By id, else by the vendor's name or an alias its catalog gives (`tier2tickets`): the starter writes the id.
    const catalog = catalogs.byVendor.get(id) ?? catalogs.catalogs.find((known) => [known.name, ...known.aliases].some((spelling) => spelling.toLowerCase() === id.toLowerCase()));
    if (!catalog) throw new UnknownVendorError(id, suggestVendor(catalogs, id), catalogs.catalogs.map((known) => known.id));
    found.add(catalog);
  }
  return [...found];
}

/** The file a starter is written to by default: named after the site (`Contoso Dental` → contoso-dental.allowlist.yaml,
 * `Zürich` → zurich.allowlist.yaml), else site.allowlist.yaml. */
export function defaultFileName(site: string | undefined): string {
  const withoutAccents = (site ?? '').normalize('NFKD').replace(/\p{M}/gu, '');
  return `${normalize(withoutAccents) || 'site'}.allowlist.yaml`;
}

/** The starter allowlist's text. With vendors: each vendor declared with its catalog's default options, an outbound
 * rule for every host its catalog requires with those options, and the exclusions it recommends. Without: a minimal
 * valid allowlist whose comments say how to fill it in. Vendor facts are only the catalog's. */
export function starterAllowlist(options: StarterOptions): string {
  let text = skeleton(options);
  if (options.vendors.length === 0) return text;

  const skeletonModel = parseAllowlist(text).model;
  const taken = new Set<string>();
  const allowed = new AllowedPorts();
  const items = [...vendorUses(skeletonModel, options.catalogs).values()].flatMap((use) => {
    if (!use.catalog) return [];
    // A host an earlier vendor's rules already allow on these ports gets no second rule (it would be a shadowed rule).
    const hosts = [...requiredHosts(use)].map(([host, endpoints]) => ({ host, endpoints: endpoints.filter((endpoint) => !allowed.covers(host, endpoint)) }));
    const needed = hosts.filter((entry) => entry.endpoints.length > 0);
    for (const { host, endpoints } of needed) for (const endpoint of endpoints) allowed.add(host, endpoint);
    return newOutboundItems(skeletonModel, use.catalog, needed, taken);
  });
  if (items.length > 0) text = applyEdit(text, appendRuleItems(skeletonModel, 'outbound', items));

  for (const exclusion of options.vendors.flatMap((catalog) => catalog.exclusions.filter((entry) => entry.recommended))) {
    text = applyEdit(text, addExclusion(parseAllowlist(text).model, exclusion.path));
  }
  return text;
}

/** The ports the starter's rules allow so far, by host and protocol. */
class AllowedPorts {
  private readonly byHost = new Map<string, PortRangeSpec[]>();

  add(host: string, endpoint: CatalogEndpoint): void {
    const key = `${endpoint.protocol} ${host}`;
    this.byHost.set(key, [...(this.byHost.get(key) ?? []), ...endpoint.ports]);
  }

  covers(host: string, endpoint: CatalogEndpoint): boolean {
    const spans = this.byHost.get(`${endpoint.protocol} ${host}`) ?? [];
    return endpoint.ports.every((port) => spans.some((span) => span.from <= port.from && port.to <= span.to));
  }
}

/** The header, the vendors with their options, and an empty `outbound:` list, with comments that guide. */
function skeleton({ catalogs, vendors, site, schema }: StarterOptions): string {
  const lines = [
    `# yaml-language-server: $schema=${schema}`,
    '#',
    '# A starter allowlist written by `allowlist init`; check it with `allowlist lint` after every change.',
  ];
  if (vendors.length > 0) lines.push("# The vendors' rules below are generated from their catalogs: hosts, ports and roles as the catalogs state them.");
  lines.push('allowlist: 1', site === undefined ? '# site: Contoso Dental - Main Street practice' : `site: ${yamlString(site)}`, '# description: what this allowlist is for', '');

  if (vendors.length === 0) {
    const known = catalogs.catalogs.map((catalog) => `${catalog.id} (${oneLine(catalog.name)})`).join(', ') || 'none';
    lines.push(
      '# Vendors whose software runs at this site, by catalog id, with their options;',
      "# `allowlist init --vendor ID` writes a vendor's required rules. Known vendors: " + known + '.',
      '# vendors:',
      `#   ${catalogs.catalogs[0]?.id ?? 'vendor-id'}: {}`,
      '',
    );
  } else {
    lines.push(...vendorsBlock(vendors), '');
  }
  lines.push(
    '# Connections this site opens: name (unique), to (host name, quoted "*.wildcard", IP, CIDR or any),',
    '# ports (443, "2001-2500", a list of them, or any); optional from, protocol (tcp, udp, any), ticket, owner, expires.',
    'outbound: []',
    '# Connections into the site, written like outbound rules, with `from` required:',
    '# inbound: []',
  );
  return `${lines.join('\n')}\n`;
}

/** The `vendors:` section declaring each vendor with its catalog's default options (or the `values` given for it, by
 * vendor id and option name) and the pages its facts come from (a starter, and an imported allowlist with `--vendor`). */
export function vendorsBlock(vendors: Catalog[], values: Readonly<Record<string, Readonly<Record<string, string>>>> = {}): string[] {
  const lines = ['vendors:'];
  for (const catalog of vendors) {
    lines.push(`  # ${oneLine(catalog.name)}, from its catalog, whose facts come from:`, ...sourcesOf(catalog).map((url) => `  #   ${oneLine(url)}`));
    if (catalog.options.length === 0) {
      lines.push(`  ${catalog.id}: {}`);
      continue;
    }
    const given = values[catalog.id] ?? {};
    lines.push(`  ${catalog.id}:`, "    # The catalog's defaults; another value may need other rules: `allowlist lint` says which.");
    for (const option of catalog.options) lines.push(`    ${option.name}: ${yamlString(given[option.name] ?? option.default)}   # ${option.values.join(' | ')}`);
  }
  return lines;
}

/** The distinct source URLs of a catalog's endpoints and recommended exclusions: where the starter's vendor facts come from. */
function sourcesOf(catalog: Catalog): string[] {
  return [...new Set([...catalog.endpoints, ...catalog.exclusions.filter((entry) => entry.recommended)].map((entry) => entry.source.url))];
}

/** Catalog text on one comment line. */

function applyEdit(text: string, edit: TextEdit | undefined): string {
  // The skeleton is written in the block layout the edit helpers always handle.
  if (!edit) throw new Error('allowlist init: the starter has a layout the edit helpers cannot extend');
  return text.slice(0, edit.range.start) + edit.newText + text.slice(edit.range.end);
}
