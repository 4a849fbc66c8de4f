/** A catalog set from where catalogs come from, in one order for every caller (the CLI's commands, `allowlist
 * diff` and the editor's Show Changes): the built-in catalogs, catalogs already loaded (a repository's own), then
 * the files and folders the config's `catalogs:` and the command line name. Later ones replace earlier ones of
 * the same vendor. A named catalog that cannot be read or does not load stops the whole set: the user asked
 * for it. */
import { readFile, stat } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import type { Finding } from '../types';
import { buildCatalogSet, builtinCatalogs, findCatalogFiles, loadCatalogFile, parseCatalog } from './load';
import type { Catalog, CatalogSet } from './types';

/** A catalog file or folder of `*.catalog.yaml`, and who named it (for messages: "--catalog", "from .allowlistrc.yaml"). */
export interface CatalogSource {
  path: string;
  origin: string;
}

export type CatalogSourceProblem =
  | { kind: 'missing' | 'unreadable'; error: unknown }
  | { kind: 'empty-folder' }
  | { kind: 'invalid'; text: string; findings: Finding[] };

export class CatalogSourceError extends Error {
  constructor(
    readonly path: string,
    readonly origin: string,
    readonly problem: CatalogSourceProblem,
  ) {
    super(
      problem.kind === 'empty-folder'
        ? `catalog folder ${path} (${origin}) has no *.catalog.yaml files`
        : problem.kind === 'invalid'
          ? `catalog ${path} (${origin}) failed to load: ${problem.findings.find((finding) => finding.severity === 'error')?.message ?? 'not a catalog'}`
          : `${problem.kind === 'unreadable' ? 'cannot read ' : ''}catalog ${path} (${origin}): ${problem.error instanceof Error ? problem.error.message : String(problem.error)}`,
    );
  }
}

export async function loadCatalogSet(options: { builtins: boolean; extra?: Catalog[]; sources: CatalogSource[] }): Promise<CatalogSet> {
  const catalogs: Catalog[] = options.builtins ? [...builtinCatalogs()] : [];
  catalogs.push(...(options.extra ?? []));
  for (const { path, origin } of options.sources) {
    for (const file of await catalogFiles(path, origin)) catalogs.push(await requireCatalog(file, origin));
  }
  return buildCatalogSet(catalogs);
}

/** The file, or the `*.catalog.yaml` files under a folder. */
async function catalogFiles(path: string, origin: string): Promise<string[]> {
  let folder: boolean;
  try {
    folder = (await stat(path)).isDirectory();
  } catch (error) {
    throw new CatalogSourceError(path, origin, { kind: 'missing', error });
  }
  if (!folder) return [path];
  const files = await findCatalogFiles(path);
  if (files.length === 0) throw new CatalogSourceError(path, origin, { kind: 'empty-folder' });
  return files;
}

async function requireCatalog(path: string, origin: string): Promise<Catalog> {
  let text: string;
  try {
    text = (await readFile(path, 'utf8')).replace(/^\uFEFF/, '');
  } catch (error) {
    throw new CatalogSourceError(path, origin, { kind: 'unreadable', error });
  }
  const { catalog, findings } = parseCatalog(text, path);
  if (!catalog) throw new CatalogSourceError(path, origin, { kind: 'invalid', text, findings });
  return catalog;
}

/** Where the editor's catalogs come from (the language server's lints and the probe commands alike). */
export interface EditorCatalogSources {
  /** Workspace trust: catalogs from the workspace (its files and its config's) only when trusted. */
  trusted: boolean;
  /** The workspace folder holding the file: its `*.catalog.yaml` files. */
  workspaceFolder?: string;
  /** The catalogs the file's `.allowlistrc.yaml` names (absolute paths). */
  configCatalogs: string[];
  /** The `allowlist.catalogs` setting: VS Code passes only the user's own value in an untrusted workspace. */
  settingCatalogs: string[];
  /** What relative setting paths are relative to (default: the workspace folder). */
  base?: string;
}

/** The editor's catalog set: the built-in ones, then in a trusted workspace the workspace's `*.catalog.yaml` files
 * and the config's catalogs, then `allowlist.catalogs`. Unlike the CLI it never fails: a catalog with errors is
 * left out (the editor shows its findings) and named in `problems`. */
export async function editorCatalogSet(sources: EditorCatalogSources): Promise<{ catalogs: CatalogSet; problems: string[] }> {
  const files: string[] = [];
  const addPath = async (path: string): Promise<void> => {
    if (/\.ya?ml$/i.test(path)) files.push(path);
    else files.push(...(await findCatalogFiles(path).catch((): string[] => [])));
  };
  if (sources.trusted) {
    if (sources.workspaceFolder) files.push(...(await findCatalogFiles(sources.workspaceFolder).catch((): string[] => [])));
    for (const path of sources.configCatalogs) await addPath(path);
  }
  const base = sources.base ?? sources.workspaceFolder;
  for (const path of sources.settingCatalogs) {
    if (isAbsolute(path)) await addPath(path);
    else if (base) await addPath(resolve(base, path));
  }
  const extra: Catalog[] = [];
  const problems: string[] = [];
  for (const file of [...new Set(files)]) {
    const { catalog, findings } = await loadCatalogFile(file);
    if (catalog) extra.push(catalog);
    else problems.push(`catalog ${file} left out: ${findings.find((finding) => finding.severity === 'error')?.message ?? 'it has errors'}`);
  }
  return { catalogs: buildCatalogSet([...builtinCatalogs(), ...extra]), problems };
}
