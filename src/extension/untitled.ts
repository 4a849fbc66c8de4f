/** Unsaved editors for what a command produced (an export, an imported allowlist): named as the CLI would name the
 * file, in the folder where Save should propose to write it. */
import * as vscode from 'vscode';

/** An unsaved editor of `name` in `folder` holding `text`; one of that name still open gets the new text instead of
 * a second editor. */
export async function openUntitled(folder: vscode.Uri | undefined, file: { name: string; text: string }): Promise<vscode.TextDocument> {
  const uri = vscode.Uri.from({ scheme: 'untitled', path: folder ? vscode.Uri.joinPath(folder, file.name).path : file.name });
  const document = await vscode.workspace.openTextDocument(uri);
  const edit = new vscode.WorkspaceEdit();
  edit.replace(uri, new vscode.Range(document.positionAt(0), document.positionAt(document.getText().length)), file.text);
  if (!(await vscode.workspace.applyEdit(edit))) throw new Error(`could not write ${file.name} into its editor`);
  return vscode.languages.setTextDocumentLanguage(document, languageFor(file.name));
}

/** A language for the editor by the file's extension: highlighting only, so close is good enough. */
function languageFor(name: string): string {
  const extension = name.slice(name.lastIndexOf('.') + 1).toLowerCase();
  const languages: Record<string, string> = { xml: 'xml', json: 'json', ps1: 'powershell', nft: 'shellscript', sh: 'shellscript', yaml: 'yaml', yml: 'yaml' };
  return languages[extension] ?? 'plaintext';
}
