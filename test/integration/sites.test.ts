// The Sites view's items for the workspace (a copy of examples/ plus a site written here): "Allowlist: Refresh Sites"
// resolves with the items as the view shows them. The e2e scenario 11-sites clicks through the real view.
import * as assert from 'node:assert';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { after, before, describe, it } from 'mocha';
import { EXTENSION_ID, workspaceUri } from './helpers';

interface SiteItemView {
  label: string;
  description: string;
  icon: string;
  uri: string;
  line?: number;
}

describe('Sites view', () => {
  const folder = workspaceUri('fleet');
  const warn = workspaceUri('fleet', 'warn.allowlist.yaml');

  before(() => {
    fs.mkdirSync(folder.fsPath, { recursive: true });
    // The second rule is shadowed by the first: one warning.
    fs.writeFileSync(warn.fsPath, 'allowlist: 1\nsite: Warn Site\noutbound:\n  - name: web\n    to: www.example.com\n    ports: 443\n  - name: web-again\n    to: www.example.com\n    ports: 443\n');
  });
  after(() => fs.rmSync(folder.fsPath, { recursive: true, force: true }));

  it('is contributed in the Explorer, shown where allowlists are', () => {
    const contributes = vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON.contributes;
    assert.deepStrictEqual(contributes.views.explorer.map((view: { id: string; when: string }) => [view.id, view.when]), [['allowlist.sites', 'allowlist.hasSites']]);
    assert.ok(contributes.viewsWelcome.some((welcome: { view: string }) => welcome.view === 'allowlist.sites'), 'no welcome text');
  });

  it('lists every allowlist with its state, counts, vendors met and next expiry, opening at the first finding', async function () {
    this.timeout(120_000);
    const items = await vscode.commands.executeCommand<SiteItemView[]>('allowlist.refreshSites');
    const byLabel = new Map(items.map((item) => [item.label, item]));
    const contoso = byLabel.get('Contoso Dental - Main Street practice');
    assert.ok(contoso, `no Contoso item among ${items.map((item) => item.label)}`);
    assert.strictEqual(contoso.icon, 'error');
    assert.match(contoso.description, /^3 errors, 3 warnings · 0\/1 vendors met · expired 2026-06-30$/);
    assert.strictEqual(contoso.uri, workspaceUri('contoso.allowlist.yaml').toString());
    assert.strictEqual(contoso.line, 43, 'missing-ports, the first finding');

    const clean = byLabel.get('Fabrikam Orthodontics - Riverside office');
    assert.deepStrictEqual([clean?.icon, clean?.description, clean?.line], ['pass', 'no problems · 1/1 vendors met', undefined]);
    const warned = byLabel.get('Warn Site');
    assert.deepStrictEqual([warned?.icon, warned?.description, warned?.uri], ['warning', '1 warning', warn.toString()]);
  });
});
