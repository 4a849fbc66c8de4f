/** The diff of every allowlist under some paths between two git revisions (or a revision and the work tree), with
 * the inputs `allowlist diff` uses: each side's catalogs (the repository's own `*.catalog.yaml` files at that
 * revision, between the built-in ones and the user's), the config, and the day. The CLI's `allowlist diff` and
 * the editor's "Show Changes Against Base" both call `diffRevisions`, so they say the same thing. */
import { type Catalog, catalogErrorList, type CatalogProblem, type CatalogSet, loadCatalogSet, parseCatalog } from '../catalog';
import type { Finding } from '../common';
import type { LintConfig } from '../lint';
import { join } from 'node:path';
import { combineDiffs, diffAllowlists, showsAnything } from './diff';
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

/** A repository catalog that does not load at one revision: its root-relative path, text and errors. */
interface CatalogLeftOut {
  path: string;
  text: string;
  findings: Finding[];
}

/** The repository's catalogs among collected `*.catalog.yaml` texts. Ones that do not load are left out, as `lint` of a
 * folder leaves them out, and named in `leftOut` for a warning. */
export function repositoryCatalogs(texts: Map<string, string>): { catalogs: Catalog[]; leftOut: CatalogLeftOut[] } {
  const catalogs: Catalog[] = [];
  const leftOut: CatalogLeftOut[] = [];
  for (const [path, text] of texts) {
    const { catalog, findings } = parseCatalog(text, path);
    if (catalog) catalogs.push(catalog);
    else leftOut.push({ path, text, findings });
  }
  return { catalogs, leftOut };
}

/** The warning for a catalog left out at the revision `label` names, by absolute path (as the CLI shows paths). */
function leftOutProblem(root: string, { path, text, findings }: CatalogLeftOut, label: string): CatalogProblem {
  return { path: join(root, path), message: (shown) => `catalog ${shown} at ${label} does not load and is left out:${catalogErrorList(shown, text, findings)}` };
}

/** The diff, and the repository catalogs that do not load (`catalogsLeftOut`): at the head, and at the base where its
 * text differs from the head's (a catalog the change mends), for the caller to warn about. */
export async function diffRevisions(root: string, options: RevisionDiffOptions): Promise<{ report: DiffReport; collected: Collected; catalogsLeftOut: CatalogProblem[] }> {
  const collected = collectAllowlists(root, options.base.commit, options.head.revision, options.pathspecs ?? [], options.explicit ?? [], options.overrides);
  const base = repositoryCatalogs(collected.catalogs.before);
  const head = repositoryCatalogs(collected.catalogs.after);
  const catalogsLeftOut = [
    ...base.leftOut.filter(({ path, text }) => collected.catalogs.after.get(path) !== text).map((leftOut) => leftOutProblem(root, leftOut, options.base.label)),
    ...head.leftOut.map((leftOut) => leftOutProblem(root, leftOut, options.head.label)),
  ];
  const baseCatalogs = await options.catalogs(base.catalogs);
  const headCatalogs = await options.catalogs(head.catalogs);
  // A catalog changed in the repository (a vendor's update) can break or mend sites whose own text did not change:
  // those are diffed too and kept when the catalog change affects them. Otherwise an unchanged file has no change.
  const catalogsChanged = !sameTexts(collected.catalogs.before, collected.catalogs.after);
  const files: FileDiff[] = [];
  for (const entry of collected.allowlists) {
    const unchanged = entry.before === entry.after && entry.previousPath === undefined;
    if (unchanged && !catalogsChanged) continue;
    const file = diffAllowlists(entry.before, entry.after, { file: entry.path, previousFile: entry.previousPath, baseCatalogs, headCatalogs, config: options.config, today: options.today });
    if (file.status === 'unchanged') {
      // Kept when the catalogs change its vendor requirements, or its findings (a vendor's catalog deleted or broken).
      if (!showsAnything(file)) continue;
      file.notes.push('the allowlist did not change; the catalogs it uses did');
    }
    files.push(file);
  }
  return { report: combineDiffs(files, options.base.label, options.head.label), collected, catalogsLeftOut };
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
