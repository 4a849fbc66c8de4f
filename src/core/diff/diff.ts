/** The semantic diff of two versions of one allowlist: what the firewall allows, requires and records,
 * compared by effect. Each side is linted once (the same engine `allowlist lint` runs); reach is compared as
 * sets of (direction, from, to, protocol, port intervals) with coverage, so reordering, renaming, reformatting
 * and list style never show up as changes. */
import { type Finding, firstFew, LineIndex } from '../common';
import type { CatalogSet } from '../catalog';
import { defaultCatalogSet, type LintConfig, lintText } from '../lint';
import type { AllowlistModel, AllowRule, Direction } from '../parse';
import { accessKey, matchRules, pairFacts, subjectRewriter } from './match';
import { buildReach, coveredIndex, coverers, entryKey, overlaps, PlaceCache, portCount, portsText, reachOfRules, ruleLabel, subtract, union, type Reach, type ReachEntry } from './reach';
import { requirementChanges, type Side } from './requirements';
import type { AccessChange, Change, DiffFinding, DiffReport, FileDiff, PortInterval, RemovedRuleChange } from './types';

export interface DiffOptions {
  /** The file's path as reported (relative to the repository, or as given). */
  file?: string;
  /** The file's path at the base when it was moved or renamed (git's rename detection): status `renamed`. */
  previousFile?: string;
  /** Catalogs for both sides, or per side (a catalog file changed in the same commit). */
  catalogs?: CatalogSet;
  baseCatalogs?: CatalogSet;
  headCatalogs?: CatalogSet;
  config?: LintConfig;
  /** YYYY-MM-DD: the day expiry rules compare against, the same for both sides. */
  today?: string;
}

interface Version {
  text: string;
  model: AllowlistModel;
  findings: Finding[];
  catalogs: CatalogSet;
  lines: LineIndex;
  /** Why the version's effect cannot be read (YAML errors, not an allowlist). */
  problem?: string;
}

const EMPTY_MODEL = (): AllowlistModel => ({ kind: 'allowlist', text: '', topKeys: {}, vendors: [], outbound: [], inbound: [], ignores: [] });

/** Lints `text` as an allowlist, whatever the file is called, and says why its effect cannot be read (YAML errors, not
 * an allowlist), if it cannot. */
export function lintAllowlist(text: string, fileName: string, options: { catalogs: CatalogSet; config?: LintConfig; today?: string }): { model: AllowlistModel; findings: Finding[]; lines: LineIndex; problem?: string } {
  const result = lintText(text, { fileName: /\.allowlist\.ya?ml$/i.test(fileName) ? fileName : `${fileName}#.allowlist.yaml`, catalogs: options.catalogs, config: options.config, today: options.today });
  const lines = new LineIndex(text);
  let problem: string | undefined;
  const syntax = result.findings.find((finding) => finding.ruleId === 'yaml-syntax' && finding.severity === 'error');
  if (syntax) problem = `YAML error at line ${lines.positionAt(syntax.range.start).line + 1}: ${syntax.message}`;
  else if (result.model.kind !== 'allowlist') problem = 'it is not an allowlist (no top-level `allowlist:` key)';
  return { model: result.model, findings: result.findings, lines, problem };
}

function load(text: string | undefined, fileName: string, catalogs: CatalogSet, options: DiffOptions): Version | undefined {
  if (text === undefined) return undefined;
  return { text, catalogs, ...lintAllowlist(text, fileName, { catalogs, config: options.config, today: options.today }) };
}

/**
 * Diffs two versions of an allowlist. `before`/`after` undefined: the file is added/deleted. Never throws on
 * bad YAML: a side that does not parse is reported (note, `unparsable`, and its findings) and its reach is not compared.
 */
