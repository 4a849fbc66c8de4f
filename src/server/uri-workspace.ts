/** The workspace as the browser sees it, where files are URIs (`vscode-vfs://github/owner/repo/...`) read by the web
 * extension through `vscode.workspace.fs`: the nearest config file above a folder and the catalogs among the texts
 * read. Shared by the web worker's server (browser.ts) and the web extension's commands (extension/browser-inputs.ts),
 * which differ only in how a file's text is read. */
import { buildCatalogSet, builtinCatalogs, type Catalog, type CatalogSet, MAX_CATALOG_SIZE, parseCatalog } from '../core/catalog';
import { CONFIG_FILE_NAMES, emptyConfig, type LintConfig, parseConfig } from '../core/lint';
import type { CatalogSources, WorkspaceCatalogs } from './protocol';

/** The nearest config file at or above `folder` (a URI), up to the root of its authority (a ConfigError when it is broken). */
export async function nearestConfig(folder: string, readText: (uri: string) => Promise<string | undefined>): Promise<LintConfig> {
  for (let dir: string | undefined = folder; dir !== undefined; dir = parentFolder(dir)) {
    for (const name of CONFIG_FILE_NAMES) {
      const uri = `${dir}/${name}`;
      const text = await readText(uri);
      if (text !== undefined) return parseConfig(text, uri);
    }
  }
  return emptyConfig();
}

/** The folder of a URI (`vscode-vfs://github/o/r/sites/a.yaml` → `vscode-vfs://github/o/r/sites`). */
export function uriFolder(uri: string): string {
  return uri.replace(/\/[^/]*$/, '');
}

/** The folder above a URI's folder (`vscode-vfs://github/o/r/sites` → `vscode-vfs://github/o/r`); undefined at the
 * root of its authority, or for a URI without one (`untitled:`). */
function parentFolder(folder: string): string | undefined {
  const path = /^[a-z][a-z0-9+.-]*:\/\/[^/]*(\/.*)?$/i.exec(folder)?.[1];
  return path && path !== '/' ? uriFolder(folder) : undefined;
}

/** The catalogs to read for a file, as the editor loads them on disk (core/catalog editorCatalogSet): in a trusted
 * workspace its own catalogs and those of the config's `catalogs:` (URIs already, resolved against the config's), and
 * those of the `allowlist.catalogs` setting, relative to the workspace folder `base` (a URI) unless they are URIs. */
export function catalogSources(sources: { trusted: boolean; configCatalogs: string[]; settingCatalogs: unknown; base?: string }): CatalogSources {
  const paths = sources.trusted ? sources.configCatalogs.map((uri) => ({ uri, origin: 'from the config' })) : [];
  const settings = Array.isArray(sources.settingCatalogs) ? sources.settingCatalogs.filter((entry): entry is string => typeof entry === 'string' && entry.trim() !== '') : [];
  for (const entry of settings) {
    const uri = resolveUri(entry, sources.base);
    if (uri !== undefined) paths.push({ uri, origin: 'allowlist.catalogs' });
  }
  return { workspace: sources.trusted, paths };
}

function resolveUri(entry: string, base: string | undefined): string | undefined {
  try {
    return new URL(entry, base === undefined ? undefined : `${base.replace(/\/$/, '')}/`).href;
  } catch {
    return undefined;
  }
}

/** The built-in catalogs and those among the files read; files over the size limit or that are no catalog are left
 * out and named in `problems`, with the files that could not be read. `texts` holds the loaded ones' texts by URI. */
export function catalogsOfFiles(found: WorkspaceCatalogs): { catalogs: CatalogSet; problems: string[]; texts: Map<string, string> } {
  const loaded: Catalog[] = [];
  const problems = [...found.problems];
  const texts = new Map<string, string>();
  for (const { uri, text } of found.files) {
    if (text.length > MAX_CATALOG_SIZE) {
      problems.push(`catalog ${uri} left out: it is over the ${MAX_CATALOG_SIZE / 1024} KB limit of a catalog`);
      continue;
    }
    const { catalog, findings } = parseCatalog(text, uri);
    if (!catalog) {
      problems.push(`catalog ${uri} left out: ${findings.find((finding) => finding.severity === 'error')?.message ?? 'not a catalog'}`);
      continue;
    }
    loaded.push(catalog);
    texts.set(uri, text);
  }
  return { catalogs: buildCatalogSet([...builtinCatalogs(), ...loaded]), problems, texts };
}
