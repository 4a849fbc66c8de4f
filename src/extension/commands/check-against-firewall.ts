/** "Allowlist: Check Against Firewall Configuration…" (`allowlist.checkAgainstFirewall`): `allowlist drift` in the
 * editor. The active allowlist (or one picked from the workspace) against a configuration file and platform (the
 * import readers): the report in the "Allowlist Drift" view (extra, missing and unmet requirement rows linking to the
 * lines), and diagnostics of their own (source "allowlist drift") on the rules the firewall lacks and on the vendor
 * declarations whose requirements it fails. They are cleared when the allowlist is edited (their lines and rules may
 * no longer be what was compared) and by the next check. */
import * as vscode from 'vscode';
import { visible, visibleLines } from '../../core/common';
import { driftOf, driftVerdict, type DriftReport } from '../../core/drift';
import { isAllowlistFileName, markedKind, parseAllowlist } from '../../core/parse';
import { DRIFT_PANEL_TITLE, isDriftViewMessage, renderDriftHtml, type DriftView, type DriftViewMessage } from '../drift/view';
import { chooseConfiguration, type ConfigurationChoice } from '../firewall-configuration';
import { ResultsPanel } from '../results-panel';
import type { CommandContext } from './types';

const TITLE = 'Allowlist: Check Against Firewall Configuration';
export const DRIFT_SOURCE = 'allowlist drift';

/** What a caller may give instead of the dialogs: the allowlist, the configuration and its platform. */
export interface CheckChoice extends ConfigurationChoice {
  allowlist?: vscode.Uri;
}

/** What the command did, for its callers (the integration tests): the report and the diagnostics it published, or
 * the error it showed. */
export type CheckOutcome = { report: DriftReport; diagnostics: vscode.Diagnostic[] } | { failed: string };

/** The view and diagnostics of the checks, made on the first one and kept for the window's life. */
class DriftResults implements vscode.Disposable {
  readonly diagnostics = vscode.languages.createDiagnosticCollection(DRIFT_SOURCE);
  readonly panel: ResultsPanel<DriftView, DriftViewMessage>;
  /** What the last check compared, for the view's links and its Check Again. */
  last: { allowlist: vscode.Uri; configuration: vscode.Uri; platform: string } | undefined;
  private readonly subscriptions: vscode.Disposable[];

  constructor(context: CommandContext) {
    this.panel = new ResultsPanel({
      viewType: 'allowlist.drift',
      title: DRIFT_PANEL_TITLE,
      render: renderDriftHtml,
      isMessage: isDriftViewMessage,
      onMessage: (message) => void this.onMessage(message, context),
    });
    this.subscriptions = [
      vscode.workspace.onDidChangeTextDocument((event) => {
        if (event.contentChanges.length > 0 && this.diagnostics.has(event.document.uri)) this.diagnostics.delete(event.document.uri);
      }),
    ];
  }

  private async onMessage(message: DriftViewMessage, context: CommandContext): Promise<void> {
    const last = this.last;
    if (!last) return;
    if (message.type === 'checkAgain') {
      await checkAgainstFirewall(context, { allowlist: last.allowlist, uri: last.configuration, platform: last.platform });
      return;
    }
    const uri = message.type === 'openAllowlist' ? last.allowlist : last.configuration;
    const line = Number(message.line) - 1;
    const shown = vscode.window.visibleTextEditors.find((editor) => editor.document.uri.toString() === uri.toString());
    await vscode.window.showTextDocument(uri, { viewColumn: shown?.viewColumn ?? vscode.ViewColumn.One, selection: new vscode.Range(line, 0, line, 0) });
  }

  dispose(): void {
    this.diagnostics.dispose();
    this.panel.dispose();
    this.subscriptions.forEach((subscription) => subscription.dispose());
  }
}

let results: DriftResults | undefined;

function resultsFor(context: CommandContext): DriftResults {
  if (!results) {
    const created = new DriftResults(context);
    context.extension.subscriptions.push(created, { dispose: () => (results = undefined) });
    results = created;
  }
  return results;
}

