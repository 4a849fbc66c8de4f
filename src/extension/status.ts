/** The status bar item: the active allowlist's finding counts and the catalogs in use (from the server's `allowlist/status`). */
import * as vscode from 'vscode';
import type { StatusParams } from '../server/protocol';

export class StatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('allowlist.status', vscode.StatusBarAlignment.Left, 50);
  private readonly byUri = new Map<string, StatusParams>();
  private readonly listeners: vscode.Disposable[];

  constructor() {
    this.item.name = 'Firewall Allowlist';
    this.item.command = 'workbench.actions.view.problems';
    this.listeners = [
      vscode.window.onDidChangeActiveTextEditor(() => this.render()),
      vscode.workspace.onDidCloseTextDocument((document) => {
        this.byUri.delete(document.uri.toString());
        this.render();
      }),
    ];
  }

  update(params: StatusParams): void {
    this.byUri.set(params.uri, params);
    this.render();
  }

  /** The text editor the item speaks for: the active one, or, while a panel or webview (the probe results) has
   * the focus, the last active one as long as it is still visible. */
  private lastUri?: string;

  private render(): void {
    const active = vscode.window.activeTextEditor?.document.uri.toString();
    if (active) this.lastUri = active;
    const uri = active ?? vscode.window.visibleTextEditors.map((editor) => editor.document.uri.toString()).find((visible) => visible === this.lastUri);
    const status = uri ? this.byUri.get(uri) : undefined;
    if (!status) {
      this.item.hide();
      return;
    }
    const total = status.errors + status.warnings + status.infos;
    const parts = [
      status.errors ? `${status.errors} error${status.errors === 1 ? '' : 's'}` : '',
      status.warnings ? `${status.warnings} warning${status.warnings === 1 ? '' : 's'}` : '',
      status.infos ? `${status.infos} info` : '',
    ].filter(Boolean);
    this.item.text = total === 0 ? '$(pass) Allowlist' : `$(${status.errors ? 'error' : 'warning'}) Allowlist: ${parts.join(', ')}`;
    const tooltip = new vscode.MarkdownString(`**Firewall Allowlist**: ${total === 0 ? 'no findings' : parts.join(', ')}\n\nCatalogs in use:\n\n${status.catalogs.map((c) => `- ${c.name} (\`${c.id}\`, ${c.origin.startsWith('builtin:') ? 'built-in' : c.origin})`).join('\n')}`);
    this.item.tooltip = tooltip;
    this.item.show();
  }

  dispose(): void {
    for (const listener of this.listeners) listener.dispose();
    this.item.dispose();
  }
}
