// "Allowlist: Import Firewall Configuration…" in the extension host: a FortiGate configuration opens as an unsaved
// allowlist beside (named after the configuration, YAML, its modeline pointing at the extension's schema), what the
// reader could not map is logged as the CLI prints it, a vendor is declared when asked for, a file of another
// platform is refused with the reader's reason and opens nothing, and a file that cannot be read is said so. The configuration, platform and vendors are passed
// as the command's argument, which stands in for the dialogs (the e2e scenario 10-import-drift uses the real ones).
import * as assert from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { after, describe, it } from 'mocha';
import { lintText } from '../../src/core/lint';
import { waitUntil, workspaceUri } from './helpers';

type ImportOutcome = { document: vscode.TextDocument; logged: string[] } | { failed: string };

const untitled = () => vscode.workspace.textDocuments.filter((document) => document.isUntitled);

const CONFIG = `config firewall address
    edit "vendor api"
        set type fqdn
        set fqdn "api.vendor.example"
    next
    edit "Blocked countries"
        set type geography
        set country "KP"
    next
end
config firewall service custom
    edit "web-443"
        set tcp-portrange 443
    next
end
config firewall policy
    edit 1
        set name "vendor-api"
        set srcintf "internal"
        set dstintf "wan1"
        set action accept
        set srcaddr "all"
        set dstaddr "vendor api" "Blocked countries"
        set schedule "always"
        set service "web-443"
    next
end
`;

describe('Allowlist: Import Firewall Configuration…', () => {
  const folder = workspaceUri('import-fixture');
  const config = workspaceUri('import-fixture', 'branch.conf');

  after(async () => {
    for (const document of untitled()) {
      await vscode.window.showTextDocument(document);
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    }
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    fs.rmSync(folder.fsPath, { recursive: true, force: true });
  });

  it('opens the imported allowlist beside and logs what was not mapped', async function () {
    this.timeout(180_000);
    fs.mkdirSync(folder.fsPath, { recursive: true });
    fs.writeFileSync(config.fsPath, CONFIG);

    const outcome = await vscode.commands.executeCommand<ImportOutcome | undefined>('allowlist.importFirewallConfiguration', { uri: config, platform: 'fortigate', vendors: ['helpdesk-buttons'] });
    assert.ok(outcome && 'document' in outcome, `the import did not run: ${JSON.stringify(outcome)}`);
    const { document, logged } = outcome;
    assert.ok(document.isUntitled, 'the import should open an unsaved editor');
    assert.strictEqual(document.uri.path, workspaceUri('import-fixture', 'branch.allowlist.yaml').path);
    assert.strictEqual(document.languageId, 'yaml');
    await waitUntil(() => vscode.window.visibleTextEditors.some((editor) => editor.document === document), 'the imported allowlist visible');

    const text = document.getText();
    assert.match(text, /# from branch\.conf, line 17\n {2}- name: vendor-api\n {4}to: api\.vendor\.example\n {4}ports: 443\n/);
    assert.match(text, /^vendors:\n(?: {2}#.*\n)* {2}helpdesk-buttons:/m);
    const schema = /^# yaml-language-server: \$schema=(.+)$/m.exec(text)?.[1];
    assert.ok(schema && fs.existsSync(path.resolve(folder.fsPath, schema)), `the modeline's schema ${schema} is not a file beside ${folder.fsPath}`);
    const findings = lintText(text, { fileName: path.join(folder.fsPath, 'branch.allowlist.yaml') }).findings;
    assert.deepStrictEqual(findings.filter((finding) => finding.ruleId === 'schema' || finding.ruleId === 'yaml-syntax'), []);

    assert.strictEqual(logged.length, 1, `logged: ${JSON.stringify(logged)}`);
    assert.match(logged[0], /^import-fixture\/branch\.conf:17: imported in part: policy 1 \("vendor-api"\): destination "Blocked countries" \(line 6\): a geography address/);
  });

  it("refuses a file that is not the platform's syntax, with the reader's reason, and opens nothing", async function () {
    this.timeout(180_000);
    fs.mkdirSync(folder.fsPath, { recursive: true });
    fs.writeFileSync(config.fsPath, CONFIG);
    const before = untitled().length;

    const outcome = await vscode.commands.executeCommand<ImportOutcome | undefined>('allowlist.importFirewallConfiguration', { uri: config, platform: 'pfsense', vendors: [] });
    assert.ok(outcome && 'failed' in outcome, `the import was not refused: ${JSON.stringify(outcome && 'document' in outcome ? outcome.document.getText() : outcome)}`);
    assert.match(outcome.failed, /^Allowlist: nothing imported from import-fixture\/branch\.conf as pfSense[^:]*: pfSense: config\.xml is not well-formed XML/);
    assert.strictEqual(untitled().length, before, 'a refused import opened a document');
  });

  it('says a file cannot be read, without a stack trace', async function () {
    this.timeout(60_000);
    const missing = workspaceUri('import-fixture', 'missing.conf');
    const outcome = await vscode.commands.executeCommand<ImportOutcome | undefined>('allowlist.importFirewallConfiguration', { uri: missing, platform: 'fortigate', vendors: [] });
    assert.deepStrictEqual(outcome, { failed: 'Allowlist: cannot read import-fixture/missing.conf: no such file' });
  });
});
