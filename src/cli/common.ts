/** What the CLI's commands share: errors that end a command with exit code 2, version, colour, the user's
 * config and catalogs. */
import { readFileSync, statSync } from 'node:fs';
import { isAbsolute, relative, resolve } from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { type Catalog, catalogErrorList, differingCatalogs, type CatalogProblem, type CatalogSet, catalogsNear, type CatalogSource, CatalogSourceError, describeCatalogProblem, loadCatalogSet } from '../core/catalog';
import { ConfigError, findConfigFile, loadConfigFile, type LintConfig, emptyConfig } from '../core/lint';
import { closestName, packagePath, visible, visibleLines } from '../core/common';
import { decodeText, ioMessage, MAX_READ_SIZE, readRegularFile } from '../core/files';
import type { CliIO } from './io';

/** A problem with the command line, the config, a catalog or a file: reported as `allowlist: error: …`, exit 2. */
export class CliError extends Error {
  constructor(
    message: string,
    /** Print the command's usage after the message (for command-line mistakes). */
    readonly showUsage = false,
  ) {
    super(message);
  }
}

export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_USAGE = 2;

/** node:util's parseArgs, with its errors as CliErrors in our words: an unknown option names the nearest known one,
 * and a negative number after an option is taken as its value (`--max-warnings -1`), so that the option's own check
 * says what it wants. */
export function parseCommandArgs<T extends ParseArgsConfig & { args: string[] }>(config: T): ReturnType<typeof parseArgs<T>> {
  let args = config.args;
  for (let tries = 0; ; tries++) {
    try {
      return parseArgs({ ...config, args });
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (typeof code !== 'string' || !code.startsWith('ERR_PARSE_ARGS_')) throw error;
      const message = (error as Error).message;
      const ambiguous = /^Option '([^']+)' argument is ambiguous/.exec(message);
      const at = ambiguous ? args.indexOf(ambiguous[1]) : -1;
      if (at >= 0 && /^-\d/.test(args[at + 1] ?? '') && tries < config.args.length) {
        args = [...args.slice(0, at), `${args[at]}=${args[at + 1]}`, ...args.slice(at + 2)];
        continue;
      }
      throw new CliError(parseArgsMessage(message, config.options ?? {}), true);
    }
  }
}

/** node:util's messages, shortened: "Unknown option '--frmat'. To specify a positional…" -> "unknown option --frmat;
 * did you mean --format?". */
function parseArgsMessage(message: string, options: NonNullable<ParseArgsConfig['options']>): string {
  const unknown = /^Unknown option '([^']+)'/.exec(message);
  if (unknown) return unknownOptionMessage(unknown[1], Object.keys(options).map((name) => `--${name}`));
  const missing = /^Option '(?:-\w, )?(--[^' ]+)(?: <value>)?' argument missing/.exec(message);
  if (missing) return `option ${missing[1]} needs a value`;
  const ambiguous = /^Option '([^']+)' argument is ambiguous/.exec(message);
  if (ambiguous) return `option ${ambiguous[1]} needs a value (one that starts with "-" goes as ${ambiguous[1]}=VALUE)`;
  const noValue = /^Option '(?:-\w, )?(--[^' ]+)' does not take an argument/.exec(message);
  if (noValue) return `option ${noValue[1]} takes no value`;
  return message.split(/\.\s+To specify/)[0];
}

/** "unknown option --formt; did you mean --format?" (the suggestion only for a near miss). */
export function unknownOptionMessage(option: string, known: string[]): string {
  const nearest = option.startsWith('--') ? closestName(option, known) : undefined;
  return `unknown option ${option}${nearest ? `; did you mean ${nearest}?` : ''}`;
}

let version: string | undefined;

export function toolVersion(): string {
  if (version) return version;
  try {
    version = String(JSON.parse(readFileSync(packagePath('package.json'), 'utf8')).version ?? '0.0.0');
  } catch {
    version = '0.0.0';
  }
  return version;
}

/** Colour on a terminal, unless NO_COLOR is set (https://no-color.org: any non-empty value). */
export function useColor(io: CliIO): boolean {
  return io.stdoutIsTTY && !io.env.NO_COLOR;
}

/** A path as shown to the user: relative to the working folder when inside it, forward slashes. */
export function displayPath(io: Pick<CliIO, 'cwd'>, path: string): string {
  const rel = relative(io.cwd, path);
  const shown = rel === '' ? '.' : rel.startsWith('..') || isAbsolute(rel) ? path : rel;
  return shown.replace(/\\/g, '/');
}

/** `--config PATH`, else the nearest `.allowlistrc.yaml` at or above `from` (default: the working folder), else no
 * config. */
export function loadConfig(io: CliIO, configPath: string | undefined, from = io.cwd): LintConfig {
  const path = configPath !== undefined ? resolve(io.cwd, configPath) : findConfigFile(from);
  if (path === undefined) return emptyConfig();
  try {
    return loadConfigFile(path);
  } catch (error) {
    if (error instanceof ConfigError) throw new CliError(error.message.split(path).join(displayPath(io, path)));
    throw error;
  }
}

