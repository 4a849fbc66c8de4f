/** The fleet report (`allowlist report`, issue 14): the lint results of many allowlists as one data model (sites,
 * the site × vendor matrix, findings by rule and by site, inbound rules open to the internet, the calendar of
 * expiries), and its renderers: JSON, Markdown for a job summary, self-contained HTML. User docs: docs/report.md. */
export {
  buildReport,
  type CellStatus,
  DEFAULT_EXPIRY_DAYS,
  type Expiry,
  type FleetReport,
  type InboundOpen,
  type MatrixCell,
  type MatrixRow,
  REPORT_VERSION,
  type ReportFinding,
  type ReportInput,
  type ReportOptions,
  type RuleSummary,
  type SeverityCounts,
  type Site,
} from './model';
export { renderJson } from './json';
export { JOB_SUMMARY_LIMIT, type MarkdownOptions, renderMarkdown } from './markdown';
export { CHART_MAX_SITES, type HtmlOptions, pathHref, renderHtml } from './html';
