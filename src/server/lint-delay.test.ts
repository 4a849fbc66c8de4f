/** When the server lints: a change waits for the lint delay (the `lintDelayMs` initialization option), but opening and
 * saving a file lint at once. With a delay of an hour, the open's and the save's diagnostics can only come from the
 * immediate lint: `TextDocuments` also fires a content change right after each open, and letting that one re-schedule
 * the open's lint behind the delay once made every file's first diagnostics late. */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { diagnosticsFor, startSession, stopSession } from './test-session';

const AN_HOUR_MS = 3_600_000;

test('open and save lint at once, whatever the lint delay; a change waits for it', async () => {
  const folder = mkdtempSync(join(tmpdir(), 'allowlist-lint-delay-'));
  const uri = pathToFileURL(join(folder, 'site.allowlist.yaml')).href;
  const session = await startSession(folder, { trusted: true, yamlExtensionActive: false, lintDelayMs: AN_HOUR_MS });
  try {
    const text = 'allowlist: 1\noutbound:\n  - name: a\n    to: a.example.com\n    ports: 99999\n';
    void session.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: 1, text } });
    const opened = await diagnosticsFor(session, uri);
    assert.deepEqual([opened.version, opened.diagnostics.map((d) => d.code)], [1, ['invalid-port']]);

    // A change alone waits: the server handles messages in order, so a file opened after the change is linted, and
    // its diagnostics published, before the change's lint would have been, had it not waited for the hour.
    const fixed = text.replace('99999', '443');
    void session.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version: 2 }, contentChanges: [{ text: fixed }] });
    const other = pathToFileURL(join(folder, 'other.allowlist.yaml')).href;
    void session.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: other, languageId: 'yaml', version: 1, text } });
    await diagnosticsFor(session, other);
    assert.deepEqual(session.published.filter((published) => published.uri === uri).map((published) => published.version), [1]);

    void session.connection.sendNotification('textDocument/didSave', { textDocument: { uri } });
    const saved = await diagnosticsFor(session, uri, (published) => published.version === 2);
    assert.deepEqual(saved.diagnostics, []);
  } finally {
    await stopSession(session);
    rmSync(folder, { recursive: true, force: true });
  }
});
