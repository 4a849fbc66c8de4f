/** `allowlist report [paths…]`: the fleet view of many allowlists (one per customer site), linted as `lint` lints
 * them (same discovery, catalogs and config), as Markdown, HTML or JSON. */
import { dirname, extname, relative, resolve } from 'node:path';
import { plural, visible, visibleLines } from '../core/common';
import { ioMessage } from '../core/files';
import { discoverFiles, type DiscoveredFile, todayUtc } from '../core/lint';
import { emptyAllowlistModel } from '../core/parse';
import { buildReport, DEFAULT_EXPIRY_DAYS, pathHref, renderHtml, renderJson, renderMarkdown, type ReportInput } from '../core/report';
import { CliError, displayPath, EXIT_OK, EXIT_USAGE, loadConfig, parseCommandArgs } from './common';
import type { CliIO } from './io';
import { type FileLint, isValidDate, lintDiscovery, lintFile } from './lint';
import { lintFileOutcome } from './lint-files';
import { writeReportFile, writesOverInput } from './write-file';

const REPORT_FORMATS = ['markdown', 'html', 'json'] as const;
type ReportFormat = (typeof REPORT_FORMATS)[number];

/** The format an --out file's extension asks for, when --format is not given. */
const FORMAT_OF_EXTENSION: Record<string, ReportFormat> = { '.html': 'html', '.htm': 'html', '.json': 'json', '.md': 'markdown', '.markdown': 'markdown' };

export const REPORT_USAGE = `Usage: allowlist report [options] [paths...]

The fleet view of many allowlists, one per customer site: the site x vendor matrix (requirements met, unmet
with the vendor's roles, or vendor not used), findings by rule and by site, inbound rules open to the internet,
and the rules expired or expiring soon, soonest first. Paths and discovery are lint's (default: the current
folder), with the same catalogs and config. Details: docs/report.md.

Options:
  --format FORMAT         markdown (the default: on standard output, sized for a GitHub job summary),
                          html (one self-contained page) or json; with --out and no --format, the file's
                          extension decides (.html, .json, .md)
  -o, --out FILE          write the report to FILE, creating its folder (default, or -: standard output)
  --today YYYY-MM-DD      the day expiries are counted from (default: today, UTC)
  --days N                list the rules that expire within N days (default ${DEFAULT_EXPIRY_DAYS}), and those expired
  --catalog PATH          a catalog file or folder of *.catalog.yaml to load (repeatable)
  --config PATH           the config file (default: the nearest .allowlistrc.yaml above the current folder)
  --no-builtin-catalogs   do not load the catalogs that ship with allowlist
  -h, --help              show this help

Exit status: 0 the report was written (findings do not fail a report: use lint for that); 2 a usage,
config, catalog or file error, or no allowlists found.`;

interface ReportArgs {
  paths: string[];
  format: ReportFormat;
  out?: string;
  today: string;
  days: number;
  catalogPaths: string[];
  configPath?: string;
  builtins: boolean;
}

function parseReportArgs(argv: string[]): ReportArgs | 'help' {
  const { values, positionals } = parseCommandArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      format: { type: 'string', short: 'f' },
      out: { type: 'string', short: 'o' },
      today: { type: 'string' },
      days: { type: 'string' },
      catalog: { type: 'string', multiple: true },
      config: { type: 'string', short: 'c' },
      'no-builtin-catalogs': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return 'help';
  if (values.out === '') throw new CliError('--out needs a file name', true);
  const format = values.format ?? (values.out !== undefined ? FORMAT_OF_EXTENSION[extname(values.out).toLowerCase()] : undefined) ?? 'markdown';
  if (!(REPORT_FORMATS as readonly string[]).includes(format)) throw new CliError(`unknown --format "${visible(format)}"; expected ${REPORT_FORMATS.join(', ')}`, true);
  if (values.today !== undefined && !isValidDate(values.today)) throw new CliError(`--today must be a date as YYYY-MM-DD, not "${visible(values.today)}"`, true);
  let days = DEFAULT_EXPIRY_DAYS;
  if (values.days !== undefined) {
    if (!/^\d{1,4}$/.test(values.days)) throw new CliError(`--days must be a whole number of days from 0 to 9999, not "${visible(values.days)}"`, true);
    days = Number(values.days);
  }
  return {
    paths: positionals,
    format: format as ReportFormat,
    // `-o -` is standard output, as for init and import.
    out: values.out === '-' ? undefined : values.out,
    today: values.today ?? todayUtc(),
    days,
    catalogPaths: values.catalog ?? [],
    configPath: values.config,
    builtins: !values['no-builtin-catalogs'],
  };
}

