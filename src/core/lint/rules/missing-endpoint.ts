import { type AllowlistModel, type AllowRule, coveringKeys, formatPortRange, type IndexKey, indexKeys, mergeSpans } from '../../parse';
import type { Catalog, CatalogEndpoint } from '../../catalog';
import { appendRuleItems, portsValue, yamlString, type ItemFields } from '../edits';
import { firstFew, type Fix } from '../../common';
import { perDocument, protocolCovers, ruleSplice, type RuleSplice } from './helpers';
import { conditionsHold, ruleLabel, type LintRule, type RuleContext, type VendorUse } from './rule';

/** Outbound rules by the index key of each `to` address, so that the rules allowing a host are found
 * through `coveringKeys` (the host itself, each wildcard above it, `any`) in time independent of the
 * number of rules. */
export class OutboundIndex {
  private readonly byKey = new Map<IndexKey, AllowRule[]>();

  /** The index the vendor rules share in one lint: only the keys that can allow the declared vendors' hosts. */
  static forVendors(rules: AllowRule[], context: RuleContext): OutboundIndex {
    const shared = sharedIndexes.get(rules);
    if (shared?.vendors === context.vendors) return shared.index;
    const keys = new Set<IndexKey>();
    for (const use of context.vendors.values()) for (const host of requiredHosts(use, true).keys()) for (const key of hostKeys(host)) keys.add(key);
    const signature = [...keys].sort().join('\n');
    const lastIndexes = lastIndexesOf(context.document);
    const index = OutboundIndex.afterEdit(rules, keys, signature, lastIndexes) ?? new OutboundIndex(rules, keys);
    sharedIndexes.set(rules, { vendors: context.vendors, index });
    lastIndexes.unshift({ rules, signature, index });
    lastIndexes.length = Math.min(lastIndexes.length, LAST_INDEXES);
    return index;
  }

  /** The index of an edited list from that of the list before the edit (for the same keys): the rules of its
   * unchanged ends are found by position, only the replaced ones are looked at; undefined where there is none. */
  private static afterEdit(rules: AllowRule[], keys: Set<IndexKey>, signature: string, lastIndexes: LastIndex[]): OutboundIndex | undefined {
    let best: { last: LastIndex; splice: RuleSplice } | undefined;
    for (const last of lastIndexes) {
      if (last.signature !== signature) continue;
      const splice = ruleSplice(last.rules, rules);
      if (!best || splice.prefix + splice.suffix > best.splice.prefix + best.splice.suffix) best = { last, splice };
    }
    // None in common: another list (a fresh lint is always built anew).
    if (!best || best.splice.prefix + best.splice.suffix === 0) return undefined;
    const { last, splice } = best;
    const suffixStart = rules.length - splice.suffix;
    if (suffixStart - splice.prefix > MAX_REPLACED) return undefined;
    lastIndexes.splice(lastIndexes.indexOf(last), 1);
    const lastSuffixStart = last.rules.length - splice.suffix;
    const moved = rules.length - last.rules.length;
    const index = new OutboundIndex([], keys);
    for (const [key, list] of last.index.byKey) {
      const kept: AllowRule[] = [];
      // In file order: the unchanged start, the replaced rules with this key, the unchanged end.
      for (const rule of list) if (rule.index < splice.prefix) kept.push(rules[rule.index]);
      for (const rule of list) if (rule.index >= lastSuffixStart) kept.push(rules[rule.index + moved]);
      if (kept.length > 0) index.byKey.set(key, kept);
    }
    for (let at = suffixStart - 1; at >= splice.prefix; at--) {
      const to = rules[at].to;
      if (!to) continue;
      for (const key of indexKeys(to)) {
        if (!keys.has(key)) continue;
        const list = index.byKey.get(key);
        if (!list) index.byKey.set(key, [rules[at]]);
        else list.splice(firstAfter(list, at), 0, rules[at]);
      }
    }
    return index;
  }

  /** `keys`: index only these (the rest cannot allow the hosts that will be asked about). */
  constructor(
    rules: AllowRule[],
    private readonly keys?: Set<IndexKey>,
  ) {
    for (const rule of rules) {
      if (!rule.to) continue;
      for (const key of indexKeys(rule.to)) {
        if (keys && !keys.has(key)) continue;
        const list = this.byKey.get(key);
        if (list) list.push(rule);
        else this.byKey.set(key, [rule]);
      }
    }
  }

