/** Drift: a firewall's configuration against its allowlist, by effect. The configuration is read with an import reader
 * and written as an allowlist by the import writer (with the allowlist's vendor declarations and options); both are
 * linted, and their reaches compared with the semantic diff's own comparison, so reordering, renamed objects, groups
 * versus inline addresses and equivalent port spellings are not drift. The requirement rules' findings on the
 * firewall's side that the allowlist does not have are the vendor requirements the firewall fails. */
import type { CatalogSet } from '../catalog';
import { type Finding, firstFew } from '../common';
import { accessDeltas, type AccessDelta, buildReach, describeReach, lintAllowlist, PlaceCache, type PlaceInfo, reachRuleLabel, REQUIREMENT_RULES, requirementFacts, type Side } from '../diff';
import { importedAllowlist, type ImportReader, overLintLimit, writtenNames } from '../import';
import { defaultCatalogSet, emptyConfig, type LintConfig, rules as lintRules } from '../lint';
import { absolute, type AllowlistModel, allRules, parseAddress } from '../parse';
import type { DriftAccess, DriftReport, DriftRequirement, DriftSource } from './types';

export interface DriftOptions {
  /** The allowlist's path as reported. */
  allowlistName: string;
  /** The configuration's path as reported, or `nft`. */
  againstName: string;
  catalogs?: CatalogSet;
  config?: LintConfig;
  /** YYYY-MM-DD: the day expiry rules compare against. */
  today?: string;
  /** The interfaces (or zones) facing the site's clients and the internet, as the reader takes them. */
  lanInterface?: string;
  wanInterface?: string;
}

