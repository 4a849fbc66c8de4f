// The Outline view lists the example's sections and its rules by name.
import { PATIENCE } from '../lib/ui.mjs';

export async function run(ui) {
  await ui.openFile('contoso.allowlist.yaml');
  await ui.waitForProblems((c) => c.errors + c.warnings >= 5);
  // Collapse the folder tree so the Outline gets the side bar's height (its list renders only visible rows).
  const folders = ui.page.locator('.pane', { has: ui.page.locator('.explorer-folders-view') }).locator('.pane-header');
  if ((await folders.getAttribute('aria-expanded')) === 'true') await folders.click();
  const pane = ui.page.locator('.pane', { has: ui.page.locator('.pane-header', { hasText: /^Outline/ }) });
  const header = pane.locator('.pane-header');
  if ((await header.getAttribute('aria-expanded')) !== 'true') await header.click();
  const rows = pane.locator('.monaco-list-row');
  await rows.first().waitFor({ timeout: PATIENCE });
  const names = async () => (await pane.locator('.monaco-list-row .label-name').allInnerTexts()).map((t) => t.trim());
  // The outline fills in as the symbols arrive: wait until it lists every section (or name the ones it lacks).
  const sections = ['outbound', 'inbound', 'vendors', 'endpoint-protection'];
  let listed = [];
  await ui.until(async () => (listed = await names(), sections.every((s) => listed.includes(s))),
    () => `an Outline listing ${sections} (it lacks ${sections.filter((s) => !listed.includes(s))}; lists ${listed})`);
  await ui.shot('outline');
  // Expand the rule sections if the outline shows them collapsed.
  for (const section of ['outbound', 'inbound']) {
    const row = pane.locator('.monaco-list-row', { has: ui.page.locator('.label-name', { hasText: new RegExp(`^${section}$`) }) }).first();
    if ((await row.getAttribute('aria-expanded')) === 'false') await row.locator('.monaco-tl-twistie').click();
  }
  const rules = ['hdb-api', 'hdb-uploads', 'hdb-techconnect', 'm365-web', 'outlook', 'ntp', 'offsite-backup', 'xray-migration', 'hdb-ticket-api'];
  await ui.until(async () => (listed = await names(), rules.every((r) => listed.includes(r))),
    () => `an Outline listing every rule (it lacks ${rules.filter((r) => !listed.includes(r))}; lists ${listed})`);
  await ui.shot('outline-expanded');
  // Clicking a rule in the outline moves the cursor to it.
  await pane.locator('.monaco-list-row', { has: ui.page.locator('.label-name', { hasText: /^xray-migration$/ }) }).first().click();
  await ui.page.waitForFunction(() => /Ln 83,/.test(document.querySelector('#status\\.editor\\.selection')?.textContent ?? ''), null, { timeout: PATIENCE });
  await ui.shot('outline-clicked-xray-migration');
}
