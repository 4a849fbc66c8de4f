/** "Allowlist: Show Changes Against Base" (`allowlist.showChanges`): the semantic diff of the active allowlist
 * (its editor text, unsaved edits included) against its base revision (the merge base of HEAD with the default
 * branch, as `allowlist diff` picks it; asked for when there is none), shown as the Markdown summary in a preview.
 * It runs the CLI's own revision diff (`diffRevisions`) with the CLI's inputs: the nearest `.allowlistrc.yaml`
 * (rules and `catalogs:`), the repository's `*.catalog.yaml` files at each revision, the built-in catalogs, and
 * today; a file moved since the base is compared with its old self. In an untrusted workspace the repository's
 * and the config's catalogs are not loaded (as the language server does). Git runs through child_process. */
import { basename, dirname } from 'node:path';
import * as vscode from 'vscode';
import { buildCatalogSet, builtinCatalogs } from '../../core/catalog';
import { loadConfigFor } from '../../core/lint';
import { configuredCatalogSet, defaultBase, diffRevisions, formatDiffMarkdown, GitError, repositoryTop, resolveRevision, toPathspecs, WORKTREE } from '../../core/diff';

/** Read-only documents holding the summaries, so the preview leaves no unsaved editor behind. */
const SUMMARY_SCHEME = 'allowlist-changes';
const summaries = new Map<string, string>();
const summaryChanged = new vscode.EventEmitter<vscode.Uri>();
let summaryProvider: vscode.Disposable | undefined;

function showSummary(extension: vscode.ExtensionContext, file: string, markdown: string): Thenable<unknown> {
  if (!summaryProvider) {
    summaryProvider = vscode.workspace.registerTextDocumentContentProvider(SUMMARY_SCHEME, {
      onDidChange: summaryChanged.event,
      provideTextDocumentContent: (uri) => summaries.get(uri.toString()) ?? '',
    });
    extension.subscriptions.push(summaryProvider, summaryChanged);
  }
  const uri = vscode.Uri.from({ scheme: SUMMARY_SCHEME, path: `/${file} changes.md` });
  summaries.set(uri.toString(), markdown);
  summaryChanged.fire(uri);
  return vscode.commands.executeCommand('markdown.showPreview', uri);
}

export async function showChanges(extension: vscode.ExtensionContext, uri?: vscode.Uri): Promise<void> {
  const document = uri ? await vscode.workspace.openTextDocument(uri) : vscode.window.activeTextEditor?.document;
  if (!document) {
    void vscode.window.showInformationMessage('Allowlist: open an allowlist file to show its changes against the base revision.');
    return;
  }
  if (document.uri.scheme !== 'file') {
    void vscode.window.showWarningMessage('Allowlist: Show Changes works on files on disk in a git repository.');
    return;
  }
  const path = document.uri.fsPath;
  try {
    const root = repositoryTop(dirname(path));
    const base = await pickBase(root);
    if (!base) return;
    const rel = toPathspecs(root, dirname(path), [basename(path)])[0];
    const trusted = vscode.workspace.isTrusted;
    const config = loadConfigFor(dirname(path));
    const { report } = await diffRevisions(root, {
      base: { commit: base.commit, label: `${base.ref} (${base.commit.slice(0, 7)})` },
      head: { revision: WORKTREE, label: document.isDirty ? 'editor (unsaved)' : 'work tree' },
      pathspecs: [rel],
      explicit: [rel],
      overrides: new Map([[rel, document.getText()]]),
      config: trusted ? config : { ...config, catalogs: [] },
      catalogs: (repository) => (trusted ? configuredCatalogSet(config, repository) : buildCatalogSet(builtinCatalogs())),
    });
    const markdown = formatDiffMarkdown(report, { title: `Allowlist changes: ${rel}` });
    await showSummary(extension, rel, markdown);
  } catch (error) {
    const message = error instanceof GitError ? error.message : error instanceof Error ? error.message : String(error);
    void vscode.window.showErrorMessage(`Allowlist: cannot show changes: ${message}`);
  }
}

/** The default base, or a revision the user types when the repository has no default branch. */
async function pickBase(root: string): Promise<{ ref: string; commit: string } | undefined> {
  try {
    return defaultBase(root);
  } catch (error) {
    if (!(error instanceof GitError)) throw error;
    const ref = await vscode.window.showInputBox({
      title: 'Allowlist: Show Changes Against Base',
      prompt: `${error.message.replace(/; pass --base REF$/, '')}. Compare against which revision?`,
      placeHolder: 'a branch, tag or commit, e.g. origin/develop or HEAD~1',
    });
    if (!ref) return undefined;
    return { ref, commit: resolveRevision(root, ref) };
  }
}
