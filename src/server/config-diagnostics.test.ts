/** `.allowlistrc.yaml` errors in the editor: a diagnostic on the config file itself (line, column, did-you-mean),
 * cleared when the file is fixed, and one notice for the allowlists it no longer configures. */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { diagnosticsFor, startSession, stopSession, waitFor } from './test-session';

const ALLOWLIST = 'allowlist: 1\noutbound:\n  - name: a\n    to: a.example.com\n    ports: 99999\n';

test('config errors: a diagnostic on the config file, one notice, cleared once the config is fixed', async () => {
  const folder = mkdtempSync(join(tmpdir(), 'allowlist-config-lsp-'));
  const configPath = join(folder, '.allowlistrc.yaml');
  writeFileSync(configPath, 'rules:\n  invalid-port: warning\n  shadowed-rul: error\n');
  const configUri = pathToFileURL(configPath).href;
  const allowlistUri = pathToFileURL(join(folder, 'site.allowlist.yaml')).href;
  const session = await startSession(folder, { trusted: true, yamlExtensionActive: false });
  const notices = () => session.messages.filter(({ message }) => message.includes('.allowlistrc.yaml'));
  try {
    void session.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: allowlistUri, languageId: 'yaml', version: 1, text: ALLOWLIST } });
    // Linted without the broken config: invalid-port keeps its own severity (error).
    const linted = await diagnosticsFor(session, allowlistUri);
    assert.deepEqual(linted.diagnostics.map((d) => [d.code, d.severity]), [['invalid-port', 1]]);

    const broken = await diagnosticsFor(session, configUri, (published) => published.diagnostics.length > 0);
    assert.deepEqual(broken.diagnostics, [
      {
        range: { start: { line: 2, character: 2 }, end: { line: 2, character: 14 } },
        severity: 1,
        source: 'allowlist',
        message: 'unknown rule "shadowed-rul"; did you mean shadowed-rule?',
      },
    ]);
    await waitFor(session, () => (notices().length > 0 ? true : undefined), () => `no notice; got ${JSON.stringify(session.messages)}`);

    // Opening and closing the config file leaves its diagnostic in place while it is broken.
    void session.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: configUri, languageId: 'yaml', version: 1, text: 'rules:\n  invalid-port: warning\n  shadowed-rul: error\n' } });
    void session.connection.sendNotification('textDocument/didClose', { textDocument: { uri: configUri } });

    // Another file changes (a catalog) and everything is linted again: the notice is not shown again.
    const before = session.published.length;
    void session.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: pathToFileURL(join(folder, 'x.catalog.yaml')).href, type: 1 }] });
    await diagnosticsFor(session, allowlistUri, () => true, before);
    await diagnosticsFor(session, configUri, (published) => published.diagnostics.length === 1, before);
    assert.equal(notices().length, 1, JSON.stringify(session.messages));
    assert.ok(!session.published.some((published) => published.uri === configUri && published.diagnostics.length === 0), 'never cleared while broken');

    // Fixed on disk: the diagnostic goes, and the config applies again.
    writeFileSync(configPath, 'rules:\n  invalid-port: warning\n  shadowed-rule: error\n');
    const fixedFrom = session.published.length;
    void session.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: configUri, type: 2 }] });
    await diagnosticsFor(session, configUri, (published) => published.diagnostics.length === 0, fixedFrom);
    const relinted = await diagnosticsFor(session, allowlistUri, () => true, fixedFrom);
    assert.deepEqual(relinted.diagnostics.map((d) => [d.code, d.severity]), [['invalid-port', 2]]);
    assert.equal(notices().length, 1);
  } finally {
    await stopSession(session);
    rmSync(folder, { recursive: true, force: true });
  }
});

test('config errors: a YAML error in the config is a diagnostic at its place too', async () => {
  const folder = mkdtempSync(join(tmpdir(), 'allowlist-config-lsp-'));
  const configPath = join(folder, '.allowlistrc.yaml');
  writeFileSync(configPath, 'rules:\n  invalid-port: [warning\n');
  const session = await startSession(folder, { trusted: true, yamlExtensionActive: false });
  try {
    const allowlistUri = pathToFileURL(join(folder, 'site.allowlist.yaml')).href;
    void session.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: allowlistUri, languageId: 'yaml', version: 1, text: ALLOWLIST } });
    const { diagnostics } = await diagnosticsFor(session, pathToFileURL(configPath).href);
    assert.equal(diagnostics.length, 1);
    assert.match(diagnostics[0].message, /^not valid YAML: /);
    assert.ok(diagnostics[0].range.start.line >= 1, JSON.stringify(diagnostics[0].range));
  } finally {
    await stopSession(session);
    rmSync(folder, { recursive: true, force: true });
  }
});
