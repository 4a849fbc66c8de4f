import * as assert from 'node:assert';
import { rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { describe, it } from 'mocha';
import { ourDiagnostics, sleep, summary, waitForDiagnostics, waitUntil } from './helpers';

const EXTENSION_ID = 'firewall-allowlist.firewall-allowlist';

describe('activation', () => {
  it('activates when an allowlist file is opened', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext, `${EXTENSION_ID} is not loaded`);
    // The default workspace is a fresh copy of examples/ (run-integration.mjs).
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    assert.ok(folder, 'no workspace folder open');
    const doc = await vscode.workspace.openTextDocument(path.join(folder, 'contoso.allowlist.yaml'));
    await vscode.window.showTextDocument(doc);
    await waitUntil(() => ext.isActive, `${EXTENSION_ID} activating after ${doc.fileName} was opened`);
  });

  it('registers every command it contributes (the commands bundle loads on first use, but each id is there from the start)', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID)!;
    await ext.activate();
    const contributed = (ext.packageJSON.contributes.commands as { command: string }[]).map(({ command }) => command);
    const registered = new Set(await vscode.commands.getCommands(true));
    assert.deepStrictEqual(contributed.filter((id) => !registered.has(id)), []);
  });
});

describe('which YAML files are ours', () => {
  it('lints a YAML file of any name that starts with `allowlist: 1`, and not other tools\' YAML with a `catalog:` key', async () => {
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    assert.ok(folder, 'no workspace folder open');
    const marked = path.join(folder, 'firewall.yaml');
    const pnpm = path.join(folder, 'pnpm-workspace.yaml');
    writeFileSync(marked, 'allowlist: 1\noutbound:\n  - name: web\n    to: www.example.com\n    ports: 99999\n');
    writeFileSync(pnpm, 'packages:\n  - apps/*\ncatalog:\n  react: ^18.2.0\n');
    const pnpmDoc = await vscode.workspace.openTextDocument(pnpm);
    await vscode.window.showTextDocument(pnpmDoc);
    const markedDoc = await vscode.workspace.openTextDocument(marked);
    await vscode.window.showTextDocument(markedDoc);
    const found = await waitForDiagnostics(markedDoc.uri, (diagnostics) => diagnostics.length > 0, 'diagnostics for firewall.yaml');
    assert.deepStrictEqual(summary(found), ['invalid-port@5']);
    // Something that must NOT happen, so no condition to wait for: the server lints on open, in the order the
    // files were opened, so it had the pnpm file before the allowlist whose diagnostics just arrived. The pause
    // only gives a (wrongly) published pnpm diagnostic time to reach us; on a busy machine it can at worst make
    // this check miss a regression, never fail a correct build.
    await sleep(1000);
    assert.deepStrictEqual(ourDiagnostics(pnpmDoc.uri), []);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    for (const file of [marked, pnpm]) rmSync(file);
  });
});
