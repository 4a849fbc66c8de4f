/** The report as one self-contained HTML page: inline CSS, an inline SVG chart, no script, no font, no request to
 * anywhere (a Content-Security-Policy says so to the browser too), so that it opens the same from a CI artifact, an
 * e-mail or a phone. Every string from the files is escaped: allowlists are untrusted. Links to the files are
 * relative (`hrefOf`), with `#L<line>` as GitHub and most viewers read it. */
import { visible } from '../common';
import { plural } from '../common';
import type { FleetReport, MatrixCell, Site } from './model';

export interface HtmlOptions {
  /** The link to a file of the report, at a line when given (default: `pathHref(file, line)`). */
  hrefOf?: (file: string, line: number | undefined) => string;
  /** For a host whose Content-Security-Policy allows no inline style (VS Code's webview): the page's one style
   * element carries this nonce, and the policy allows styles with it only. */
  styleNonce?: string;
}

/** At most this many sites get a bar in the chart (those with the most errors); the tables list them all. */
export const CHART_MAX_SITES = 50;

const HTML_SPECIAL: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text for HTML content or a quoted attribute: invisible and control characters shown as escapes, markup escaped. */
function escapeHtml(text: string): string {
  return visible(text).replace(/[&<>"']/g, (ch) => HTML_SPECIAL[ch]);
}

/** A relative URL for a path: each segment percent-encoded, so that no segment can be read as a scheme
 * (`javascript:` becomes `javascript%3A`) or end the attribute; `#L<line>` when a line is given. */
export function pathHref(file: string, line?: number): string {
  return file.split('/').map(encodeURIComponent).join('/') + (line === undefined ? '' : `#L${line}`);
}

const COLORS = { error: '#c62828', warning: '#b7791f', info: '#1565c0' };

const STYLE = `
:root { color-scheme: light; --met: #e3f4e6; --met-ink: #1b5e20; --unmet: #fde2e1; --unmet-ink: #b71c1c; --unknown: #fff4d6; --unknown-ink: #7a5300; --unused: #f2f3f5; --unused-ink: #6b7280; }
* { box-sizing: border-box; }
body { margin: 0; padding: 1rem; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1f2328; background: #fff; }
main { max-width: 80rem; margin: 0 auto; }
h1 { font-size: 1.5rem; margin: 0 0 .25rem; }
h2 { font-size: 1.15rem; margin: 2rem 0 .5rem; border-bottom: 1px solid #d0d7de; padding-bottom: .25rem; }
.meta { color: #57606a; margin: 0 0 1rem; }
.totals { display: flex; flex-wrap: wrap; gap: .5rem; margin: 0; padding: 0; list-style: none; }
.totals li { border: 1px solid #d0d7de; border-radius: 6px; padding: .4rem .75rem; background: #f6f8fa; }
.totals b { font-size: 1.2rem; display: block; }
.scroll { overflow-x: auto; -webkit-overflow-scrolling: touch; border: 1px solid #d0d7de; border-radius: 6px; }
table { border-collapse: collapse; width: 100%; }
th, td { padding: .35rem .6rem; border-bottom: 1px solid #eaeef2; text-align: left; vertical-align: top; }
thead th { background: #f6f8fa; position: sticky; top: 0; white-space: nowrap; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
table.matrix { width: auto; }
.scroll.fit { display: inline-block; max-width: 100%; vertical-align: top; }
.matrix th[scope=row] { position: sticky; left: 0; background: #fff; min-width: 10rem; max-width: 16rem; overflow-wrap: anywhere; z-index: 1; box-shadow: 1px 0 0 #d0d7de; }
.matrix td.cell { min-width: 8rem; max-width: 20rem; }
.matrix td.cell a { color: inherit; text-decoration: none; font-weight: 600; display: block; }
.matrix td.cell a:hover, .matrix td.cell a:focus { text-decoration: underline; }
td.met { background: var(--met); color: var(--met-ink); }
td.unmet { background: var(--unmet); color: var(--unmet-ink); }
td.unknown { background: var(--unknown); color: var(--unknown-ink); }
td.not-used { background: var(--unused); color: var(--unused-ink); }
.roles { margin: .2rem 0 0; padding-left: 1.1rem; font-size: .85rem; font-weight: 400; }
.file { color: #57606a; font-size: .8rem; font-weight: 400; display: block; word-break: break-all; }
td code { white-space: nowrap; }
.legend { display: flex; flex-wrap: wrap; gap: .75rem; font-size: .85rem; margin: .5rem 0; }
.swatch { display: inline-block; width: .9rem; height: .9rem; border-radius: 2px; vertical-align: -2px; margin-right: .25rem; border: 1px solid #d0d7de; }
.swatch.met { background: var(--met); } .swatch.unmet { background: var(--unmet); } .swatch.unknown { background: var(--unknown); } .swatch.not-used { background: var(--unused); }
.swatch.error { background: ${COLORS.error}; } .swatch.warning { background: ${COLORS.warning}; } .swatch.info { background: ${COLORS.info}; }
.chart svg { display: block; width: 100%; max-width: 34rem; height: auto; }
.chart text { font: 11px system-ui, sans-serif; fill: #1f2328; }
.chart text.count { font-weight: 600; }
.sev-error { color: ${COLORS.error}; } .sev-warning { color: ${COLORS.warning}; } .sev-info { color: ${COLORS.info}; }
details { border-bottom: 1px solid #eaeef2; padding: .3rem 0; }
summary { cursor: pointer; }
details ul { margin: .3rem 0; padding-left: 1.2rem; }
code { font: .85em ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; background: #f6f8fa; padding: 0 .2em; border-radius: 3px; }
.note { color: #57606a; font-size: .85rem; }
@media (max-width: 40rem) { body { padding: .5rem; font-size: 14px; } .matrix th[scope=row] { min-width: 7rem; max-width: 9rem; } .matrix .file { display: none; } }
`;

const CELL_LABEL: Record<MatrixCell['status'], string> = { met: '✓ met', unmet: '✗ unmet', unknown: '? unknown vendor', 'not-used': '–' };

export function renderHtml(report: FleetReport, options: HtmlOptions = {}): string {
  const hrefOf = options.hrefOf ?? pathHref;
  const link = (file: string, line: number | undefined, label: string): string => `<a href="${escapeHtml(hrefOf(file, line))}">${label}</a>`;
  // Styles only in the style element: no style attribute, so that a nonce policy (which forbids them) loses nothing.
  const nonce = options.styleNonce?.replace(/[^A-Za-z0-9+/=_-]/g, '');
  const styleSource = nonce === undefined ? "'unsafe-inline'" : `'nonce-${nonce}'`;
  const title = 'Allowlist fleet report';
  const { totals } = report;
  const parts: string[] = [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src ${styleSource}">`,
    `<title>${title}</title>`,
    `<style${nonce === undefined ? '' : ` nonce="${nonce}"`}>${STYLE}</style>`,
    '</head>',
    '<body>',
    '<main>',
    `<h1>${title}</h1>`,
    `<p class="meta">As of ${escapeHtml(report.today)}; expiries within ${plural(report.days, 'day')}.</p>`,
    '<ul class="totals">',
    `<li><b>${totals.sites}</b>${totals.sites === 1 ? 'site' : 'sites'}</li>`,
    `<li class="sev-error"><b>${totals.errors}</b>${totals.errors === 1 ? 'error' : 'errors'}</li>`,
    `<li class="sev-warning"><b>${totals.warnings}</b>${totals.warnings === 1 ? 'warning' : 'warnings'}</li>`,
    `<li class="sev-info"><b>${totals.infos}</b>info</li>`,
    `<li><b>${new Set(report.inboundOpen.map((open) => open.file)).size}</b>open to the internet</li>`,
    `<li><b>${report.expiries.length}</b>expired or expiring</li>`,
    '</ul>',
  ];

  parts.push('<section id="chart"><h2>Findings by severity per site</h2>', chart(report.sites), '</section>');

  parts.push('<section id="vendors"><h2>Vendors</h2>');
  if (report.vendors.length === 0) parts.push('<p class="note">No site declares a vendor.</p>');
  else {
    parts.push(
      '<div class="legend">',
      '<span><span class="swatch met"></span>met</span>',
      '<span><span class="swatch unmet"></span>unmet (the roles, in the vendor\'s words)</span>',
      '<span><span class="swatch unknown"></span>no catalog knows the vendor</span>',
      '<span><span class="swatch not-used"></span>not used</span>',
      '</div>',
      '<div class="scroll fit"><table class="matrix">',
      `<thead><tr><th scope="col">Site</th>${report.vendors.map((vendor) => `<th scope="col" title="${escapeHtml(vendor.id)}">${escapeHtml(vendor.name)}</th>`).join('')}</tr></thead>`,
      '<tbody>',
    );
    for (const entry of report.matrix) {
      const cells = entry.cells.map((cell) => {
        const roles = cell.roles.length ? `<ul class="roles">${cell.roles.map((role) => `<li>${escapeHtml(role)}</li>`).join('')}</ul>` : '';
        const hint = cell.unmet.map((unmet) => unmet.missing).join('; ');
        return `<td class="cell ${cell.status}" data-vendor="${escapeHtml(cell.vendor)}"${hint ? ` title="${escapeHtml(hint)}"` : ''}>${link(entry.file, cell.line, CELL_LABEL[cell.status])}${roles}</td>`;
      });
      parts.push(`<tr><th scope="row">${link(entry.file, undefined, escapeHtml(entry.site))}<span class="file">${escapeHtml(entry.file)}</span></th>${cells.join('')}</tr>`);
    }
    parts.push('</tbody></table></div>');
  }
  parts.push('</section>');

  parts.push('<section id="inbound-open"><h2>Inbound rules open to the internet</h2>');
  if (report.inboundOpen.length === 0) parts.push('<p class="note">None: no inbound rule admits <code>any</code> or a /0.</p>');
  else {
    parts.push('<div class="scroll"><table><thead><tr><th>Site</th><th>Rule</th><th>From</th><th>To</th><th>Ports</th></tr></thead><tbody>');
    for (const open of report.inboundOpen) {
      parts.push(
        `<tr><td>${escapeHtml(open.site)}</td><td>${link(open.file, open.line, escapeHtml(open.rule))}</td><td><code>${escapeHtml(open.from)}</code></td><td>${escapeHtml(open.to.join(', '))}</td><td>${escapeHtml(open.ports)}</td></tr>`,
      );
    }
    parts.push('</tbody></table></div>');
  }
  parts.push('</section>');

  parts.push(`<section id="expiries"><h2>Expiries</h2><p class="note">Rules expired, or expiring within ${plural(report.days, 'day')} of ${escapeHtml(report.today)}, soonest first.</p>`);
  if (report.expiries.length > 0) {
    parts.push('<div class="scroll"><table><thead><tr><th>Date</th><th>When</th><th>Site</th><th>Rule</th></tr></thead><tbody>');
    for (const expiry of report.expiries) {
      const when = expiry.expired ? `<span class="sev-error">expired ${plural(-expiry.daysLeft, 'day')} ago</span>` : expiry.daysLeft === 0 ? '<span class="sev-warning">today</span>' : `in ${plural(expiry.daysLeft, 'day')}`;
      parts.push(`<tr><td>${escapeHtml(expiry.date)}</td><td>${when}</td><td>${escapeHtml(expiry.site)}</td><td>${link(expiry.file, expiry.line, escapeHtml(expiry.rule))} (${expiry.direction})</td></tr>`);
    }
    parts.push('</tbody></table></div>');
  }
  parts.push('</section>');

  parts.push('<section id="rules"><h2>Findings by rule</h2>');
  if (report.rules.length === 0) parts.push('<p class="note">No findings.</p>');
  else {
    parts.push('<div class="scroll"><table><thead><tr><th>Rule</th><th>Errors</th><th>Warnings</th><th>Infos</th><th>Sites</th></tr></thead><tbody>');
    for (const rule of report.rules) {
      const sites = rule.sites.map((site) => `${link(site.file, undefined, escapeHtml(site.site))} (${site.count})`).join(', ');
      parts.push(`<tr><td><code>${escapeHtml(rule.ruleId)}</code></td><td class="num">${rule.errors}</td><td class="num">${rule.warnings}</td><td class="num">${rule.infos}</td><td>${sites}</td></tr>`);
    }
    parts.push('</tbody></table></div>');
  }
  parts.push('</section>');

  parts.push('<section id="sites"><h2>Findings by site</h2>');
  for (const site of report.sites) {
    const counts = `${plural(site.errors, 'error')}, ${plural(site.warnings, 'warning')}, ${plural(site.infos, 'info')}`;
    parts.push(`<details><summary>${escapeHtml(site.name)} <span class="file">${escapeHtml(site.file)} — ${counts}</span></summary>`);
    if (site.findings.length > 0) {
      parts.push('<ul>');
      for (const finding of site.findings) {
        parts.push(
          `<li><span class="sev-${finding.severity}">${finding.severity}</span> ${link(site.file, finding.line, `${escapeHtml(site.file)}:${finding.line}`)} ${escapeHtml(finding.message)} <code>${escapeHtml(finding.ruleId)}</code></li>`,
        );
      }
      parts.push('</ul>');
    }
    parts.push('</details>');
  }
  parts.push('</section>', '</main>', '</body>', '</html>', '');
  return parts.join('\n');
}

const ROW_HEIGHT = 34;
const BAR_HEIGHT = 14;
/** Narrow, with each site's name above its bar, so that the chart stays legible when a phone scales it down. */
const CHART_WIDTH = 400;
const BAR_WIDTH = 340;
const LABEL_CHARS = 60;

/** A horizontal stacked bar per site (errors, warnings, infos), under its name, the sites with the most errors (then
 * warnings, infos) first. */
function chart(sites: Site[]): string {
  const shown = [...sites].sort((a, b) => b.errors - a.errors || b.warnings - a.warnings || b.infos - a.infos).slice(0, CHART_MAX_SITES);
  const largest = Math.max(1, ...shown.map((site) => site.errors + site.warnings + site.infos));
  const height = shown.length * ROW_HEIGHT + 4;
  const groups = shown.map((site, index) => {
    const top = index * ROW_HEIGHT + 2;
    const barTop = top + 15;
    let x = 0;
    const bars = (['error', 'warning', 'info'] as const).flatMap((severity) => {
      const count = severity === 'error' ? site.errors : severity === 'warning' ? site.warnings : site.infos;
      if (count === 0) return [];
      const width = (count / largest) * BAR_WIDTH;
      const bar = `<rect class="${severity}" x="${x.toFixed(1)}" y="${barTop}" width="${width.toFixed(1)}" height="${BAR_HEIGHT}" fill="${COLORS[severity]}"/>`;
      x += width;
      return [bar];
    });
    const characters = Array.from(site.name);
    const label = characters.length > LABEL_CHARS ? `${characters.slice(0, LABEL_CHARS - 1).join('')}…` : site.name;
    const total = site.errors + site.warnings + site.infos;
    return (
      `<g class="site">` +
      `<title>${escapeHtml(site.name)}: ${plural(site.errors, 'error')}, ${plural(site.warnings, 'warning')}, ${plural(site.infos, 'info')}</title>` +
      `<text x="0" y="${top + 11}">${escapeHtml(label)}</text>${bars.join('')}` +
      `<text class="count" x="${(x + 4).toFixed(1)}" y="${barTop + 11}">${total}</text></g>`
    );
  });
  const legend = (['error', 'warning', 'info'] as const).map((severity) => `<span><span class="swatch ${severity}"></span>${severity}s</span>`).join('');
  const note = sites.length > shown.length ? `<p class="note">The ${shown.length} sites of ${sites.length} with the most errors; the tables below list them all.</p>` : '';
  return (
    `<div class="legend">${legend}</div>${note}<div class="chart">` +
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${CHART_WIDTH} ${height}" role="img" aria-label="Findings by severity per site">${groups.join('')}</svg></div>`
  );
}