  /** Rules whose `to` allows the host by name (the host, a wildcard above it, or `any`) for the protocol, in file order. */
  rulesAllowing(host: string, protocol: 'tcp' | 'udp'): AllowRule[] {
    const found = new Set<AllowRule>();
    for (const key of hostKeys(host)) {
      if (this.keys && !this.keys.has(key)) throw new Error(`the index was built without ${key}`);
      for (const rule of this.byKey.get(key) ?? []) if (protocolCovers(rule.protocol.value, protocol)) found.add(rule);
    }
    return [...found].sort((a, b) => a.index - b.index);
  }
}

/** The index keys that allow a host by name (`coveringKeys` of the host), once per host: the hosts are the catalogs'
 * (a few hundred), asked about on every lint. */
function hostKeys(host: string): readonly IndexKey[] {
  let keys = hostKeysCache.get(host);
  if (!keys) {
    // Emptied when large, so that a catalog edited in the editor (a host per keystroke) cannot grow it for ever.
    if (hostKeysCache.size >= MAX_CACHED_HOSTS) hostKeysCache.clear();
    hostKeysCache.set(host, (keys = coveringKeys({ text: host, range: { start: 0, end: 0 }, kind: 'hostname', host: host.toLowerCase() })));
  }
  return keys;
}

const hostKeysCache = new Map<string, readonly IndexKey[]>();
const MAX_CACHED_HOSTS = 4096;

/** Indexes by the model's `outbound` array (a new array each lint) for the lint's vendors. */
const sharedIndexes = new WeakMap<AllowRule[], { vendors: RuleContext['vendors']; index: OutboundIndex }>();

/** A document's last lints' indexes (`RuleContext.document`), by the keys they hold, for the next lint of an edited
 * list: the last one, and one for other vendors, as declaring a vendor and taking it back are edits too. */
const lastIndexesOf = perDocument<LastIndex[]>(() => []);
type LastIndex = { rules: AllowRule[]; signature: string; index: OutboundIndex };
const LAST_INDEXES = 2;
/** More replaced rules than this, and building the index anew is as quick. */
const MAX_REPLACED = 64;

/** The position in `list` (in file order) of its first rule after position `at`. */
function firstAfter(list: AllowRule[], at: number): number {
  let low = 0;
  for (let high = list.length; low < high; ) {
    const mid = (low + high) >> 1;
    if (list[mid].index > at) high = mid;
    else low = mid + 1;
  }
  return low;
}

/** A declared vendor's endpoints that apply with its options, grouped by host (catalog order); the optional ones
 * (`required: false`) only with `includeOptional`. */
export function requiredHosts(use: VendorUse, includeOptional = false): Map<string, CatalogEndpoint[]> {
  const hosts = new Map<string, CatalogEndpoint[]>();
  for (const endpoint of use.catalog?.endpoints ?? []) {
    if (!conditionsHold(endpoint.when, use.options) || (!endpoint.required && !includeOptional)) continue;
    const host = endpoint.host.toLowerCase();
    const list = hosts.get(host);
    if (list) list.push(endpoint);
    else hosts.set(host, [endpoint]);
  }
  return hosts;
}

/** Whether the user asked the requirement rules to require the catalogs' optional endpoints too
 * (missing-endpoint's option `include-optional`, which missing-ports follows). */
export function includeOptional(context: RuleContext): boolean {
  return context.option('include-optional', INCLUDE_OPTIONAL.default, 'missing-endpoint');
}

const INCLUDE_OPTIONAL = {
  description: "true: also require the endpoints a catalog lists as optional (`required: false`, e.g. a feature the site may not use); false: skip them.",
  default: false,
};

/** The vendor's roles for endpoints, quoted: "a", "b". */
export function quotedRoles(endpoints: CatalogEndpoint[]): string {
  return endpoints.map((endpoint) => `"${endpoint.role}"${endpoint.required ? '' : ' (optional)'}`).join(' and ');
}

