/** `allowlist lint [paths…]`: lints allowlists and user catalogs for CI and pull-request review. */
import { dirname, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type Catalog, type CatalogSet, parseCatalog } from '../core/catalog';
import { type DiscoveredFile, discoverFiles, type Discovery, type FileReport, type Format, formatReport, FORMATS, isCatalogFileName, isFormat, type LintConfig, lintText, summarize, todayUtc } from '../core/lint';
import { type Finding, plural, visible, visibleLines } from '../core/common';
import { decodeText, findingsOfDecoded, ioMessage, MAX_READ_SIZE, readRegularFile, repositoryRoot } from '../core/files';
import { encodeLike, fixUntilStable, hasUtf8Bom, unifiedDiff, type AppliedFix } from '../core/fix';
import { type AllowlistModel, isAllowlistFileName } from '../core/parse';
import { CliError, displayPath, EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, catalogsForPaths, loadConfig, toolVersion, useColor, parseCommandArgs } from './common';
import { inputTooLarge, readStdin, type CliIO } from './io';
import { type Concurrency, lintFileOutcome, LintThreads, threadCount } from './lint-files';
import { applyNewSince, withNewSinceNote } from './new-since';
import { replaceFile, writeReportFile, writesOverInput } from './write-file';

export const LINT_USAGE = `Usage: allowlist lint [options] [paths...]
       allowlist lint [options] - [--stdin-filename PATH]

Lints firewall allowlists and vendor catalogs. Paths are files or folders (default: the current folder).
Folders are searched for *.allowlist.yaml files, YAML files with a top-level \`allowlist:\` key and
*.catalog.yaml catalogs (skipping node_modules and dot-folders); files named here are linted as
allowlists whatever their name. The path - reads one allowlist from standard input.

Options:
  --format FORMAT         text (default), json, sarif or github (workflow annotations)
  --output FORMAT=FILE    also write the report in FORMAT to FILE, from the same lint (repeatable), e.g.
                          --format github --output sarif=allowlist.sarif for CI
  --catalog PATH          a catalog file or folder of *.catalog.yaml to load (repeatable)
  --config PATH           the config file (default: the nearest .allowlistrc.yaml above the current folder)
  --max-warnings N        exit 1 when there are more than N warnings
  --today YYYY-MM-DD      the day expiry dates are checked against (default: today, UTC)
  --no-builtin-catalogs   do not load the catalogs that ship with allowlist
  --allow-empty           exit 0 when the paths hold no allowlists (default: exit 2, as for a mistyped path)
  --only-allowlists       skip named files that are not allowlists or catalogs (for pre-commit; implies --allow-empty)
  --new-since REF         report only findings that are new since the git revision REF
  --concurrency N         threads that lint files: a number, auto (every core, when the files add up to
                          1 MB or more) or off (one thread, the default); the output is the same
  --fix                   apply the preferred fixes to the files, then report what remains
                          (with -: print the fixed text on stdout, the report on stderr)
  --fix-dry-run           print the fixes as a unified diff on stdout, the report of what would
                          remain on stderr; write nothing
  --stdin-filename PATH   the name of standard input in messages (default <stdin>); its folder is
                          where the config and nearby catalogs are looked for
  -h, --help              show this help

Exit status: 0 no errors, 1 errors found (or more warnings than --max-warnings), after fixes with
--fix and --fix-dry-run; 2 a usage, config, catalog or file error, or no allowlists found (without
--allow-empty).`;

/** \`-\` as a path: standard input. */
const STDIN_PATH = '-';
const STDIN_NAME = '<stdin>';

interface LintArgs {
  paths: string[];
  format: Format;
  /** `--output FORMAT=FILE`: more reports of the same lint, written to files. */
  outputs: ReportFile[];
  catalogPaths: string[];
  configPath?: string;
  maxWarnings?: number;
  today: string;
  builtins: boolean;
  onlyAllowlists: boolean;
  allowEmpty: boolean;
  newSince?: string;
  /** \`--fix\` writes the fixed files (prints the fixed text for standard input); \`--fix-dry-run\` prints a diff. */
  fix?: 'write' | 'dry-run';
  /** Lint standard input (the path \`-\`), named by \`--stdin-filename\`. */
  stdin: boolean;
  stdinFilename?: string;
  concurrency: Concurrency;
}