export function diffAllowlists(before: string | undefined, after: string | undefined, options: DiffOptions = {}): FileDiff {
  const file = options.file ?? 'allowlist.yaml';
  const baseCatalogs = options.baseCatalogs ?? options.catalogs ?? defaultCatalogSet();
  const headCatalogs = options.headCatalogs ?? options.catalogs ?? defaultCatalogSet();
  const renamed = options.previousFile !== undefined && options.previousFile !== file && before !== undefined && after !== undefined;
  const status: FileDiff['status'] = before === undefined ? 'added' : after === undefined ? 'deleted' : renamed ? 'renamed' : before === after ? 'unchanged' : 'modified';
  const result: FileDiff = { file, status, changes: [], findings: { introduced: [], resolved: [] }, noEffect: true, notes: [] };
  if (renamed) {
    result.previousFile = options.previousFile;
    result.notes.push(`file renamed from ${options.previousFile}`);
  }
  if (before === undefined && after === undefined) return result;
  const old = load(before, file, baseCatalogs, options);
  const now = load(after, file, headCatalogs, options);

  if (old?.problem) result.notes.push(`the base version does not parse (${old.problem}); its effect was not compared`);
  if (now?.problem) result.notes.push(`the head version does not parse (${now.problem}); its effect was not compared`);
  if (old?.problem || now?.problem) result.unparsable = old?.problem && now?.problem ? 'both' : old?.problem ? 'base' : 'head';

  const beforeModel = old?.model ?? EMPTY_MODEL();
  const afterModel = now?.model ?? EMPTY_MODEL();
  const match = matchRules(beforeModel, afterModel);
  const rewrite = subjectRewriter(match);

  let sameAccess = false;
  if (!result.unparsable) {
    const cache = new PlaceCache();
    const afterReach = buildReach(afterModel, cache);
    const access = accessChanges(buildReach(beforeModel, cache), afterReach, file);
    sameAccess = access.length === 0;
    result.changes.push(...access, ...removedRuleChanges(match.removed, afterReach, cache, file));
    const sideOf = (version: Version | undefined) => (version ? { side: { model: version.model, catalogs: version.catalogs } as Side, findings: version.findings } : undefined);
    result.changes.push(...requirementChanges(sideOf(old), sideOf(now), file));
    const facts = pairFacts(match);
    result.changes.push(...facts.expiry.map((change) => ({ ...change, file, risk: 0 })), ...facts.metadata.map((change) => ({ ...change, file, risk: 0 })));
    if (old && now) {
      result.notes.push(...facts.notes, ...headerNotes(beforeModel, afterModel));
    }
  }
  for (const change of result.changes) change.risk = riskOf(change);
  sortChanges(result.changes);

  // Findings: the same finding is the same rule id and subject (subjects of renamed rules follow the rename).
  const count = new Map<string, number>();
  const key = (ruleId: string, subject: string): string => `${ruleId}\n${subject}`;
  for (const finding of old?.findings ?? []) {
    const k = key(finding.ruleId, rewrite(finding.subject));
    count.set(k, (count.get(k) ?? 0) + 1);
  }
  const remaining = new Map(count);
  for (const finding of now?.findings ?? []) {
    const k = key(finding.ruleId, finding.subject);
    const left = remaining.get(k) ?? 0;
    if (left > 0) remaining.set(k, left - 1);
    else result.findings.introduced.push(diffFinding(finding, file, now!.lines));
  }
  for (const finding of old?.findings ?? []) {
    const k = key(finding.ruleId, rewrite(finding.subject));
    const left = remaining.get(k) ?? 0;
    if (left > 0) {
      remaining.set(k, left - 1);
      result.findings.resolved.push(diffFinding(finding, file, old!.lines));
    }
  }

  result.noEffect = result.changes.length === 0 && !result.unparsable;
  if (old && now && !result.unparsable && before !== after) {
    if (sameAccess && reorganised(beforeModel, afterModel)) {
      // A rule split in two, two merged into one, a shadowed (redundant) rule added or removed: the rules
      // differ, what they allow does not.
      result.notes.push('rules reorganised: no change of access');
    } else if (result.noEffect && !result.notes.some((note) => !note.startsWith('description') && !note.startsWith('file renamed'))) {
      result.notes.push('formatting, comments or list style changed only');
    }
  }
  return result;
}

/** Whether the rules themselves differ (as a multiset of what each allows), beyond names and order. */
function reorganised(before: AllowlistModel, after: AllowlistModel): boolean {
  const counts = new Map<string, number>();
  for (const rule of [...before.outbound, ...before.inbound]) counts.set(accessKey(rule), (counts.get(accessKey(rule)) ?? 0) + 1);
  for (const rule of [...after.outbound, ...after.inbound]) {
    const key = accessKey(rule);
    const left = counts.get(key) ?? 0;
    if (left === 0) return true;
    counts.set(key, left - 1);
  }
  return [...counts.values()].some((left) => left > 0);
}

function diffFinding(finding: Finding, file: string, lines: LineIndex): DiffFinding {
  return { file, ruleId: finding.ruleId, severity: finding.severity, message: finding.message, subject: finding.subject, line: lines.positionAt(finding.range.start).line + 1 };
}

// ---------------------------------------------------------------------------------------------
// Reach.

/** Reach one side allows and the other does not: `opened`/`widened` (in `after` only), `closed`/`narrowed` (in `before`
 * only), one per (kind, direction, from, to, ports), TCP and UDP together when both differ alike. */
export interface AccessDelta {
  kind: AccessChange['kind'];
  entry: ReachEntry;
  protocol: string;
  ports: PortInterval[];
  /** The rules on its own side granting it. */
  rules: string[];
  /** Entries on the other side at the same or a narrower place that it extends, or that still keep part of it. */
  related: ReachEntry[];
}