/** Rule names for new items: `<vendor>-<endpoint ids' common part>`, unique in the file and among `taken`. */
export function newRuleName(model: AllowlistModel, catalog: Catalog, endpoints: CatalogEndpoint[], taken: Set<string>): string {
  if (taken.size === 0) for (const rule of [...model.outbound, ...model.inbound]) if (rule.name) taken.add(rule.name.value);
  const parts = endpoints.map((endpoint) => endpoint.id.split('-'));
  const common: string[] = [];
  for (let i = 0; parts.every((p) => i < p.length && p[i] === parts[0][i]); i++) common.push(parts[0][i]);
  const stem = `${catalog.id}-${common.length ? common.join('-') : endpoints.map((endpoint) => endpoint.id).join('-')}`;
  let name = stem;
  for (let n = 2; taken.has(name); n++) name = `${stem}-${n}`;
  taken.add(name);
  return name;
}

/** The fields of a new outbound rule allowing `host` for endpoints on the given ports. */
export function outboundItem(name: string, catalog: Catalog, host: string, endpoints: CatalogEndpoint[], ports: { from: number; to: number }[]): ItemFields {
  const fields: ItemFields = [
    ['name', name],
    ['description', JSON.stringify(`${catalog.name}: ${endpoints.map((endpoint) => endpoint.role).join('; ')}`)],
    ['vendor', yamlString(catalog.id)],
    ['to', yamlString(host)],
    ['ports', portsValue(ports)],
  ];
  if (endpoints[0].protocol !== 'tcp') fields.push(['protocol', endpoints[0].protocol]);
  return fields;
}

/** New outbound rule items allowing each host for its endpoints, one per host and protocol (a rule has one
 * protocol): what missing-endpoint's quick fixes add, and what `allowlist init` writes for a vendor. `taken`:
 * names already given (shared across calls that add to the same file). */
export function newOutboundItems(model: AllowlistModel, catalog: Catalog, hosts: { host: string; endpoints: CatalogEndpoint[] }[], taken = new Set<string>()): ItemFields[] {
  const items: ItemFields[] = [];
  for (const { host, endpoints } of hosts) {
    for (const protocol of new Set(endpoints.map((endpoint) => endpoint.protocol))) {
      const sameProtocol = endpoints.filter((endpoint) => endpoint.protocol === protocol);
      items.push(outboundItem(newRuleName(model, catalog, sameProtocol, taken), catalog, host, sameProtocol, neededPorts(sameProtocol)));
    }
  }
  return items;
}

/** Every port the endpoints need, merged. */
export function neededPorts(endpoints: CatalogEndpoint[]): { from: number; to: number }[] {
  return mergeSpans(endpoints.flatMap((endpoint) => endpoint.ports.map((p) => ({ ...p, text: '', range: { start: 0, end: 0 } }))));
}

/** Whether an outbound rule applies to every PC of the site: it has no `from`, or `from` includes `any`. */
export function fromWholeSite(rule: AllowRule): boolean {
  return !rule.from || rule.from.addresses.some((address) => address.kind === 'any');
}

/** At most three items, then how many more: a file may have thousands of rules allowing a host. */
function ruleNames(rules: AllowRule[]): string {
  return firstFew(rules.map(ruleLabel));
}

/** The end of the message when no outbound rule allows the host. */
function notAllowed(host: string): string {
  return (
    `, but no outbound rule allows that host. Its software will fail at this site until you add an outbound rule for ${host}` +
    ` (by hostname: a wildcard above it or \`any\` also counts, an IP address does not).`
  );
}

/** The end of the message when the rules allowing the host have a `from` narrower than the site. */
function onlyFrom(allowing: AllowRule[], catalog: Catalog): string {
  const sources = firstFew([...new Set(allowing.flatMap((rule) => rule.from?.addresses.map((address) => address.text.trim()) ?? []))]);
  return (
    `, but ${ruleNames(allowing)} allow${allowing.length === 1 ? 's' : ''} that host only from ${sources}, and ${catalog.name}'s software runs on every client PC: ` +
    `the site's other PCs will fail. Allow it from the whole site (no \`from\`, or \`from: any\`).`
  );
}

