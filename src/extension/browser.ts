/** Firewall Allowlist in VS Code in the browser (vscode.dev, github.dev): the same language client as on the
 * desktop (client.ts), with the language server in a web worker (dist/browser/server.js). Diagnostics, hovers,
 * completion, quick fixes, the outline and go to definition (into a read-only copy of a built-in catalog) work
 * there, with the workspace's catalogs and `.allowlistrc.yaml` read through `vscode.workspace.fs` for the server
 * (browser-inputs.ts); so do the commands of ./commands (Lint All Allowlists, Export, Import, Check Against Firewall),
 * which read files the same way. Show Changes (git history) and the probes (sockets) say what to use instead; the
 * probe commands are also hidden from the menus: only the desktop entry sets `allowlist.probe.available`. */
import * as vscode from 'vscode';
import { LanguageClient, type ServerOptions } from 'vscode-languageclient/browser';
import builtinFiles from 'bundled:catalogs';
import { BUILTIN_CATALOG_SCHEME, CONFIG_TEXT_REQUEST, DECODED_FILE_REQUEST, WORKSPACE_CATALOGS_REQUEST, WORKSPACE_FILES_REQUEST } from '../server/protocol';
import { browserLintInputs, configText, decodedFile, workspaceCatalogs, workspaceFiles } from './browser-inputs';
import { AllowlistClient, type ClientPlatform } from './client';
import { registerCommands } from './commands';
import type { Command } from './commands/types';
import { StatusBar } from './status';

/** The web worker API of the web extension host (the project's TypeScript libraries have no DOM types). */
declare const Worker: new (url: string) => Exclude<ServerOptions, () => unknown>;

const PROBES_NEED_DESKTOP = 'probes need VS Code on the desktop or the CLI (`allowlist probe`): a browser cannot open the connections a probe makes.';

/** What the commands that cannot run in a browser say instead. */
const DESKTOP_ONLY: Record<string, string> = {
  'allowlist.probeFile': PROBES_NEED_DESKTOP,
  'allowlist.probeAtCursor': PROBES_NEED_DESKTOP,
  'allowlist.probeAgain': PROBES_NEED_DESKTOP,
  'allowlist.probeScript': 'probe scripts need VS Code on the desktop or the CLI (`allowlist probe --script`).',
  // VS Code for the web gives extensions no git history (github.dev has no git extension API).
  'allowlist.showChanges': "Show Changes needs the repository's history: use VS Code on the desktop or `allowlist diff`.",
  'allowlist.openFleetReport': 'the fleet report needs VS Code on the desktop or the CLI (`allowlist report`) for now.',
  'allowlist.refreshSites': 'the Sites view needs VS Code on the desktop for now.',
};

const browserPlatform: ClientPlatform = {
  // Every YAML document, whatever its scheme (github.dev serves the repository as `vscode-vfs:`).
  documentSelector: [{ language: 'yaml' }],
  createClient(context, clientOptions) {
    const worker = new Worker(vscode.Uri.joinPath(context.extensionUri, 'dist/browser/server.js').toString(true));
    return new LanguageClient('allowlist', 'Firewall Allowlist', worker, clientOptions);
  },
  handleRequests: (client) => [
    client.onRequest(WORKSPACE_CATALOGS_REQUEST, workspaceCatalogs),
    client.onRequest(CONFIG_TEXT_REQUEST, configText),
    client.onRequest(WORKSPACE_FILES_REQUEST, workspaceFiles),
    client.onRequest(DECODED_FILE_REQUEST, decodedFile),
  ],
  lintInputs: browserLintInputs,
};

let client: AllowlistClient | undefined;

export function activate(context: vscode.ExtensionContext): void {
  const status = new StatusBar();
  // Export warnings and what the import could not map, for the user to read back.
  const log = vscode.window.createOutputChannel('Allowlist', { log: true });
  client = new AllowlistClient(context, status, browserPlatform);
  context.subscriptions.push(
    status,
    log,
    client,
    // Go to definition into a built-in catalog (the server names them by file name under this scheme).
    vscode.workspace.registerTextDocumentContentProvider(BUILTIN_CATALOG_SCHEME, {
      provideTextDocumentContent: (uri) => builtinFiles.find(({ name }) => `/${name}` === uri.path)?.text,
    }),
  );
  const sayWhy = (reason: string): Command => () => void vscode.window.showInformationMessage(`Allowlist: ${reason}`);
  registerCommands(context, client, log, Object.fromEntries(Object.entries(DESKTOP_ONLY).map(([id, reason]) => [id, sayWhy(reason)])));
  client.startWhenNeeded();
}

export function deactivate(): Thenable<void> | undefined {
  return client?.stop();
}
