// The browser's lint time (issue 13): the language server's browser bundle (dist/browser/server.js) in a Web Worker
// of headless Chromium, as VS Code for the web runs it, against `lintText` in Node, on the same text. Each worker run
// opens the text as a new document (a fresh Linter, as a fresh `lintText` is) and times, in the page, from posting
// `textDocument/didOpen` to receiving its `publishDiagnostics`: the lint plus the LSP messages and the diagnostics'
// conversion, which is what the editor waits for. Self-contained: `npm run bench` calls workerLintBench and reports
// it skipped, with the reason, where Chromium (playwright-core drives Debian's /usr/bin/chromium, or CHROMIUM_PATH)
// or the bundle is absent.
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** A page that starts the worker, initializes it (an untrusted workspace: the built-in catalogs only, no requests for
 * the workspace's), answers its requests for config files with none, and times one lint per call of `lintOnce`. */
const PAGE = `<!doctype html><script>
  const worker = new Worker('/server.js');
  const pending = new Map();
  let nextId = 1;
  worker.onmessage = ({ data }) => {
    if (data.method === 'allowlist/configText') worker.postMessage({ jsonrpc: '2.0', id: data.id, result: null });
    const waiting = pending.get(data.id !== undefined && data.method === undefined ? data.id : data.params?.uri);
    if (waiting) waiting(data);
  };
  const wait = (key) => new Promise((resolve) => pending.set(key, resolve));
  window.ready = (async () => {
    const id = nextId++;
    worker.postMessage({ jsonrpc: '2.0', id, method: 'initialize', params: { processId: null, rootUri: null, workspaceFolders: null, capabilities: {}, initializationOptions: { trusted: false, yamlExtensionActive: false } } });
    await wait(id);
    worker.postMessage({ jsonrpc: '2.0', method: 'initialized', params: {} });
  })();
  window.lintOnce = async (uri, text) => {
    const published = wait(uri);
    const start = performance.now();
    worker.postMessage({ jsonrpc: '2.0', method: 'textDocument/didOpen', params: { textDocument: { uri, languageId: 'yaml', version: 1, text } } });
    const message = await published;
    const ms = performance.now() - start;
    worker.postMessage({ jsonrpc: '2.0', method: 'textDocument/didClose', params: { textDocument: { uri } } });
    return { ms, diagnostics: message.params.diagnostics.length };
  };
</script>`;

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

/** Median worker and Node times of `runs` lints of `text` (after `warmups` of each), alternating worker and Node runs so
 * that other work on the machine falls on both; `{ skipped }` when the browser cannot run here. */
export async function workerLintBench({ root, text, lintNode, runs, warmups = 3 }) {
  const bundle = join(root, 'dist/browser/server.js');
  if (!existsSync(CHROMIUM)) return { skipped: `no Chromium at ${CHROMIUM} (set CHROMIUM_PATH)` };
  if (!existsSync(bundle)) return { skipped: 'dist/browser/server.js is absent (npm run build)' };
  let chromium;
  try {
    ({ chromium } = createRequire(import.meta.url)('playwright-core'));
  } catch {
    return { skipped: 'playwright-core is not installed' };
  }
  const server = createServer((request, response) => {
    if (request.url === '/') response.writeHead(200, { 'content-type': 'text/html' }).end(PAGE);
    else if (request.url === '/server.js') response.writeHead(200, { 'content-type': 'text/javascript' }).end(readFileSync(bundle));
    else response.writeHead(404).end();
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const browser = await chromium.launch({ executablePath: CHROMIUM });
  try {
    const page = await browser.newPage();
    await page.goto(`http://127.0.0.1:${server.address().port}/`);
    await page.evaluate(() => window.ready);
    let document = 0;
    const inWorker = () => page.evaluate(([uri, source]) => window.lintOnce(uri, source), [`vscode-vfs://github/bench/site/bench-${document++}.allowlist.yaml`, text]);
    const inNode = () => {
      const start = performance.now();
      const findings = lintNode(text).findings.length;
      return { ms: performance.now() - start, diagnostics: findings };
    };
    for (let run = 0; run < warmups; run++) {
      await inWorker();
      inNode();
    }
    const worker = [];
    const node = [];
    let findings;
    for (let run = 0; run < runs; run++) {
      const fromWorker = await inWorker();
      worker.push(fromWorker.ms);
      node.push(inNode().ms);
      findings = fromWorker.diagnostics;
    }
    const browserVersion = browser.version();
    return { workerMs: median(worker), nodeMs: median(node), ratio: median(worker) / median(node), runs, warmups, findings, browser: `Chromium ${browserVersion}` };
  } finally {
    await browser.close();
    await new Promise((resolve) => server.close(resolve));
  }
}