export function parseLintArgs(argv: string[]): LintArgs | 'help' {
  const { values, positionals } = parseCommandArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      format: { type: 'string', short: 'f' },
      output: { type: 'string', multiple: true },
      catalog: { type: 'string', multiple: true },
      config: { type: 'string', short: 'c' },
      'max-warnings': { type: 'string' },
      today: { type: 'string' },
      'no-builtin-catalogs': { type: 'boolean' },
      'only-allowlists': { type: 'boolean' },
      'allow-empty': { type: 'boolean' },
      'new-since': { type: 'string' },
      fix: { type: 'boolean' },
      'fix-dry-run': { type: 'boolean' },
      'stdin-filename': { type: 'string' },
      concurrency: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return 'help';
  const format = values.format ?? 'text';
  if (!isFormat(format)) throw new CliError(`unknown --format "${format}"; expected ${FORMATS.join(', ')}`, true);
  let maxWarnings: number | undefined;
  if (values['max-warnings'] !== undefined) {
    if (!/^\d+$/.test(values['max-warnings'])) throw new CliError(`--max-warnings must be a whole number, not "${values['max-warnings']}"`, true);
    maxWarnings = Number(values['max-warnings']);
  }
  if (values.today !== undefined && !isValidDate(values.today)) throw new CliError(`--today must be a date as YYYY-MM-DD, not "${values.today}"`, true);
  const stdin = positionals.includes(STDIN_PATH);
  if (stdin && positionals.length > 1) throw new CliError('- (standard input) cannot be linted with other paths', true);
  if (values['stdin-filename'] !== undefined && !stdin) throw new CliError('--stdin-filename names standard input: pass - as the path to lint it', true);
  if (values['stdin-filename'] === '') throw new CliError('--stdin-filename needs a file name', true);
  if (values.fix && values['fix-dry-run']) throw new CliError('--fix and --fix-dry-run cannot be used together', true);
  // There, stdout carries the diff or the fixed text: the report goes to stderr, as text.
  if ((values['fix-dry-run'] || (values.fix && stdin)) && format !== 'text') {
    throw new CliError(`--format ${format} cannot be used with ${values.fix ? '--fix on standard input, which prints the fixed text' : '--fix-dry-run, which prints a diff'}`, true);
  }
  return {
    paths: positionals,
    // One thread by default: measured on this 2-core machine, each worker's start (loading the bundle, warming up)
    // costs more than it saves on a 500-site fleet (BENCHMARKS.md, Fleet).
    concurrency: parseConcurrency(values.concurrency ?? 'off'),
    format,
    outputs: parseOutputs(values.output ?? []),
    catalogPaths: values.catalog ?? [],
    configPath: values.config,
    maxWarnings,
    // One day for the whole run, as `report` does: every site is checked against the same date.
    today: values.today ?? todayUtc(),
    builtins: !values['no-builtin-catalogs'],
    onlyAllowlists: values['only-allowlists'] ?? false,
    allowEmpty: (values['allow-empty'] ?? false) || (values['only-allowlists'] ?? false),
    newSince: values['new-since'],
    fix: values.fix ? 'write' : values['fix-dry-run'] ? 'dry-run' : undefined,
    stdin,
    stdinFilename: values['stdin-filename'],
  };
}

/** A report written to a file (`--output FORMAT=FILE`). */
interface ReportFile {
  format: Format;
  /** As given: resolved against the working folder when written. */
  path: string;
}

/** `--output`'s values: FORMAT=FILE each (split at the first `=`: a format has none), each file named once. */
function parseOutputs(values: string[]): ReportFile[] {
  const outputs = values.map((value): ReportFile => {
    const at = value.indexOf('=');
    const format = at < 0 ? '' : value.slice(0, at);
    const path = value.slice(at + 1);
    if (at < 0 || path === '') throw new CliError(`--output takes FORMAT=FILE (for example sarif=allowlist.sarif), not "${value}"`, true);
    if (!isFormat(format)) throw new CliError(`unknown format "${format}" in --output ${value}; expected ${FORMATS.join(', ')}`, true);
    // Standard output carries --format's report: a second one there would be one stream of two formats.
    if (path === '-') throw new CliError(`--output ${value}: standard output has the --format report; name a file, or use --format ${format}`, true);
    return { format, path };
  });
  const named = new Set<string>();
  for (const { path } of outputs) {
    if (named.has(resolve(path))) throw new CliError(`--output names ${path} twice`, true);
    named.add(resolve(path));
  }
  return outputs;
}

/** `--concurrency`: as ESLint takes it, a number of threads, `auto` or `off`. */
function parseConcurrency(value: string): Concurrency {
  if (value === 'auto') return 'auto';
  if (value === 'off') return 1;
  if (/^\d+$/.test(value) && Number(value) >= 1) return Number(value);
  throw new CliError(`--concurrency must be a number of threads (1 or more), auto or off, not "${value}"`, true);
}

