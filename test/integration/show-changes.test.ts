// "Allowlist: Show Changes Against Base" in the extension host: a git repository in the workspace (branch
// main with the example committed, a `.allowlistrc.yaml` and a catalog of its own), an unsaved quick fix, and
// the Markdown report the command opens, made with the same inputs as `allowlist diff` (the config's severities,
// the repository's catalog).
import * as assert from 'node:assert';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { after, before, describe, it } from 'mocha';
import * as path from 'node:path';
import { contosoComplete, EXTENSION_ID, openInEditor, ourDiagnostics, ruleId, waitForDiagnostics, waitUntil, workspaceUri } from './helpers';

describe('Allowlist: Show Changes Against Base', () => {
  const repo = workspaceUri('repo');
  const file = workspaceUri('repo', 'contoso.allowlist.yaml');

  before(() => {
    fs.mkdirSync(repo.fsPath, { recursive: true });
    fs.copyFileSync(workspaceUri('contoso.allowlist.yaml').fsPath, file.fsPath);
    // The CLI's inputs: the config (missing-ports at warning) and the repository's catalog (the built-in one, renamed).
    fs.writeFileSync(workspaceUri('repo', '.allowlistrc.yaml').fsPath, 'rules:\n  missing-ports: warning\n');
    const builtin = fs.readFileSync(path.join(vscode.extensions.getExtension(EXTENSION_ID)!.extensionPath, 'catalogs', 'helpdesk-buttons.catalog.yaml'), 'utf8');
    fs.writeFileSync(workspaceUri('repo', 'vendor.catalog.yaml').fsPath, builtin.replace(/^  name: Helpdesk Buttons$/m, '  name: Helpdesk Buttons (repo catalog)'));
    const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=test', '-c', 'user.email=test@example.invalid', ...args], { cwd: repo.fsPath, stdio: 'pipe' });
    git('init', '-q', '-b', 'main');
    git('add', '.');
    git('commit', '-q', '-m', 'base');
  });

  after(async () => {
    await openInEditor(file);
    await vscode.commands.executeCommand('workbench.action.files.revert');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    // VS Code's git extension may still be writing in the repository's .git (it found the repository): Node retries a
    // removal that meets a folder filled meanwhile (ENOTEMPTY). A copy left behind would be a second Contoso site.
    fs.rmSync(repo.fsPath, { recursive: true, force: true, maxRetries: 10 });
  });

  it('reports what the unsaved missing-ports fix does against main', async function () {
    this.timeout(180_000);
    const editor = await openInEditor(file);
    await waitForDiagnostics(file, contosoComplete, 'contoso\'s findings');
    const missing = ourDiagnostics(file).find((d) => ruleId(d) === 'missing-ports')!;
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', file, missing.range, vscode.CodeActionKind.QuickFix.value);
    const fix = actions.find((a) => a.title.startsWith('Add 2001-2500'));
    assert.ok(fix?.edit, `no fix among ${actions.map((a) => a.title)}`);
    assert.ok(await vscode.workspace.applyEdit(fix.edit));
    assert.ok(editor.document.isDirty, 'the fix should leave the editor unsaved');

    const known = new Set(vscode.workspace.textDocuments.map((d) => d.uri.toString()));
    await vscode.commands.executeCommand('allowlist.showChanges', file);
    const report = await waitUntil(
      () => vscode.workspace.textDocuments.find((d) => !known.has(d.uri.toString()) && d.languageId === 'markdown' && d.getText().includes('Allowlist changes')),
      'a Markdown report opened by the command',
    );
    const text = report.getText();
    assert.match(text, /Allowlist changes: contoso\.allowlist\.yaml/);
    assert.match(text, /merge-base\(main, HEAD\)/);
    assert.match(text, /editor \(unsaved\)/);
    assert.match(text, /Widens outbound access to connect\.helpdeskbuttons\.com on TCP 2001-2500 \(rule hdb-techconnect/);
    // As `allowlist diff` says it: the severity from .allowlistrc.yaml, the vendor's name from the repository's catalog.
    assert.match(text, /resolved \| warning \| `missing-ports`/);
    assert.match(text, /\| ✔ requirement met \| Helpdesk Buttons \(repo catalog\) \| “establish TechConnect session” \|/);
  });
});
