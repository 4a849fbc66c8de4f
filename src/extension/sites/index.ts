/** The fleet in VS Code (issue 14): the Sites view in the Explorer (every allowlist of the workspace with its state)
 * and "Allowlist: Open Fleet Report" (core/report's HTML page in a webview), both from one fleet report that the
 * language server builds and FleetSource keeps fresh. */
import * as vscode from 'vscode';
import type { AllowlistClient } from '../client';
import { FleetSource } from './fleet';
import { FleetReportPanel, OPEN_REPORT_LOCATION_COMMAND } from './panel';
import { type SiteItem, SitesTreeProvider } from './tree';

export const SITES_VIEW = 'allowlist.sites';
export const sitesCommandIds = { refresh: 'allowlist.refreshSites', openFleetReport: 'allowlist.openFleetReport' } as const;

/** Context key: the workspace holds allowlists or catalogs (shows the Sites view). Set once found, never unset in a
 * session, so that deleting the last allowlist shows the view's welcome text rather than hiding the view. */
const HAS_SITES_CONTEXT = 'allowlist.hasSites';
/** Context key: a report has been fetched (the welcome text waits for it rather than flashing before the first). */
const LOADED_CONTEXT = 'allowlist.sites.loaded';

/** What the refresh command resolves with, for tests: the view's items as shown. */
export interface SiteItemView {
  label: string;
  description: string;
  icon: string;
  uri: string;
  line?: number;
}

export function registerSites(context: vscode.ExtensionContext, client: AllowlistClient, log: vscode.LogOutputChannel): void {
  let view: vscode.TreeView<SiteItem> | undefined;
  const panel = new FleetReportPanel();
  const source = new FleetSource(client, log, () => view?.visible === true || panel.isOpen);
  const tree = new SitesTreeProvider(source);
  view = vscode.window.createTreeView(SITES_VIEW, { treeDataProvider: tree });

  const setContext = (key: string, value: boolean) => void vscode.commands.executeCommand('setContext', key, value);
  source.onDidChange(() => {
    const result = source.result;
    setContext(LOADED_CONTEXT, true);
    if (result?.report && result.report.sites.length > 0) setContext(HAS_SITES_CONTEXT, true);
    view!.message = source.error ? `The fleet report failed: ${source.error} (see the Allowlist output).` : undefined;
    tree.update();
    panel.update(result);
  });
  view.onDidChangeVisibility(({ visible }) => {
    if (visible) source.showing();
  });
  if (view.visible) source.showing();
  void showViewIfAllowlists();

  context.subscriptions.push(
    source,
    view,
    panel,
    vscode.commands.registerCommand(sitesCommandIds.refresh, async (): Promise<SiteItemView[]> => {
      await source.refresh();
      return tree.items().map(({ summary, uri }) => {
        const item = tree.getTreeItem({ summary, uri });
        return { label: summary.name, description: summary.description, icon: (item.iconPath as vscode.ThemeIcon).id, uri: uri.toString(), line: summary.line };
      });
    }),
    vscode.commands.registerCommand(OPEN_REPORT_LOCATION_COMMAND, (file: unknown, line: unknown) => panel.openLocation(file, line)),
    vscode.commands.registerCommand(sitesCommandIds.openFleetReport, async () => {
      const result = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: 'Building the fleet report…' }, () => source.refresh());
      if (!result?.report) {
        void vscode.window.showInformationMessage(source.error ? `Allowlist: the fleet report failed: ${source.error}` : 'Allowlist: open a folder with allowlists to see its fleet report.');
        return;
      }
      if (result.report.sites.length === 0) {
        void vscode.window.showInformationMessage('Allowlist: no allowlists in this workspace (files named *.allowlist.yaml, or YAML that starts with `allowlist: 1`).');
        return;
      }
      panel.show(result);
    }),
  );
}

/** Shows the Sites view when the workspace has files named as allowlists or catalogs (`allowlist.files.patterns`): a
 * cheap search, so that workspaces without any never see the view. A workspace whose allowlists are such by their
 * `allowlist: 1` only gets it once a report (Open Fleet Report) finds them. */
async function showViewIfAllowlists(): Promise<void> {
  const patterns = vscode.workspace.getConfiguration('allowlist').get<string[]>('files.patterns', []);
  for (const pattern of patterns) {
    if ((await vscode.workspace.findFiles(pattern, undefined, 1)).length === 0) continue;
    await vscode.commands.executeCommand('setContext', HAS_SITES_CONTEXT, true);
    return;
  }
}