/** The end of the message when the host is allowed, but only on another protocol than the endpoint's; undefined when it is not allowed at all. */
function otherProtocolOnly(index: OutboundIndex, host: string, endpoint: CatalogEndpoint): string | undefined {
  const other = endpoint.protocol === 'tcp' ? 'udp' : 'tcp';
  const allowing = index.rulesAllowing(host, other);
  if (allowing.length === 0) return undefined;
  return (
    `, but ${ruleNames(allowing)} allow${allowing.length === 1 ? 's' : ''} that host on ${other.toUpperCase()} only, and the vendor needs ${endpoint.protocol.toUpperCase()}. ` +
    `Add an outbound rule for ${host} on ${endpoint.protocol.toUpperCase()} (or set the rule's \`protocol: any\`).`
  );
}

export const missingEndpoint: LintRule = {
  meta: {
    id: 'missing-endpoint',
    defaultSeverity: 'error',
    description:
      "Every host a declared vendor's catalog says its software connects to (for the vendor's options, e.g. the gatekeeper host only with a cloud ticket system) must be allowed by some outbound rule, by name: the host itself, a wildcard above it, or `any`, on the endpoint's protocol, from the whole site (no `from`, or `from: any`: the vendor's software runs on every client PC, so a rule for one PC leaves the others out). An IP address does not count, because vendors that publish hostnames move their addresses. Endpoints the catalog marks optional (`required: false`) are not required unless the option `include-optional` is true. A missing host is the classic \"the buttons work everywhere except at this one customer\" ticket: the software fails at the customer's site, not at the MSP's desk.",
    example:
      'vendors:\n  helpdesk-buttons: { ticket-system: cloud }\noutbound:\n  - name: hdb-api\n    vendor: helpdesk-buttons\n    to: flu1pjyrr2.execute-api.us-east-1.amazonaws.com\n    ports: 443\n# kdwq222yo3.execute-api.us-east-1.amazonaws.com (gatekeeper) and the other hosts are not allowed',
    options: { 'include-optional': INCLUDE_OPTIONAL },
  },
  checkFile(model, context, report) {
    const index = OutboundIndex.forVendors(model.outbound, context);
    for (const use of context.vendors.values()) {
      const catalog = use.catalog;
      if (!catalog) continue;
      const missing: { host: string; endpoints: CatalogEndpoint[]; why: string }[] = [];
      for (const [host, endpoints] of requiredHosts(use, includeOptional(context))) {
        let why: string | undefined;
        const unallowed = endpoints.filter((endpoint) => {
          const allowing = index.rulesAllowing(host, endpoint.protocol);
          if (allowing.some(fromWholeSite)) return false;
          why ??= allowing.length > 0 ? onlyFrom(allowing, catalog) : (otherProtocolOnly(index, host, endpoint) ?? notAllowed(host));
          return true;
        });
        if (why) missing.push({ host, endpoints: unallowed, why });
      }
      if (missing.length === 0) continue;
      const allEdit = missing.length > 1 ? appendRuleItems(model, 'outbound', newOutboundItems(model, catalog, missing)) : undefined;
      for (const entry of missing) {
        const ports = neededPorts(entry.endpoints).map(formatPortRange).join(', ');
        const fixes: Fix[] = [];
        const edit = appendRuleItems(model, 'outbound', newOutboundItems(model, catalog, [entry]));
        if (edit) fixes.push({ title: `Add an outbound rule for ${entry.host} (${ports})`, edits: [edit], preferred: true });
        if (allEdit) fixes.push({ title: `Add outbound rules for all ${missing.length} missing ${catalog.name} hosts`, edits: [allEdit] });
        const conditions = entry.endpoints.map((endpoint) => endpoint.condition).filter((condition): condition is string => !!condition);
        report({
          message:
            `${catalog.name} needs ${entry.host} on ${entry.endpoints[0].protocol.toUpperCase()} ${ports} for ${quotedRoles(entry.endpoints)}` +
            (conditions.length ? ` (${[...new Set(conditions)].join('; ')})` : '') +
            entry.why,
          range: use.decl.range,
          subject: `vendor:${catalog.id}:host:${entry.host}`,
          fixes,
        });
      }
    }
  },
};