export async function checkAgainstFirewall(context: CommandContext, given: CheckChoice = {}): Promise<CheckOutcome | undefined> {
  const document = await chooseAllowlist(given.allowlist);
  if (!document) return undefined;
  const configuration = await chooseConfiguration(TITLE, 'Check', given);
  if (!configuration || 'failed' in configuration) return configuration;
  const { log } = context;
  const drift = resultsFor(context);
  drift.diagnostics.delete(document.uri);

  const allowlistName = vscode.workspace.asRelativePath(document.uri, false);
  const { catalogs, config } = await context.lintInputs(document.uri);
  const report = driftOf(document.getText(), configuration.text, configuration.reader, { allowlistName, againstName: configuration.shown, catalogs, config });
  const notCompared = report.unparsable ?? report.firewallUnreadable;
  if (notCompared) {
    const failed = `Allowlist: ${visible(allowlistName)} was not compared with ${visible(configuration.shown)}: ${visibleLines(notCompared)}`;
    void vscode.window.showErrorMessage(failed);
    return { failed };
  }
  drift.last = { allowlist: document.uri, configuration: configuration.uri, platform: configuration.reader.id };
  log.info(`checked ${allowlistName} against ${configuration.shown} (${configuration.reader.title}): ${driftVerdict(report)}`);
  for (const problem of report.notCompared) {
    log.warn(`${visible(configuration.shown)}:${problem.line}: ${problem.kind === 'skipped' ? 'not compared' : 'compared in part'}: ${visibleLines(problem.message)}`);
  }
  const diagnostics = driftDiagnostics(document, report);
  drift.diagnostics.set(document.uri, diagnostics);

  const view: DriftView = { report, checkedAt: new Date().toISOString() };
  if (report.inSync) {
    // A view still open would show the last drift: it shows this result too.
    if (drift.panel.isOpen) drift.panel.show(view);
    void vscode.window.showInformationMessage(`Allowlist: ${visible(allowlistName)} and ${visible(configuration.shown)} are in sync.`);
  } else {
    drift.panel.show(view);
  }
  return { report, diagnostics };
}

/** The allowlist given, the active one, or one picked from the workspace's allowlists. */
async function chooseAllowlist(given: vscode.Uri | undefined): Promise<vscode.TextDocument | undefined> {
  if (given) return vscode.workspace.openTextDocument(given);
  // The drift view may have the focus: then the allowlist beside it is meant.
  const editor = [vscode.window.activeTextEditor, ...vscode.window.visibleTextEditors].find((candidate) => candidate && isAllowlist(candidate.document));
  if (editor) return editor.document;
  const files = await vscode.workspace.findFiles('**/*.allowlist.{yaml,yml}', '**/node_modules/**', 500);
  if (files.length === 0) {
    void vscode.window.showInformationMessage('Allowlist: open an allowlist to check a firewall configuration against it.');
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(
    files.map((uri) => ({ label: vscode.workspace.asRelativePath(uri, false), uri })),
    { title: TITLE, placeHolder: 'Which allowlist should the firewall match?' },
  );
  return picked && vscode.workspace.openTextDocument(picked.uri);
}

function isAllowlist(document: vscode.TextDocument): boolean {
  return isAllowlistFileName(document.fileName) || markedKind(document.getText(new vscode.Range(0, 0, 50, 0))) === 'allowlist';
}

/** A warning on each allowlist rule that grants reach the firewall lacks (at the rule's line), and one on each vendor
 * declaration whose requirement the firewall fails. */
function driftDiagnostics(document: vscode.TextDocument, report: DriftReport): vscode.Diagnostic[] {
  const diagnostics: vscode.Diagnostic[] = [];
  const add = (range: vscode.Range, message: string, code: string) => {
    const diagnostic = new vscode.Diagnostic(range, message, vscode.DiagnosticSeverity.Warning);
    diagnostic.source = DRIFT_SOURCE;
    diagnostic.code = code;
    diagnostics.push(diagnostic);
  };
  for (const access of report.missing) {
    for (const rule of access.allowlistRules) add(lineRange(document, rule.line), `${access.summary} (checked against ${report.against})`, 'missing');
  }
  const vendors = report.requirements.length > 0 ? parseAllowlist(document.getText()).model.vendors : [];
  for (const requirement of report.requirements) {
    const declaration = vendors.find((vendor) => vendor.id === requirement.vendor);
    const range = declaration ? new vscode.Range(document.positionAt(declaration.range.start), document.positionAt(declaration.range.end)) : lineRange(document, 1);
    add(range, `${requirement.summary} (checked against ${report.against})`, 'requirement-unmet');
  }
  return diagnostics;
}

/** The text of a 1-based line without its indentation (the rule's `- name:` line). */
function lineRange(document: vscode.TextDocument, line: number): vscode.Range {
  const text = document.lineAt(Math.min(Math.max(line, 1), document.lineCount) - 1);
  return new vscode.Range(text.lineNumber, text.firstNonWhitespaceCharacterIndex, text.lineNumber, text.text.length);
}
