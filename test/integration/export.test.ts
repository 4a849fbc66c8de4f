// "Allowlist: Export for Firewall…" in the extension host: the documents it opens hold what the core export gives
// for the file (a single-file and a two-file target), its warnings are logged as the CLI prints them, and a file
// whose rules cannot be exported faithfully (two rules of one name) is refused without opening anything.
// The target is passed as the command's second argument, which stands in for the QuickPick (the e2e scenario
// 09-export picks it in the real palette).
import * as assert from 'node:assert';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { after, describe, it } from 'mocha';
import { exportAllowlist, formatExportWarning, targetById } from '../../src/core/export';
import { lintText } from '../../src/core/lint';
import { openInEditor, waitUntil, workspaceUri } from './helpers';

type ExportOutcome = { documents: vscode.TextDocument[]; logged: string[] } | { refused: string };

const untitled = () => vscode.workspace.textDocuments.filter((document) => document.isUntitled);

async function closeUntitled(): Promise<void> {
  // Untitled editors would ask to be saved: revert each, then close everything.
  for (const document of untitled()) {
    await vscode.window.showTextDocument(document);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  }
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  // Wait until the extension host has let go of them all, so that each test starts from none.
  await waitUntil(() => untitled().length === 0, () => `untitled documents closed (still open: ${untitled().map((document) => document.uri.toString())})`);
}

describe('Allowlist: Export for Firewall…', () => {
  const contoso = workspaceUri('contoso.allowlist.yaml');
  const duplicate = workspaceUri('export-fixture', 'duplicate.allowlist.yaml');

  after(async () => {
    await closeUntitled();
    fs.rmSync(workspaceUri('export-fixture').fsPath, { recursive: true, force: true });
  });

  for (const [targetId, languages] of [['pfsense', ['xml']], ['opnsense', ['json', 'json']]] as const) {
    it(`opens what the core exports for ${targetId}, and logs its warnings`, async function () {
      this.timeout(180_000);
      await closeUntitled();
      await openInEditor(contoso);
      const target = targetById(targetId);
      assert.ok(target, `no target ${targetId}`);
      const expected = exportAllowlist(lintText(fs.readFileSync(contoso.fsPath, 'utf8'), { fileName: contoso.fsPath }).model, target, { sourceName: 'contoso.allowlist.yaml' });

      const outcome = await vscode.commands.executeCommand<ExportOutcome | undefined>('allowlist.exportForFirewall', contoso, targetId);
      assert.ok(outcome && 'documents' in outcome, `the export did not run: ${JSON.stringify(outcome)}`);
      assert.deepStrictEqual(outcome.documents.map((document) => document.getText()), expected.files.map((file) => file.text));
      assert.deepStrictEqual(outcome.documents.map((document) => document.languageId), languages);
      assert.ok(outcome.documents.every((document) => document.isUntitled), 'the export should open unsaved editors');
      // Named as the CLI names the files, beside the allowlist (where Save proposes to write them).
      assert.deepStrictEqual(outcome.documents.map((document) => document.uri.path), expected.files.map((file) => workspaceUri(file.name).path));
      const shown = vscode.window.visibleTextEditors.map((editor) => editor.document);
      assert.ok(outcome.documents.some((document) => shown.includes(document)), 'no exported document is visible');

      assert.ok(expected.warnings.length > 0, `contoso should need warnings for ${targetId}`);
      assert.deepStrictEqual(outcome.logged, expected.warnings.map((warning) => formatExportWarning('contoso.allowlist.yaml', warning)));
      assert.match(outcome.logged[0], /^contoso\.allowlist\.yaml:\d+: (warning|note): rule "[^"]+": ./);

      // Exporting again refreshes the open editors rather than opening more.
      const before = untitled().length;
      const again = await vscode.commands.executeCommand<ExportOutcome | undefined>('allowlist.exportForFirewall', contoso, targetId);
      assert.ok(again && 'documents' in again, 'the second export did not run');
      assert.deepStrictEqual(again.documents.map((document) => document.getText()), expected.files.map((file) => file.text));
      assert.strictEqual(untitled().length, before, 'the second export opened more editors');
    });
  }

  it('refuses a file with two rules of one name and opens nothing', async function () {
    this.timeout(180_000);
    await closeUntitled();
    fs.mkdirSync(workspaceUri('export-fixture').fsPath, { recursive: true });
    const rule = ['  - name: same', '    to: example.com', '    ports: 443', '    ticket: T-1'];
    fs.writeFileSync(duplicate.fsPath, ['allowlist: 1', 'site: duplicate names', 'outbound:', ...rule, ...rule, ''].join('\n'));
    await openInEditor(duplicate);

    const outcome = await vscode.commands.executeCommand<ExportOutcome | undefined>('allowlist.exportForFirewall', duplicate, 'fortigate');
    assert.ok(outcome && 'refused' in outcome, `the export was not refused: ${JSON.stringify(outcome)}`);
    assert.match(outcome.refused, /duplicate\.allowlist\.yaml has 1 error that makes its rules unreliable/);
    assert.deepStrictEqual(untitled(), [], 'a refused export opened a document');
  });
});