export async function reportCommand(argv: string[], io: CliIO): Promise<number> {
  const args = parseReportArgs(argv);
  if (args === 'help') {
    io.stdout(`${REPORT_USAGE}\n`);
    return EXIT_OK;
  }
  const config = loadConfig(io, args.configPath);
  const discovery = await discoverFiles(args.paths, io.cwd);
  if (discovery.missing.length > 0) throw new CliError(discovery.missing.map((entry) => `${entry.path}: ${entry.reason}`).join('\n'));
  const noneFound = `no allowlists found under ${args.paths.length > 0 ? args.paths.join(', ') : 'the current folder'} (files named *.allowlist.yaml, or YAML with a top-level \`allowlist: 1\`)`;
  if (discovery.files.length === 0) throw new CliError(noneFound);
  for (const { path, reason } of discovery.skipped) io.stderr(`allowlist: warning: folder ${displayPath(io, path)} ${reason}\n`);
  // A slip (`--out site.allowlist.yaml`) must not overwrite what is reported on.
  if (args.out !== undefined && writesOverInput(resolve(io.cwd, args.out), discovery.files.map((file) => file.path))) throw new CliError(`--out ${args.out} would overwrite a file being reported on`, true);

  let status = EXIT_OK;
  const inputs = new Map<DiscoveredFile, ReportInput>();
  // Each site read and linted as lint reads and lints it (lintFileOutcome); its model is kept for the report.
  const lintOne = async (file: DiscoveredFile, catalogs: ReportInput['catalogs'] | undefined): Promise<FileLint | undefined> => {
    const shown = displayPath(io, file.path);
    let linted: FileLint | undefined;
    const outcome = lintFileOutcome(file, { path: shown, uri: shown }, (_, text) => (linted = lintFile(file, text, { catalogs, config, today: args.today })).findings);
    if ('error' in outcome) {
      io.stderr(`allowlist: error: ${visibleLines(outcome.error)}\n`);
      status = EXIT_USAGE;
      return undefined;
    }
    const { findings } = outcome.report;
    // A file that is not text still stands for its site, with the finding that says so.
    const model = linted?.model ?? emptyAllowlistModel();
    if (catalogs) inputs.set(file, { file: shown, model, findings, catalogs });
    return linted;
  };
  const nearPaths = args.paths.length > 0 ? args.paths.map((path) => resolve(io.cwd, path)) : [io.cwd];
  await lintDiscovery(io, discovery, { nearPaths, config, catalogPaths: args.catalogPaths, builtins: args.builtins }, lintOne);

  const report = buildReport(
    discovery.files.flatMap((file) => inputs.get(file) ?? []),
    { today: args.today, days: args.days },
  );
  // Only catalogs, or only files that could not be read: there is nothing to report on.
  if (report.totals.sites === 0) throw new CliError(noneFound);
  const out = args.out === undefined ? undefined : resolve(io.cwd, args.out);
  // Links from the page to the files, relative to where the page is written, so that it works from a CI artifact.
  const absoluteOf = new Map(discovery.files.map((file) => [displayPath(io, file.path), file.path]));
  const linkFolder = out ? dirname(out) : io.cwd;
  const hrefOf = (shown: string, line: number | undefined): string => pathHref(relative(linkFolder, absoluteOf.get(shown) ?? resolve(io.cwd, shown)).replace(/\\/g, '/'), line);
  const text = args.format === 'html' ? renderHtml(report, { hrefOf }) : args.format === 'json' ? renderJson(report) : renderMarkdown(report);

  if (out === undefined) io.stdout(text);
  else {
    try {
      await writeReportFile(out, text);
    } catch (error) {
      throw new CliError(`cannot write the report to ${displayPath(io, out)}: ${ioMessage(error)}`);
    }
    const { totals } = report;
    io.stderr(
      `allowlist: wrote ${visible(displayPath(io, out))} (${args.format}): ${plural(totals.sites, 'site')}, ${plural(totals.errors, 'error')}, ${plural(totals.warnings, 'warning')}, ${plural(totals.infos, 'info')}\n`,
    );
  }
  return status;
}
