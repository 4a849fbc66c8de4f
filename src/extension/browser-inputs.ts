/** The web extension's reading of the workspace (VS Code in the browser, where github.dev exposes the repository
 * through `vscode.workspace.fs`): the texts the worker's server asks for, and the catalogs and config the commands
 * lint a file with, found as that server finds them (server/uri-workspace.ts). */
import * as vscode from 'vscode';
import { decodeText, MAX_READ_SIZE, megabytes } from '../core/files';
import { ConfigError, emptyConfig, lintedKind, SNIFF_BYTES, withSettingRules } from '../core/lint';
import type { CatalogSources, DecodedFile, WorkspaceCatalogs, WorkspaceDiscovery } from '../server/protocol';
import { catalogSources, catalogsOfFiles, nearestConfig, uriFolder } from '../server/uri-workspace';
import type { LintInputs } from './client';

/** A configuration file's text (only those: the server asks nothing else); null when there is none. */
export async function configText({ uri }: { uri: string }): Promise<string | null> {
  const file = vscode.Uri.parse(uri);
  if (!/\/\.allowlistrc\.(?:ya?ml|json)$/.test(file.path)) return null;
  try {
    return new TextDecoder().decode(await vscode.workspace.fs.readFile(file));
  } catch {
    return null;
  }
}

const CATALOG_FILES = '**/*.{catalog.yaml,catalog.yml}';

/** The catalog files of `sources` (the workspace's `*.catalog.yaml` files, those named, those in the folders named),
 * and those that could not be read. */
export async function workspaceCatalogs(sources: CatalogSources): Promise<WorkspaceCatalogs> {
  const found: WorkspaceCatalogs = { files: [], problems: [] };
  const uris = new Map<string, vscode.Uri>();
  const add = (list: vscode.Uri[]) => list.forEach((uri) => uris.set(uri.toString(), uri));
  if (sources.workspace) add(await vscode.workspace.findFiles(CATALOG_FILES, '**/node_modules/**'));
  for (const { uri, origin } of sources.paths) {
    const source = vscode.Uri.parse(uri);
    try {
      const { type } = await vscode.workspace.fs.stat(source);
      add(type & vscode.FileType.Directory ? await vscode.workspace.findFiles(new vscode.RelativePattern(source, CATALOG_FILES), '**/node_modules/**') : [source]);
    } catch (error) {
      found.problems.push(`catalogs ${uri} (${origin}) could not be read: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  for (const uri of uris.values()) {
    try {
      found.files.push({ uri: uri.toString(), text: new TextDecoder().decode(await vscode.workspace.fs.readFile(uri)) });
    } catch (error) {
      found.problems.push(`catalog ${uri.toString()} could not be read: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return found;
}

/** How many YAML files a workspace folder is searched for at most (as the walk on disk stops somewhere too). */
const MAX_YAML_FILES = 20_000;

/** The allowlists and catalogs under the workspace folders, as `allowlist lint` finds them on disk (core/lint
 * discoverFiles): YAML files outside node_modules and dot-folders, by name, else by an `allowlist:` key at the top. */
export async function workspaceFiles({ folders }: { folders: string[] }): Promise<WorkspaceDiscovery> {
  const discovery: WorkspaceDiscovery = { files: [], skipped: [] };
  for (const folder of folders) {
    const pattern = new vscode.RelativePattern(vscode.Uri.parse(folder), '**/*.{yaml,yml,YAML,YML}');
    const found = await vscode.workspace.findFiles(pattern, '**/{node_modules,.*}/**', MAX_YAML_FILES);
    if (found.length === MAX_YAML_FILES) discovery.skipped.push({ path: folder, reason: `searched in part: the first ${MAX_YAML_FILES} YAML files` });
    for (const uri of found.sort((a, b) => a.path.localeCompare(b.path))) {
      const head = async () => (await vscode.workspace.fs.readFile(uri)).subarray(0, SNIFF_BYTES);
      const kind = await lintedKind(uri.path.slice(uri.path.lastIndexOf('/') + 1), () => head().catch(() => undefined));
      if (kind) discovery.files.push({ path: uri.toString(), kind });
    }
  }
  return discovery;
}

/** A file's text decoded as the CLI decodes it (UTF-16, binary and bad UTF-8 get their finding), or why not. */
export async function decodedFile({ uri }: { uri: string }): Promise<DecodedFile> {
  const file = vscode.Uri.parse(uri);
  try {
    const { size } = await vscode.workspace.fs.stat(file);
    if (size > MAX_READ_SIZE) return { error: `the file is ${megabytes(size)}, over the ${megabytes(MAX_READ_SIZE)} limit` };
    return decodeText(await vscode.workspace.fs.readFile(file));
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  }
}

/** As the desktop's lint-inputs.ts: the built-in catalogs, in a trusted workspace the workspace's and the config's,
 * and the `allowlist.catalogs` setting's; the nearest
 * `.allowlistrc.yaml` with `allowlist.rules` over it. Problems loading them are logged as warnings. */
export async function browserLintInputs(uri: vscode.Uri, log: vscode.LogOutputChannel): Promise<LintInputs> {
  const problems: string[] = [];
  const guarded = <T>(load: () => Promise<T> | T, fallback: T): Promise<T> =>
    Promise.resolve()
      .then(load)
      .catch((error: unknown) => {
        if (!(error instanceof ConfigError)) throw error;
        problems.push(error.message);
        return fallback;
      });
  const fromFile = await guarded(() => nearestConfig(uriFolder(uri.toString()), async (config) => (await configText({ uri: config })) ?? undefined), emptyConfig());
  const config = await guarded(() => withSettingRules(fromFile, vscode.workspace.getConfiguration('allowlist', uri).get('rules')), fromFile);
  const trusted = vscode.workspace.isTrusted;
  const settingCatalogs = vscode.workspace.getConfiguration('allowlist', uri).get('catalogs');
  const base = vscode.workspace.getWorkspaceFolder(uri)?.uri.toString();
  const loaded = catalogsOfFiles(await workspaceCatalogs(catalogSources({ trusted, configCatalogs: fromFile.catalogs, settingCatalogs, base })));
  for (const problem of [...problems, ...loaded.problems]) log.warn(problem);
  return { catalogs: loaded.catalogs, config: { ...config, catalogs: trusted ? fromFile.catalogs : [] } };
}
