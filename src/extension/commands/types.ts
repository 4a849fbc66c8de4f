/** What every command of the extension receives; its own module so that commands and the registry in index.ts
 * do not import each other. */
import type * as vscode from 'vscode';
import type { AllowlistClient, LintInputs } from '../client';

export interface CommandContext {
  extension: vscode.ExtensionContext;
  client: AllowlistClient;
  /** The extension's output channel ("Allowlist"). */
  log: vscode.LogOutputChannel;
  /** The catalogs and config the editor lints a file with (the platform's: see ClientPlatform.lintInputs). */
  lintInputs(uri: vscode.Uri): Promise<LintInputs>;
}

export type Command = (context: CommandContext, ...args: unknown[]) => unknown;
