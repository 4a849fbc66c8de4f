/** The diff of every allowlist under some paths between two git revisions (or a revision and the work tree), with
 * the inputs `allowlist diff` uses: each side's catalogs (the repository's own `*.catalog.yaml` files at that
 * revision, between the built-in ones and the user's), the config, and the day. The CLI's `allowlist diff` and
 * the editor's "Show Changes Against Base" both call `diffRevisions`, so they say the same thing. */
import { type Catalog, type CatalogSet, loadCatalogSet, parseCatalog } from '../catalog';
import type { LintConfig } from '../lint';
import { combineDiffs, diffAllowlists } from './diff';
import { collectAllowlists, type Collected, type Revision } from './git';
import type { DiffReport, FileDiff } from './types';

export interface RevisionDiffOptions {
  /** The base commit, and how to name it in the report (e.g. `merge-base(main, HEAD) (1a2b3c4)`). */
  base: { commit: string; label: string };
  head: { revision: Revision; label: string };
  /** Root-relative pathspecs (none: the whole repository). */
  pathspecs?: string[];
  /** Root-relative files named explicitly: diffed whatever their name. */
  explicit?: string[];
  /** Root-relative path → text replacing the work tree's (an editor's unsaved documents). */
  overrides?: Map<string, string>;
  config: LintConfig;
  /**
   * One side's catalog set, given the repository's own catalogs at that revision. The CLI's: built-ins, then
   * these, then the config's `catalogs:`, then `--catalog` (later ones replace earlier ones of the same vendor);
   * see `configuredCatalogSet`.
   */
  catalogs(repositoryCatalogs: Catalog[]): CatalogSet | Promise<CatalogSet>;
  /** YYYY-MM-DD for the expiry rules (default today, UTC). */
  today?: string;
}

/** The repository's catalogs among collected `*.catalog.yaml` texts (ones that do not load are left out, as `lint` of a folder reports them). */
export function repositoryCatalogs(texts: Map<string, string>): Catalog[] {
  return [...texts].flatMap(([path, text]) => parseCatalog(text, path).catalog ?? []);
}

export async function diffRevisions(root: string, options: RevisionDiffOptions): Promise<{ report: DiffReport; collected: Collected }> {
  const collected = collectAllowlists(root, options.base.commit, options.head.revision, options.pathspecs ?? [], options.explicit ?? [], options.overrides);
  const baseCatalogs = await options.catalogs(repositoryCatalogs(collected.catalogs.before));
  const headCatalogs = await options.catalogs(repositoryCatalogs(collected.catalogs.after));
  // A catalog changed in the repository (a vendor's update) can break or mend sites whose own text did not change:
  // those are diffed too and kept when the catalog change affects them. Otherwise an unchanged file has no change.
  const catalogsChanged = !sameTexts(collected.catalogs.before, collected.catalogs.after);
  const files: FileDiff[] = [];
  for (const entry of collected.allowlists) {
    const unchanged = entry.before === entry.after && entry.previousPath === undefined;
    if (unchanged && !catalogsChanged) continue;
    const file = diffAllowlists(entry.before, entry.after, { file: entry.path, previousFile: entry.previousPath, baseCatalogs, headCatalogs, config: options.config, today: options.today });
    if (file.status === 'unchanged') {
      if (file.changes.length === 0) continue;
      file.notes.push('the allowlist did not change; the catalogs it uses did');
    }
    files.push(file);
  }
  return { report: combineDiffs(files, options.base.label, options.head.label), collected };
}

function sameTexts(a: Map<string, string>, b: Map<string, string>): boolean {
  return a.size === b.size && [...a].every(([path, text]) => b.get(path) === text);
}

/** A catalog set as `allowlist diff` builds it, for callers without the CLI: the built-in catalogs, `extra` (the
 * repository's), then the catalogs the config's `catalogs:` names. Throws a `CatalogSourceError` naming a config
 * catalog that cannot be read or does not load, as the CLI stops on one. */
export function configuredCatalogSet(config: LintConfig, extra: Catalog[] = []): Promise<CatalogSet> {
  const origin = `from ${config.path ?? 'the config'}`;
  return loadCatalogSet({ builtins: true, extra, sources: config.catalogs.map((path) => ({ path, origin })) });
}
