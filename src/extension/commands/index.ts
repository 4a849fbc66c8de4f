/** The extension's commands. Each command lives in its own file here and is added to COMMANDS, which the desktop
 * and the browser both register (they read files through the platform's lintInputs and `vscode.workspace.fs`), or to
 * DESKTOP_COMMANDS (desktop.ts) when it needs Node; a command gets the language client on demand (starting the
 * server if no allowlist is open yet). */
import * as vscode from 'vscode';
import type { AllowlistClient } from '../client';
import { checkAgainstFirewall, type CheckChoice } from './check-against-firewall';
import { exportForFirewall } from './export-for-firewall';
import { importFirewallConfiguration, type ImportChoice } from './import-firewall-configuration';
import { lintWorkspace } from './lint-workspace';
import type { SHARED_COMMAND_IDS } from './ids';
import type { Command, CommandContext } from './types';

/** Command id (as contributed in package.json) → implementation, on the desktop and in the browser. */
export const COMMANDS: Record<(typeof SHARED_COMMAND_IDS)[number], Command> = {
  // Menus pass the allowlist's URI; callers (the integration tests) may pass the dialogs' answers.
  'allowlist.checkAgainstFirewall': (context, given) =>
    checkAgainstFirewall(context, given instanceof vscode.Uri ? { allowlist: given } : typeof given === 'object' && given !== null ? (given as CheckChoice) : {}),
  // Menus pass the editor's URI, and from the editor title an object about the editor group after it: a target id
  // only comes as a string.
  'allowlist.exportForFirewall': (context, uri, targetId) =>
    exportForFirewall(context, uri instanceof vscode.Uri ? uri : undefined, typeof targetId === 'string' ? targetId : undefined),
  // The Explorer's menu passes the file's URI; callers (the integration tests) may pass the dialogs' answers.
  'allowlist.importFirewallConfiguration': (context, given) =>
    importFirewallConfiguration(context, given instanceof vscode.Uri ? { uri: given } : typeof given === 'object' && given !== null ? (given as ImportChoice) : {}),
  'allowlist.lintWorkspace': lintWorkspace,
};

/** Registers COMMANDS and the platform's own `commands`. */
export function registerCommands(extension: vscode.ExtensionContext, client: AllowlistClient, log: vscode.LogOutputChannel, commands: Record<string, Command>): void {
  const context: CommandContext = { extension, client, log, lintInputs: (uri) => client.platform.lintInputs(uri, log) };
  for (const [id, command] of Object.entries({ ...COMMANDS, ...commands })) {
    extension.subscriptions.push(vscode.commands.registerCommand(id, (...args: unknown[]) => command(context, ...args)));
  }
}