export function isValidDate(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  const date = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === text;
}


export async function lintCommand(argv: string[], io: CliIO): Promise<number> {
  const args = parseLintArgs(argv);
  if (args === 'help') {
    io.stdout(`${LINT_USAGE}\n`);
    return EXIT_OK;
  }
  // Standard input stands for the file --stdin-filename names: that file's config and nearby catalogs apply.
  const stdinPath = args.stdin ? resolve(io.cwd, args.stdinFilename ?? STDIN_NAME) : undefined;
  const config = loadConfig(io, args.configPath, stdinPath && dirname(stdinPath));

  const discovery = stdinPath !== undefined ? stdinDiscovery(stdinPath) : await discoverFiles(args.paths, io.cwd, { onlyRecognised: args.onlyAllowlists });
  if (discovery.missing.length > 0) {
    throw new CliError(discovery.missing.map((entry) => `${entry.path}: ${entry.reason}`).join('\n'));
  }
  // A mistyped path, or a CI job pointed at the wrong folder, must not pass as "no problems".
  const noneFound = `no allowlists found under ${args.paths.length > 0 ? args.paths.join(', ') : 'the current folder'} (files named *.allowlist.yaml, or YAML with a top-level \`allowlist: 1\`)`;
  if (discovery.files.length === 0 && !args.allowEmpty) throw new CliError(`${noneFound}; pass --allow-empty if that is expected`);
  // A slip (`--output sarif=site.allowlist.yaml`) must not overwrite what is being linted.
  const linted = discovery.files.map((file) => file.path);
  const overwrites = args.outputs.find((output) => writesOverInput(resolve(io.cwd, output.path), linted));
  if (overwrites) throw new CliError(`--output ${overwrites.format}=${overwrites.path} would overwrite a file being linted`, true);

  let stdinBytes: Buffer | undefined;
  if (stdinPath !== undefined) {
    try {
      stdinBytes = await readStdin(io, MAX_READ_SIZE);
    } catch (error) {
      throw new CliError(`cannot read ${displayPath(io, stdinPath)}: ${ioMessage(error)}`);
    }
  }
  const readBytes = async (path: string, maxBytes: number): Promise<Buffer> => {
    if (path !== stdinPath || stdinBytes === undefined) return readRegularFile(path, maxBytes);
    if (stdinBytes.length > maxBytes) throw inputTooLarge(maxBytes);
    return stdinBytes;
  };

  let status = EXIT_OK;
  const ioError = (message: string): void => {
    io.stderr(`allowlist: error: ${visibleLines(message)}\n`);
    status = EXIT_USAGE;
  };
  for (const { path, reason } of discovery.skipped) io.stderr(`allowlist: warning: folder ${displayPath(io, path)} ${reason}\n`);

  const root = repositoryRoot(io.cwd);
  const reports = new Map<DiscoveredFile, FileReport>();
  const fixed = new Map<DiscoveredFile, AppliedFix[]>();
  const diffs = new Map<DiscoveredFile, string>();
  let stdinOutput = '';
  /** Reads a file once (as any file is read: within MAX_READ_SIZE; a catalog over its own limit is the engine's
   * finding), lints it (fixing it first with --fix or --fix-dry-run) and keeps its report; gives the lint of the
   * text it ends with, whose catalog serves the allowlists when it is a valid catalog. */
  const lintDiscovered = async (file: DiscoveredFile, catalogs: CatalogSet | undefined): Promise<FileLint | undefined> => {
    const shown = displayPath(io, file.path);
    let bytes: Buffer;
    try {
      bytes = await readBytes(file.path, MAX_READ_SIZE);
    } catch (error) {
      ioError(`cannot read ${shown}: ${ioMessage(error)}`);
      return undefined;
    }
    const decoded = decodeText(bytes);
    let last: FileLint | undefined;
    const lint = (text: string): Finding[] =>
      findingsOfDecoded({ text, finding: decoded.finding }, (decodedText) => (last = lintFile(file, decodedText, { catalogs, config, today: args.today })).findings);
    const report: FileReport = { path: shown, uri: repositoryUri(root, file.path), text: decoded.text, findings: [] };
    // A file that cannot be decoded is never fixed (nor written).
    const result = args.fix === undefined || decoded.finding?.severity === 'error' ? { text: decoded.text, applied: [], findings: lint(decoded.text) } : fixUntilStable(decoded.text, lint);
    if (result.text !== decoded.text) {
      if (args.fix === 'dry-run') {
        diffs.set(file, unifiedDiff(visible(shown), withBom(bytes, decoded.text), withBom(bytes, result.text)));
      } else if (file.path !== stdinPath) {
        try {
          await replaceFile(file.path, bytes, encodeLike(bytes, result.text));
        } catch (error) {
          ioError(`cannot write the fixes to ${shown} (it is unchanged): ${ioMessage(error)}`);
          reports.set(file, { ...report, findings: lint(decoded.text) });
          return last;
        }
      }
      fixed.set(file, result.applied);
    }
    // Input that is not valid text is not echoed decoded (its bad bytes would come out replaced): nothing is printed.
    if (file.path === stdinPath && decoded.finding?.severity !== 'error') stdinOutput = withBom(bytes, result.text);
    reports.set(file, { ...report, text: result.text, findings: result.findings });
    return last;
  };

  // Without fixes, the allowlists are only read and linted: on several threads when there are many, whose workers
  // start now, to load while this thread loads the catalogs.
  const threads = args.fix === undefined && stdinPath === undefined ? new LintThreads(threadCount(args.concurrency, discovery.files), { config, today: args.today, cwd: io.cwd, root }) : undefined;
  const lintAllowlists = async (allowlists: DiscoveredFile[], catalogs: CatalogSet): Promise<void> => {
    const options = { catalogs, config, today: args.today };
    const outcomes = await threads!.lint(allowlists, catalogs, (file) => lintFileOutcome(file, shownFile({ cwd: io.cwd, root }, file.path), (linted, text) => lintFile(linted, text, options).findings));
    outcomes.forEach((outcome, index) => ('error' in outcome ? ioError(outcome.error) : reports.set(allowlists[index], outcome.report)));
  };

  const nearPaths = stdinPath !== undefined ? [stdinPath] : args.paths.length > 0 ? args.paths.map((path) => resolve(io.cwd, path)) : [io.cwd];
  let catalogs: CatalogSet;
  try {
    catalogs = await lintDiscovery(io, discovery, { nearPaths, config, catalogPaths: args.catalogPaths, builtins: args.builtins }, lintDiscovered, threads && lintAllowlists);
  } finally {
    await threads?.stop();
  }
  const files = discovery.files.flatMap((file) => reports.get(file) ?? []);

  if (discovery.files.length === 0) io.stderr(`allowlist: ${visibleLines(noneFound)}\n`);
  // --new-since REF (issue 6, src/cli/new-since.ts): keep only the findings new since REF.
  const byPath = new Map(discovery.files.map((file) => [file.path, file]));
  // Standard input without --stdin-filename is no file of the repository: as a new file, all its findings are new.
  const namedFiles = args.stdin && args.stdinFilename === undefined ? [] : files;
  const newSince = args.newSince === undefined ? undefined : applyNewSince(io.cwd, args.newSince, namedFiles.map((report) => ({ report, path: resolve(io.cwd, report.path) })), (path, text) => (byPath.has(path) ? lintFile(byPath.get(path)!, text, { catalogs, config, today: args.today }).findings : []));
  const report = { files, toolVersion: toolVersion() };
  // With --fix-dry-run, and --fix of standard input, stdout carries the diff or the fixed text; the report (of what
  // remains after the fixes) goes to stderr.
  const reportToStderr = args.fix === 'dry-run' || (args.fix === 'write' && args.stdin);
  const render = (format: Format, color: boolean): string => {
    const formatted = formatReport(format, report, { color });
    return newSince ? withNewSinceNote(format, formatted, newSince) : formatted;
  };
  const output = render(args.format, reportToStderr ? io.stderrIsTTY && !io.env.NO_COLOR : useColor(io));
  const fixLines = discovery.files
    .flatMap((file) => {
      const applied = fixed.get(file);
      return applied ? [`${args.fix === 'dry-run' ? 'would fix' : 'fixed'} ${plural(applied.length, 'problem')} in ${visible(displayPath(io, file.path))} (${[...new Set(applied.map((fix) => fix.ruleId))].join(', ')})\n`] : [];
    })
    .join('');
  if (reportToStderr) {
    io.stdout(args.fix === 'dry-run' ? discovery.files.map((file) => diffs.get(file) ?? '').join('') : stdinOutput);
    io.stderr(fixLines + output);
  } else {
    // What was fixed leads the text report; machine-readable formats keep stdout to themselves.
    if (args.format === 'text') io.stdout(fixLines);
    else io.stderr(fixLines);
    io.stdout(output);
  }
  for (const { format, path } of args.outputs) {
    const file = resolve(io.cwd, path);
    try {
      await writeReportFile(file, render(format, false));
    } catch (error) {
      ioError(`cannot write the ${format} report to ${displayPath(io, file)}: ${ioMessage(error)}`);
    }
  }

  const summary = summarize(report);
  if (summary.errors > 0) status = Math.max(status, EXIT_FINDINGS);
  if (args.maxWarnings !== undefined && summary.warnings > args.maxWarnings) {
    io.stderr(`allowlist: ${plural(summary.warnings, 'warning')}, more than --max-warnings ${args.maxWarnings}\n`);
    status = Math.max(status, EXIT_FINDINGS);
  }
  return status;
}

