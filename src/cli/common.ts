/** What the CLI's commands share: errors that end a command with exit code 2, version, colour, the user's
 * config and catalogs. */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { findCatalogFiles, parseCatalog } from '../core/catalog/load';
import { CatalogSourceError, loadCatalogSet, type CatalogSource } from '../core/catalog/sources';
import type { Catalog, CatalogSet } from '../core/catalog/types';
import { ConfigError, findConfigFile, parseConfig, type LintConfig, emptyConfig } from '../core/config';
import { LineIndex } from '../core/text';
import { packagePath } from '../core/package-root';
import type { Finding } from '../core/types';
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
export function displayPath(io: CliIO, path: string): string {
  const rel = relative(io.cwd, path);
  const shown = rel === '' ? '.' : rel.startsWith('..') || isAbsolute(rel) ? path : rel;
  return shown.replace(/\\/g, '/');
}

/** The repository root (the nearest folder at or above `dir` with `.git`), or `dir` itself outside a repository. */
export function repositoryRoot(dir: string): string {
  for (let current = resolve(dir); ; current = dirname(current)) {
    if (existsSync(join(current, '.git'))) return current;
    if (dirname(current) === current) return resolve(dir);
  }
}

/** `--config PATH`, else the nearest `.allowlistrc.yaml` at or above the working folder, else no config. */
export function loadConfig(io: CliIO, configPath: string | undefined): LintConfig {
  const path = configPath !== undefined ? resolve(io.cwd, configPath) : findConfigFile(io.cwd);
  if (path === undefined) return emptyConfig();
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new CliError(`cannot read config ${displayPath(io, path)}: ${describeIoError(error)}`);
  }
  try {
    return parseConfig(text, path);
  } catch (error) {
    if (error instanceof ConfigError) throw new CliError(`bad config ${error.message.split(path).join(displayPath(io, path))}`);
    throw error;
  }
}

/** "no such file or folder" rather than "ENOENT: no such file or directory, open '/abs/…'". */
export function describeIoError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'ENOENT':
      return 'no such file or folder';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'is a folder';
    default:
      return error instanceof Error ? error.message : String(error);
  }
}

export interface LoadedCatalog {
  path: string;
  text: string;
  catalog?: Catalog;
  findings: Finding[];
}

/** Reads and parses one catalog file. */
export async function readCatalog(path: string): Promise<LoadedCatalog> {
  const text = (await readFile(path, 'utf8')).replace(/^\uFEFF/, '');
  const { catalog, findings } = parseCatalog(text, path);
  return { path, text, catalog, findings };
}

/** The valid `*.catalog.yaml` catalogs near the given paths (folders or files): anywhere in a path's git
 * repository (a catalog in `vendor/` serves an allowlist in `sites/`, whether a folder, one file as pre-commit
 * passes it, or the whole repository is linted or probed); outside a repository, under the folder or beside
 * the file. A catalog that does not load is left out here; linting that file reports why. */
export async function catalogsNear(paths: string[]): Promise<LoadedCatalog[]> {
  const roots = new Set<string>();
  for (const path of paths) {
    const folder = isFolder(path) ? path : dirname(path);
    const root = repositoryRoot(folder);
    roots.add(existsSync(join(root, '.git')) ? root : folder);
  }
  const loaded: LoadedCatalog[] = [];
  for (const root of roots) {
    // A folder that is not there (or not readable) has no catalogs: reading the named file reports the problem.
    for (const file of await findCatalogFiles(root).catch((): string[] => [])) {
      const catalog = await readCatalog(file).catch(() => undefined);
      if (catalog?.catalog) loaded.push(catalog);
    }
  }
  return loaded;
}

/** Built-in catalogs (unless turned off), `extra`, then the config's catalogs, then `--catalog` ones: later ones
 * replace earlier ones of the same vendor. A named catalog that does not load ends the command. */
export async function loadCatalogs(io: CliIO, options: { config: LintConfig; catalogPaths: string[]; builtins: boolean; extra?: Catalog[] }): Promise<CatalogSet> {
  const sources: CatalogSource[] = [
    ...options.config.catalogs.map((path) => ({ path, origin: `from ${options.config.path ? displayPath(io, options.config.path) : 'the config'}` })),
    ...options.catalogPaths.map((path) => ({ path: resolve(io.cwd, path), origin: '--catalog' })),
  ];
  try {
    return await loadCatalogSet({ builtins: options.builtins, extra: options.extra, sources });
  } catch (error) {
    if (error instanceof CatalogSourceError) throw new CliError(catalogErrorMessage(io, error));
    throw error;
  }
}

function catalogErrorMessage(io: CliIO, { path, origin, problem }: CatalogSourceError): string {
  const shown = displayPath(io, path);
  switch (problem.kind) {
    case 'missing':
      return `catalog ${shown} (${origin}): ${describeIoError(problem.error)}`;
    case 'unreadable':
      return `cannot read catalog ${shown} (${origin}): ${describeIoError(problem.error)}`;
    case 'empty-folder':
      return `catalog folder ${shown} (${origin}) has no *.catalog.yaml files`;
    case 'invalid': {
      const lines = new LineIndex(problem.text);
      const errors = problem.findings.filter((finding) => finding.severity === 'error');
      const listed = errors.slice(0, 5).map((finding) => {
        const { line, character } = lines.positionAt(finding.range.start);
        return `\n  ${shown}:${line + 1}:${character + 1}: ${finding.message} [${finding.ruleId}]`;
      });
      const more = errors.length > listed.length ? `\n  … and ${errors.length - listed.length} more` : '';
      return `catalog ${shown} (${origin}) failed to load:${listed.join('')}${more}`;
    }
  }
}

/** Whether a path is a folder (false when it does not exist). */
export function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
