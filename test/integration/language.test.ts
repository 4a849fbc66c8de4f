// The language features of the extension on examples/contoso.allowlist.yaml, through the same VS Code
// commands the editor uses (diagnostics, hover, completion, quick fixes, outline).
import * as assert from 'node:assert';
import * as vscode from 'vscode';
import { after, before, describe, it } from 'mocha';
import {
  assertContosoFindings,
  contosoComplete,
  openInEditor,
  ourDiagnostics,
  positionOf,
  ruleId,
  summary,
  waitForDiagnostics,
  waitUntil,
  workspaceUri,
} from './helpers';

const DOCS = 'https://github.com/firewall-allowlist/firewall-allowlist/blob/main/docs/rules.md';

describe('language features on contoso.allowlist.yaml', () => {
  const uri = workspaceUri('contoso.allowlist.yaml');
  let doc: vscode.TextDocument;
  /** The text on disk, which the suite leaves as it found it. */
  let original: string;

  before(async function () {
    this.timeout(180_000);
    doc = (await openInEditor(uri)).document;
    original = doc.getText();
    await waitForDiagnostics(uri, contosoComplete, 'the CLI\'s findings');
  });

  after(async function () {
    this.timeout(180_000);
    // The quick-fix test edits the document: leave it, on disk and in the editor, as it was for the next suites. Not by
    // reverting the active editor: on a busy machine that may not be this document yet, and the edit was once found
    // saved to disk there (the next suites then lint the fixed file and miss missing-ports).
    const current = await vscode.workspace.openTextDocument(uri);
    if (current.getText() !== original || current.isDirty) {
      const restore = new vscode.WorkspaceEdit();
      restore.replace(uri, new vscode.Range(current.positionAt(0), current.positionAt(current.getText().length)), original);
      assert.ok(await vscode.workspace.applyEdit(restore), 'could not restore contoso.allowlist.yaml');
      assert.ok(await current.save(), 'could not save contoso.allowlist.yaml');
    }
    await waitForDiagnostics(uri, contosoComplete, 'contoso\'s findings again after the quick-fix test');
  });

  it('publishes the findings the CLI prints, at the same lines', () => {
    assertContosoFindings(ourDiagnostics(uri));
  });

  it('gives each diagnostic the rule id as code with a link to its documentation, and the CLI\'s severity', () => {
    const diagnostics = ourDiagnostics(uri);
    for (const d of diagnostics) {
      const code = d.code;
      assert.ok(code && typeof code === 'object', `${summary([d])}: code has no documentation link: ${JSON.stringify(code)}`);
      const target = code.target.toString(true);
      assert.strictEqual(target, `${DOCS}#${code.value}`, `${summary([d])}: documentation link`);
      assert.ok(d.message.length > 20, `${summary([d])}: message "${d.message}"`);
    }
    const severity = Object.fromEntries(diagnostics.map((d) => [ruleId(d), d.severity]));
    assert.strictEqual(severity['missing-ports'], vscode.DiagnosticSeverity.Error);
    assert.strictEqual(severity['inbound-too-broad'], vscode.DiagnosticSeverity.Error);
    assert.strictEqual(severity['shadowed-rule'], vscode.DiagnosticSeverity.Warning);
    assert.strictEqual(severity['product-advice'], vscode.DiagnosticSeverity.Warning);
    assert.strictEqual(severity['exclusion-path'], vscode.DiagnosticSeverity.Warning);
    const missing = diagnostics.find((d) => ruleId(d) === 'missing-ports')!;
    assert.strictEqual(doc.getText(missing.range), '443', 'missing-ports underlines the ports value');
    assert.match(missing.message, /2001-2500/);
  });

  it('hovering connect.helpdeskbuttons.com shows the vendor\'s role for it', async () => {
    const position = positionOf(doc, 'connect.helpdeskbuttons.com', 3);
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, position);
    const text = hovers
      .flatMap((h) => h.contents)
      .map((c) => (typeof c === 'string' ? c : c.value))
      .join('\n');
    assert.match(text, /request slot for TechConnect/, `hover text:\n${text}`);
    assert.match(text, /Helpdesk Buttons/, `hover text:\n${text}`);
  });

  it('completes catalog hosts after `to: ` in a rule of the declared vendor', async () => {
    const content = [
      'allowlist: 1',
      'vendors:',
      '  helpdesk-buttons:',
      '    ticket-system: cloud',
      'outbound:',
      '  - name: tc',
      '    vendor: helpdesk-buttons',
      '    to: ',
      '    ports: 443',
      '',
    ].join('\n');
    const scratch = await vscode.workspace.openTextDocument({ language: 'yaml', content });
    await vscode.window.showTextDocument(scratch);
    try {
      const position = new vscode.Position(7, '    to: '.length);
      let labels: string[] = [];
      // The server answers once it has the document (its first lint may still be running): ask until it offers
      // the catalog's hosts, then check them all.
      await waitUntil(async () => {
        const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', scratch.uri, position);
        labels = list.items.map((item) => (typeof item.label === 'string' ? item.label : item.label.label));
        return labels.includes('connect.helpdeskbuttons.com');
      }, () => `connect.helpdeskbuttons.com offered after \`to: \` (last offered: ${JSON.stringify(labels.slice(0, 30))})`);
      for (const host of ['connect.helpdeskbuttons.com', 'hdb-stuff.s3.amazonaws.com', 'flu1pjyrr2.execute-api.us-east-1.amazonaws.com']) {
        assert.ok(labels.includes(host), `${host} not offered; got ${JSON.stringify(labels.slice(0, 30))}`);
      }
    } finally {
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    }
  });

  it('lists the rules in the outline (document symbols)', async () => {
    const symbols = await vscode.commands.executeCommand<vscode.DocumentSymbol[]>('vscode.executeDocumentSymbolProvider', uri);
    assert.ok(symbols?.length, 'no document symbols');
    const top = symbols.map((s) => s.name);
    for (const name of ['allowlist', 'site', 'vendors', 'outbound', 'inbound', 'endpoint-protection']) assert.ok(top.includes(name), `top level: ${top}`);
    const outbound = symbols.find((s) => s.name === 'outbound')!;
    assert.deepStrictEqual(
      outbound.children.map((s) => s.name),
      ['hdb-api', 'hdb-uploads', 'hdb-techconnect', 'm365-web', 'outlook', 'ntp', 'offsite-backup', 'xray-migration'],
    );
    assert.deepStrictEqual(symbols.find((s) => s.name === 'inbound')!.children.map((s) => s.name), ['hdb-ticket-api']);
    const techconnect = outbound.children.find((s) => s.name === 'hdb-techconnect')!;
    assert.strictEqual(techconnect.selectionRange.start.line + 1, 39, 'hdb-techconnect is selected at its name (line 39)');
    assert.ok(techconnect.range.end.line + 1 >= 45, 'hdb-techconnect covers its keys down to owner (line 45)');
  });

  it('offers the missing-ports quick fix; applying it makes the finding go and leaves the others', async () => {
    const missing = ourDiagnostics(uri).find((d) => ruleId(d) === 'missing-ports');
    assert.ok(missing, 'no missing-ports diagnostic');
    const actions = await vscode.commands.executeCommand<(vscode.CodeAction | vscode.Command)[]>(
      'vscode.executeCodeActionProvider', uri, missing.range, vscode.CodeActionKind.QuickFix.value,
    );
    const titles = actions.map((a) => a.title);
    const fix = actions.find((a): a is vscode.CodeAction => 'edit' in a && /Add 2001-2500 to the ports of "hdb-techconnect"/.test(a.title));
    assert.ok(fix, `fix not offered; actions: ${JSON.stringify(titles)}`);
    assert.ok(fix.isPreferred, 'the fix is the preferred action');
    assert.ok(titles.includes('Ignore missing-ports on this line'), `ignore action not offered: ${JSON.stringify(titles)}`);
    assert.ok(fix.edit, 'the fix carries an edit');
    assert.ok(await vscode.workspace.applyEdit(fix.edit), 'applyEdit refused the fix');
    assert.strictEqual(doc.lineAt(42).text, '    ports: [443, "2001-2500"]');
    const after = await waitForDiagnostics(uri, (ds) => ds.length > 0 && !ds.some((d) => ruleId(d) === 'missing-ports'), 'missing-ports gone after the fix');
    const rules = after.map(ruleId);
    for (const still of ['shadowed-rule', 'inbound-too-broad', 'product-advice', 'exclusion-path']) assert.ok(rules.includes(still), `${still} went too: ${summary(after)}`);
  });
});
