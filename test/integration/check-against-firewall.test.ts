// "Allowlist: Check Against Firewall Configuration…" in the extension host: an allowlist against a FortiGate
// configuration that lacks one of its rules gets an "allowlist drift" warning on that rule's line and one on the
// vendor declaration whose requirement the firewall fails; editing the allowlist clears them (they would be stale);
// a configuration that allows the same is in sync and leaves none. The allowlist, configuration and platform are
// passed as the command's argument, which stands in for the dialogs (the e2e scenario 10-import-drift uses them).
import * as assert from 'node:assert';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { after, describe, it } from 'mocha';
import { openInEditor, waitUntil, workspaceUri } from './helpers';

type CheckOutcome = { report: { inSync: boolean; missing: unknown[]; requirements: unknown[] }; diagnostics: vscode.Diagnostic[] } | { failed: string };

const ALLOWLIST = `allowlist: 1
site: Branch office
vendors:
  helpdesk-buttons: {}
outbound:
  - name: vendor-api
    to: api.vendor.example
    ports: 443
    ticket: CHG-2000
  - name: helpdesk-getconf
    vendor: helpdesk-buttons
    to: flu1pjyrr2.execute-api.us-east-1.amazonaws.com
    ports: 443
    ticket: CHG-2003
`;

const policy = (id: number, name: string, address: string) => `    edit ${id}
        set name "${name}"
        set srcintf "internal"
        set dstintf "wan1"
        set action accept
        set srcaddr "all"
        set dstaddr "${address}"
        set schedule "always"
        set service "web-443"
    next
`;
const ADDRESSES = `config firewall address
    edit "vendor api"
        set type fqdn
        set fqdn "api.vendor.example"
    next
    edit "getconf"
        set type fqdn
        set fqdn "flu1pjyrr2.execute-api.us-east-1.amazonaws.com"
    next
end
config firewall service custom
    edit "web-443"
        set tcp-portrange 443
    next
end
`;
const LACKING = `${ADDRESSES}config firewall policy\n${policy(1, 'vendor-api', 'vendor api')}end\n`;
const SAME = `${ADDRESSES}config firewall policy\n${policy(1, 'vendor-api', 'vendor api')}${policy(2, 'getconf', 'getconf')}end\n`;

const driftDiagnostics = (uri: vscode.Uri) => vscode.languages.getDiagnostics(uri).filter((diagnostic) => diagnostic.source === 'allowlist drift');
const describeDiagnostics = (uri: vscode.Uri) => driftDiagnostics(uri).map((d) => `${String(d.code)}@${d.range.start.line + 1}`).sort();

describe('Allowlist: Check Against Firewall Configuration…', () => {
  const folder = workspaceUri('drift-fixture');
  const allowlist = workspaceUri('drift-fixture', 'branch.allowlist.yaml');
  const lacking = workspaceUri('drift-fixture', 'lacking.conf');
  const same = workspaceUri('drift-fixture', 'same.conf');

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.files.revert');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    fs.rmSync(folder.fsPath, { recursive: true, force: true });
  });

  it('marks the rule the firewall lacks and the vendor it fails, and clears the marks on an edit', async function () {
    this.timeout(180_000);
    fs.mkdirSync(folder.fsPath, { recursive: true });
    fs.writeFileSync(allowlist.fsPath, ALLOWLIST);
    fs.writeFileSync(lacking.fsPath, LACKING);
    fs.writeFileSync(same.fsPath, SAME);
    const editor = await openInEditor(allowlist);

    const outcome = await vscode.commands.executeCommand<CheckOutcome | undefined>('allowlist.checkAgainstFirewall', { allowlist, uri: lacking, platform: 'fortigate' });
    assert.ok(outcome && 'report' in outcome, `the check did not run: ${JSON.stringify(outcome)}`);
    assert.strictEqual(outcome.report.inSync, false);
    // The rule helpdesk-getconf (line 10) is missing; the vendor declaration (line 4) names the requirement it fails.
    assert.deepStrictEqual(describeDiagnostics(allowlist), ['missing@10', 'requirement-unmet@4']);
    const requirement = driftDiagnostics(allowlist).find((diagnostic) => diagnostic.code === 'requirement-unmet');
    assert.match(requirement?.message ?? '', /Helpdesk Buttons "getconf, submit basic ticket data".*\(checked against drift-fixture\/lacking\.conf\)$/);
    assert.strictEqual(editor.document.getText(requirement!.range), 'helpdesk-buttons');

    await editor.edit((edit) => edit.insert(new vscode.Position(1, 0), '# edited\n'));
    await waitUntil(() => driftDiagnostics(allowlist).length === 0, () => `no drift diagnostics after an edit (still ${describeDiagnostics(allowlist)})`);
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });

  it('is in sync with a configuration that allows the same, and leaves no marks', async function () {
    this.timeout(180_000);
    await openInEditor(allowlist);
    const before = await vscode.commands.executeCommand<CheckOutcome | undefined>('allowlist.checkAgainstFirewall', { allowlist, uri: lacking, platform: 'fortigate' });
    assert.ok(before && 'report' in before && driftDiagnostics(allowlist).length === 2, 'the first check should mark two lines');

    const outcome = await vscode.commands.executeCommand<CheckOutcome | undefined>('allowlist.checkAgainstFirewall', { allowlist, uri: same, platform: 'fortigate' });
    assert.ok(outcome && 'report' in outcome, `the check did not run: ${JSON.stringify(outcome)}`);
    assert.strictEqual(outcome.report.inSync, true, JSON.stringify(outcome.report));
    assert.deepStrictEqual(describeDiagnostics(allowlist), []);
  });
});
