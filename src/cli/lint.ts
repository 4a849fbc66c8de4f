/** `allowlist lint [paths…]`: lints allowlists and user catalogs for CI and pull-request review. */
import { relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Catalog, CatalogSet } from '../core/catalog/types';
import type { LintConfig } from '../core/config';
import { visibleLines } from '../core/display';
import { discoverFiles, type DiscoveredFile } from '../core/discover';
import { parseCatalog } from '../core/catalog/load';
import { lintText } from '../core/engine';
import { decodeText, findingsOfDecoded, MAX_READ_SIZE } from '../core/decode';
import { formatReport, FORMATS, isFormat, plural, summarize, type FileReport, type Format } from '../core/format';
import type { AllowlistModel } from '../core/model';
import { isAllowlistFileName } from '../core/parse';
import { ioMessage, readRegularFile } from '../core/read-file';
import type { Finding } from '../core/types';
import { CliError, displayPath, EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, catalogsForPaths, loadConfig, toolVersion, useColor, parseCommandArgs } from './common';
import { repositoryRoot } from '../core/walk';
import type { CliIO } from './io';
import { applyNewSince, withNewSinceNote } from './new-since';

export const LINT_USAGE = `Usage: allowlist lint [options] [paths...]

Lints firewall allowlists and vendor catalogs. Paths are files or folders (default: the current folder).
Folders are searched for *.allowlist.yaml files, YAML files with a top-level \`allowlist:\` key and
*.catalog.yaml catalogs (skipping node_modules and dot-folders); files named here are linted as
allowlists whatever their name.

Options:
  --format FORMAT         text (default), json, sarif or github (workflow annotations)
  --catalog PATH          a catalog file or folder of *.catalog.yaml to load (repeatable)
  --config PATH           the config file (default: the nearest .allowlistrc.yaml above the current folder)
  --max-warnings N        exit 1 when there are more than N warnings
  --today YYYY-MM-DD      the day expiry dates are checked against (default: today, UTC)
  --no-builtin-catalogs   do not load the catalogs that ship with allowlist
  --allow-empty           exit 0 when the paths hold no allowlists (default: exit 2, as for a mistyped path)
  --only-allowlists       skip named files that are not allowlists or catalogs (for pre-commit; implies --allow-empty)
  --new-since REF         report only findings that are new since the git revision REF
  -h, --help              show this help

Exit status: 0 no errors, 1 errors found (or more warnings than --max-warnings),
2 a usage, config, catalog or file error, or no allowlists found (without --allow-empty).`;

interface LintArgs {
  paths: string[];
  format: Format;
  catalogPaths: string[];
  configPath?: string;
  maxWarnings?: number;
  today?: string;
  builtins: boolean;
  onlyAllowlists: boolean;
  allowEmpty: boolean;
  newSince?: string;
}

