/** The language server's browser build (dist/browser/server.js) in headless Chromium: started as a web worker
 * from a page that a server of this test serves on 127.0.0.1, spoken to in LSP over postMessage, as VS Code in
 * the browser does (the page answers the server's requests for the workspace's catalogs and config files, as the
 * web extension does from `vscode.workspace.fs`). Its diagnostics must be what `allowlist lint` finds in the same
 * text (the engine with the built-in catalogs, bundled into the worker, the workspace's, and its config), and hovers, completion and
 * go to definition must answer from those catalogs; *Lint All Allowlists in Workspace* lints the files the client
 * lists, reading those not open through the client.
 * Building that bundle with platform 'browser' (npm run build) is itself the check that no Node built-in is
 * reachable from it: esbuild fails on one. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { buildCatalogSet, builtinCatalogs, parseCatalog } from '../../src/core/catalog';
import { LineIndex } from '../../src/core/common';
import { lintText, parseConfig } from '../../src/core/lint';
import { toDiagnostic } from '../../src/server/language-server';

const root = join(__dirname, '../..');
const bundle = join(root, 'dist/browser/server.js');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const skip = !existsSync(CHROMIUM) ? `no Chromium at ${CHROMIUM} (set CHROMIUM_PATH): browser worker test skipped` : !existsSync(bundle) ? 'dist/browser/server.js is absent: run `npm run build` first (browser worker test skipped)' : false;

const URI = 'vscode-vfs://github/contoso/firewall/examples/contoso.allowlist.yaml';
const text = readFileSync(join(root, 'examples/contoso.allowlist.yaml'), 'utf8');
/** A catalog of the workspace, which only the client can read in the browser. */
const CATALOG_URI = 'vscode-vfs://github/contoso/firewall/vendors/acme-backup.catalog.yaml';
const CATALOG = `catalog: 1
vendor:
  id: acme-backup
  name: Acme Backup
endpoints:
  - id: vault
    role: upload nightly backups to the vault
    host: vault.acme-backup.example
    ports: [443]
    allowlist-by: hostname
    source:
      url: https://acme-backup.example/firewall
`;
/** The repository's config, above examples/: its severities apply to the example, and the client is asked for the
 * catalogs it names (with those of the `allowlist.catalogs` setting). */
const CONFIG_URI = 'vscode-vfs://github/contoso/firewall/.allowlistrc.yaml';
const CONFIG = 'catalogs:\n  - vendors\nrules:\n  shadowed-rule: error\n  product-advice: off\n';
const BACKUPS_URI = 'vscode-vfs://github/contoso/firewall/sites/backups.allowlist.yaml';
const BACKUPS = `allowlist: 1
site: Contoso Dental - backups
vendors:
  acme-backup: {}
outbound:
  - name: backups
    vendor: acme-backup
    to: vault.acme-backup.example
    ports: 443
`;
/** An allowlist of the workspace that is never opened: Lint All Allowlists reads it through the client. */
const CLOSED_URI = 'vscode-vfs://github/contoso/firewall/sites/annex.allowlist.yaml';
const CLOSED = `allowlist: 1
site: Contoso Dental - annex
outbound:
  - name: web
    to: www.contoso.example
`;
/** What the client lists for the workspace folder (discovery is the client's, through vscode.workspace.findFiles):
 * the open files, the closed one, the catalog and a file gone since it was listed. */
const GONE_URI = 'vscode-vfs://github/contoso/firewall/sites/gone.allowlist.yaml';
const DISCOVERY = {
  files: [
    { path: URI, kind: 'allowlist' },
    { path: BACKUPS_URI, kind: 'allowlist' },
    { path: CLOSED_URI, kind: 'allowlist' },
    { path: GONE_URI, kind: 'allowlist' },
    { path: CATALOG_URI, kind: 'catalog' },
  ],
  skipped: [],
};

interface Message {
  id?: number;
  method?: string;
  params?: unknown;
  result?: unknown;
  error?: { message: string };
}

/** A page that starts the bundle as a worker, records what it posts, posts what the test sends, and answers the
 * server's requests for the workspace's catalogs. */
const PAGE = `<!doctype html><script>
  window.received = [];
  window.worker = new Worker('/server.js');
  const catalogs = { files: [{ uri: ${JSON.stringify(CATALOG_URI)}, text: ${JSON.stringify(CATALOG)} }], problems: [] };
  const configs = { ${JSON.stringify(CONFIG_URI)}: ${JSON.stringify(CONFIG)} };
  const files = { ${JSON.stringify(CLOSED_URI)}: ${JSON.stringify(CLOSED)}, ${JSON.stringify(CATALOG_URI)}: ${JSON.stringify(CATALOG)} };
  worker.onmessage = (event) => {
    received.push(event.data);
    const answer = (result) => worker.postMessage({ jsonrpc: '2.0', id: event.data.id, result });
    if (event.data.method === 'allowlist/workspaceCatalogs') answer(catalogs);
    if (event.data.method === 'allowlist/configText') answer(configs[event.data.params.uri] ?? null);
    if (event.data.method === 'allowlist/workspaceFiles') answer(${JSON.stringify(DISCOVERY)});
    const read = event.data.method === 'allowlist/decodedFile' ? files[event.data.params.uri] : undefined;
    if (event.data.method === 'allowlist/decodedFile') answer(read === undefined ? { error: 'no such file' } : { text: read });
  };
  worker.onerror = (event) => received.push({ method: 'worker-error', params: String(event.message) });
</script>`;

