/** What the Sites view says of each site of a fleet report: its state, a one-line description and a tooltip. Plain
 * functions of core/report's model (no `vscode`), so the words are unit-tested. */
import { plural } from '../../core/common';
import type { Expiry, FleetReport, MatrixCell } from '../../core/report';

export type SiteState = 'error' | 'warning' | 'ok';

export interface SiteSummary {
  name: string;
  /** The report's path of the file (relative to its workspace folder). */
  file: string;
  state: SiteState;
  /** One line: finding counts, vendors met of declared, the next expiry. */
  description: string;
  /** Plain text, several lines: every count, each vendor (unmet roles in the vendor's words), the expiries. */
  tooltip: string;
  /** 1-based line of the first finding, when there are findings. */
  line?: number;
}

/** The words of an expiry relative to the report's day. */
function whenExpires(expiry: Expiry): string {
  if (expiry.expired) return `expired ${expiry.date}`;
  return expiry.daysLeft === 0 ? 'expires today' : `expires ${expiry.date}`;
}

function cellText(cell: MatrixCell, vendorName: string): string {
  if (cell.status === 'met') return `✓ ${vendorName}: met`;
  if (cell.status === 'unknown') return `? ${vendorName}: no catalog knows this vendor`;
  const roles = cell.roles.length > 0 ? cell.roles.join('; ') : cell.unmet.map((unmet) => unmet.missing).join('; ');
  return `✗ ${vendorName}: unmet: ${roles}`;
}

/** One summary per site, in the report's order. Linear in the report's size: the expiries and matrix are indexed by
 * file once. */
export function summarizeSites(report: FleetReport): SiteSummary[] {
  const vendorNames = new Map(report.vendors.map((vendor) => [vendor.id, vendor.name]));
  const rows = new Map(report.matrix.map((row) => [row.file, row]));
  const expiriesOf = new Map<string, Expiry[]>();
  for (const expiry of report.expiries) {
    const list = expiriesOf.get(expiry.file);
    if (list) list.push(expiry);
    else expiriesOf.set(expiry.file, [expiry]);
  }

  return report.sites.map((site) => {
    const declared = (rows.get(site.file)?.cells ?? []).filter((cell) => cell.status !== 'not-used');
    const met = declared.filter((cell) => cell.status === 'met').length;
    const expiries = expiriesOf.get(site.file) ?? []; // soonest first, as the report sorts them
    const counts = [site.errors > 0 && plural(site.errors, 'error'), site.warnings > 0 && plural(site.warnings, 'warning')].filter(Boolean);

    const description = [
      counts.length > 0 ? counts.join(', ') : 'no problems',
      declared.length > 0 && `${met}/${declared.length} vendors met`,
      expiries.length > 0 && whenExpires(expiries[0]),
    ].filter(Boolean).join(' · ');

    const tooltip = [
      `${site.name} — ${site.file}`,
      `${plural(site.errors, 'error')}, ${plural(site.warnings, 'warning')}, ${plural(site.infos, 'info')}`,
      ...(declared.length > 0 ? ['', 'Vendors:', ...declared.map((cell) => cellText(cell, vendorNames.get(cell.vendor) ?? cell.vendor))] : []),
      ...(expiries.length > 0
        ? ['', `Expired or expiring within ${plural(report.days, 'day')}:`, ...expiries.map((expiry) => `${expiry.rule} (${expiry.direction}): ${whenExpires(expiry)}`)]
        : []),
    ].join('\n');

    const line = site.findings.reduce<number | undefined>((first, finding) => (first === undefined || finding.line < first ? finding.line : first), undefined);
    const state: SiteState = site.errors > 0 ? 'error' : site.warnings > 0 ? 'warning' : 'ok';
    return { name: site.name, file: site.file, state, description, tooltip, line };
  });
}
