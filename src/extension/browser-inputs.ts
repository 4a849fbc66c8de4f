/** The web extension's reading of the workspace (VS Code in the browser, where github.dev exposes the repository
 * through `vscode.workspace.fs`): the texts the worker's server asks for, and the catalogs and config the commands
 * lint a file with, found as that server finds them (server/uri-workspace.ts). */
import * as vscode from 'vscode';
import { ConfigError, emptyConfig, withSettingRules } from '../core/lint';
import type { WorkspaceCatalogs } from '../server/protocol';
import { catalogsOfFiles, nearestConfig, uriFolder } from '../server/uri-workspace';
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

/** The workspace's `*.catalog.yaml` files, and those that could not be read. */
export async function workspaceCatalogs(): Promise<WorkspaceCatalogs> {
  const found: WorkspaceCatalogs = { files: [], problems: [] };
  for (const uri of await vscode.workspace.findFiles('**/*.{catalog.yaml,catalog.yml}', '**/node_modules/**')) {
    try {
      found.files.push({ uri: uri.toString(), text: new TextDecoder().decode(await vscode.workspace.fs.readFile(uri)) });
    } catch (error) {
      found.problems.push(`catalog ${uri.toString()} could not be read: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return found;
}

/** As the desktop's lint-inputs.ts: the built-in catalogs and, in a trusted workspace, the workspace's; the nearest
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
  const loaded = catalogsOfFiles(trusted ? await workspaceCatalogs() : { files: [], problems: [] });
  for (const problem of [...problems, ...loaded.problems]) log.warn(problem);
  return { catalogs: loaded.catalogs, config: { ...config, catalogs: trusted ? fromFile.catalogs : [] } };
}
