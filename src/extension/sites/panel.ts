/** "Allowlist: Open Fleet Report": the HTML report of core/report (the CLI's page) in a webview, re-rendered when
 * the fleet report refreshes while the panel is open. */
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { renderHtml } from '../../core/report';
import type { FleetReportResult } from '../../server/protocol';
import { openArguments } from './tree';

export const FLEET_REPORT_TITLE = 'Allowlist Fleet Report';

/** A `command:` link that opens a file of the report at a line. Links use command URIs rather than a script that
 * posts messages: the panel then runs no script at all (`enableScripts: false`, no `script-src` in the page's
 * policy), so that text from an untrusted allowlist cannot run code even if an escaping bug let markup through,
 * and `enableCommandUris` allows `vscode.open` only, which opens a file and nothing else. */
function openFileHref(uri: string | undefined, line: number | undefined): string {
  if (uri === undefined) return '#';
  return `command:vscode.open?${encodeURIComponent(JSON.stringify(openArguments(vscode.Uri.parse(uri), line)))}`;
}

export class FleetReportPanel implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;

  get isOpen(): boolean {
    return this.panel !== undefined;
  }

  /** Shows the report, creating the panel in the active column on first use. */
  show(result: FleetReportResult): void {
    if (!this.panel) {
      this.panel = vscode.window.createWebviewPanel('allowlist.fleetReport', FLEET_REPORT_TITLE, vscode.ViewColumn.Active, {
        enableScripts: false,
        enableCommandUris: ['vscode.open'],
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

  private render({ report, uris }: FleetReportResult): void {
    if (!this.panel || !report) return;
    this.panel.webview.html = renderHtml(report, {
      styleNonce: randomBytes(16).toString('base64'),
      hrefOf: (file, line) => openFileHref(uris[file], line),
    });
  }

  dispose(): void {
    this.panel?.dispose();
  }
}
