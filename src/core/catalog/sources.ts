/** A catalog set from where catalogs come from, in one order for every caller (the CLI's commands, `allowlist
 * diff` and the editor's Show Changes): the built-in catalogs, catalogs already loaded (a repository's own), then
 * the files and folders the config's `catalogs:` and the command line name. Later ones replace earlier ones of
 * the same vendor. A named catalog that cannot be read or does not load stops the whole set: the user asked
 * for it. */
import { stat } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { ioMessage, isFolder, repositoryRoot } from '../files';
import { type Finding, LineIndex } from '../common';
import { builtinCatalogs } from './builtin';
import { buildCatalogSet } from './load';
import { findCatalogFiles, loadCatalogFile, type CatalogFileResult } from './files';
import type { Catalog, CatalogSet } from './types';

/** A catalog file or folder of `*.catalog.yaml`, and who named it (for messages: "--catalog", "from .allowlistrc.yaml"). */
export interface CatalogSource {
  path: string;
  origin: string;
}

export type CatalogSourceProblem =
  | { kind: 'missing' | 'unreadable'; error: unknown }
  | { kind: 'empty-folder' }
  /** The folder walk stopped at its limit (`catalogs: [/]`): what it found would be an arbitrary part. */
  | { kind: 'too-large-folder'; reason: string }
  | { kind: 'invalid'; text: string; findings: Finding[] };

/** A folder a catalog walk could not search, for a warning: the catalogs there are not loaded. */
export interface SkippedFolder {
  path: string;
  reason: string;
}

export class CatalogSourceError extends Error {
  constructor(
    readonly path: string,
    readonly origin: string,
    readonly problem: CatalogSourceProblem,
  ) {
    super(describeCatalogProblem(path, origin, problem));
  }
}

/** The message for a catalog source's problem, with the path as the caller shows it. */
export function describeCatalogProblem(path: string, origin: string, problem: CatalogSourceProblem): string {
  switch (problem.kind) {
    case 'missing':
      return `catalog ${path} (${origin}): ${ioMessage(problem.error)}`;
    case 'unreadable':
      return `cannot read catalog ${path} (${origin}): ${ioMessage(problem.error)}`;
    case 'empty-folder':
      return `catalog folder ${path} (${origin}) has no *.catalog.yaml files`;
    case 'too-large-folder':
      return `catalog folder ${path} (${origin}): ${problem.reason}; name the folder that holds the catalogs`;
    case 'invalid':
      return `catalog ${path} (${origin}) failed to load: ${problem.findings.find((finding) => finding.severity === 'error')?.message ?? 'not a catalog'}`;
  }
}

export async function loadCatalogSet(options: { builtins: boolean; extra?: Catalog[]; sources: CatalogSource[]; onSkipped?: (folder: SkippedFolder, source: CatalogSource) => void }): Promise<CatalogSet> {
  const catalogs: Catalog[] = options.builtins ? [...builtinCatalogs()] : [];
  catalogs.push(...(options.extra ?? []));
  for (const source of options.sources) {
    const found = await catalogFiles(source.path);
    for (const folder of found.skipped) options.onSkipped?.(folder, source);
    if (found.problem) throw new CatalogSourceError(source.path, source.origin, found.problem);
    for (const file of found.files) catalogs.push(await requireCatalog(file, source.origin));
  }
  return buildCatalogSet(catalogs);
}

/** The file, or the `*.catalog.yaml` files under a folder and the sub-folders that could not be searched; a
 * problem when there is nothing to load (no such path, an unreadable or empty folder, one too large to search). */
async function catalogFiles(path: string): Promise<{ files: string[]; skipped: SkippedFolder[]; problem?: CatalogSourceProblem }> {
  let folder: boolean;
  try {
    folder = (await stat(path)).isDirectory();
  } catch (error) {
    return { files: [], skipped: [], problem: { kind: 'missing', error } };
  }
  if (!folder) return { files: [path], skipped: [] };
  const walked = await findCatalogFiles(path);
  const rootSkipped = walked.skipped.find((skipped) => skipped.path === path);
  if (rootSkipped) return { files: [], skipped: [], problem: { kind: 'unreadable', error: new Error(rootSkipped.reason) } };
  if (walked.truncated) return { files: [], skipped: [], problem: { kind: 'too-large-folder', reason: walked.truncated } };
  if (walked.files.length === 0) return { files: [], skipped: walked.skipped, problem: { kind: 'empty-folder' } };
  return { files: walked.files, skipped: walked.skipped };
}

