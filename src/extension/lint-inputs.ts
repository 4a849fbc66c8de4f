/** The catalogs and config the editor lints a file with, for commands that lint the document's text themselves
 * (probes, export) and must see it as the language server does. */
import * as vscode from 'vscode';
import type { CatalogSet } from '../core/catalog';
import type { LintConfig } from '../core/lint';
import { loadProbeInputs } from '../core/probe';

/** Built-in catalogs, and in a trusted workspace the workspace's catalogs, its config's and `allowlist.catalogs`;
 * `.allowlistrc.yaml` with `allowlist.rules` over it. Problems loading them are logged as warnings. */
export async function lintInputsFor(uri: vscode.Uri, log: vscode.LogOutputChannel): Promise<{ catalogs: CatalogSet; config: LintConfig }> {
  const settings = vscode.workspace.getConfiguration('allowlist', uri);
  const { catalogs, config, problems } = await loadProbeInputs({
    filePath: uri.scheme === 'file' ? uri.fsPath : undefined,
    workspaceFolder: vscode.workspace.getWorkspaceFolder(uri)?.uri.fsPath,
    trusted: vscode.workspace.isTrusted,
    settingCatalogs: settings.get('catalogs'),
    settingRules: settings.get('rules'),
  });
  for (const problem of problems) log.warn(problem);
  return { catalogs, config };
}
