/** The HTML fleet report in a real browser: `allowlist report --format html` of the bundled examples/ and a generated
 * few-site repository, opened from its file in headless Chromium (playwright-core, Debian's /usr/bin/chromium) as a
 * CI artifact would be. Asserts on the DOM (matrix cells, links to the files and lines, one bar group per site in
 * the chart, a hostile site name shown as text), on the absence of console errors and of any request besides the
 * page itself, and keeps a desktop and a phone-sized screenshot in test/report/out/ (gitignored). */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { generateAllowlist } from '../generate';
import { ACME_CATALOG, run, tempTree } from '../cli/helpers';

const ROOT = resolve(__dirname, '../..');
const OUT = join(__dirname, 'out');
const CHROMIUM = '/usr/bin/chromium';
const TODAY = '2026-11-25';
const HOSTILE = '<img src=x onerror=alert(1)>';

const skip = existsSync(CHROMIUM) ? false : `${CHROMIUM} is absent: the browser test needs Debian's chromium`;

const VENDORS = 'vendors:\n  helpdesk-buttons: { ticket-system: cloud }\n';

/** Three generated sites in a folder of their own, with a user catalog: one declares Acme without a rule for it,
 * one misses a Helpdesk Buttons host, one has a hostile name and a vendor no catalog knows. */
function generatedSites(): Record<string, string> {
  const site = (seed: number) => generateAllowlist({ rules: 40, seed });
  return {
    'sites/acme.catalog.yaml': ACME_CATALOG,
    'sites/alpha.allowlist.yaml': site(1).replace(VENDORS, `${VENDORS}  acme: {}\n`),
    // The gatekeeper host removed: Helpdesk Buttons' "gatekeeper" role is unmet.
    'sites/bravo.allowlist.yaml': site(2).replace(/\n {2}- name: hdb-gatekeeper\n(?: {4}.*\n)+/, '\n'),
    'sites/charlie.allowlist.yaml': site(3).replace(/^site: .*$/m, `site: "${HOSTILE}"`).replace(VENDORS, `${VENDORS}  mystery-vendor: {}\n`),
  };
}

let browser: Browser | undefined;
let tree: ReturnType<typeof tempTree> | undefined;
let reportUrl = '';

before(async () => {
  if (skip) return;
  tree = tempTree(generatedSites());
  const result = await run(tree.dir, ['report', join(ROOT, 'examples'), 'sites', '--today', TODAY, '--out', 'out/fleet.html']);
  assert.equal(result.code, 0, result.stderr);
  reportUrl = pathToFileURL(join(tree.dir, 'out/fleet.html')).href;
  const { chromium } = await import('playwright-core');
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'] });
  mkdirSync(OUT, { recursive: true });
});

after(async () => {
  await browser?.close();
  tree?.cleanup();
});

interface Opened {
  page: Page;
  consoleErrors: string[];
  requests: string[];
  dialogs: string[];
}

