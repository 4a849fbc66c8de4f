// Debian's chromium driven by playwright-core (never `playwright install`: no internet here).
import fs from 'node:fs';
import path from 'node:path';
import { CHROMIUM, requireTool } from './paths.mjs';
import { onCleanup } from './cleanup.mjs';

// The networking flags stop chromium from flooding the closed network with update/sync requests.
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync'];

export async function launchBrowser(outDir) {
  const { chromium } = requireTool('playwright-core');
  const home = path.join(outDir, 'home');
  fs.mkdirSync(home, { recursive: true });
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS, env: { ...process.env, HOME: home } });
  onCleanup(() => browser.close());
  return browser;
}

/** New page whose console errors and page crashes are appended to `logFile` (for post-mortems). */
export async function newPage(browser, logFile) {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const page = await context.newPage();
  const log = (line) => fs.appendFileSync(logFile, `${new Date().toISOString()} ${line}\n`);
  page.on('console', (m) => { if (m.type() === 'error') log(`console.error ${m.text()}`); });
  page.on('pageerror', (e) => log(`pageerror ${e.message}`));
  return page;
}
