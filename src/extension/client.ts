/** Starts and talks to the language server, the same way on the desktop and in the browser: how the server is
 * started (a Node process, or a web worker) comes from the entry point (extension.ts, browser.ts). */
import * as vscode from 'vscode';
import type { BaseLanguageClient, LanguageClientOptions } from 'vscode-languageclient';
import type { CatalogSet } from '../core/catalog';
import type { LintConfig } from '../core/lint';
import { markedKind } from '../core/parse';
import { compileGlob } from '../server/glob';
import { CLIENT_PROBE_COMMAND, ENVIRONMENT_NOTIFICATION, STATUS_NOTIFICATION, type Environment, type InitializationOptions, type StatusParams } from '../server/protocol';
import type { StatusBar } from './status';

const YAML_EXTENSION = 'redhat.vscode-yaml';
const DEFAULT_PATTERNS = ['**/*.allowlist.yaml', '**/*.allowlist.yml', '**/*.catalog.yaml', '**/*.catalog.yml'];

/** What differs between the desktop and the browser. */
export interface ClientPlatform {
  /** The documents the server is told about (the server answers only for allowlists and catalogs among them). */
  documentSelector: NonNullable<LanguageClientOptions['documentSelector']>;
  /** A language client that starts the server its way. */
  createClient(context: vscode.ExtensionContext, options: LanguageClientOptions): BaseLanguageClient;
  /** Handlers of the server's requests this platform answers, registered before the client starts. */
  handleRequests?(client: BaseLanguageClient): vscode.Disposable[];
  /** The catalogs and config the editor lints a file with, for the commands that lint a document's text themselves
   * (export, import, check against a firewall): read from disk on the desktop, through `vscode.workspace.fs` in the
   * browser. Problems loading them are logged as warnings. */
  lintInputs(uri: vscode.Uri, log: vscode.LogOutputChannel): Promise<LintInputs>;
}

export interface LintInputs {
  catalogs: CatalogSet;
  config: LintConfig;
}

export class AllowlistClient implements vscode.Disposable {
  private client: BaseLanguageClient | undefined;
  private starting: Promise<BaseLanguageClient> | undefined;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly status: StatusBar,
    readonly platform: ClientPlatform,
  ) {}

  /** Whether a document is an allowlist or a catalog: by the file patterns, or by `allowlist: 1`/`catalog: 1` at the top. */
  static isAllowlistDocument(document: vscode.TextDocument): boolean {
    if (document.languageId !== 'yaml') return false;
    const patterns = vscode.workspace.getConfiguration('allowlist').get<string[]>('files.patterns', DEFAULT_PATTERNS);
    const path = document.uri.path;
    if (patterns.some((pattern) => compileGlob(pattern)(path))) return true;
    return markedKind(document.getText(new vscode.Range(0, 0, 60, 0))) !== undefined;
  }

  /** Starts the server now if an allowlist is open, else at the first one opened. */
  startWhenNeeded(): void {
    if (vscode.workspace.textDocuments.some(AllowlistClient.isAllowlistDocument)) {
      void this.start();
      return;
    }
    const listener = vscode.workspace.onDidOpenTextDocument((document) => {
      if (!AllowlistClient.isAllowlistDocument(document)) return;
      listener.dispose();
      void this.start();
    });
    this.disposables.push(listener);
  }

  start(): Promise<BaseLanguageClient> {
    this.starting ??= this.create();
    return this.starting;
  }

  private async create(): Promise<BaseLanguageClient> {
    const watcher = vscode.workspace.createFileSystemWatcher('**/{*.catalog.yaml,*.catalog.yml,.allowlistrc.yaml,.allowlistrc.yml,.allowlistrc.json}');
    this.disposables.push(watcher);
    const clientOptions: LanguageClientOptions = {
      documentSelector: this.platform.documentSelector,
      synchronize: { configurationSection: 'allowlist', fileEvents: watcher },
      // Trust is always sent (the server assumes an untrusted workspace otherwise); the Probe lenses run our command, with its panel.
      initializationOptions: { ...environment(), clientCommands: [CLIENT_PROBE_COMMAND] } satisfies InitializationOptions,
      diagnosticCollectionName: 'allowlist',
    };
    const client = this.platform.createClient(this.context, clientOptions);
    this.client = client;
    this.disposables.push(...(this.platform.handleRequests?.(client) ?? []));
    this.disposables.push(
      client.onNotification(STATUS_NOTIFICATION, (params: StatusParams) => this.status.update(params)),
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.sendEnvironment()),
      vscode.extensions.onDidChange(() => this.sendEnvironment()),
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (event.affectsConfiguration('yaml.validate')) this.sendEnvironment();
      }),
    );
    await client.start();
    return client;
  }

  private sendEnvironment(): void {
    void this.client?.sendNotification(ENVIRONMENT_NOTIFICATION, environment());
  }

  async stop(): Promise<void> {
    await this.client?.stop();
  }

  dispose(): void {
    for (const disposable of this.disposables) disposable.dispose();
    void this.client?.dispose();
  }
}

/** Trust, and whether Red Hat's YAML extension validates YAML (it then reports our schema's problems itself). */
function environment(): Environment {
  const yaml = vscode.extensions.getExtension(YAML_EXTENSION);
  const validates = vscode.workspace.getConfiguration('yaml').get<boolean>('validate', true);
  return { trusted: vscode.workspace.isTrusted, yamlExtensionActive: yaml !== undefined && validates };
}
