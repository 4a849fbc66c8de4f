/** Vendor requirements newly unmet or newly met. The requirement rules (missing-endpoint, missing-ports,
 * inbound-missing-source) decide what is unmet; the diff compares their findings by subject and looks the
 * subject's catalog entries up (with the rules' own helpers) for the vendor's role text. */
import type { CatalogSet } from '../catalog';
import { type AllowlistModel, type Direction, uncoveredPorts } from '../parse';
import { conditionsHold, OutboundIndex, requiredHosts, servesVendor, type VendorUse, vendorUses } from '../lint';
import type { Finding } from '../common';
import { portsText, ruleLabel } from './reach';
import type { RequirementChange } from './types';

export const REQUIREMENT_RULES = new Set(['missing-endpoint', 'missing-ports', 'inbound-missing-source']);

export interface Side {
  model: AllowlistModel;
  catalogs: CatalogSet;
}

interface Parsed {
  vendor: string;
  what: 'host' | 'ports' | 'inbound' | 'inbound-source';
  detail?: string;
}

function parseSubject(subject: string): Parsed | undefined {
  const match = /^vendor:([^:]+):(host|ports|inbound-source|inbound)(?::(.*))?$/.exec(subject);
  return match ? { vendor: match[1], what: match[2] as Parsed['what'], detail: match[3] } : undefined;
}

interface Detail {
  direction: Direction;
  roles: string[];
  target?: string;
  /** What is missing, said on the side where it is missing. */
  missing: string;
  /** Whether the requirement applies on a side. */
  applies(side: Side): boolean;
  /** Rules on a side that provide what the requirement asks (for `rule`). */
  providers(side: Side): string[];
}

function detailOf(parsed: Parsed, side: Side): Detail | undefined {
  const use = vendorUses(side.model, side.catalogs).get(parsed.vendor);
  const catalog = use?.catalog;
  if (!use || !catalog) return undefined;
  const useOn = (other: Side): VendorUse | undefined => {
    const found = vendorUses(other.model, other.catalogs).get(parsed.vendor);
    return found?.catalog ? found : undefined;
  };
  if (parsed.what === 'host' || parsed.what === 'ports') {
    const host = parsed.detail ?? '';
    const endpoints = requiredHosts(use).get(host) ?? [];
    const index = new OutboundIndex(side.model.outbound);
    let relevant = endpoints;
    let missing = `${host} is not allowed`;
    if (parsed.what === 'ports') {
      const gaps = endpoints.map((endpoint) => {
        const allowing = index.rulesAllowing(host, endpoint.protocol);
        const ports = uncoveredPorts(
          { any: allowing.some((rule) => rule.ports?.any), spans: allowing.flatMap((rule) => rule.ports?.spans ?? []), range: { start: 0, end: 0 } },
          endpoint.ports,
        );
        return { endpoint, ports };
      });
      relevant = gaps.filter((gap) => gap.ports.length > 0).map((gap) => gap.endpoint);
      const ports = gaps.flatMap((gap) => gap.ports);
      missing = `${host} is not allowed on ${(relevant[0]?.protocol ?? 'tcp').toUpperCase()} ${portsText(ports)}`;
    } else if (endpoints.length) {
      missing = `${host} (${endpoints[0].protocol.toUpperCase()} ${portsText(endpoints.flatMap((endpoint) => endpoint.ports))}) is not allowed by any outbound rule`;
    }
    return {
      direction: 'outbound',
      roles: [...new Set((relevant.length ? relevant : endpoints).map((endpoint) => endpoint.role))],
      target: host,
      missing,
      applies: (other) => {
        const otherUse = useOn(other);
        return otherUse !== undefined && requiredHosts(otherUse).has(host);
      },
      providers: (other) => {
        const proto = endpoints[0]?.protocol ?? 'tcp';
        return new OutboundIndex(other.model.outbound).rulesAllowing(host, proto).map(ruleLabel);
      },
    };
  }
  const sources = catalog.inboundSources.filter((source) => conditionsHold(source.when, use.options));
  const chosen = parsed.what === 'inbound-source' ? sources.filter((source) => source.id === parsed.detail) : sources;
  const target = parsed.what === 'inbound-source' ? chosen[0]?.address : undefined;
  return {
    direction: 'inbound',
    roles: [...new Set(chosen.map((source) => source.role))],
    target,
    missing:
      parsed.what === 'inbound-source'
        ? `no inbound rule for ${catalog.id} admits ${target ?? parsed.detail}`
        : `no inbound rule serves ${catalog.id} (from ${sources.map((source) => source.address).join(', ')})`,
    applies: (other) => {
      const otherUse = useOn(other);
      if (!otherUse) return false;
      const otherSources = otherUse.catalog!.inboundSources.filter((source) => conditionsHold(source.when, otherUse.options));
      return parsed.what === 'inbound' ? otherSources.length > 0 : otherSources.some((source) => source.id === parsed.detail);
    },
    providers: (other) => other.model.inbound.filter((rule) => servesVendor(rule, parsed.vendor)).map(ruleLabel),
  };
}