/** The report opened in a fresh context of the given size, every request but the page's own aborted and recorded. */
async function open(viewport: { width: number; height: number }, isMobile = false, url = reportUrl): Promise<Opened> {
  const context = await browser!.newContext({ viewport, isMobile, hasTouch: isMobile, deviceScaleFactor: isMobile ? 2 : 1 });
  const page = await context.newPage();
  const opened: Opened = { page, consoleErrors: [], requests: [], dialogs: [] };
  page.on('console', (message) => {
    if (message.type() === 'error') opened.consoleErrors.push(message.text());
  });
  page.on('pageerror', (error) => opened.consoleErrors.push(error.message));
  page.on('dialog', (dialog) => {
    opened.dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  page.on('request', (request) => {
    if (request.url() !== url) opened.requests.push(request.url());
  });
  await context.route('**/*', (route) => (route.request().url() === url ? route.continue() : route.abort()));
  await page.goto(url, { waitUntil: 'load' });
  return opened;
}

test('the matrix, links, chart and escaping of the report of examples/ and generated sites, on a desktop', { skip }, async () => {
  const { page, consoleErrors, requests, dialogs } = await open({ width: 1280, height: 900 });
  try {
    const rows = await page.$$eval('table.matrix tbody tr', (trs) =>
      trs.map((tr) => ({
        site: tr.querySelector('th')!.firstElementChild!.textContent,
        href: (tr.querySelector('th a') as unknown as { href: string }).href,
        cells: [...tr.querySelectorAll('td')].map((td) => ({ vendor: td.dataset.vendor, className: td.className, text: td.textContent, href: (td.querySelector('a') as unknown as { href: string }).href })),
      })),
    );
    assert.deepEqual(
      rows.map((row) => row.site),
      ['Fabrikam Orthodontics - Riverside office', 'Contoso Dental - Main Street practice', 'Generated site 1 (40 rules)', 'Generated site 2 (40 rules)', HOSTILE],
    );
    const bySite = new Map(rows.map((row) => [row.site, row]));
    const classes = (site: string) => bySite.get(site)!.cells.map((cell) => `${cell.vendor}: ${cell.className}`);
    assert.deepEqual(classes('Contoso Dental - Main Street practice'), ['acme: cell not-used', 'helpdesk-buttons: cell unmet', 'mystery-vendor: cell not-used']);
    assert.deepEqual(classes('Fabrikam Orthodontics - Riverside office'), ['acme: cell not-used', 'helpdesk-buttons: cell met', 'mystery-vendor: cell not-used']);
    assert.deepEqual(classes('Generated site 1 (40 rules)'), ['acme: cell unmet', 'helpdesk-buttons: cell met', 'mystery-vendor: cell not-used']);
    assert.deepEqual(classes('Generated site 2 (40 rules)'), ['acme: cell not-used', 'helpdesk-buttons: cell unmet', 'mystery-vendor: cell not-used']);
    assert.deepEqual(classes(HOSTILE), ['acme: cell not-used', 'helpdesk-buttons: cell met', 'mystery-vendor: cell unknown']);
    const headers = await page.$$eval('table.matrix thead th', (ths) => ths.map((th) => th.textContent));
    assert.deepEqual(headers, ['Site', 'Acme Remote', 'Helpdesk Buttons', 'mystery-vendor']);

    const contosoFile = pathToFileURL(join(ROOT, 'examples/contoso.allowlist.yaml')).href;
    const contoso = bySite.get('Contoso Dental - Main Street practice')!;
    assert.match(contoso.cells[1].text!, /establish TechConnect session/, "the unmet role in the vendor's words");
    assert.equal(contoso.cells[1].href, `${contosoFile}#L43`, 'the cell links to the file and line of the finding');
    assert.equal(contoso.cells[0].href, contosoFile, 'a vendor not used links to the file');
    assert.equal(contoso.href, contosoFile);
    const bravo = bySite.get('Generated site 2 (40 rules)')!;
    assert.match(bravo.cells[1].text!, /gatekeeper/);
    assert.match(bravo.cells[1].href, new RegExp(`^${pathToFileURL(join(tree!.dir, 'sites/bravo.allowlist.yaml')).href}#L\\d+$`));
    assert.match(bySite.get('Generated site 1 (40 rules)')!.cells[0].text!, /relay for remote sessions/);

    // The hostile site name is text wherever it appears, never an element.
    assert.equal(await page.locator('img').count(), 0);
    assert.equal(await page.getByText(HOSTILE, { exact: true }).first().isVisible(), true);
    assert.deepEqual(dialogs, []);

    // One bar group per site, each titled with its site.
    const groups = await page.$$eval('#chart svg g.site', (gs) => gs.map((g) => ({ title: g.querySelector('title')!.textContent!, bars: g.querySelectorAll('rect').length })));
    assert.equal(groups.length, 5);
    assert.ok(groups.some((group) => group.title.startsWith(HOSTILE)));
    assert.ok(groups.find((group) => group.title.startsWith('Contoso'))!.bars >= 2, 'errors and warnings of Contoso are bars');

    // The expiry calendar, soonest first; the open inbound rule of Contoso, linking to its line.
    const dates = await page.$$eval('#expiries tbody tr td:first-child', (tds) => tds.map((td) => td.textContent!));
    assert.ok(dates.length > 0);
    assert.deepEqual([...dates].sort(), dates);
    const openHref = await page.$eval('#inbound-open tbody tr a', (a) => (a as unknown as { href: string }).href);
    assert.equal(openHref, `${pathToFileURL(join(ROOT, 'examples/contoso.allowlist.yaml')).href}#L96`);

    assert.deepEqual(consoleErrors, []);
    assert.deepEqual(requests, [], 'the page makes no request');
    await page.screenshot({ path: join(OUT, 'report-desktop.png'), fullPage: true });
  } finally {
    await page.context().close();
  }
});

test('on a phone the page fits the screen and the wide matrix scrolls on its own', { skip }, async () => {
  const { page, consoleErrors, requests } = await open({ width: 390, height: 844 }, true);
  try {
    const widths = await page.evaluate<{ page: number; viewport: number }>('({ page: document.documentElement.scrollWidth, viewport: window.innerWidth })');
    assert.ok(widths.page <= widths.viewport, `the page is not wider than the screen (${widths.page} > ${widths.viewport})`);
    const overflow = await page.evaluate<string>("getComputedStyle(document.querySelector('table.matrix').parentElement).overflowX");
    assert.equal(overflow, 'auto');
    assert.deepEqual(consoleErrors, []);
    assert.deepEqual(requests, []);
    await page.screenshot({ path: join(OUT, 'report-phone.png'), fullPage: false });
  } finally {
    await page.context().close();
  }
});

test('a long site name without spaces wraps inside its row header, on a desktop and on a phone, not over the next cell', { skip }, async () => {
  const name = 'contoso_dental_main_street_springfield_practice_north_campus';
  const site = generateAllowlist({ rules: 10, seed: 5 }).replace(/^site: .*$/m, `site: ${name}`);
  const folder = tempTree({ 'long/site.allowlist.yaml': site });
  try {
    assert.equal((await run(folder.dir, ['report', 'long', '--today', TODAY, '--out', 'long.html'])).code, 0);
    const url = pathToFileURL(join(folder.dir, 'long.html')).href;
    for (const [viewport, mobile] of [[{ width: 1200, height: 800 }, false], [{ width: 390, height: 844 }, true]] as const) {
      const { page } = await open(viewport, mobile, url);
      try {
        const header = page.locator('table.matrix th[scope=row]').first();
        assert.match((await header.textContent()) ?? '', new RegExp(name));
        const overflow = await header.evaluate((th) => th.scrollWidth - th.clientWidth);
        assert.ok(overflow <= 0, `the name runs ${overflow}px past its header at ${viewport.width}px`);
        await page.screenshot({ path: join(OUT, `report-long-name-${viewport.width}.png`) });
      } finally {
        await page.context().close();
      }
    }
  } finally {
    folder.cleanup();
  }
});
