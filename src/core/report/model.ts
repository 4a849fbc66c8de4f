/** The fleet report's data model (issue 14): many allowlists, each linted as `allowlist lint` lints it, summed up
 * per site, per vendor, per rule and per date. Everything here is built in one pass over each file's rules and
 * findings. The JSON renderer writes this model as it is: its shape is documented in docs/report.md. */
import type { CatalogSet } from '../catalog';
import { type Finding, LineIndex, type Severity } from '../common';
import { describeRequirement } from '../diff';
import { opensToInternet, ruleById, vendorUses } from '../lint';
import { type AllowlistModel, type AllowRule, type Direction, absolute, formatPortRange } from '../parse';

/** Version of the report's JSON shape: bumped when a field changes meaning or goes away. */
export const REPORT_VERSION = 1;

/** How far ahead the calendar of expiries looks, in days. */
export const DEFAULT_EXPIRY_DAYS = 30;

/** One linted allowlist, as the CLI hands it over. */
export interface ReportInput {
  /** The file's path as the user sees it (relative to the working folder): sites link to it. */
  file: string;
  model: AllowlistModel;
  /** Its lint findings, after the config and ignore comments. */
  findings: Finding[];
  /** The catalogs it was linted with. */
  catalogs: CatalogSet;
}

export interface ReportOptions {
  /** YYYY-MM-DD: the day expiries are counted from. */
  today: string;
  /** Expiries within this many days are listed (default 30). */
  days?: number;
}

export interface SeverityCounts {
  errors: number;
  warnings: number;
  infos: number;
}

export interface ReportFinding {
  ruleId: string;
  severity: Severity;
  /** 1-based. */
  line: number;
  column: number;
  message: string;
}

export interface Site extends SeverityCounts {
  /** Its `site:`, else the file name without `.allowlist.yaml`. */
  name: string;
  file: string;
  /** Declared vendor ids, in the file's order. */
  vendors: string[];
  /** Number of findings by rule id. */
  findingsByRule: Record<string, number>;
  findings: ReportFinding[];
}

export type CellStatus = 'met' | 'unmet' | 'unknown' | 'not-used';

/** One site × vendor cell. `met`: declared, and no requirement rule reports anything; `unmet`: a requirement rule
 * (missing-endpoint, missing-ports, inbound-missing-source) reports something; `unknown`: declared, but no catalog
 * knows the vendor; `not-used`: not declared. */
export interface MatrixCell {
  vendor: string;
  status: CellStatus;
  /** The catalog's role texts of what is unmet, each once. */
  roles: string[];
  /** What is missing, one entry per requirement finding. */
  unmet: { ruleId: string; line: number; missing: string }[];
  /** The line to open: the first unmet requirement's, else the vendor's declaration (absent for `not-used`). */
  line?: number;
}

export interface MatrixRow {
  site: string;
  file: string;
  /** One cell per vendor of `vendors`, in that order. */
  cells: MatrixCell[];
}

export interface RuleSummary extends SeverityCounts {
  ruleId: string;
  total: number;
  /** Sites with findings of this rule, most findings first. */
  sites: { site: string; file: string; count: number }[];
}

export interface InboundOpen {
  site: string;
  file: string;
  line: number;
  rule: string;
  /** The source as written (`any`, `0.0.0.0/0`, `::/0`). */
  from: string;
  to: string[];
  ports: string;
}

export interface Expiry {
  date: string;
  /** Days from `today`: negative when expired, 0 today. */
  daysLeft: number;
  expired: boolean;
  site: string;
  file: string;
  line: number;
  rule: string;
  direction: Direction;
}

export interface FleetReport {
  reportVersion: number;
  today: string;
  days: number;
  totals: SeverityCounts & { sites: number; findings: number };
  /** The matrix's columns: every vendor some site declares, by id, with its catalog's name. */
  vendors: { id: string; name: string }[];
  sites: Site[];
  matrix: MatrixRow[];
  /** Rules with findings, most findings first. */
  rules: RuleSummary[];
  inboundOpen: InboundOpen[];
  /** Rules expired or expiring within `days`, soonest first. */
  expiries: Expiry[];
}

const DAY_MS = 86_400_000;

const ALLOWLIST_SUFFIX = /\.allowlist\.ya?ml$|\.ya?ml$/i;

function siteName(input: ReportInput): string {
  const declared = input.model.site?.value.trim();
  if (declared) return declared;
  return input.file.split('/').pop()!.replace(ALLOWLIST_SUFFIX, '');
}

function ruleName(rule: AllowRule): string {
  return rule.name?.value ?? `${rule.direction} rule ${rule.index + 1}`;
}

function countInto(counts: SeverityCounts, severity: Severity, by = 1): void {
  if (severity === 'error') counts.errors += by;
  else if (severity === 'warning') counts.warnings += by;
  else counts.infos += by;
}

