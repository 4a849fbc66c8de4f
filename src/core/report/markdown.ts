/** The report as Markdown, sized for a GitHub job summary: counts, the vendor matrix, inbound rules open to the
 * internet, the calendar of expiries and findings by rule and by site. Text from the files is escaped (it is
 * untrusted: a site name must not add a link or break a table); past `maxBytes` the report is cut at a line, with a
 * note that says so. */
import { codeSpan, escapeMarkdown } from '../common';
import { plural } from '../common';
import type { FleetReport, MatrixCell } from './model';

/** GitHub's limit on the job summary a step writes: 1 MiB. */
export const JOB_SUMMARY_LIMIT = 1024 * 1024;

export interface MarkdownOptions {
  /** The longest the text may be, in UTF-8 bytes (default JOB_SUMMARY_LIMIT). */
  maxBytes?: number;
}

const CELL_MARK: Record<MatrixCell['status'], string> = { met: '✅ met', unmet: '❌ unmet', unknown: '❓ unknown vendor', 'not-used': '—' };

/** A code span that stays in its table cell: GitHub ends a cell at a `|` even inside a code span, unless escaped. */
function code(text: string): string {
  return codeSpan(text).replace(/\|/g, '\\|');
}

function where(file: string, line: number): string {
  return code(`${file}:${line}`);
}

function cellText(cell: MatrixCell): string {
  if (cell.status !== 'unmet') return CELL_MARK[cell.status];
  return `${CELL_MARK.unmet}: ${cell.roles.map((role) => `"${escapeMarkdown(role)}"`).join(', ') || escapeMarkdown(cell.unmet[0]?.missing ?? '')}`;
}

function row(cells: string[]): string {
  return `| ${cells.join(' | ')} |`;
}

function table(header: string[], rows: string[][]): string[] {
  return [row(header), row(header.map(() => '---')), ...rows.map(row)];
}

export function renderMarkdown(report: FleetReport, options: MarkdownOptions = {}): string {
  const { totals } = report;
  const unmetSites = report.matrix.filter((entry) => entry.cells.some((cell) => cell.status === 'unmet')).length;
  const openSites = new Set(report.inboundOpen.map((open) => open.file)).size;
  const lines: string[] = [
    '### Allowlist fleet report',
    '',
    `**${plural(totals.sites, 'site')}: ${plural(totals.errors, 'error')}, ${plural(totals.warnings, 'warning')}, ${plural(totals.infos, 'info')}**`,
    '',
    `- ${plural(unmetSites, 'site')} with unmet vendor requirements`,
    `- ${plural(openSites, 'site')} with inbound rules open to the internet`,
    `- ${plural(report.expiries.length, 'rule')} expired or expiring within ${plural(report.days, 'day')} of ${report.today}`,
    '',
  ];

  if (report.vendors.length > 0) {
    lines.push('#### Vendors', '');
    lines.push(
      ...table(
        ['Site', ...report.vendors.map((vendor) => escapeMarkdown(vendor.name))],
        report.matrix.map((entry) => [`${escapeMarkdown(entry.site)} (${code(entry.file)})`, ...entry.cells.map(cellText)]),
      ),
      '',
    );
  }

  if (report.inboundOpen.length > 0) {
    lines.push('#### Inbound rules open to the internet', '');
    lines.push(
      ...table(
        ['Site', 'Rule', 'From', 'To', 'Ports', 'Where'],
        report.inboundOpen.map((open) => [escapeMarkdown(open.site), escapeMarkdown(open.rule), code(open.from), escapeMarkdown(open.to.join(', ')), escapeMarkdown(open.ports), where(open.file, open.line)]),
      ),
      '',
    );
  }

  if (report.expiries.length > 0) {
    lines.push(`#### Expiries (expired, or within ${plural(report.days, 'day')} of ${report.today})`, '');
    lines.push(
      ...table(
        ['Date', 'When', 'Site', 'Rule', 'Where'],
        report.expiries.map((expiry) => [
          expiry.date,
          expiry.expired ? `⛔ expired ${plural(-expiry.daysLeft, 'day')} ago` : expiry.daysLeft === 0 ? '⏰ today' : `⏳ in ${plural(expiry.daysLeft, 'day')}`,
          escapeMarkdown(expiry.site),
          `${escapeMarkdown(expiry.rule)} (${expiry.direction})`,
          where(expiry.file, expiry.line),
        ]),
      ),
      '',
    );
  }

  if (report.rules.length > 0) {
    lines.push('#### Findings by rule', '');
    lines.push(
      ...table(
        ['Rule', 'Errors', 'Warnings', 'Infos', 'Sites'],
        report.rules.map((rule) => [code(rule.ruleId), `${rule.errors}`, `${rule.warnings}`, `${rule.infos}`, rule.sites.map((site) => `${escapeMarkdown(site.site)} (${site.count})`).join(', ')]),
      ),
      '',
    );
  }

  lines.push('#### Findings by site', '');
  lines.push(
    ...table(
      ['Site', 'File', 'Errors', 'Warnings', 'Infos', 'Rules'],
      report.sites.map((site) => [
        escapeMarkdown(site.name),
        code(site.file),
        `${site.errors}`,
        `${site.warnings}`,
        `${site.infos}`,
        Object.entries(site.findingsByRule)
          .map(([ruleId, count]) => `${code(ruleId)} ${count}`)
          .join(', ') || '—',
      ]),
    ),
    '',
  );
  return fitted(lines, options.maxBytes ?? JOB_SUMMARY_LIMIT);
}

/** The lines joined, cut at the last whole line that leaves room for a note when they are longer than `maxBytes`. */
function fitted(lines: string[], maxBytes: number): string {
  const text = `${lines.join('\n')}\n`;
  if (Buffer.byteLength(text) <= maxBytes) return text;
  const note = (shown: number) =>
    `\n> ✂️ **Truncated**: the report is longer than the ${Math.floor(maxBytes / 1024)} KiB a job summary may hold; ${shown} of ${lines.length} lines shown. ` +
    'The HTML and JSON formats (`allowlist report --format html|json`) have all of it.\n';
  const budget = maxBytes - Buffer.byteLength(note(lines.length));
  let used = 0;
  let shown = 0;
  for (; shown < lines.length; shown++) {
    const size = Buffer.byteLength(lines[shown]) + 1;
    if (used + size > budget) break;
    used += size;
  }
  return `${lines.slice(0, shown).join('\n')}\n${note(shown)}`;
}
