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
  const context = await browser.newContext({ viewport: VIEWPORT });
  return logged(await context.newPage(), logFile);
}

/**
 * A chromium of its own on a fresh profile in `profileDir` that allows third-party cookies and storage, for VS Code
 * for the web: its webviews come from <uuid>.localhost origins and register a service worker there, which chromium
 * refuses in a third-party frame otherwise (the workbench then shows "Error loading webview"); neither flags nor
 * browser.newContext() allow it, a profile's preferences do. Returns the page (logged like newPage); closing its
 * context ends that chromium.
 */
export async function newWebPage(profileDir, logFile) {
  const { chromium } = requireTool('playwright-core');
  fs.mkdirSync(path.join(profileDir, 'Default'), { recursive: true });
  fs.writeFileSync(path.join(profileDir, 'Default/Preferences'), JSON.stringify({ profile: { cookie_controls_mode: 0, block_third_party_cookies: false } }));
  const context = await chromium.launchPersistentContext(profileDir, {
    executablePath: CHROMIUM, headless: true, args: ARGS, viewport: VIEWPORT, env: { ...process.env, HOME: profileDir },
  });
  onCleanup(() => context.close());
  return logged(context.pages()[0] ?? (await context.newPage()), logFile);
}

const VIEWPORT = { width: 1400, height: 900 };

function logged(page, logFile) {
  const log = (line) => fs.appendFileSync(logFile, `${new Date().toISOString()} ${line}\n`);
  page.on('console', (m) => { if (m.type() === 'error') log(`console.error ${m.text()}`); });
  page.on('pageerror', (e) => log(`pageerror ${e.message}`));
  return page;
}