export function parseLintArgs(argv: string[]): LintArgs | 'help' {
  const { values, positionals } = parseCommandArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      format: { type: 'string', short: 'f' },
      catalog: { type: 'string', multiple: true },
      config: { type: 'string', short: 'c' },
      'max-warnings': { type: 'string' },
      today: { type: 'string' },
      'no-builtin-catalogs': { type: 'boolean' },
      'only-allowlists': { type: 'boolean' },
      'allow-empty': { type: 'boolean' },
      'new-since': { type: 'string' },
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
  return {
    paths: positionals,
    format,
    catalogPaths: values.catalog ?? [],
    configPath: values.config,
    maxWarnings,
    today: values.today,
    builtins: !values['no-builtin-catalogs'],
    onlyAllowlists: values['only-allowlists'] ?? false,
    allowEmpty: (values['allow-empty'] ?? false) || (values['only-allowlists'] ?? false),
    newSince: values['new-since'],
  };
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
  const config = loadConfig(io, args.configPath);

  const discovery = await discoverFiles(args.paths, io.cwd, { onlyRecognised: args.onlyAllowlists });
  if (discovery.missing.length > 0) {
    throw new CliError(discovery.missing.map((entry) => `${entry.path}: ${entry.reason}`).join('\n'));
  }
  // A mistyped path, or a CI job pointed at the wrong folder, must not pass as "no problems".
  const noneFound = `no allowlists found under ${args.paths.length > 0 ? args.paths.join(', ') : 'the current folder'} (files named *.allowlist.yaml, or YAML with a top-level \`allowlist: 1\`)`;
  if (discovery.files.length === 0 && !args.allowEmpty) throw new CliError(`${noneFound}; pass --allow-empty if that is expected`);

  let status = EXIT_OK;
  const ioError = (message: string): void => {
    io.stderr(`allowlist: error: ${visibleLines(message)}\n`);
    status = EXIT_USAGE;
  };
  for (const { path, reason } of discovery.skipped) io.stderr(`allowlist: warning: folder ${displayPath(io, path)} ${reason}\n`);

  const root = repositoryRoot(io.cwd);
  const reports = new Map<DiscoveredFile, FileReport>();
  /** Reads a file once (as any file is read: within MAX_READ_SIZE; a catalog over its own limit is the engine's
   * finding), lints it, and keeps its report; the lint's catalog, when it is a valid catalog. */
  const lintDiscovered = async (file: DiscoveredFile, catalogs: CatalogSet | undefined): Promise<FileLint | undefined> => {
    let bytes: Buffer;
    try {
      bytes = await readRegularFile(file.path, MAX_READ_SIZE);
    } catch (error) {
      ioError(`cannot read ${displayPath(io, file.path)}: ${ioMessage(error)}`);
      return undefined;
    }
    const decoded = decodeText(bytes);
    let result: FileLint | undefined;
    const findings = findingsOfDecoded(decoded, (text) => (result = lintFile(file, text, { catalogs, config, today: args.today })).findings);
    reports.set(file, { path: displayPath(io, file.path), uri: repositoryUri(root, file.path), text: decoded.text, findings });
    return result;
  };

  // Catalogs found among the linted files are linted first (a catalog's lint needs no catalogs), and the valid ones
  // are used for the allowlists too. A *.catalog.yaml that holds an allowlist is linted with the allowlists.
  const linted = new Map<string, Catalog | undefined>();
  const needCatalogs: DiscoveredFile[] = [];
  for (const file of discovery.files) {
    if (file.kind !== 'catalog') {
      needCatalogs.push(file);
      continue;
    }
    const result = await lintDiscovered(file, undefined);
    linted.set(file.path, result?.catalog);
    if (result?.kind === 'allowlist') needCatalogs.push(file);
  }
  // The catalogs near the linted paths first: the ones linted here replace them where both define a vendor.
  // Those left out that are not linted here are named on stderr (the linted ones get findings).
  const catalogs = await catalogsForPaths(io, args.paths.length > 0 ? args.paths.map((path) => resolve(io.cwd, path)) : [io.cwd], {
    config,
    catalogPaths: args.catalogPaths,
    builtins: args.builtins,
    linted,
    reported: discovery.skipped.map((skipped) => skipped.path),
  });
  for (const file of needCatalogs) await lintDiscovered(file, catalogs);
  const files = discovery.files.flatMap((file) => reports.get(file) ?? []);

  if (discovery.files.length === 0) io.stderr(`allowlist: ${visibleLines(noneFound)}\n`);
  // --new-since REF (issue 6, src/cli/new-since.ts): keep only the findings new since REF.
  const byPath = new Map(discovery.files.map((file) => [file.path, file]));
  const newSince = args.newSince === undefined ? undefined : await applyNewSince(io.cwd, args.newSince, files.map((report) => ({ report, path: resolve(io.cwd, report.path) })), (path, text) => (byPath.has(path) ? lintFile(byPath.get(path)!, text, { catalogs, config, today: args.today }).findings : []));
  const report = { files, toolVersion: toolVersion() };
  const output = formatReport(args.format, report, { color: useColor(io) });
  io.stdout(newSince ? withNewSinceNote(args.format, output, newSince) : output);

  const summary = summarize(report);
  if (summary.errors > 0) status = Math.max(status, EXIT_FINDINGS);
  if (args.maxWarnings !== undefined && summary.warnings > args.maxWarnings) {
    io.stderr(`allowlist: ${plural(summary.warnings, 'warning')}, more than --max-warnings ${args.maxWarnings}\n`);
    status = Math.max(status, EXIT_FINDINGS);
  }
  return status;
}

interface FileLint {
  findings: Finding[];
  kind: AllowlistModel['kind'];
  /** A valid catalog file's catalog. */
  catalog?: Catalog;
}

function lintFile(file: DiscoveredFile, text: string, options: { catalogs?: CatalogSet; config: LintConfig; today?: string }): FileLint {
  // A named file is an allowlist whatever its name; the engine still recognises a catalog by its `catalog:` key.
  const fileName = file.kind === 'catalog' || !file.explicit || isAllowlistFileName(file.path) ? file.path : `${file.path}#.allowlist.yaml`;
  const result = lintText(text, { fileName, catalogs: options.catalogs, config: options.config, today: options.today });
  if (file.kind === 'catalog' && result.model.kind !== 'catalog' && result.model.kind !== 'allowlist') {
    // A *.catalog.yaml without `catalog:` at its top: the catalog parser says what is missing.
    return { findings: parseCatalog(text, file.path).findings, kind: 'catalog' };
  }
  return { findings: result.findings, kind: result.model.kind, catalog: result.catalog };
}

/** The file's path relative to the repository root, or a file: URI for a file outside it. */
function repositoryUri(root: string, path: string): string {
  const rel = relative(root, path);
  if (rel.startsWith('..') || rel === '') return pathToFileURL(path).href;
  return rel.replace(/\\/g, '/');
}
