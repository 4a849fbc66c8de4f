// "Allowlist: Lint All Allowlists in Workspace" lints files that are not open, as `allowlist lint` does.
import * as assert from 'node:assert';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { after, before, describe, it } from 'mocha';
import { assertContosoFindings, contosoComplete, ourDiagnostics, summary, waitForDiagnostics, workspaceUri } from './helpers';

interface LintWorkspaceResult {
  files: number;
  errors: number;
  warnings: number;
  infos: number;
}

describe('Allowlist: Lint All Allowlists in Workspace', () => {
  // A copy of contoso in a subfolder, written to disk only: no editor ever opens it.
  const branch = workspaceUri('sites', 'branch.allowlist.yaml');
  const clean = workspaceUri('clean.allowlist.yaml');
  const contoso = workspaceUri('contoso.allowlist.yaml');

  before(() => {
    fs.mkdirSync(workspaceUri('sites').fsPath, { recursive: true });
    fs.copyFileSync(contoso.fsPath, branch.fsPath);
  });
  after(() => fs.rmSync(workspaceUri('sites').fsPath, { recursive: true, force: true }));

  it('is contributed with its palette title', async () => {
    const ext = vscode.extensions.getExtension('firewall-allowlist.firewall-allowlist')!;
    const commands = ext.packageJSON.contributes.commands as { command: string; title: string; category?: string }[];
    const lint = commands.find((c) => c.command === 'allowlist.lintWorkspace');
    assert.ok(lint, 'allowlist.lintWorkspace not contributed');
    assert.strictEqual(`${lint.category}: ${lint.title}`, 'Allowlist: Lint All Allowlists in Workspace');
    assert.ok((await vscode.commands.getCommands(true)).includes('allowlist.lintWorkspace'), 'command not registered');
  });

  it('publishes diagnostics for every allowlist in the folder, opened or not', async function () {
    this.timeout(180_000);
    assert.deepStrictEqual(ourDiagnostics(branch), [], 'the unopened copy has diagnostics before the command ran');
    const result = await vscode.commands.executeCommand<LintWorkspaceResult>('allowlist.lintWorkspace');
    assert.ok(result, 'the command returned nothing');
    // contoso.allowlist.yaml, clean.allowlist.yaml, sites/branch.allowlist.yaml (+ whatever other tests left)
    assert.ok(result.files >= 3, `files linted: ${JSON.stringify(result)}`);
    const branchDiagnostics = await waitForDiagnostics(branch, contosoComplete, 'contoso\'s findings on the unopened copy');
    assertContosoFindings(branchDiagnostics);
    assertContosoFindings(await waitForDiagnostics(contoso, contosoComplete, 'contoso\'s findings'));
    assert.deepStrictEqual(summary(ourDiagnostics(clean)), [], 'clean.allowlist.yaml has findings');
    // Each contoso copy has 3 errors (missing-ports, expired-rule after 2026-06-30, inbound-too-broad) and 3 warnings.
    assert.ok(result.errors >= 4 && result.warnings >= 6, `totals: ${JSON.stringify(result)}`);
    const ids = vscode.languages.getDiagnostics().filter(([uri]) => uri.fsPath.startsWith(workspaceUri().fsPath))
      .filter(([, ds]) => ds.some((d) => d.source === 'allowlist')).map(([uri]) => vscode.workspace.asRelativePath(uri));
    assert.ok(ids.includes('sites/branch.allowlist.yaml') && ids.includes('contoso.allowlist.yaml'), `files with diagnostics: ${ids}`);
  });
});