/** Opened/widened reach (in `after`, not covered by `before`) and closed/narrowed reach (the reverse). */
export function accessDeltas(before: Reach, after: Reach): AccessDelta[] {
  const deltas: { kind: AccessDelta['kind']; entry: ReachEntry; ports: PortInterval[]; related: ReachEntry[] }[] = [];
  const compare = (from: Reach, to: Reach, grew: boolean): void => {
    const inside = coveredIndex(to, from);
    for (const entry of from.entries.values()) {
      let covered: PortInterval[] = [];
      for (const other of coverers(to, entry.direction, entry.protocol, entry.from, entry.to)) covered = union(covered, other.ports);
      const ports = subtract(entry.ports, covered);
      if (ports.length === 0) continue;
      // Reach that extends (or still keeps part of) reach on the other side at the same or a narrower place.
      const related = (inside.get(entryKey(entry.direction, entry.protocol, entry.from.key, entry.to.key)) ?? []).filter((other) => overlaps(other.ports, entry.ports));
      deltas.push({ kind: grew ? (related.length ? 'widened' : 'opened') : related.length ? 'narrowed' : 'closed', entry, ports, related });
    }
  };
  compare(after, before, true);
  compare(before, after, false);

  const grouped = new Map<string, { delta: (typeof deltas)[number]; protocols: Set<string>; rules: Set<string>; related: Set<ReachEntry> }>();
  for (const delta of deltas) {
    const { entry } = delta;
    const key = [delta.kind, entry.direction, entry.from.key, entry.to.key, portsText(delta.ports)].join('|');
    let group = grouped.get(key);
    if (!group) grouped.set(key, (group = { delta, protocols: new Set(), rules: new Set(), related: new Set() }));
    group.protocols.add(entry.protocol);
    for (const rule of entry.rules) group.rules.add(rule);
    for (const other of delta.related) group.related.add(other);
  }
  return [...grouped.values()].map(({ delta, protocols, rules, related }) => ({
    kind: delta.kind,
    entry: delta.entry,
    protocol: protocols.size === 2 ? 'tcp/udp' : [...protocols][0],
    ports: delta.ports,
    rules: [...rules],
    related: [...related],
  }));
}

function accessChanges(before: Reach, after: Reach, file: string): AccessChange[] {
  const changes: AccessChange[] = [];
  for (const delta of accessDeltas(before, after)) {
    const { entry, protocol } = delta;
    const rule = delta.rules.join(', ');
    const where = describeReach(entry, delta.ports, protocol.toUpperCase());
    const relatedList = [...new Set(delta.related.map((other) => describeReach(other, other.ports, other.protocol.toUpperCase())))];
    const shown = firstFew(relatedList, '; ', '; and ');
    let summary: string;
    switch (delta.kind) {
      case 'opened':
        summary = `Opens ${entry.direction} access ${where} (rule ${rule}).`;
        break;
      case 'widened':
        summary = `Widens ${entry.direction} access ${where} (rule ${rule}; before: ${shown}).`;
        break;
      case 'closed':
        summary = `Closes ${entry.direction} access ${where} (was rule ${rule}).`;
        break;
      case 'narrowed':
        summary = `Narrows ${entry.direction} access: ${where} is no longer allowed (was rule ${rule}; still allowed: ${shown}).`;
        break;
    }
    changes.push({
      kind: delta.kind,
      file,
      rule,
      summary,
      risk: 0,
      direction: entry.direction,
      from: entry.from.info,
      to: entry.to.info,
      protocol,
      ports: delta.ports,
      related: relatedList.length ? relatedList : undefined,
      breadth: entry.direction === 'inbound' ? entry.from.breadth : entry.to.breadth,
      portCount: portCount(delta.ports),
    });
  }
  return changes;
}

/**
 * Removed rules (paired with nothing in the head) whose every (from, to, protocol, port) the head still allows.
 * A removed rule that closes anything is named by that `closed` or `narrowed` change; these would be silent.
 */
function removedRuleChanges(removed: readonly AllowRule[], after: Reach, cache: PlaceCache, file: string): RemovedRuleChange[] {
  const changes: RemovedRuleChange[] = [];
  for (const rule of removed) {
    const carriers = new Set<string>();
    const remotes = new Set<string>();
    let stillAllowed = true;
    for (const entry of reachOfRules([rule], cache).entries.values()) {
      let covered: PortInterval[] = [];
      for (const other of coverers(after, entry.direction, entry.protocol, entry.from, entry.to)) {
        if (!overlaps(other.ports, entry.ports)) continue;
        covered = union(covered, other.ports);
        for (const name of other.rules) carriers.add(name);
      }
      if (subtract(entry.ports, covered).length) {
        stillAllowed = false;
        break;
      }
      remotes.add((rule.direction === 'inbound' ? entry.from : entry.to).info.label);
    }
    if (!stillAllowed) continue;
    const name = ruleLabel(rule);
    const reach = remotes.size
      ? ` (${rule.direction} ${rule.direction === 'inbound' ? 'from' : 'to'} ${firstFew([...remotes])})`
      : '';
    const by = [...carriers];
    const summary = by.length
      ? `Removes rule ${name}${reach}; nothing closes: its access is still allowed by ${by.length === 1 ? 'rule' : 'rules'} ${by.join(', ')}.`
      : `Removes rule ${name}, which allowed nothing.`;
    changes.push({ kind: 'removed', file, rule: name, summary, risk: 0, direction: rule.direction, stillAllowedBy: by });
  }
  return changes;
}

