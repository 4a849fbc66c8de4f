/** A catalog set from where catalogs come from, in one order for every caller (the CLI's commands, `allowlist
 * diff` and the editor's Show Changes): the built-in catalogs, catalogs already loaded (a repository's own), then
 * the files and folders the config's `catalogs:` and the command line name. Later ones replace earlier ones of
 * the same vendor. A named catalog that cannot be read or does not load stops the whole set: the user asked
 * for it. */
import { readFile, stat } from 'node:fs/promises';
import type { Finding } from '../types';
import { buildCatalogSet, builtinCatalogs, findCatalogFiles, parseCatalog } from './load';
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
