/** The VS Code side of Firewall Allowlist: a thin language client. It activates on YAML, but starts the
 * language server (dist/server.js, its own Node process over IPC) only once an allowlist or catalog is
 * open, so activation costs next to nothing for other YAML. All editor features come from the server;
 * the commands (./commands, ./probe) are in dist/extension-commands.js (deferred.ts), loaded on their first use. */
import * as vscode from 'vscode';
import { LanguageClient, TransportKind } from 'vscode-languageclient/node';
import { AllowlistClient, type ClientPlatform } from './client';
import { DESKTOP_COMMAND_IDS, SHARED_COMMAND_IDS } from './commands/ids';
import type { CommandContext } from './commands/types';
import { PROBE_AVAILABLE_CONTEXT, probeCommandIds } from './probe/ids';
import { registerSites } from './sites';
import { StatusBar } from './status';

/** The commands deferred.ts implements: registered at activation, loaded on first use. */
const DEFERRED_COMMAND_IDS = [...SHARED_COMMAND_IDS, ...DESKTOP_COMMAND_IDS, ...Object.values(probeCommandIds)];

/** dist/extension-commands.js, beside this bundle (scripts/build.mjs leaves the require to run time). */
function deferred(): typeof import('./deferred') {
  return require('./extension-commands.js') as typeof import('./deferred');
}

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
  lintInputs: (uri, log) => deferred().lintInputsFor(uri, log),
};

export function activate(context: vscode.ExtensionContext): void {
  const status = new StatusBar();
  // Probe results and export warnings: what the commands did, for the user to read back.
  const log = vscode.window.createOutputChannel('Allowlist', { log: true });
  client = new AllowlistClient(context, status, nodePlatform);
  context.subscriptions.push(status, log, client);
  const commandContext: CommandContext = { extension: context, client, log, lintInputs: (uri) => nodePlatform.lintInputs(uri, log) };
  let handlers: Record<string, (...args: unknown[]) => unknown> | undefined;
  for (const id of DEFERRED_COMMAND_IDS) {
    context.subscriptions.push(
      vscode.commands.registerCommand(id, (...args: unknown[]) => {
        handlers ??= deferred().deferredCommands(commandContext);
        return handlers[id](...args);
      }),
    );
  }
  void vscode.commands.executeCommand('setContext', PROBE_AVAILABLE_CONTEXT, true);
  registerSites(context, client, log);
  client.startWhenNeeded();
}

export function deactivate(): Thenable<void> | undefined {
  return client?.stop();
}
