// The language server's heap while a user edits the 10,000-rule file (issue 16, target 6): the server (startServer
// with the Node host, as dist/server.js runs it) in this process over in-memory streams, the file opened, then edits
// for `seconds` as a user types: a few characters typed into a rule's description and deleted again, at a different
// rule every few edits, each edit's diagnostics awaited (the server lints after its 200 ms pause). The heap after a
// forced full collection, once the first lint is published and again at the end: a cache that grows per edit shows
// as the difference, and the heap at half time too: caches fill in the first half, so growth in the second half is
// growth per edit. Needs --expose-gc.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { pathToFileURL } from 'node:url';

const heapAfterGc = () => {
  globalThis.gc();
  globalThis.gc();
  return process.memoryUsage().heapUsed;
};

/** `core` is the bench's bundle (scripts/bench/core.ts); `text` the file. Resolves with the heap figures. */
export async function serverHeapBench({ core, text, seconds }) {
  const folder = mkdtempSync(join(os.tmpdir(), 'allowlist-heap-'));
  const toServer = new PassThrough();
  const toClient = new PassThrough();
  const serverConnection = core.createServerConnection(new core.StreamMessageReader(toServer), new core.StreamMessageWriter(toClient));
  core.startServer(serverConnection, core.nodeHost);
  const client = core.createMessageConnection(new core.StreamMessageReader(toClient), new core.StreamMessageWriter(toServer));
  const published = new Map();
  let wake = () => {};
  client.onNotification('textDocument/publishDiagnostics', ({ version, diagnostics }) => {
    published.set(version, diagnostics.length);
    wake();
  });
  client.onRequest('client/registerCapability', () => null);
  client.listen();
  const diagnosticsOf = (version) =>
    new Promise((resolve) => {
      const check = () => (published.has(version) ? resolve(published.get(version)) : (wake = check));
      check();
    });
  try {
    const folderUri = pathToFileURL(folder).href;
    await client.sendRequest('initialize', { processId: process.pid, rootUri: folderUri, workspaceFolders: [{ uri: folderUri, name: 'bench' }], capabilities: {}, initializationOptions: { trusted: true } });
    await client.sendNotification('initialized', {});
    const uri = `${folderUri}/big.allowlist.yaml`;
    let version = 1;
    await client.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version, text } });
    const findings = await diagnosticsOf(version);
    const lines = text.split('\n');
    // Where the user types: the end of each rule's first `description:` line, a different rule every 8 edits.
    const descriptionLines = lines.flatMap((line, index) => (/^ {4}description: [^>]/.test(line) ? [index] : []));
    const edit = async (line, character, insert, removeLength) => {
      version++;
      const range = { start: { line, character }, end: { line, character: character + removeLength } };
      await client.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ range, text: insert }] });
      return diagnosticsOf(version);
    };
    const heapAtStart = heapAfterGc();
    const started = performance.now();
    let heapAtHalf;
    let edits = 0;
    for (let spot = 0; performance.now() - started < seconds * 1000; spot++) {
      if (heapAtHalf === undefined && performance.now() - started >= seconds * 500) heapAtHalf = heapAfterGc();
      const line = descriptionLines[(spot * 997) % descriptionLines.length];
      const end = lines[line].length;
      // Type four characters, then delete them: each version is new text for that rule.
      const typed = `x${spot % 10}y${edits % 7}`;
      for (let i = 0; i < typed.length; i++, edits++) await edit(line, end + i, typed[i], 0);
      for (let i = typed.length - 1; i >= 0; i--, edits++) await edit(line, end + i, '', 1);
    }
    const heapAtEnd = heapAfterGc();
    return { rules: descriptionLines.length, findings, edits, seconds: Math.round((performance.now() - started) / 1000), heapAtStartBytes: heapAtStart, heapAtHalfBytes: heapAtHalf, heapAtEndBytes: heapAtEnd };
  } finally {
    client.dispose();
    serverConnection.dispose();
    rmSync(folder, { recursive: true, force: true });
  }
}