/**
 * Lints what `discovery` found, in lint's order: catalogs found among the files first (a catalog's lint needs no
 * catalogs), then the allowlists with the catalogs lint uses (`catalogsForPaths` near `nearPaths`, where the valid
 * catalogs linted here replace the ones found there; those left out that are not linted here are named on stderr,
 * the linted ones get findings). A *.catalog.yaml that holds an allowlist is linted with the allowlists. `lintOne`
 * reads and lints one file (undefined when it could not be read); `lintMany`, when given, lints the allowlists
 * instead. Gives the allowlists' catalogs.
 */
export async function lintDiscovery(
  io: CliIO,
  discovery: Discovery,
  options: { nearPaths: string[]; config: LintConfig; catalogPaths: string[]; builtins: boolean },
  lintOne: (file: DiscoveredFile, catalogs: CatalogSet | undefined) => Promise<FileLint | undefined>,
  lintMany?: (files: DiscoveredFile[], catalogs: CatalogSet) => Promise<void>,
): Promise<CatalogSet> {
  const linted = new Map<string, Catalog | undefined>();
  const needCatalogs: DiscoveredFile[] = [];
  for (const file of discovery.files) {
    if (file.kind !== 'catalog') {
      needCatalogs.push(file);
      continue;
    }
    const result = await lintOne(file, undefined);
    linted.set(file.path, result?.catalog);
    if (result?.kind === 'allowlist') needCatalogs.push(file);
  }
  const catalogs = await catalogsForPaths(io, options.nearPaths, {
    config: options.config,
    catalogPaths: options.catalogPaths,
    builtins: options.builtins,
    linted,
    reported: discovery.skipped.map((skipped) => skipped.path),
  });
  if (lintMany) await lintMany(needCatalogs, catalogs);
  else for (const file of needCatalogs) await lintOne(file, catalogs);
  return catalogs;
}

