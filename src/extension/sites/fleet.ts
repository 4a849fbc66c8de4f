/** The workspace's fleet report, from the language server (which lints every allowlist as Lint All does, off the
 * extension host), kept fresh for the Sites view and the report panel: re-fetched when an allowlist, catalog or
 * config file changes on disk (saves included), debounced, and only while someone shows it; otherwise marked stale
 * and fetched when shown again. Typing re-lints only the open file (the server's own diagnostics), never the fleet. */
import * as vscode from 'vscode';
import { FLEET_REPORT_REQUEST, type FleetReportResult } from '../../server/protocol';
import type { AllowlistClient } from '../client';

/** Changes within this long of each other make one refresh (a `git pull`, a formatter saving many files). */
const REFRESH_DEBOUNCE_MS = 400;

/** Allowlists are any YAML (a file may be one by its `allowlist: 1`), catalogs `*.catalog.yaml`, configs `.allowlistrc.*`. */
const WATCHED = '**/{*.yaml,*.yml,.allowlistrc.json}';

/** A folder created or deleted (a `git pull`, a checkout, a folder of sites copied in) may come as one event, without
 * events for the files in it: a created or deleted name without an extension counts as a change too. */
function mayBeFolder(uri: vscode.Uri): boolean {
  return !/\.[^/]*$/.test(uri.path.slice(uri.path.lastIndexOf('/') + 1));
}

export class FleetSource implements vscode.Disposable {
  private current: FleetReportResult | undefined;
  private failure: string | undefined;
  private stale = true;
  private timer: NodeJS.Timeout | undefined;
  /** Refreshes run one after another: a change during a run gets one run of its own after it (`waiting`), however
   * many changes come meanwhile, so that saves faster than a lint of the fleet do not pile up lints. */
  private queue: Promise<unknown> = Promise.resolve();
  private waiting: Promise<FleetReportResult | undefined> | undefined;
  private readonly changed = new vscode.EventEmitter<void>();
  private readonly disposables: vscode.Disposable[] = [this.changed];
  /** Fires after every refresh, successful or not. */
  readonly onDidChange = this.changed.event;

  /** `shown`: whether the Sites view or the report panel is on screen. */
  constructor(
    private readonly client: AllowlistClient,
    private readonly log: vscode.LogOutputChannel,
    private readonly shown: () => boolean,
  ) {
    const watcher = vscode.workspace.createFileSystemWatcher(WATCHED);
    const folders = vscode.workspace.createFileSystemWatcher('**/*', false, true, false);
    const onChange = () => this.changedOnDisk();
    const onFolder = (uri: vscode.Uri) => {
      if (mayBeFolder(uri)) onChange();
    };
    this.disposables.push(
      watcher,
      watcher.onDidChange(onChange),
      watcher.onDidCreate(onChange),
      watcher.onDidDelete(onChange),
      folders,
      folders.onDidCreate(onFolder),
      folders.onDidDelete(onFolder),
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (event.affectsConfiguration('allowlist')) onChange();
      }),
      vscode.workspace.onDidGrantWorkspaceTrust(onChange),
      vscode.workspace.onDidChangeWorkspaceFolders(onChange),
    );
  }

  get result(): FleetReportResult | undefined {
    return this.current;
  }

  /** Why the last refresh failed, if it did. */
  get error(): string | undefined {
    return this.failure;
  }

  /** Refreshes now if something changed while nothing showed the report. */
  showing(): void {
    if (this.stale) void this.refresh();
  }

  /** Lints the workspace's allowlists now; resolves with the new report (the previous one if this run failed). */
  refresh(): Promise<FleetReportResult | undefined> {
    clearTimeout(this.timer);
    this.stale = false;
    if (!this.waiting) {
      this.waiting = this.queue.then(() => {
        this.waiting = undefined;
        return this.fetch();
      });
      this.queue = this.waiting;
    }
    return this.waiting;
  }

  private changedOnDisk(): void {
    this.stale = true;
    clearTimeout(this.timer);
    if (this.shown()) this.timer = setTimeout(() => void this.refresh(), REFRESH_DEBOUNCE_MS);
  }

  private async fetch(): Promise<FleetReportResult | undefined> {
    try {
      const client = await this.client.start();
      this.current = await client.sendRequest<FleetReportResult>(FLEET_REPORT_REQUEST);
      this.failure = undefined;
    } catch (error) {
      this.failure = error instanceof Error ? error.message : String(error);
      this.log.error(`the fleet report failed: ${this.failure}`);
    }
    this.changed.fire();
    return this.current;
  }

  dispose(): void {
    clearTimeout(this.timer);
    for (const disposable of this.disposables) disposable.dispose();
  }
}