/**
 * Requirement changes from the requirement rules' findings on each side (`before`/`after` may be undefined
 * for an added or deleted file). Findings are compared by rule id and subject.
 */
export function requirementChanges(
  before: { side: Side; findings: Finding[] } | undefined,
  after: { side: Side; findings: Finding[] } | undefined,
  file: string,
): RequirementChange[] {
  const keyOf = (finding: Finding): string => `${finding.ruleId}\n${finding.subject}`;
  const pick = (findings: Finding[] | undefined): Map<string, Finding> =>
    new Map((findings ?? []).filter((finding) => REQUIREMENT_RULES.has(finding.ruleId)).map((finding) => [keyOf(finding), finding]));
  const was = pick(before?.findings);
  const now = pick(after?.findings);
  const changes: RequirementChange[] = [];
  for (const [key, finding] of now) {
    if (was.has(key) || !after) continue;
    const change = build('requirement-unmet', finding, after.side, before?.side, file);
    if (change) changes.push(change);
  }
  for (const [key, finding] of was) {
    if (now.has(key) || !before) continue;
    const change = build('requirement-met', finding, before.side, after?.side, file);
    if (change) changes.push(change);
  }
  return changes;
}

/** What a requirement finding (of missing-endpoint, missing-ports or inbound-missing-source) is about, in the catalog's
 * words, with the lookups that tell whether it applies to another side and which of that side's rules provide it. */
export interface RequirementFacts {
  direction: Direction;
  vendor: string;
  vendorName: string;
  /** The catalog's role texts of the entries concerned, verbatim. */
  roles: string[];
  /** The host (outbound) or the source address (inbound), where there is one. */
  target?: string;
  /** What is missing ("connect.example.com is not allowed on TCP 2001-2500"), or the finding's message. */
  missing: string;
  applies(other: Side): boolean;
  providers(other: Side): string[];
}

/** The facts of a requirement finding on `side`; undefined for a finding of another rule. */
export function requirementFacts(finding: Finding, side: Side): RequirementFacts | undefined {
  const parsed = parseSubject(finding.subject);
  if (!parsed) return undefined;
  const detail = detailOf(parsed, side);
  return {
    direction: detail?.direction ?? (parsed.what.startsWith('inbound') ? 'inbound' : 'outbound'),
    vendor: parsed.vendor,
    vendorName: side.catalogs.byVendor.get(parsed.vendor)?.name ?? parsed.vendor,
    roles: detail?.roles ?? [],
    target: detail?.target ?? parsed.detail,
    missing: detail?.missing ?? finding.message,
    applies: (other) => detail?.applies(other) ?? false,
    providers: (other) => detail?.providers(other) ?? [],
  };
}

function build(kind: RequirementChange['kind'], finding: Finding, side: Side, other: Side | undefined, file: string): RequirementChange | undefined {
  const facts = requirementFacts(finding, side);
  if (!facts) return undefined;
  const { vendorName, roles } = facts;
  const quoted = roles.length ? roles.map((role) => `"${role}"`).join(' and ') : 'a requirement';
  const base = {
    kind,
    file,
    direction: facts.direction,
    vendor: facts.vendor,
    vendorName,
    roles,
    target: facts.target,
    ruleId: finding.ruleId,
    subject: finding.subject,
    risk: 0,
  } as const;
  if (kind === 'requirement-unmet') {
    const previously = other ? facts.providers(other) : [];
    const applied = other ? facts.applies(other) : false;
    const summary =
      `Breaks ${vendorName} ${quoted}: ${facts.missing}` +
      (previously.length && applied ? ` (it was allowed by ${previously.join(', ')}).` : applied ? '.' : ` (newly required by the vendor's declaration or options).`);
    // No rule provided it before: the vendor's declaration (its options, or declaring it) made it required.
    return { ...base, rule: previously.length ? previously.join(', ') : null, summary };
  }
  const stillApplies = other ? facts.applies(other) : false;
  if (!stillApplies) {
    const declared = other ? vendorUses(other.model, other.catalogs).has(facts.vendor) : false;
    return {
      ...base,
      rule: null,
      noLongerRequired: true,
      summary: `${vendorName} ${quoted} no longer applies (${declared ? 'the vendor options changed' : 'the vendor is no longer declared'}).`,
    };
  }
  const providers = other ? facts.providers(other) : [];
  return {
    ...base,
    rule: providers.length ? providers.join(', ') : null,
    summary: `Meets ${vendorName} ${quoted}: ${facts.target ?? 'the requirement'} is now allowed${providers.length ? ` (by ${providers.join(', ')})` : ''}.`,
  };
}
