/** "Allowlist: Export for Firewall…" (`allowlist.exportForFirewall`): the active allowlist (its editor text, unsaved
 * edits included) as a firewall's configuration, `allowlist export` in the editor. The target is picked from TARGETS
 * (or given as the second argument); the file is linted with the catalogs and config the editor uses and refused as
 * the CLI refuses it; each output file opens in an unsaved editor of its name; the warnings go to the output channel, one
 * line each as the CLI prints them, and a notification sums them up. */
import * as vscode from 'vscode';
import { EXPORT_UNRELIABLE, exportAllowlist, formatExportWarning, TARGETS, targetById, type ExportTarget, type ExportWarning } from '../../core/export';
import { describeRulesRefusal, lintText, rulesRefusal } from '../../core/lint';
import { openUntitled } from '../untitled';
import type { CommandContext } from './types';

/** What the command did, for its callers (the integration tests): the opened documents and the logged warning lines,
 * or the message it refused the file with. */
export type ExportOutcome = { documents: vscode.TextDocument[]; logged: string[] } | { refused: string };

export async function exportForFirewall({ log, lintInputs }: CommandContext, uri?: vscode.Uri, targetId?: string): Promise<ExportOutcome | undefined> {
  const document = uri ? await vscode.workspace.openTextDocument(uri) : vscode.window.activeTextEditor?.document;
  if (!document) {
    void vscode.window.showInformationMessage('Allowlist: open an allowlist file to export it for a firewall.');
    return undefined;
  }
  const target = targetId === undefined ? await pickTarget() : targetById(targetId);
  if (!target) {
    if (targetId !== undefined) void vscode.window.showErrorMessage(`Allowlist: unknown export target "${targetId}" (targets: ${TARGETS.map((t) => t.id).join(', ')}).`);
    return undefined;
  }

  const file = vscode.workspace.asRelativePath(document.uri, false);
  const { catalogs, config } = await lintInputs(document.uri);
  const result = lintText(document.getText(), { fileName: document.uri.fsPath || document.uri.path, catalogs, config });
  const refusal = rulesRefusal(result, EXPORT_UNRELIABLE);
  if (refusal) {
    const message = `Allowlist: ${describeRulesRefusal(file, refusal, 'export', 'fix them (see the Problems panel) to export it')}`;
    const showProblems = refusal.kind === 'unreliable' ? ['Show Problems'] : [];
    void vscode.window
      .showErrorMessage(message, ...showProblems)
      .then((choice) => choice && vscode.commands.executeCommand('workbench.actions.view.problems'));
    return { refused: message };
  }

  const exported = exportAllowlist(result.model, target, { sourceName: file });
  const folder = document.uri.scheme === 'file' ? vscode.Uri.joinPath(document.uri, '..') : vscode.workspace.getWorkspaceFolder(document.uri)?.uri;
  const documents: vscode.TextDocument[] = [];
  let column: vscode.ViewColumn = vscode.ViewColumn.Beside;
  try {
    for (const output of exported.files) {
      const opened = await openUntitled(folder, output);
      // The first file beside the allowlist, the others (nftables' second file) in that same group.
      const editor: vscode.TextEditor = await vscode.window.showTextDocument(opened, { viewColumn: column, preview: false });
      column = editor.viewColumn ?? column;
      documents.push(opened);
    }
  } catch (error) {
    void vscode.window.showErrorMessage(`Allowlist: cannot open the export: ${error instanceof Error ? error.message : String(error)}`);
    return undefined;
  }
  const logged = exported.warnings.map((warning) => formatExportWarning(file, warning));
  log.info(`exported ${file} for ${target.title}: ${exported.files.map((output) => output.name).join(', ')}`);
  for (const [index, line] of logged.entries()) {
    if (exported.warnings[index].kind === 'unfaithful') log.warn(line);
    else log.info(line);
  }
  notify(target, exported.warnings, log);
  return { documents, logged };
}

async function pickTarget(): Promise<ExportTarget | undefined> {
  const picked = await vscode.window.showQuickPick(
    TARGETS.map((target) => ({ label: target.title, description: target.output === 'multiple' ? 'several files' : undefined, target })),
    { title: 'Allowlist: Export for Firewall', placeHolder: 'Which firewall should allow what this file allows?' },
  );
  return picked?.target;
}

/** The warnings in one notification, pointing at the output channel for the rules and workarounds. */
function notify(target: ExportTarget, warnings: ExportWarning[], log: vscode.LogOutputChannel): void {
  if (warnings.length === 0) return;
  const unfaithful = new Set(warnings.filter((warning) => warning.kind === 'unfaithful').map((warning) => warning.rule)).size;
  const shown =
    unfaithful > 0
      ? vscode.window.showWarningMessage(`Allowlist: ${unfaithful} rule${unfaithful === 1 ? '' : 's'} could not be expressed faithfully for ${target.title}: see the Output.`, 'Show Output')
      : vscode.window.showInformationMessage(`Allowlist: exported for ${target.title} with ${warnings.length} note${warnings.length === 1 ? '' : 's'}: see the Output.`, 'Show Output');
  void shown.then((choice) => choice && log.show(true));
}
