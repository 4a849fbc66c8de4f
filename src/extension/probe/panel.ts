/** The "Allowlist Probe Results" webview: one panel, re-used by every run and rendered from the last
 * results (the HTML comes from core/probe-view, which escapes everything and sets a strict CSP). */
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { isProbeViewMessage, PROBE_PANEL_TITLE, renderProbeHtml, type ProbeView, type ProbeViewMessage } from '../../core/probe';

export class ProbeResultsPanel implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private view: ProbeView | undefined;

  constructor(private readonly onMessage: (message: ProbeViewMessage, view: ProbeView | undefined) => void) {}

  get lastView(): ProbeView | undefined {
    return this.view;
  }

  /** Shows `view` in the panel (created beside the editor on first use), keeping the editor's focus. */
  show(view: ProbeView): void {
    this.view = view;
    if (!this.panel) {
      this.panel = vscode.window.createWebviewPanel(
        'allowlist.probeResults',
        PROBE_PANEL_TITLE,
        { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
        { enableScripts: true, localResourceRoots: [] },
      );
      this.panel.onDidDispose(() => (this.panel = undefined));
      this.panel.webview.onDidReceiveMessage((message: unknown) => {
        if (isProbeViewMessage(message)) this.onMessage(message, this.view);
      });
    }
    this.panel.webview.html = renderProbeHtml(this.view, {
      nonce: randomBytes(16).toString('base64'),
      cspSource: this.panel.webview.cspSource,
    });
    this.panel.reveal(undefined, true);
  }

  dispose(): void {
    this.panel?.dispose();
  }
}
