/** A results view in a webview (probe results, drift): one panel per kind, re-used by every run and rendered from
 * the last view by a core renderer (which escapes everything and sets a strict CSP with the nonce given here). */
import * as vscode from 'vscode';
import type { WebviewPage } from '../core/common';

export interface ResultsPanelOptions<View, Message> {
  viewType: string;
  title: string;
  render(view: View, page: WebviewPage): string;
  /** Guards what the page posts: only these messages reach onMessage. */
  isMessage(message: unknown): message is Message;
  onMessage(message: Message, view: View): void;
}

export class ResultsPanel<View, Message> implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private view: View | undefined;

  constructor(private readonly options: ResultsPanelOptions<View, Message>) {}

  /** Whether the panel is open (closed by the user, it is created again by the next show). */
  get isOpen(): boolean {
    return this.panel !== undefined;
  }

  /** Shows `view` in the panel (created beside the editor on first use), keeping the editor's focus. */
  show(view: View): void {
    this.view = view;
    if (!this.panel) {
      this.panel = vscode.window.createWebviewPanel(
        this.options.viewType,
        this.options.title,
        { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
        { enableScripts: true, localResourceRoots: [] },
      );
      this.panel.onDidDispose(() => (this.panel = undefined));
      this.panel.webview.onDidReceiveMessage((message: unknown) => {
        if (this.view !== undefined && this.options.isMessage(message)) this.options.onMessage(message, this.view);
      });
    }
    this.panel.webview.html = this.options.render(this.view, { nonce: nonce(), cspSource: this.panel.webview.cspSource });
    this.panel.reveal(undefined, true);
  }

  dispose(): void {
    this.panel?.dispose();
  }
}

/** A fresh nonce for the page's CSP: 16 random bytes (Web Crypto, in Node's extension host and in the browser's), in hex. */
function nonce(): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (byte) => byte.toString(16).padStart(2, '0')).join('');
}
