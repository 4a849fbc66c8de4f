/** The VS Code side of Firewall Allowlist: a thin language client. It activates on YAML, but starts the
 * language server (dist/server.js, its own Node process over IPC) only once an allowlist or catalog is
 * open, so activation costs next to nothing for other YAML. All editor features come from the server;
 * commands are registered in ./commands (one file per command). */
import * as vscode from 'vscode';
import { AllowlistClient } from './client';
import { registerCommands } from './commands';
import { registerProbeCommands } from './probe';
import { registerSites } from './sites';
import { StatusBar } from './status';

let client: AllowlistClient | undefined;

export function activate(context: vscode.ExtensionContext): void {
  const status = new StatusBar();
  // Probe results and export warnings: what the commands did, for the user to read back.
  const log = vscode.window.createOutputChannel('Allowlist', { log: true });
  client = new AllowlistClient(context, status);
  context.subscriptions.push(status, log, client);
  registerCommands(context, client, log);
  registerProbeCommands(context, log);
  registerSites(context, client, log);
  client.startWhenNeeded();
}

export function deactivate(): Thenable<void> | undefined {
  return client?.stop();
}
