/** Allowlist: Lint All Allowlists in Workspace — the server lints every allowlist and catalog in the
 * workspace folders as `allowlist lint` does and publishes them all, so the Problems panel matches CI. */
import * as vscode from 'vscode';
import { LINT_WORKSPACE_REQUEST, type LintWorkspaceResult } from '../../server/protocol';
import type { CommandContext } from './types';

export async function lintWorkspace({ client }: CommandContext): Promise<LintWorkspaceResult> {
  const languageClient = await client.start();
  const result = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Window, title: 'Linting allowlists…' },
    () => languageClient.sendRequest<LintWorkspaceResult>(LINT_WORKSPACE_REQUEST),
  );
  const summary = `Allowlist: ${result.files} file${result.files === 1 ? '' : 's'} linted: ${result.errors} errors, ${result.warnings} warnings, ${result.infos} info.`;
  if (result.errors + result.warnings + result.infos > 0) {
    void vscode.window.showInformationMessage(summary, 'Show Problems').then((choice) => {
      if (choice) void vscode.commands.executeCommand('workbench.actions.view.problems');
    });
  } else void vscode.window.showInformationMessage(summary);
  return result;
}