/** `allowlist: warning: …` on stderr, one each (a left-out catalog's lists its errors on the lines below): warnings do
 * not change the exit code. */
export function warnCatalogProblems(io: CliIO, problems: CatalogProblem[]): void {
  for (const problem of problems) io.stderr(`allowlist: warning: ${visibleLines(problem.message(displayPath(io, problem.path)))}\n`);
}

/** `[path]` for a file that is there, else none: the paths to look for catalogs near, for a command that reads one
 * FILE. Near a file that is not there the search would be of its folder (for `/site.yaml`, the whole file system),
 * and its warnings would bury the one error that matters, that FILE cannot be read. */
export function nearFile(path: string): string[] {
  return statSync(path, { throwIfNoEntry: false })?.isFile() ? [path] : [];
}

/** The catalogs `lint` uses for `paths` (and `probe` and `probe-script` for their FILE, so that they see what lint
 * sees): the built-in ones (unless turned off), the valid ones near the paths (`catalogsNear`, whose problems are
 * warned about), `linted` ones (catalogs the command lints itself: they replace a near one of the same path, and
 * their problems are its findings, not warnings), the config's, then `--catalog` ones. `reported`: paths already
 * warned about (folders the discovery skipped). */
export async function catalogsForPaths(
  io: CliIO,
  paths: string[],
  options: { config: LintConfig; catalogPaths: string[]; builtins: boolean; linted?: ReadonlyMap<string, Catalog | undefined>; reported?: readonly string[] },
): Promise<CatalogSet> {
  const linted = options.linted ?? new Map<string, Catalog | undefined>();
  const reported = new Set(options.reported);
  // The linted ones are not read again near the paths: their problems are findings, and they replace a near one.
  const near = await catalogsNear(paths, linted);
  warnCatalogProblems(io, near.problems.filter((problem) => !reported.has(problem.path)));
  const found = [...near.loaded, ...[...linted].flatMap(([path, catalog]) => (catalog ? [{ path, catalog }] : []))];
  warnSameVendor(io, found);
  const extra = found.map(({ catalog }) => catalog);
  return loadCatalogs(io, { config: options.config, catalogPaths: options.catalogPaths, builtins: options.builtins, extra });
}

/** Warns of repository catalogs of one vendor that say different things (core's `differingCatalogs`). */
function warnSameVendor(io: CliIO, found: { path: string; catalog: Catalog }[]): void {
  for (const { earlier, used } of differingCatalogs(found)) {
    const shown = displayPath(io, used.path);
    io.stderr(`allowlist: warning: ${visible(`catalogs ${displayPath(io, earlier.path)} and ${shown} both describe vendor "${used.catalog.id}", differently: ${shown} is used; keep one of them`)}\n`);
  }
}

/** Built-in catalogs (unless turned off), `extra`, then the config's catalogs, then `--catalog` ones: later ones
 * replace earlier ones of the same vendor. A named catalog that does not load ends the command. */
export async function loadCatalogs(io: CliIO, options: { config: LintConfig; catalogPaths: string[]; builtins: boolean; extra?: Catalog[] }): Promise<CatalogSet> {
  const sources: CatalogSource[] = [
    ...options.config.catalogs.map((path) => ({ path, origin: `from ${options.config.path ? displayPath(io, options.config.path) : 'the config'}` })),
    ...options.catalogPaths.map((path) => ({ path: resolve(io.cwd, path), origin: '--catalog' })),
  ];
  try {
    return await loadCatalogSet({
      builtins: options.builtins,
      extra: options.extra,
      sources,
      onSkipped: ({ path, reason }, source) => warnCatalogProblems(io, [{ path, message: (shown) => `folder ${shown} not searched for catalogs (${source.origin}): ${reason}` }]),
    });
  } catch (error) {
    if (error instanceof CatalogSourceError) throw new CliError(catalogErrorMessage(io, error));
    throw error;
  }
}

function catalogErrorMessage(io: CliIO, { path, origin, problem }: CatalogSourceError): string {
  const shown = displayPath(io, path);
  if (problem.kind !== 'invalid') return describeCatalogProblem(shown, origin, problem);
  return `catalog ${shown} (${origin}) failed to load:${catalogErrorList(shown, problem.text, problem.findings)}`;
}

/** The text of the file at `path` (shown as `shown`: an allowlist, or a firewall's configuration), read as lint reads
 * a file: a regular file within the read limit, decoded; a file that cannot be read or is not text ends the command
 * (CliError). */
export async function readTextFile(shown: string, path: string): Promise<string> {
  let bytes: Buffer;
  try {
    bytes = await readRegularFile(path, MAX_READ_SIZE);
  } catch (error) {
    throw new CliError(`cannot read ${visible(shown)}: ${visibleLines(ioMessage(error))}`);
  }
  const decoded = decodeText(bytes);
  if (decoded.finding?.severity === 'error') throw new CliError(`cannot read ${visible(shown)}: ${visibleLines(decoded.finding.message)}`);
  return decoded.text;
}