/** "from any to 10.0.0.20 on TCP 443", "to example.com on TCP 443" (outbound from this site). */
export function describeReach(entry: Pick<ReachEntry, 'direction' | 'from' | 'to'>, ports: PortInterval[], protocol: string): string {
  const from = entry.direction === 'outbound' && entry.from.key === 'site' ? '' : `from ${entry.from.info.label} `;
  const to = entry.direction === 'inbound' && entry.to.key === 'site' ? 'to this site' : `to ${entry.to.info.label}`;
  return `${from}${to} on ${protocol} ${portsText(ports)}`;
}

function headerNotes(before: AllowlistModel, after: AllowlistModel): string[] {
  const notes: string[] = [];
  const vendors = (model: AllowlistModel) => new Map(model.vendors.map((decl) => [decl.id, JSON.stringify(Object.entries(decl.options).map(([k, v]) => [k, v.value]).sort())]));
  const was = vendors(before);
  const now = vendors(after);
  for (const [id, options] of now) {
    if (!was.has(id)) notes.push(`vendor ${id} declared`);
    else if (was.get(id) !== options) notes.push(`options of vendor ${id} changed`);
  }
  for (const id of was.keys()) if (!now.has(id)) notes.push(`vendor ${id} no longer declared`);
  if (before.site?.value !== after.site?.value) notes.push(`site changed: ${before.site?.value ?? '(none)'} → ${after.site?.value ?? '(none)'}`);
  const protection = (model: AllowlistModel) =>
    JSON.stringify([model.endpointProtection?.products.map((p) => p.value).sort(), model.endpointProtection?.exclusions.map((e) => [e.path.value, e.products?.map((p) => p.value)]).sort()]);
  if (protection(before) !== protection(after)) notes.push('endpoint-protection changed');
  return notes;
}

// ---------------------------------------------------------------------------------------------
// Risk order.

const ACCESS_RISK: Record<AccessChange['kind'], Record<Direction, number>> = {
  // New reach, whether from a new rule or a grown one: broad remote sides first within each direction.
  opened: { inbound: 100, outbound: 70 },
  widened: { inbound: 100, outbound: 70 },
  closed: { inbound: 40, outbound: 35 },
  narrowed: { inbound: 38, outbound: 33 },
};

export function riskOf(change: Change): number {
  switch (change.kind) {
    case 'opened':
    case 'widened':
    case 'closed':
    case 'narrowed':
      return ACCESS_RISK[change.kind][change.direction];
    case 'removed':
      return 30;
    case 'requirement-unmet':
      return 80;
    case 'requirement-met':
      return 20;
    case 'expiry':
      return change.change === 'removed' ? 55 : change.change === 'later' ? 50 : 10;
    case 'metadata':
      return 5;
  }
}

/** Riskiest first; among access changes of the same risk, broad remote sides (then many ports) first. */
export function sortChanges(changes: Change[]): Change[] {
  const breadth = (change: Change): number => ('breadth' in change ? change.breadth : 0);
  const ports = (change: Change): number => ('portCount' in change ? change.portCount : 0);
  return changes.sort((a, b) => b.risk - a.risk || breadth(b) - breadth(a) || ports(b) - ports(a));
}

/** Whether a file's diff has anything to show: a change, or a finding introduced or resolved. An allowlist whose text
 * is the same on both sides has one only through the catalogs it uses. */
export function showsAnything(file: FileDiff): boolean {
  return file.changes.length > 0 || file.findings.introduced.length > 0 || file.findings.resolved.length > 0;
}

/** Combines per-file diffs into one report, riskiest first across files. */
export function combineDiffs(files: FileDiff[], base: string, head: string): DiffReport {
  const changes = sortChanges(files.flatMap((file) => file.changes).slice());
  const introduced = files.flatMap((file) => file.findings.introduced);
  const resolved = files.flatMap((file) => file.findings.resolved);
  const notes = files.flatMap((file) => file.notes.map((note) => (files.length > 1 ? `${file.file}: ${note}` : note)));
  return { base, head, files, changes, findings: { introduced, resolved }, noEffect: changes.length === 0 && files.every((file) => !file.unparsable), notes };
}
