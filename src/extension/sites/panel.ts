/** "Allowlist: Open Fleet Report": the HTML report of core/report (the CLI's page) in a webview, re-rendered when
 * the fleet report refreshes while the panel is open. */
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { renderHtml } from '../../core/report';
import type { FleetReportResult } from '../../server/protocol';
import { openArguments } from './tree';

export const FLEET_REPORT_TITLE = 'Allowlist Fleet Report';

/** The command the report's links run: `[file, line?]`, a file as the report names it. Not in the palette. */
export const OPEN_REPORT_LOCATION_COMMAND = 'allowlist.openReportLocation';

/** A `command:` link to a file of the report at a line. Links are command URIs rather than a script that posts
 * messages: the panel then runs no script at all (`enableScripts: false`, no `script-src` in the page's policy), so
 * that text from an untrusted allowlist cannot run code even if an escaping bug let markup through; and the one
 * command the panel may run (`enableCommandUris`) opens files of the report only. That command is ours rather than
 * `vscode.open` because a file URI in a link goes from the webview to the workbench untranslated, which in a remote
 * window (code-server, SSH, containers) names a file on the wrong machine; ours runs in the extension host. */
function locationHref(file: string, line: number | undefined): string {
  return `command:${OPEN_REPORT_LOCATION_COMMAND}?${encodeURIComponent(JSON.stringify(line === undefined ? [file] : [file, line]))}`;
}

export class FleetReportPanel implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private shown: FleetReportResult | undefined;

  get isOpen(): boolean {
    return this.panel !== undefined;
  }

  /** Shows the report, creating the panel in the active column on first use. */
  show(result: FleetReportResult): void {
    if (!this.panel) {
      this.panel = vscode.window.createWebviewPanel('allowlist.fleetReport', FLEET_REPORT_TITLE, vscode.ViewColumn.Active, {
        enableScripts: false,
        enableCommandUris: [OPEN_REPORT_LOCATION_COMMAND],
        localResourceRoots: [],
      });
      this.panel.onDidDispose(() => (this.panel = undefined));
    }
    this.render(result);
    this.panel.reveal();
  }

  /** Re-renders an open panel (a refresh of the Sites view); does nothing when it is closed. */
  update(result: FleetReportResult | undefined): void {
    if (this.panel && result?.report) this.render(result);
  }

  /** Opens a file of the shown report (a link's arguments: anything else is ignored) at a 1-based line. */
  async openLocation(file: unknown, line: unknown): Promise<void> {
    const uri = typeof file === 'string' && this.shown && Object.hasOwn(this.shown.uris, file) ? this.shown.uris[file] : undefined;
    if (uri === undefined) return;
    const [target, options] = openArguments(vscode.Uri.parse(uri), typeof line === 'number' && Number.isSafeInteger(line) && line > 0 ? line : undefined);
    await vscode.window.showTextDocument(target, options);
  }

  private render(result: FleetReportResult): void {
    if (!this.panel || !result.report) return;
    this.shown = result;
    this.panel.webview.html = renderHtml(result.report, { styleNonce: randomBytes(16).toString('base64'), hrefOf: locationHref });
  }

  dispose(): void {
    this.panel?.dispose();
  }
}