export function driftOf(allowlistText: string, configText: string, reader: ImportReader, options: DriftOptions): DriftReport {
  const catalogs = options.catalogs ?? defaultCatalogSet();
  const lintOptions = { catalogs, config: requirementRulesOnly(options.config), today: options.today };
  const allowlist = lintAllowlist(allowlistText, options.allowlistName, lintOptions);
  const read = reader.read(configText, { lanInterface: options.lanInterface, wanInterface: options.wanInterface });
  const report: DriftReport = {
    allowlist: options.allowlistName,
    against: options.againstName,
    platform: reader.id,
    extra: [],
    missing: [],
    requirements: [],
    notCompared: read.problems,
    notes: [],
    inSync: false,
  };
  if (allowlist.problem) {
    report.unparsable = allowlist.problem;
    return report;
  }

  const declared = allowlist.model.vendors.flatMap((decl) => {
    const catalog = catalogs.byVendor.get(decl.id);
    return catalog ? [catalog] : [];
  });
  const firewallText = importedAllowlist(read.rules, {
    schema: 'allowlist.schema.json',
    sourceName: options.againstName,
    readerTitle: reader.title,
    vendors: declared,
    vendorOptions: optionValues(allowlist.model),
  });
  const firewall = lintAllowlist(firewallText, `${reader.id}.allowlist.yaml`, lintOptions);
  // Compared as it is, the firewall would be an empty allowlist: every policy it has, unseen.
  if (firewall.problem) {
    report.firewallUnreadable = overLintLimit(firewallText) ?? `its policies written as an allowlist do not parse (${firewall.problem})`;
    return report;
  }

  const allowlistSources = sourcesOfModel(allowlist.model, allowlist.lines.positionAt.bind(allowlist.lines));
  const names = writtenNames(read.rules);
  const policySources = new Map(names.map((name, index) => [name, [{ name: read.rules[index].name, line: read.rules[index].line }]]));
  // Every label of a reach is a rule of its model, so each is found; line 0 would only say the mapping broke.
  const lookUp = (sources: Map<string, DriftSource[]>, labels: Iterable<string>): DriftSource[] => [...new Set(labels)].flatMap((label) => sources.get(label) ?? [{ name: label, line: 0 }]);

  const notHeld = reader.placesNotHeld;
  const held = (place: PlaceInfo): boolean => !notHeld?.kinds.some((kind) => kind === place.kind);
  const cache = new PlaceCache();
  const unheld = new Map<string, Set<string>>();
  for (const delta of accessDeltas(buildReach(allowlist.model, cache), buildReach(firewall.model, cache))) {
    const grew = delta.kind === 'opened' || delta.kind === 'widened';
    if (!grew && !(held(delta.entry.from.info) && held(delta.entry.to.info))) {
      for (const rule of delta.rules) {
        const places = unheld.get(rule) ?? new Set<string>();
        for (const place of [delta.entry.from.info, delta.entry.to.info]) if (!held(place)) places.add(place.label);
        unheld.set(rule, places);
      }
      continue;
    }
    const own = lookUp(grew ? policySources : allowlistSources, delta.rules);
    const other = lookUp(grew ? allowlistSources : policySources, delta.related.flatMap((entry) => entry.rules));
    const access: DriftAccess = {
      kind: grew ? 'extra' : 'missing',
      direction: delta.entry.direction,
      from: delta.entry.from.info,
      to: delta.entry.to.info,
      protocol: delta.protocol,
      ports: delta.ports,
      allowlistRules: grew ? other : own,
      firewallPolicies: grew ? own : other,
      summary: accessSummary(delta, own, other),
    };
    (grew ? report.extra : report.missing).push(access);
  }
  if (notHeld && unheld.size > 0) {
    const listed = [...unheld].map(([rule, places]) => `${rule} (${firstFew([...places])})`);
    report.notes.push(`${notHeld.what} of the allowlist not compared, since ${notHeld.why}: ${firstFew(listed, '; ', '; and ')}`);
  }

  report.requirements = requirementsUnmet(
    { model: allowlist.model, catalogs, findings: allowlist.findings },
    { model: firewall.model, catalogs, findings: firewall.findings },
    (labels) => lookUp(allowlistSources, labels),
    report.notes,
    notHeld,
  );
  const byLine = (sources: (access: DriftAccess) => DriftSource[]) => (a: DriftAccess, b: DriftAccess) => (sources(a)[0]?.line ?? 0) - (sources(b)[0]?.line ?? 0) || a.summary.localeCompare(b.summary);
  report.extra.sort(byLine((access) => access.firewallPolicies));
  report.missing.sort(byLine((access) => access.allowlistRules));
  report.inSync = report.extra.length === 0 && report.missing.length === 0 && report.requirements.length === 0;
  return report;
}

/** The user's config with every rule off but the requirement rules and yaml-syntax (which tells an allowlist that
 * does not parse): drift uses no other finding, and linting a large configuration's rules takes half the time. */
function requirementRulesOnly(config: LintConfig = emptyConfig()): LintConfig {
  const kept = (id: string) => REQUIREMENT_RULES.has(id) || id === 'yaml-syntax';
  const rules = Object.fromEntries(lintRules.map(({ meta }) => [meta.id, kept(meta.id) ? (config.rules[meta.id] ?? { options: {} }) : { options: config.rules[meta.id]?.options ?? {}, severity: 'off' as const }]));
  return { ...config, rules };
}

/** The declared vendors' option values as written (strings only: anything else is the allowlist's own lint finding). */
function optionValues(model: AllowlistModel): Record<string, Record<string, string>> {
  const values: Record<string, Record<string, string>> = {};
  for (const decl of model.vendors) {
    values[decl.id] = Object.fromEntries(Object.entries(decl.options).flatMap(([name, option]) => (typeof option.value === 'string' ? [[name, option.value]] : [])));
  }
  return values;
}

/** The allowlist's rules by the label the reach gives them, each with its name (or that label) and line. */
function sourcesOfModel(model: AllowlistModel, positionAt: (offset: number) => { line: number }): Map<string, DriftSource[]> {
  const sources = new Map<string, DriftSource[]>();
  for (const rule of allRules(model)) {
    const label = reachRuleLabel(rule);
    const list = sources.get(label) ?? [];
    list.push({ name: rule.name?.value ?? label, line: positionAt(absolute(rule, rule.range).start).line + 1 });
    sources.set(label, list);
  }
  return sources;
}

