/** After it publishes a document's diagnostics, the language server makes, once idle, what the next keystroke's re-lint
 * would otherwise make first (`Linter.prepareForEdits`: shadowed-rule's indexes, 50-100 ms in 10,000 rules). The server
 * runs in this process (`startServer` with the Node host over in-memory streams), so that the calls can be counted. */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node';
import { createConnection } from 'vscode-languageserver/node';
import { Linter } from '../core/lint';
import { startServer } from './language-server';
import { nodeHost } from './server';

const SITE = 'allowlist: 1\noutbound:\n  - name: web\n    to: 192.0.2.0/24\n    ports: 443\n  - name: one\n    to: 192.0.2.7\n    ports: 443\n';

/** Resolves when `condition` holds, checked every 10 ms; fails after 20 s (a busy machine, not a fixed wait). */
async function until(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (!condition()) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

test('the server prepares each linted version for edits once, after publishing it, and the re-lint finds the same as a fresh lint', async (t) => {
  const prepared: Linter[] = [];
  const original = Linter.prototype.prepareForEdits;
  t.mock.method(Linter.prototype, 'prepareForEdits', function (this: Linter) {
    prepared.push(this);
    original.call(this);
  });
  const folder = mkdtempSync(join(tmpdir(), 'allowlist-prepare-'));
  const toServer = new PassThrough();
  const toClient = new PassThrough();
  startServer(createConnection(new StreamMessageReader(toServer), new StreamMessageWriter(toClient)), nodeHost);
  const client = createMessageConnection(new StreamMessageReader(toClient), new StreamMessageWriter(toServer));
  const published: { uri: string; version?: number; diagnostics: { code?: string }[] }[] = [];
  client.onNotification('textDocument/publishDiagnostics', (message: (typeof published)[number]) => void published.push(message));
  client.onRequest('client/registerCapability', () => null);
  client.listen();
  try {
    const folderUri = pathToFileURL(folder).href;
    // No processId: the server would watch it with a timer that keeps this process alive.
    await client.sendRequest('initialize', { processId: null, rootUri: folderUri, workspaceFolders: [{ uri: folderUri, name: 'ws' }], capabilities: {}, initializationOptions: { trusted: true, lintDelayMs: 0 } });
    await client.sendNotification('initialized', {});
    const site = pathToFileURL(join(folder, 'site.allowlist.yaml')).href;
    await client.sendNotification('textDocument/didOpen', { textDocument: { uri: site, languageId: 'yaml', version: 1, text: SITE } });
    await until(() => prepared.length === 1, 'the open version to be prepared');
    assert.ok(published.some((message) => message.uri === site && message.version === 1), 'prepared after its diagnostics were published');

    // Another document's preparation comes after the first's timer: by then, a second call for the first would have come.
    const other = pathToFileURL(join(folder, 'other.allowlist.yaml')).href;
    await client.sendNotification('textDocument/didOpen', { textDocument: { uri: other, languageId: 'yaml', version: 1, text: SITE } });
    await until(() => prepared.length === 2, 'the other document to be prepared');
    assert.notEqual(prepared[1], prepared[0], 'each document has its own Linter');

    // An edit is linted by the prepared Linter: `one`, inside `web`'s network, is shadowed, at 192.0.2.8 as at .7, as a
    // fresh lint finds.
    const edited = SITE.replace('to: 192.0.2.7', 'to: 192.0.2.8');
    await client.sendNotification('textDocument/didChange', { textDocument: { uri: site, version: 2 }, contentChanges: [{ text: edited }] });
    await until(() => published.some((message) => message.uri === site && message.version === 2), 'the edit to be linted');
    const codes = (version: number) => published.find((message) => message.uri === site && message.version === version)!.diagnostics.map((diagnostic) => diagnostic.code);
    const fresh = new Linter().lint(edited, { fileName: 'site.allowlist.yaml' }).findings.map((finding) => finding.ruleId);
    assert.ok(codes(2).includes('shadowed-rule'), JSON.stringify(codes(2)));
    assert.deepEqual(codes(2).filter((code) => code === 'shadowed-rule'), fresh.filter((id) => id === 'shadowed-rule'));
    await until(() => prepared.length === 3, 'the edited version to be prepared');
    assert.equal(prepared[2], prepared[0], 'the same document, the same Linter');
  } finally {
    await client.sendRequest('shutdown');
    client.dispose();
    toServer.end();
    toClient.end();
    rmSync(folder, { recursive: true, force: true });
  }
});
