/** The Sites view's tree: one item per allowlist of the workspace, from the fleet report, with its state's icon,
 * counts, vendors and next expiry; clicking one opens the file at its first finding. */
import * as vscode from 'vscode';
import type { FleetSource } from './fleet';
import { type SiteState, type SiteSummary, summarizeSites } from './summary';

const ICONS: Record<SiteState, vscode.ThemeIcon> = {
  error: new vscode.ThemeIcon('error', new vscode.ThemeColor('problemsErrorIcon.foreground')),
  warning: new vscode.ThemeIcon('warning', new vscode.ThemeColor('problemsWarningIcon.foreground')),
  ok: new vscode.ThemeIcon('pass', new vscode.ThemeColor('testing.iconPassed')),
};

export interface SiteItem {
  summary: SiteSummary;
  uri: vscode.Uri;
}

/** The arguments of `vscode.open` that open `uri` with the cursor at the start of a 1-based line. As plain objects,
 * because a command link carries them as JSON (the report panel's links use this too). */
export function openArguments(uri: vscode.Uri, line: number | undefined): [vscode.Uri, vscode.TextDocumentShowOptions?] {
  if (line === undefined) return [uri];
  const at = { line: line - 1, character: 0 };
  return [uri, { selection: { start: at, end: at } as vscode.Range }];
}

export class SitesTreeProvider implements vscode.TreeDataProvider<SiteItem> {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;

  constructor(private readonly source: FleetSource) {}

  /** Tells the view to ask for its items again (after the source refreshed). */
  update(): void {
    this.changed.fire();
  }

  /** The items the view shows, in the report's order (its sites': the discovery's, by path). */
  items(): SiteItem[] {
    const result = this.source.result;
    if (!result?.report) return [];
    return summarizeSites(result.report).flatMap((summary) => {
      const uri = result.uris[summary.file];
      return uri ? [{ summary, uri: vscode.Uri.parse(uri) }] : [];
    });
  }

  getChildren(element?: SiteItem): SiteItem[] {
    return element ? [] : this.items();
  }

  getTreeItem({ summary, uri }: SiteItem): vscode.TreeItem {
    const item = new vscode.TreeItem(summary.name, vscode.TreeItemCollapsibleState.None);
    item.id = uri.toString();
    item.description = summary.description;
    item.tooltip = summary.tooltip;
    item.iconPath = ICONS[summary.state];
    item.contextValue = 'allowlist.site';
    item.command = { command: 'vscode.open', title: 'Open', arguments: openArguments(uri, summary.line) };
    return item;
  }
}