/** Builds the fleet report of linted allowlists (files of another kind are left out). */
export function buildReport(inputs: ReportInput[], options: ReportOptions): FleetReport {
  const days = options.days ?? DEFAULT_EXPIRY_DAYS;
  const todayMs = Date.parse(options.today);
  const sites: Site[] = [];
  const rows: { site: Site; cells: Map<string, MatrixCell> }[] = [];
  const vendorNames = new Map<string, string>();
  const byRule = new Map<string, RuleSummary>();
  const inboundOpen: InboundOpen[] = [];
  const expiries: Expiry[] = [];
  const totals = { sites: 0, findings: 0, errors: 0, warnings: 0, infos: 0 };

  for (const input of inputs) {
    const { model } = input;
    if (model.kind !== 'allowlist') continue;
    const lines = new LineIndex(model.text);
    const lineOf = (offset: number): number => lines.positionAt(offset).line + 1;
    const name = siteName(input);
    const site: Site = { name, file: input.file, vendors: model.vendors.map((decl) => decl.id), errors: 0, warnings: 0, infos: 0, findingsByRule: {}, findings: [] };

    for (const finding of input.findings) {
      const at = lines.positionAt(finding.range.start);
      site.findings.push({ ruleId: finding.ruleId, severity: finding.severity, line: at.line + 1, column: at.character + 1, message: finding.message });
      site.findingsByRule[finding.ruleId] = (site.findingsByRule[finding.ruleId] ?? 0) + 1;
      countInto(site, finding.severity);
      let summary = byRule.get(finding.ruleId);
      if (!summary) byRule.set(finding.ruleId, (summary = { ruleId: finding.ruleId, total: 0, errors: 0, warnings: 0, infos: 0, sites: [] }));
      summary.total++;
      countInto(summary, finding.severity);
      const last = summary.sites[summary.sites.length - 1];
      if (last?.file === input.file) last.count++;
      else summary.sites.push({ site: name, file: input.file, count: 1 });
    }

    // The vendor matrix: declared vendors are met unless a requirement rule says otherwise.
    const cells = new Map<string, MatrixCell>();
    for (const [id, use] of vendorUses(model, input.catalogs)) {
      if (use.catalog) vendorNames.set(id, use.catalog.name);
      else if (!vendorNames.has(id)) vendorNames.set(id, id);
      cells.set(id, { vendor: id, status: use.catalog ? 'met' : 'unknown', roles: [], unmet: [], line: lineOf(use.decl.range.start) });
    }
    const side = { model, catalogs: input.catalogs };
    for (const finding of input.findings) {
      const requirement = describeRequirement(finding, side);
      const cell = requirement && cells.get(requirement.vendor);
      if (!cell) continue;
      if (cell.status !== 'unmet') cell.line = lineOf(finding.range.start);
      cell.status = 'unmet';
      for (const role of requirement.roles) if (!cell.roles.includes(role)) cell.roles.push(role);
      cell.unmet.push({ ruleId: finding.ruleId, line: lineOf(finding.range.start), missing: requirement.missing });
    }
    rows.push({ site, cells });

    for (const rule of model.inbound) {
      for (const address of rule.from?.addresses ?? []) {
        if (!opensToInternet(address)) continue;
        inboundOpen.push({
          site: name,
          file: input.file,
          line: lineOf(absolute(rule, address.range).start),
          rule: ruleName(rule),
          from: address.text.trim(),
          to: rule.to?.addresses.map((to) => to.text.trim()) ?? [],
          ports: rule.ports?.any ? 'any' : (rule.ports?.spans.map(formatPortRange).join(', ') ?? ''),
        });
      }
    }

    for (const rule of [...model.outbound, ...model.inbound]) {
      const date = rule.expires?.date;
      if (!date) continue;
      const daysLeft = Math.round((Date.parse(date) - todayMs) / DAY_MS);
      if (daysLeft > days) continue;
      expiries.push({ date, daysLeft, expired: daysLeft < 0, site: name, file: input.file, line: lineOf(absolute(rule, rule.expires!.range).start), rule: ruleName(rule), direction: rule.direction });
    }

    sites.push(site);
    totals.sites++;
    totals.findings += site.findings.length;
    totals.errors += site.errors;
    totals.warnings += site.warnings;
    totals.infos += site.infos;
  }

  const vendors = [...vendorNames].map(([id, name]) => ({ id, name })).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const matrix = rows.map(({ site, cells }) => ({
    site: site.name,
    file: site.file,
    cells: vendors.map((vendor) => cells.get(vendor.id) ?? { vendor: vendor.id, status: 'not-used' as const, roles: [], unmet: [] }),
  }));
  const rules = [...byRule.values()].sort((a, b) => b.total - a.total || rulePosition(a.ruleId) - rulePosition(b.ruleId));
  for (const summary of rules) summary.sites.sort((a, b) => b.count - a.count);
  expiries.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  return { reportVersion: REPORT_VERSION, today: options.today, days, totals, vendors, sites, matrix, rules, inboundOpen, expiries };
}

const RULE_ORDER = [...ruleById.keys()];

/** Where a rule stands in the docs' order (ties in counts keep that order; unknown ids last). */
function rulePosition(ruleId: string): number {
  const at = RULE_ORDER.indexOf(ruleId);
  return at === -1 ? RULE_ORDER.length : at;
}