function serve(): Promise<Server> {
  const server = createServer((request, response) => {
    if (request.url === '/') response.writeHead(200, { 'content-type': 'text/html' }).end(PAGE);
    else if (request.url === '/server.js') response.writeHead(200, { 'content-type': 'text/javascript' }).end(readFileSync(bundle));
    else response.writeHead(404).end();
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

/** What PAGE defines, as page.evaluate sees it. */
interface PageGlobals {
  worker: { postMessage(message: unknown): void };
  received: Message[];
}

class WorkerSession {
  private nextId = 1;
  constructor(private readonly page: Page) {}

  notify(method: string, params: unknown): Promise<void> {
    return this.page.evaluate((message) => (globalThis as unknown as PageGlobals).worker.postMessage(message), { jsonrpc: '2.0', method, params });
  }

  async request<T>(method: string, params: unknown): Promise<T> {
    const id = this.nextId++;
    await this.page.evaluate((message) => (globalThis as unknown as PageGlobals).worker.postMessage(message), { jsonrpc: '2.0', id, method, params });
    const reply = await this.waitFor((message) => message.id === id && message.method === undefined);
    if (reply.error) throw new Error(`${method}: ${reply.error.message}`);
    return reply.result as T;
  }

  /** Every message the worker has sent so far. */
  sent(): Promise<Message[]> {
    return this.page.evaluate(() => (globalThis as unknown as PageGlobals).received);
  }

  /** The first message from the worker that matches (waiting for it), failing at once on a worker error. */
  async waitFor(matches: (message: Message) => boolean): Promise<Message> {
    for (;;) {
      const received = await this.page.evaluate(() => (globalThis as unknown as PageGlobals).received);
      const failed = received.find((message) => message.method === 'worker-error');
      if (failed) throw new Error(`the worker failed: ${String(failed.params)}`);
      const found = received.find(matches);
      if (found) return found;
      await this.page.waitForFunction((count) => (globalThis as unknown as PageGlobals).received.length > count, received.length);
    }
  }
}

test('the browser language server in a web worker: diagnostics as the CLI finds them, a hover, a completion, go to definition and a quick fix from the bundled catalogs', { skip }, async () => {
  let browser: Browser | undefined;
  const server = await serve();
  try {
    browser = await chromium.launch({ executablePath: CHROMIUM });
    const page = await browser.newPage();
    await page.goto(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
    const session = new WorkerSession(page);

    const initialized = await session.request<{ capabilities: { hoverProvider?: boolean; codeLensProvider?: unknown } }>('initialize', {
      processId: null,
      rootUri: null,
      workspaceFolders: [{ uri: 'vscode-vfs://github/contoso/firewall', name: 'firewall' }],
      capabilities: {},
      initializationOptions: { trusted: true, yamlExtensionActive: false, settings: { catalogs: ['shared/extra.catalog.yaml'] } },
    });
    assert.equal(initialized.capabilities.hoverProvider, true);
    assert.equal(initialized.capabilities.codeLensProvider, undefined, 'no Probe lenses without sockets');
    await session.notify('initialized', {});
    await session.notify('textDocument/didOpen', { textDocument: { uri: URI, languageId: 'yaml', version: 1, text } });

    const published = await session.waitFor((message) => message.method === 'textDocument/publishDiagnostics' && (message.params as { uri: string }).uri === URI);
    const lines = new LineIndex(text);
    const catalogRequest = (await session.sent()).find((message) => message.method === 'allowlist/workspaceCatalogs');
    assert.deepEqual(catalogRequest?.params, {
      workspace: true,
      paths: [
        { uri: 'vscode-vfs://github/contoso/firewall/vendors', origin: 'from the config' },
        { uri: 'vscode-vfs://github/contoso/firewall/shared/extra.catalog.yaml', origin: 'allowlist.catalogs' },
      ],
    });
    const catalogs = buildCatalogSet([...builtinCatalogs(), parseCatalog(CATALOG, CATALOG_URI).catalog!]);
    const config = parseConfig(CONFIG, CONFIG_URI);
    const expected = lintText(text, { fileName: 'contoso.allowlist.yaml', catalogs, config }).findings.map((finding) => toDiagnostic(finding, lines));
    assert.ok(expected.some((diagnostic) => diagnostic.code === 'missing-ports'), 'the example has its deliberate mistakes');
    assert.ok(expected.some((diagnostic) => diagnostic.code === 'shadowed-rule' && diagnostic.severity === 1), 'the config makes shadowed-rule an error');
    assert.ok(!expected.some((diagnostic) => diagnostic.code === 'product-advice'), 'the config turns product-advice off');
    assert.deepEqual((published.params as { diagnostics: unknown[] }).diagnostics, expected);

    const host = lines.positionAt(text.indexOf('connect.helpdeskbuttons.com') + 3);
    const hover = await session.request<{ contents: { value: string } } | null>('textDocument/hover', { textDocument: { uri: URI }, position: host });
    assert.match(hover?.contents.value ?? '', /TechConnect/);
    assert.match(hover?.contents.value ?? '', /Helpdesk Buttons/);

    const start = lines.positionAt(text.indexOf('connect.helpdeskbuttons.com'));
    const completion = await session.request<{ label: string }[]>('textDocument/completion', { textDocument: { uri: URI }, position: start });
    assert.ok(
      completion.some((item) => item.label === 'connect.helpdeskbuttons.com'),
      `a vendor host among ${completion.map((item) => item.label).join(', ')}`,
    );

    // Go to definition from `vendor:` into the built-in catalog's vendor block, which the web extension serves read-only.
    const vendor = lines.positionAt(text.indexOf('vendor: helpdesk-buttons') + 'vendor: '.length + 2);
    const definitions = await session.request<{ uri: string; range: { start: { line: number } } }[]>('textDocument/definition', { textDocument: { uri: URI }, position: vendor });
    const catalogText = readFileSync(join(root, 'catalogs/helpdesk-buttons.catalog.yaml'), 'utf8');
    assert.deepEqual(
      definitions.map((location) => [location.uri, location.range.start.line]),
      [['allowlist-catalog:/helpdesk-buttons.catalog.yaml', new LineIndex(catalogText).positionAt(catalogText.indexOf('id: helpdesk-buttons')).line]],
    );

    // The quick fix of the missing TechConnect ports.
    const missingPorts = (published.params as { diagnostics: { code: string; range: unknown }[] }).diagnostics.find((diagnostic) => diagnostic.code === 'missing-ports')!;
    const actions = await session.request<{ title: string }[]>('textDocument/codeAction', { textDocument: { uri: URI }, range: missingPorts.range, context: { diagnostics: [missingPorts] } });
    assert.ok(actions.some((action) => /2001-2500/.test(action.title)), `a fix adding 2001-2500 among ${actions.map((action) => action.title).join('; ')}`);

    // A vendor of the workspace's own catalog: its hover, and go to definition into the catalog's document.
    await session.notify('textDocument/didOpen', { textDocument: { uri: BACKUPS_URI, languageId: 'yaml', version: 1, text: BACKUPS } });
    const backupLines = new LineIndex(BACKUPS);
    const vaultHover = await session.request<{ contents: { value: string } } | null>('textDocument/hover', { textDocument: { uri: BACKUPS_URI }, position: backupLines.positionAt(BACKUPS.indexOf('vault.') + 2) });
    assert.match(vaultHover?.contents.value ?? '', /upload nightly backups to the vault/);
    const backupVendor = backupLines.positionAt(BACKUPS.indexOf('vendor: acme-backup') + 'vendor: '.length + 2);
    const backupDefinitions = await session.request<{ uri: string; range: { start: { line: number } } }[]>('textDocument/definition', { textDocument: { uri: BACKUPS_URI }, position: backupVendor });
    assert.deepEqual(
      backupDefinitions.map((location) => [location.uri, location.range.start.line]),
      [[CATALOG_URI, 2]],
    );

    // Lint All Allowlists in Workspace: the open files as they are, the others read through the client; the closed
    // allowlist's diagnostics are the CLI's, and the file gone since it was listed is left out.
    const lintedAll = await session.request<{ files: number; errors: number; warnings: number; infos: number }>('allowlist/lintWorkspace', null);
    assert.equal(lintedAll.files, 4);
    const closedPublished = await session.waitFor((message) => message.method === 'textDocument/publishDiagnostics' && (message.params as { uri: string }).uri === CLOSED_URI);
    const closedExpected = lintText(CLOSED, { fileName: 'annex.allowlist.yaml', catalogs, config }).findings.map((finding) => toDiagnostic(finding, new LineIndex(CLOSED)));
    assert.ok(closedExpected.length > 0, 'the closed allowlist has findings');
    assert.deepEqual((closedPublished.params as { diagnostics: unknown[] }).diagnostics, closedExpected);
    assert.ok(lintedAll.errors + lintedAll.warnings + lintedAll.infos >= expected.length + closedExpected.length);
    const read = (await session.sent()).filter((message) => message.method === 'allowlist/decodedFile').map((message) => (message.params as { uri: string }).uri);
    assert.deepEqual(read.sort(), [CATALOG_URI, CLOSED_URI, GONE_URI].sort(), 'only the files not open are read');
  } finally {
    await browser?.close();
    await new Promise((resolve) => server.close(resolve));
  }
});
