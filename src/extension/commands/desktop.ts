/** The commands that need VS Code on the desktop (Node): registered by extension.ts only; the web extension
 * (browser.ts) says what to use instead. */
import type * as vscode from 'vscode';
import { showChanges } from './show-changes';
import type { DESKTOP_COMMAND_IDS } from './ids';
import type { Command } from './types';

export const DESKTOP_COMMANDS: Record<(typeof DESKTOP_COMMAND_IDS)[number], Command> = {
  // Git history, through child_process.
  'allowlist.showChanges': (context, uri) => showChanges(context.extension, uri as vscode.Uri | undefined),
};
