/** The VS Code side of Firewall Allowlist: a thin language client. It activates on YAML, but starts the
 * language server (dist/server.js, its own Node process over IPC) only once an allowlist or catalog is
 * open, so activation costs next to nothing for other YAML. All editor features come from the server;
 * commands are registered in ./commands (one file per command). */
import * as vscode from 'vscode';
import { LanguageClient, TransportKind } from 'vscode-languageclient/node';
import { AllowlistClient, type ClientPlatform } from './client';
import { registerCommands } from './commands';
import { DESKTOP_COMMANDS } from './commands/desktop';
import { lintInputsFor } from './lint-inputs';
import { registerProbeCommands } from './probe';
import { registerSites } from './sites';
import { StatusBar } from './status';

let client: AllowlistClient | undefined;

const nodePlatform: ClientPlatform = {
  // Every YAML document: the server answers only for allowlists and catalogs (by pattern or marker).
  documentSelector: [
    { scheme: 'file', language: 'yaml' },
    { scheme: 'untitled', language: 'yaml' },
  ],
  createClient(context, clientOptions) {
    const module = context.asAbsolutePath('dist/server.js');
    const serverOptions = {
      run: { module, transport: TransportKind.ipc },
      debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6019'] } },
    };
    return new LanguageClient('allowlist', 'Firewall Allowlist', serverOptions, clientOptions);
  },
  lintInputs: lintInputsFor,
};

export function activate(context: vscode.ExtensionContext): void {
  const status = new StatusBar();
  // Probe results and export warnings: what the commands did, for the user to read back.
  const log = vscode.window.createOutputChannel('Allowlist', { log: true });
  client = new AllowlistClient(context, status, nodePlatform);
  context.subscriptions.push(status, log, client);
  registerCommands(context, client, log, DESKTOP_COMMANDS);
  registerProbeCommands(context, log);
  registerSites(context, client, log);
  client.startWhenNeeded();
}

export function deactivate(): Thenable<void> | undefined {
  return client?.stop();
}
