/** A firewall's configuration for the commands that read one (import, check against a firewall): the file picked in
 * an open dialog, or given, and its platform from the import readers, picked (the one detectPlatform suggests first)
 * or given. */
import * as vscode from 'vscode';
import { detectPlatform, READERS, readerById, type ImportReader } from '../core/import';

export interface FirewallConfiguration {
  uri: vscode.Uri;
  /** The path as messages show it (relative to the workspace). */
  shown: string;
  text: string;
  reader: ImportReader;
}

/** What a caller may give instead of the dialogs (the integration tests, other commands). */
export interface ConfigurationChoice {
  uri?: vscode.Uri;
  platform?: string;
}

/** Asks for the configuration file and its platform; undefined when the user cancels, `failed` with the error it
 * showed (an unreadable file, an unknown platform). */
export async function chooseConfiguration(title: string, openLabel: string, given: ConfigurationChoice = {}): Promise<FirewallConfiguration | { failed: string } | undefined> {
  const uri = given.uri ?? (await pickFile(title, openLabel));
  if (!uri) return undefined;
  const shown = vscode.workspace.asRelativePath(uri, false);
  let text: string;
  try {
    text = new TextDecoder('utf-8').decode(await vscode.workspace.fs.readFile(uri));
  } catch (error) {
    return failed(`Allowlist: cannot read ${shown}: ${readError(error)}`);
  }
  const reader = given.platform === undefined ? await pickReader(title, shown, detectPlatform(text)) : readerById(given.platform);
  if (!reader) {
    return given.platform === undefined ? undefined : failed(`Allowlist: unknown platform "${given.platform}" (platforms: ${READERS.map((r) => r.id).join(', ')}).`);
  }
  return { uri, shown, text, reader };
}

function failed(message: string): { failed: string } {
  void vscode.window.showErrorMessage(message);
  return { failed: message };
}

async function pickFile(title: string, openLabel: string): Promise<vscode.Uri | undefined> {
  const picked = await vscode.window.showOpenDialog({
    title,
    openLabel,
    canSelectFiles: true,
    canSelectFolders: false,
    canSelectMany: false,
    defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri,
    filters: { 'Firewall configurations': ['conf', 'cfg', 'txt', 'xml', 'json'], 'All files': ['*'] },
  });
  return picked?.[0];
}

/** The readers, the one the file's content suggests first (the active item, so Enter takes it). */
async function pickReader(title: string, shown: string, suggested: ImportReader | undefined): Promise<ImportReader | undefined> {
  const readers = suggested ? [suggested, ...READERS.filter((reader) => reader !== suggested)] : READERS;
  const picked = await vscode.window.showQuickPick(
    readers.map((reader) => ({ label: reader.title, description: reader === suggested ? `${reader.id}, as the file's content suggests` : reader.id, reader })),
    { title, placeHolder: `Which firewall's configuration is ${shown}?` },
  );
  return picked?.reader;
}

/** A file system error in words: VS Code's FileSystemError messages carry their code in parentheses. */
function readError(error: unknown): string {
  if (error instanceof vscode.FileSystemError) {
    if (error.code === 'FileNotFound') return 'no such file';
    if (error.code === 'FileIsADirectory') return 'it is a folder';
    if (error.code === 'NoPermissions') return 'permission denied';
  }
  return error instanceof Error ? error.message : String(error);
}
