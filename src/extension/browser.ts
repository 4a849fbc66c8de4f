/** Firewall Allowlist in VS Code in the browser (vscode.dev, github.dev): the same language client as on the
 * desktop (client.ts), with the language server in a web worker (dist/browser/server.js). Diagnostics, hovers,
 * completion, quick fixes, the outline and go to definition (into a read-only copy of a built-in catalog) work
 * there, with the workspace's catalogs and `.allowlistrc.yaml` read through `vscode.workspace.fs` for the server;
 * the commands that need files, git or
 * sockets say so instead (the probe commands are also hidden from the menus by `!isWeb`). */
import * as vscode from 'vscode';
import { LanguageClient, type ServerOptions } from 'vscode-languageclient/browser';
import builtinFiles from 'bundled:catalogs';
import { BUILTIN_CATALOG_SCHEME, CONFIG_TEXT_REQUEST, WORKSPACE_CATALOGS_REQUEST, type WorkspaceCatalogs } from '../server/protocol';
import { AllowlistClient, type ClientPlatform } from './client';
import { StatusBar } from './status';

/** The web worker API of the web extension host (the project's TypeScript libraries have no DOM types). */
declare const Worker: new (url: string) => Exclude<ServerOptions, () => unknown>;

const DESKTOP_ONLY: Record<string, string> = {
  'allowlist.probeFile': 'probes need VS Code on the desktop or the CLI (`allowlist probe`): a browser cannot open the connections a probe makes.',
  'allowlist.probeAtCursor': 'probes need VS Code on the desktop or the CLI (`allowlist probe`): a browser cannot open the connections a probe makes.',
  'allowlist.probeAgain': 'probes need VS Code on the desktop or the CLI (`allowlist probe`): a browser cannot open the connections a probe makes.',
  'allowlist.probeScript': 'probe scripts need VS Code on the desktop or the CLI (`allowlist probe --script`).',
  'allowlist.lintWorkspace': 'linting the whole workspace needs VS Code on the desktop or the CLI (`allowlist lint`) for now; open allowlists are linted as you type.',
  'allowlist.showChanges': 'Show Changes Against Base needs VS Code on the desktop or the CLI (`allowlist diff`) for now.',
  'allowlist.exportForFirewall': 'Export for Firewall needs VS Code on the desktop or the CLI (`allowlist export`) for now.',
  'allowlist.importFirewallConfiguration': 'Import Firewall Configuration needs VS Code on the desktop or the CLI (`allowlist import`) for now.',
  'allowlist.openFleetReport': 'the fleet report needs VS Code on the desktop or the CLI (`allowlist report`) for now.',
  'allowlist.refreshSites': 'the Sites view needs VS Code on the desktop for now.',
  'allowlist.checkAgainstFirewall': 'Check Against Firewall Configuration needs VS Code on the desktop or the CLI (`allowlist drift`) for now.',
};

const browserPlatform: ClientPlatform = {
  // Every YAML document, whatever its scheme (github.dev serves the repository as `vscode-vfs:`).
  documentSelector: [{ language: 'yaml' }],
  createClient(context, clientOptions) {
    const worker = new Worker(vscode.Uri.joinPath(context.extensionUri, 'dist/browser/server.js').toString(true));
    return new LanguageClient('allowlist', 'Firewall Allowlist', worker, clientOptions);
  },
  handleRequests: (client) => [client.onRequest(WORKSPACE_CATALOGS_REQUEST, workspaceCatalogs), client.onRequest(CONFIG_TEXT_REQUEST, configText)],
};

/** A configuration file's text for the server (only those: the server asks nothing else); null when there is none. */
async function configText({ uri }: { uri: string }): Promise<string | null> {
  const file = vscode.Uri.parse(uri);
  if (!/\/\.allowlistrc\.(?:ya?ml|json)$/.test(file.path)) return null;
  try {
    return new TextDecoder().decode(await vscode.workspace.fs.readFile(file));
  } catch {
    return null;
  }
}

/** The workspace's `*.catalog.yaml` files for the server, which cannot read files in the browser. */
async function workspaceCatalogs(): Promise<WorkspaceCatalogs> {
  const found: WorkspaceCatalogs = { files: [], problems: [] };
  for (const uri of await vscode.workspace.findFiles('**/*.{catalog.yaml,catalog.yml}', '**/node_modules/**')) {
    try {
      found.files.push({ uri: uri.toString(), text: new TextDecoder().decode(await vscode.workspace.fs.readFile(uri)) });
    } catch (error) {
      found.problems.push(`catalog ${uri.toString()} could not be read: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return found;
}

let client: AllowlistClient | undefined;

export function activate(context: vscode.ExtensionContext): void {
  const status = new StatusBar();
  client = new AllowlistClient(context, status, browserPlatform);
  context.subscriptions.push(
    status,
    client,
    // Go to definition into a built-in catalog (the server names them by file name under this scheme).
    vscode.workspace.registerTextDocumentContentProvider(BUILTIN_CATALOG_SCHEME, {
      provideTextDocumentContent: (uri) => builtinFiles.find(({ name }) => `/${name}` === uri.path)?.text,
    }),
  );
  for (const [id, reason] of Object.entries(DESKTOP_ONLY)) {
    context.subscriptions.push(vscode.commands.registerCommand(id, () => void vscode.window.showInformationMessage(`Allowlist: ${reason}`)));
  }
  client.startWhenNeeded();
}

export function deactivate(): Thenable<void> | undefined {
  return client?.stop();
}
