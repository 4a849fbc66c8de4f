import * as assert from 'node:assert';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { describe, it } from 'mocha';

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
    for (let i = 0; i < 100 && !ext.isActive; i++) await new Promise((r) => setTimeout(r, 100));
    assert.ok(ext.isActive, `${EXTENSION_ID} did not activate within 10 s of opening ${doc.fileName}`);
  });
});
