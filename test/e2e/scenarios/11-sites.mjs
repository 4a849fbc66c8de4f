// The Sites view in the Explorer lists the workspace's allowlists with their state (contoso: errors and its unmet
// vendor; clean: no problems), and a site written to disk behind the workbench's back (as a `git pull` would) joins
// it with a warning and its next expiry. Clicking a site opens its file at its first finding. "Allowlist: Open Fleet
// Report" shows the report's page in a webview, with the site × vendor matrix; a link in it opens the file at the line.
import fs from 'node:fs';
import path from 'node:path';
import { PATIENCE } from '../lib/ui.mjs';

const CONTOSO = 'Contoso Dental - Main Street practice';
const CLEAN = 'Fabrikam Orthodontics - Riverside office';
const NORTHWIND = 'Northwind Branch';

/** A site whose second rule is shadowed by its first (a warning) and expires in ten days. */
function northwind(expires) {
  return `allowlist: 1\nsite: ${NORTHWIND}\noutbound:\n  - name: web\n    to: www.example.com\n    ports: 443\n  - name: web-again\n    to: www.example.com\n    ports: 443\n    expires: ${expires}\n`;
}

export async function run(ui) {
  const { page } = ui;
  const header = page.locator('.pane-header', { hasText: /^Sites$/i });
  await header.waitFor({ timeout: PATIENCE });
  if ((await header.getAttribute('aria-expanded')) !== 'true') await header.click();
  const pane = page.locator('.pane', { has: header });
  const rows = pane.locator('.monaco-list-row');
  const row = (name) => rows.filter({ hasText: name });

  /** The row of `name` once it shows `icon` and a description matching `description`. */
  const expectRow = async (name, icon, description) => {
    let seen = '';
    await ui.until(async () => {
      seen = (await rows.allInnerTexts()).join(' | ');
      const target = row(name);
      if ((await target.count()) !== 1) return false;
      const text = (await target.innerText()).replace(/\s+/g, ' ');
      return description.test(text) && (await target.locator(`.codicon-${icon}`).count()) === 1;
    }, () => `a Sites row "${name}" with the ${icon} icon and ${description} (rows: ${seen})`);
  };
  await expectRow(CONTOSO, 'error', /3 errors, 3 warnings · 0\/1 vendors met · expired 2026-06-30/);
  await expectRow(CLEAN, 'pass', /no problems · 1\/1 vendors met/);
  await ui.shot('sites-view');

  const expires = new Date(Date.now() + 10 * 86_400_000).toISOString().slice(0, 10);
  fs.mkdirSync(path.join(ui.workspace, 'branches'));
  fs.writeFileSync(path.join(ui.workspace, 'branches/northwind.allowlist.yaml'), northwind(expires));
  await expectRow(NORTHWIND, 'warning', new RegExp(`1 warning · expires ${expires}`));
  if ((await rows.count()) !== 3) throw new Error(`the Sites view lists ${await rows.count()} rows, expected 3: ${(await rows.allInnerTexts()).join(' | ')}`);
  await ui.shot('sites-view-after-new-file');

  // The tooltip says which vendor role is unmet, in the vendor's words.
  await row(CONTOSO).hover();
  const hover = page.locator('.monaco-hover-content:visible, .custom-hover:visible, .workbench-hover:visible').first();
  await ui.until(async () => /Helpdesk Buttons: unmet: establish TechConnect session/.test(await hover.innerText().catch(() => '')), 'the Contoso tooltip naming its unmet role');
  await ui.shot('sites-tooltip');

  // A click opens the file at its first finding (missing-ports, line 43).
  await row(CONTOSO).click();
  await page.locator('.tabs-container .tab.active', { hasText: 'contoso.allowlist.yaml' }).waitFor({ timeout: PATIENCE });
  await page.locator('.statusbar-item', { hasText: /^Ln 43, Col 1$/ }).waitFor({ timeout: PATIENCE });
  await ui.shot('site-opened-at-first-finding');

  await ui.runCommand('Allowlist: Open Fleet Report');
  await page.locator('.tabs-container .tab.active', { hasText: 'Allowlist Fleet Report' }).waitFor({ timeout: PATIENCE });
  const frame = page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
  const matrixRows = frame.locator('table.matrix tbody tr');
  await ui.until(async () => (await matrixRows.count()) === 3, async () => `a matrix of 3 sites (it has ${await matrixRows.count()} rows)`);
  const cell = (site) => matrixRows.filter({ has: frame.locator('th', { hasText: site }) }).locator('td.cell[data-vendor="helpdesk-buttons"]');
  const states = {};
  for (const site of [CONTOSO, CLEAN, NORTHWIND]) states[site] = (await cell(site).getAttribute('class')).replace('cell ', '');
  const want = { [CONTOSO]: 'unmet', [CLEAN]: 'met', [NORTHWIND]: 'not-used' };
  if (JSON.stringify(states) !== JSON.stringify(want)) throw new Error(`matrix cells ${JSON.stringify(states)}, expected ${JSON.stringify(want)}`);
  const unmet = await cell(CONTOSO).innerText();
  if (!unmet.includes('establish TechConnect session')) throw new Error(`the unmet cell does not name the role: ${unmet}`);
  // The page's own styles apply under the webview's nonce policy (a blocked style sheet would leave cells uncoloured).
  const background = await cell(CONTOSO).evaluate((element) => getComputedStyle(element).backgroundColor);
  if (background !== 'rgb(253, 226, 225)') throw new Error(`the unmet cell's background is ${background}: the report's style did not apply`);
  await ui.shot('fleet-report');

  // The expiry's link opens contoso at the rule's `expires:` line.
  await frame.locator('#expiries a', { hasText: 'xray-migration' }).click();
  await page.locator('.tabs-container .tab.active', { hasText: 'contoso.allowlist.yaml' }).waitFor({ timeout: PATIENCE });
  await page.locator('.statusbar-item', { hasText: /^Ln 89, Col 1$/ }).waitFor({ timeout: PATIENCE });
  await ui.shot('report-link-opened-file-at-line');
}