/** Standard input as the one file to lint: a catalog when its name says so, else an allowlist. */
function stdinDiscovery(path: string): Discovery {
  return { files: [{ path, kind: isCatalogFileName(path) ? 'catalog' : 'allowlist', explicit: true }], missing: [], skipped: [] };
}

/** The text as the file has it, byte order mark included (decodeText takes it off): a diff must match the file's
 * first line, and fixed standard input keeps its mark. */
function withBom(bytes: Buffer, text: string): string {
  return hasUtf8Bom(bytes) ? `\uFEFF${text}` : text;
}

export interface FileLint {
  findings: Finding[];
  kind: AllowlistModel['kind'];
  model: AllowlistModel;
  /** A valid catalog file's catalog. */
  catalog?: Catalog;
}

/** Lints a discovered file's text as `lint` does. */
export function lintFile(file: DiscoveredFile, text: string, options: { catalogs?: CatalogSet; config: LintConfig; today?: string }): FileLint {
  // A named file is an allowlist whatever its name; the engine still recognises a catalog by its `catalog:` key.
  const fileName = file.kind === 'catalog' || !file.explicit || isAllowlistFileName(file.path) ? file.path : `${file.path}#.allowlist.yaml`;
  const result = lintText(text, { fileName, catalogs: options.catalogs, config: options.config, today: options.today });
  if (file.kind === 'catalog' && result.model.kind !== 'catalog' && result.model.kind !== 'allowlist') {
    // A *.catalog.yaml without `catalog:` at its top: the catalog parser says what is missing.
    return { findings: parseCatalog(text, file.path).findings, kind: 'catalog', model: result.model };
  }
  return { findings: result.findings, kind: result.model.kind, model: result.model, catalog: result.catalog };
}

/** How a file is named in the report: its path as shown (`displayPath`) and its URI (`repositoryUri`). */
export function shownFile(where: { cwd: string; root: string }, path: string): { path: string; uri: string } {
  return { path: displayPath(where, path), uri: repositoryUri(where.root, path) };
}

/** The file's path relative to the repository root, or a file: URI for a file outside it. */
function repositoryUri(root: string, path: string): string {
  const rel = relative(root, path);
  if (rel.startsWith('..') || rel === '') return pathToFileURL(path).href;
  return rel.replace(/\\/g, '/');
}