function named(sources: DriftSource[], word: string): string {
  const names = firstFew(sources.map((source) => source.name));
  return `${word}${sources.length === 1 ? '' : 's'} ${names}`;
}

function accessSummary(delta: AccessDelta, own: DriftSource[], other: DriftSource[]): string {
  const { entry } = delta;
  const where = `${entry.direction} access ${describeReach(entry, delta.ports, delta.protocol.toUpperCase())}`;
  const related = firstFew([...new Set(delta.related.map((reach) => describeReach(reach, reach.ports, reach.protocol.toUpperCase())))], '; ', '; and ');
  switch (delta.kind) {
    case 'opened':
      return `The firewall allows ${where} (${named(own, 'policy')}); the allowlist does not.`;
    case 'widened':
      return `The firewall allows ${where} (${named(own, 'policy')}), wider than the allowlist, which allows ${related} (${named(other, 'rule')}).`;
    case 'closed':
      return `The allowlist allows ${where} (${named(own, 'rule')}); the firewall does not.`;
    case 'narrowed':
      return `The allowlist allows ${where} (${named(own, 'rule')}); the firewall allows only ${related} (${named(other, 'policy')}).`;
  }
}

type Linted = Side & { findings: Finding[] };

/** The requirement findings on the firewall's side that the allowlist does not have: requirements the firewall fails
 * and the allowlist meets. Those the allowlist fails too are notes (its own lint reports them), as are those about
 * places the platform's configuration cannot hold. */
function requirementsUnmet(
  allowlist: Linted,
  firewall: Linted,
  sourcesOf: (labels: string[]) => DriftSource[],
  notes: string[],
  notHeld: ImportReader['placesNotHeld'],
): DriftRequirement[] {
  const comparable = (target: string | undefined): boolean =>
    notHeld === undefined || target === undefined || !notHeld.kinds.some((kind) => kind === parseAddress(target, { start: 0, end: 0 }).kind);
  const keyOf = (finding: Finding) => `${finding.ruleId}\n${finding.subject}`;
  const failedByAllowlist = new Set(allowlist.findings.filter((finding) => REQUIREMENT_RULES.has(finding.ruleId)).map(keyOf));
  const unmet: DriftRequirement[] = [];
  const shared: string[] = [];
  const skipped: string[] = [];
  for (const finding of firewall.findings) {
    if (!REQUIREMENT_RULES.has(finding.ruleId)) continue;
    const facts = requirementFacts(finding, firewall);
    if (!facts) continue;
    const what = `${facts.vendorName} ${roleText(facts.roles)}`;
    if (failedByAllowlist.has(keyOf(finding))) {
      shared.push(what);
      continue;
    }
    if (!comparable(facts.target)) {
      skipped.push(`${what} (${facts.target})`);
      continue;
    }
    const allowlistRules = sourcesOf(facts.providers(allowlist));
    unmet.push({
      kind: 'requirement-unmet',
      direction: facts.direction,
      vendor: facts.vendor,
      vendorName: facts.vendorName,
      roles: facts.roles,
      target: facts.target,
      ruleId: finding.ruleId,
      allowlistRules,
      summary: `The firewall fails ${what}: ${facts.missing}${allowlistRules.length ? `; the allowlist allows it (${named(allowlistRules, 'rule')})` : ''}.`,
    });
  }
  if (shared.length) notes.push(`vendor requirements the allowlist fails too (\`allowlist lint\` reports them), not drift: ${firstFew([...new Set(shared)], '; ', '; and ')}`);
  if (skipped.length && notHeld) notes.push(`vendor requirements to ${notHeld.what} not compared: ${firstFew([...new Set(skipped)], '; ', '; and ')}`);
  return unmet;
}

function roleText(roles: string[]): string {
  return roles.length ? roles.map((role) => `"${role}"`).join(' and ') : 'a requirement';
}
