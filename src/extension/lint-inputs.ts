/** The catalogs and config the editor lints a file with, for commands that lint the document's text themselves
 * (probes, export, import, the check against a firewall) and must see it as the language server does: on the
 * desktop (the web extension's are in browser-inputs.ts). */
import * as vscode from 'vscode';
import { loadProbeInputs } from '../core/probe';
import type { LintInputs } from './client';

/** Built-in catalogs, and in a trusted workspace the workspace's catalogs, its config's and `allowlist.catalogs`;
 * `.allowlistrc.yaml` with `allowlist.rules` over it. Problems loading them are logged as warnings. */
export async function lintInputsFor(uri: vscode.Uri, log: vscode.LogOutputChannel): Promise<LintInputs> {
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