async function requireCatalog(path: string, origin: string): Promise<Catalog> {
  const { catalog, findings, text, unreadable } = await loadCatalogFile(path);
  if (text === undefined) throw new CatalogSourceError(path, origin, { kind: 'unreadable', error: unreadable });
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
  const problems: string[] = [];
  const skipped = (folders: SkippedFolder[]): void => {
    for (const folder of folders) problems.push(`folder ${folder.path} not searched for catalogs: ${folder.reason}`);
  };
  const addPath = async (path: string, origin: string): Promise<void> => {
    if (/\.ya?ml$/i.test(path)) return void files.push(path);
    const found = await catalogFiles(path);
    skipped(found.skipped);
    if (found.problem) problems.push(new CatalogSourceError(path, origin, found.problem).message);
    files.push(...found.files);
  };
  if (sources.trusted) {
    if (sources.workspaceFolder) {
      const walked = await findCatalogFiles(sources.workspaceFolder);
      skipped(walked.skipped);
      if (walked.truncated) problems.push(`workspace folder ${sources.workspaceFolder} searched for catalogs in part: ${walked.truncated}`);
      files.push(...walked.files);
    }
    for (const path of sources.configCatalogs) await addPath(path, 'from the config');
  }
  const base = sources.base ?? sources.workspaceFolder;
  for (const path of sources.settingCatalogs) {
    if (isAbsolute(path)) await addPath(path, 'allowlist.catalogs');
    else if (base) await addPath(resolve(base, path), 'allowlist.catalogs');
  }
  const extra: Catalog[] = [];
  for (const file of [...new Set(files)]) {
    const loaded = await loadCatalogFile(file);
    if (loaded.catalog) extra.push(loaded.catalog);
    else problems.push(`catalog ${file} left out:${leftOutReason(loaded, file)}`);
  }
  return { catalogs: buildCatalogSet([...builtinCatalogs(), ...extra]), problems };
}

/** Why a catalog that did not load is left out (the editor's catalogs and those near a linted path), after a colon:
 * the read error, else its errors at their places, all in one round (`shown` is its path as shown). */
function leftOutReason({ findings, unreadable, text }: CatalogFileResult, shown: string): string {
  return unreadable || text === undefined ? ` ${ioMessage(unreadable)}` : catalogErrorList(shown, text, findings);
}

/** A catalog's errors, one `\n  PATH:LINE:COL: message [rule]` line each (the first five, then how many more), for
 * the messages that name a catalog that did not load. */
export function catalogErrorList(shown: string, text: string, findings: Finding[]): string {
  const lines = new LineIndex(text);
  const errors = findings.filter((finding) => finding.severity === 'error');
  const listed = errors.slice(0, 5).map((finding) => {
    const { line, character } = lines.positionAt(finding.range.start);
    return `\n  ${shown}:${line + 1}:${character + 1}: ${finding.message} [${finding.ruleId}]`;
  });
  const more = errors.length > listed.length ? `\n  … and ${errors.length - listed.length} more` : '';
  return `${listed.join('')}${more}`;
}

/** A catalog or folder left out, with its message for a shown path. */
export interface CatalogProblem {
  path: string;
  message: (shown: string) => string;
}

/** The valid `*.catalog.yaml` catalogs near the given paths (folders or files): anywhere in a path's git
 * repository (a catalog in `vendor/` serves an allowlist in `sites/`, whether a folder, one file as pre-commit
 * passes it, or the whole repository is linted or probed); outside a repository, under the folder or beside
 * the file (in its own folder only: a file in the home folder must not have the home folder walked). A catalog
 * that does not load is left out, and so are folders the walk cannot search: `problems`
 * names each (by path, for the CLI's warnings), so that a left-out catalog never passes unnoticed. (The editor
 * takes the workspace folder's catalogs instead: `editorCatalogSet`.) Files in `loadedAlready` (catalogs the caller
 * reads itself: those `allowlist lint` lints) are neither read nor reported here. */
export async function catalogsNear(paths: string[], loadedAlready: { has(path: string): boolean } = new Set<string>()): Promise<{ loaded: { path: string; catalog: Catalog }[]; problems: CatalogProblem[] }> {
  // Each folder to search, and whether under it too (a repository, a folder named) or only in it (beside a file).
  const roots = new Map<string, boolean>();
  for (const path of paths) {
    const named = isFolder(path);
    const folder = named ? path : dirname(path);
    const root = repositoryRoot(folder);
    const inRepository = existsSync(join(root, '.git'));
    const where = inRepository ? root : folder;
    roots.set(where, roots.get(where) === true || inRepository || named);
  }
  const loaded: { path: string; catalog: Catalog }[] = [];
  const problems: CatalogProblem[] = [];
  for (const [root, under] of roots) {
    // A folder that is not there has no catalogs: reading the named file reports the problem.
    if (!isFolder(root)) continue;
    const walked = await findCatalogFiles(root, under);
    for (const { path, reason } of walked.skipped) problems.push({ path, message: (shown) => `folder ${shown} not searched for catalogs: ${reason}` });
    if (walked.truncated) problems.push({ path: root, message: (shown) => `folder ${shown} searched for catalogs in part: ${walked.truncated}` });
    for (const file of walked.files.filter((found) => !loadedAlready.has(found))) {
      const result = await loadCatalogFile(file);
      if (result.catalog) loaded.push({ path: file, catalog: result.catalog });
      else problems.push({ path: file, message: (shown) => `catalog ${shown} left out:${leftOutReason(result, shown)}` });
    }
  }
  return { loaded, problems };
}
