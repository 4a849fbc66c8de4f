// The Outline view lists the example's sections and its rules by name.
export async function run(ui) {
  await ui.openFile('contoso.allowlist.yaml');
  await ui.waitForProblems((c) => c.errors + c.warnings >= 5, 30_000);
  // Collapse the folder tree so the Outline gets the side bar's height (its list renders only visible rows).
  const folders = ui.page.locator('.pane', { has: ui.page.locator('.explorer-folders-view') }).locator('.pane-header');
  if ((await folders.getAttribute('aria-expanded')) === 'true') await folders.click();
  const pane = ui.page.locator('.pane', { has: ui.page.locator('.pane-header', { hasText: /^Outline/ }) });
  const header = pane.locator('.pane-header');
  if ((await header.getAttribute('aria-expanded')) !== 'true') await header.click();
  const rows = pane.locator('.monaco-list-row');
  await rows.first().waitFor({ timeout: 15_000 });
  await ui.page.waitForTimeout(500);
  await ui.shot('outline');
  const names = async () => (await pane.locator('.monaco-list-row .label-name').allInnerTexts()).map((t) => t.trim());
  let listed = await names();
  for (const section of ['outbound', 'inbound', 'vendors', 'endpoint-protection']) {
    if (!listed.includes(section)) throw new Error(`Outline lacks ${section}: ${listed}`);
  }
  // Expand the rule sections if the outline shows them collapsed.
  for (const section of ['outbound', 'inbound']) {
    const row = pane.locator('.monaco-list-row', { has: ui.page.locator('.label-name', { hasText: new RegExp(`^${section}$`) }) }).first();
    if ((await row.getAttribute('aria-expanded')) === 'false') {
      await row.locator('.monaco-tl-twistie').click();
      await ui.page.waitForTimeout(300);
    }
  }
  await ui.shot('outline-expanded');
  listed = await names();
  const rules = ['hdb-api', 'hdb-uploads', 'hdb-techconnect', 'm365-web', 'outlook', 'ntp', 'offsite-backup', 'xray-migration', 'hdb-ticket-api'];
  const missing = rules.filter((r) => !listed.includes(r));
  if (missing.length) throw new Error(`Outline lacks rules ${missing}; it lists ${listed}`);
  // Clicking a rule in the outline moves the cursor to it.
  await pane.locator('.monaco-list-row', { has: ui.page.locator('.label-name', { hasText: /^xray-migration$/ }) }).first().click();
  await ui.page.waitForFunction(() => /Ln 83,/.test(document.querySelector('#status\\.editor\\.selection')?.textContent ?? ''), null, { timeout: 10_000 });
  await ui.shot('outline-clicked-xray-migration');
}
