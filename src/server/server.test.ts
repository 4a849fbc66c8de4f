/** Starts the language server as a separate process over stdio (the TS entry through tsx; set
 * ALLOWLIST_SERVER=dist to test the bundle dist/server.js) and speaks LSP to it with vscode-jsonrpc. */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { createServer, type AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';
import { stopSession } from './test-session';

const root = join(__dirname, '../..');
const CONTOSO = readFileSync(join(root, 'examples/contoso.allowlist.yaml'), 'utf8');

interface Diagnostic {
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
  severity: number;
  code: string;
  codeDescription?: { href: string };
  source: string;
  message: string;
}
interface Published {
  uri: string;
  version?: number;
  diagnostics: Diagnostic[];
}

let server: ChildProcess;
let connection: MessageConnection;
let folder: string;
const published: Published[] = [];
const statuses: { uri: string; version: number; errors: number; warnings: number; catalogs: { id: string }[] }[] = [];
const messages: ShownMessage[] = [];
let waiters: (() => void)[] = [];

interface ShownMessage {
  type: number;
  message: string;
}

function wakeWaiters(): void {
  for (const wake of waiters) wake();
  waiters = [];
}

/** Waits up to `ms` (10 s) for `found` to give something, re-checking whenever a message arrives. */
async function waitFor<T>(found: () => T | undefined, what: () => string, ms = 10_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = found();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(what());
    await new Promise<void>((resolve) => {
      waiters.push(resolve);
      setTimeout(resolve, 200);
    });
  }
}

/** The next diagnostics published for `uri` that satisfy `accept`, waiting up to `ms` (10 s). */
async function diagnosticsFor(uri: string, accept: (p: Published) => boolean = () => true, from = 0, list = published, ms?: number): Promise<Published> {
  return waitFor(
    () => list.slice(from).find((p) => p.uri === uri && accept(p)),
    () => `no diagnostics for ${uri}; got ${JSON.stringify(list.map((p) => [p.uri, p.version]))}`,
    ms,
  );
}

function position(text: string, needle: string, delta = 0): { line: number; character: number } {
  const offset = text.indexOf(needle) + delta;
  assert.ok(offset >= delta, `text has ${needle}`);
  const before = text.slice(0, offset);
  return { line: before.split('\n').length - 1, character: offset - before.lastIndexOf('\n') - 1 };
}

function open(uri: string, text: string, version = 1, to = connection): void {
  void to.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version, text } });
}

interface Session {
  server: ChildProcess;
  connection: MessageConnection;
  capabilities: Record<string, unknown>;
  published: Published[];
  messages: ShownMessage[];
  /** The server's window/logMessage messages. */
  logged: string[];
}

/** Starts a server over stdio for `root` and initializes it with `initializationOptions` as an editor would
 * (with our process id, unless `processId` says otherwise: null leaves only the closing of stdin to end it). */
async function startSession(
  workspace: string,
  initializationOptions: unknown,
  session: Pick<Session, 'published' | 'messages'> = { published: [], messages: [] },
  { processId = process.pid, capabilities = {} }: { processId?: number | null; capabilities?: Record<string, unknown> } = {},
): Promise<Session> {
  const logged: string[] = [];
  const args = process.env.ALLOWLIST_SERVER === 'dist' ? [join(root, 'dist/server.js'), '--stdio'] : ['--import', 'tsx', join(root, 'src/server/server.ts'), '--stdio'];
  const child = spawn(process.execPath, args, { cwd: root, stdio: ['pipe', 'pipe', 'inherit'] });
  const rpc = createMessageConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
  rpc.onNotification('textDocument/publishDiagnostics', (message: Published) => {
    session.published.push(message);
    wakeWaiters();
  });
  rpc.onNotification('window/showMessage', (message: ShownMessage) => {
    session.messages.push(message);
    wakeWaiters();
  });
  rpc.onNotification('window/logMessage', (message: { message: string }) => void logged.push(message.message));
  rpc.onRequest('client/registerCapability', () => null);
  rpc.listen();
  const result = (await rpc.sendRequest('initialize', {
    processId,
    rootUri: pathToFileURL(workspace).href,
    workspaceFolders: [{ uri: pathToFileURL(workspace).href, name: 'ws' }],
    capabilities,
    ...(initializationOptions === undefined ? {} : { initializationOptions }),
  })) as { capabilities: Record<string, unknown> };
  await rpc.sendNotification('initialized', {});
  return { ...session, logged, server: child, connection: rpc, capabilities: result.capabilities };
}

let capabilities: Record<string, unknown>;

before(async () => {
  folder = mkdtempSync(join(tmpdir(), 'allowlist-lsp-'));
  copyFileSync(join(root, 'examples/contoso.allowlist.yaml'), join(folder, 'contoso.allowlist.yaml'));
  copyFileSync(join(root, 'examples/clean.allowlist.yaml'), join(folder, 'clean.allowlist.yaml'));
  // An editor that declares trust but runs no commands of its own (as Neovim, Emacs or Helix configured per docs/editors.md).
  const session = await startSession(folder, { trusted: true, yamlExtensionActive: false }, { published, messages });
  ({ server, connection, capabilities } = session);
  connection.onNotification('allowlist/status', (status: (typeof statuses)[number]) => {
    statuses.push(status);
  });
  assert.ok(capabilities.hoverProvider);
  assert.ok(capabilities.completionProvider);
});

after(async () => {
  await stopSession({ server, connection });
  rmSync(folder, { recursive: true, force: true });
});

const contosoUri = () => pathToFileURL(join(folder, 'contoso.allowlist.yaml')).href;

test('diagnostics: published on open with exact ranges, the rule id as code, its docs link, severity and source', async () => {
  open(contosoUri(), CONTOSO);
  const { diagnostics, version } = await diagnosticsFor(contosoUri());
  assert.equal(version, 1);
  const missingPorts = diagnostics.find((d) => d.code === 'missing-ports');
  assert.ok(missingPorts, JSON.stringify(diagnostics.map((d) => d.code)));
  const at = position(CONTOSO, 'ports: 443\n    ticket: CHG-2041\n    owner: noc@northwind-msp.example\n\n  # --- Microsoft', 7);
  assert.deepEqual(missingPorts.range, { start: at, end: { line: at.line, character: at.character + 3 } });
  assert.equal(missingPorts.severity, 1);
  assert.equal(missingPorts.source, 'allowlist');
  assert.equal(missingPorts.codeDescription?.href, 'https://github.com/firewall-allowlist/firewall-allowlist/blob/main/docs/rules.md#missing-ports');
  const codes = new Set(diagnostics.map((d) => d.code));
  for (const id of ['shadowed-rule', 'expired-rule', 'inbound-too-broad', 'exclusion-path', 'product-advice']) assert.ok(codes.has(id), `has ${id}`);
  assert.equal(diagnostics.find((d) => d.code === 'product-advice')?.severity, 2, 'warning → Warning');
});

test('diagnostics: file text in messages is visible-safe (escapes, bidirectional overrides), as in the CLI', async () => {
  const uri = pathToFileURL(join(folder, 'escapes.allowlist.yaml')).href;
  open(uri, 'allowlist: 1\noutbound:\n  - name: "a\\e[2Kb\\u202ec"\n    to: x.example.com\n    ports: 443\n  - name: "a\\e[2Kb\\u202ec"\n    to: y.example.com\n    ports: 443\n');
  const { diagnostics } = await diagnosticsFor(uri);
  const duplicate = diagnostics.find((d) => d.code === 'duplicate-name');
  assert.ok(duplicate, JSON.stringify(diagnostics.map((d) => d.code)));
  assert.match(duplicate.message, /a\\x1b\[2Kb\\u202ec/);
  for (const d of diagnostics) assert.doesNotMatch(d.message, /[\u001b\u202e]/, d.message);
  const actions = (await connection.sendRequest('textDocument/codeAction', { textDocument: { uri }, range: duplicate.range, context: { diagnostics: [duplicate] } })) as { title: string }[];
  assert.ok(actions.some((a) => a.title === 'Ignore duplicate-name on this line'), JSON.stringify(actions.map((a) => a.title)));
});

test('diagnostics: info findings are Information', async () => {
  const uri = pathToFileURL(join(folder, 'soon.allowlist.yaml')).href;
  const soon = new Date(Date.now() + 3 * 86_400_000).toISOString().slice(0, 10);
  open(uri, `allowlist: 1\noutbound:\n  - name: a\n    to: x.example.com\n    ports: 443\n    expires: ${soon}\n`);
  const { diagnostics } = await diagnosticsFor(uri);
  assert.deepEqual(diagnostics.map((d) => [d.code, d.severity]), [['expires-soon', 3]]);
});

test('status: the server reports counts and catalogs for the status bar', async () => {
  const deadline = Date.now() + 5000;
  while (!statuses.some((s) => s.uri === contosoUri()) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  const status = statuses.find((s) => s.uri === contosoUri())!;
  assert.ok(status.errors > 0);
  assert.deepEqual(status.catalogs.map((c) => c.id), ['helpdesk-buttons']);
});

test('hover: connect.helpdeskbuttons.com shows the vendor\'s role text', async () => {
  const hover = (await connection.sendRequest('textDocument/hover', { textDocument: { uri: contosoUri() }, position: position(CONTOSO, 'connect.helpdeskbuttons.com', 4) })) as {
    contents: { kind: string; value: string };
    range: { start: { line: number; character: number } };
  };
  assert.equal(hover.contents.kind, 'markdown');
  assert.match(hover.contents.value, /request slot for TechConnect/);
  assert.deepEqual(hover.range.start, position(CONTOSO, 'connect.helpdeskbuttons.com'));
});

test('completion: after `to: ` the declared vendor\'s catalog hosts, with their role', async () => {
  const uri = pathToFileURL(join(folder, 'new.allowlist.yaml')).href;
  const text = 'allowlist: 1\nvendors:\n  helpdesk-buttons: ~\noutbound:\n  - name: tc\n    vendor: helpdesk-buttons\n    to: \n    ports: 443\n';
  open(uri, text);
  const items = (await connection.sendRequest('textDocument/completion', { textDocument: { uri }, position: position(text, '    to: ', 8) })) as { label: string; detail?: string; textEdit?: { newText: string } }[];
  const connect = items.find((item) => item.label === 'connect.helpdeskbuttons.com');
  assert.ok(connect, JSON.stringify(items.map((i) => i.label)));
  assert.match(connect.detail!, /request slot for TechConnect/);
  assert.equal(connect.textEdit?.newText, 'connect.helpdeskbuttons.com');
});

test('code actions: a finding\'s fix, linked to its diagnostic and preferred; and "Ignore … on this line"', async () => {
  const { diagnostics } = await diagnosticsFor(contosoUri());
  const missingPorts = diagnostics.find((d) => d.code === 'missing-ports')!;
  const actions = (await connection.sendRequest('textDocument/codeAction', {
    textDocument: { uri: contosoUri() },
    range: missingPorts.range,
    context: { diagnostics: [missingPorts] },
  })) as { title: string; kind: string; isPreferred?: boolean; diagnostics: Diagnostic[]; edit: { changes: Record<string, { range: Diagnostic['range']; newText: string }[]> } }[];
  const fix = actions.find((a) => /2001-2500/.test(JSON.stringify(a.edit)));
  assert.ok(fix, JSON.stringify(actions.map((a) => a.title)));
  assert.equal(fix.kind, 'quickfix');
  assert.deepEqual(fix.diagnostics, [missingPorts]);
  const edits = fix.edit.changes[contosoUri()];
  assert.ok(edits.length > 0);
  const ignore = actions.find((a) => a.title === 'Ignore missing-ports on this line');
  assert.ok(ignore);
  const [edit] = ignore.edit.changes[contosoUri()];
  assert.deepEqual(edit.range.start, { line: missingPorts.range.start.line, character: 0 });
  assert.match(edit.newText, /^    # allowlist-ignore missing-ports: /);
});

test('code actions: "Ignore … on this line" taken for two findings on one line silences both', async () => {
  const uri = pathToFileURL(join(folder, 'ignore-twice.allowlist.yaml')).href;
  let text = 'allowlist: 1\noutbound:\n  - name: lab\n    to: [10.0.0.256, "*.com"]\n    ports: 443\n';
  open(uri, text);
  let version = 1;
  let { diagnostics } = await diagnosticsFor(uri);
  for (const code of ['invalid-address', 'wildcard-too-broad']) {
    const diagnostic = diagnostics.find((d) => d.code === code);
    assert.ok(diagnostic, `${code} in ${JSON.stringify(diagnostics.map((d) => d.code))}`);
    const actions = (await connection.sendRequest('textDocument/codeAction', { textDocument: { uri }, range: diagnostic.range, context: { diagnostics: [diagnostic] } })) as {
      title: string;
      edit: { changes: Record<string, { range: Diagnostic['range']; newText: string }[]> };
    }[];
    const ignore = actions.find((a) => a.title === `Ignore ${code} on this line`);
    assert.ok(ignore, JSON.stringify(actions.map((a) => a.title)));
    const [edit] = ignore.edit.changes[uri];
    assert.deepEqual([edit.range.start.character, edit.range.end], [0, edit.range.start], 'the edit inserts a line');
    const lines = text.split('\n');
    lines.splice(edit.range.start.line, 0, edit.newText.replace(/\n$/, ''));
    text = lines.join('\n');
    version++;
    await connection.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ text }] });
    ({ diagnostics } = await diagnosticsFor(uri, (p) => p.version === version));
  }
  assert.match(text, /# allowlist-ignore invalid-address: .*\n +# allowlist-ignore wildcard-too-broad: .*\n +to:/);
  // Each comment silences its finding and has a reason (the TODO placeholder): nothing is left.
  assert.deepEqual(diagnostics.map((d) => `${d.code}: ${d.message}`), []);
});

test('document symbols: vendors, outbound and inbound with rules by name, endpoint protection', async () => {
  const symbols = (await connection.sendRequest('textDocument/documentSymbol', { textDocument: { uri: contosoUri() } })) as { name: string; children: { name: string }[] }[];
  const byName = new Map(symbols.map((s) => [s.name, s]));
  assert.deepEqual(byName.get('vendors')!.children.map((c) => c.name), ['helpdesk-buttons']);
  assert.deepEqual(byName.get('outbound')!.children.map((c) => c.name).slice(0, 3), ['hdb-api', 'hdb-uploads', 'hdb-techconnect']);
  assert.deepEqual(byName.get('inbound')!.children.map((c) => c.name), ['hdb-ticket-api']);
  assert.ok(byName.has('endpoint-protection'));
});

test('definition: a rule\'s vendor goes to the catalog entry; references list every occurrence of a host', async () => {
  const [location] = (await connection.sendRequest('textDocument/definition', { textDocument: { uri: contosoUri() }, position: position(CONTOSO, 'vendor: helpdesk-buttons', 10) })) as { uri: string; range: Diagnostic['range'] }[];
  assert.match(location.uri, /catalogs\/helpdesk-buttons\.catalog\.yaml$/);
  const catalogText = readFileSync(join(root, 'catalogs/helpdesk-buttons.catalog.yaml'), 'utf8');
  assert.deepEqual(location.range.start, position(catalogText, 'id: helpdesk-buttons'));
  // The catalog open with unsaved lines added above: the target is still the loaded catalog's entry, not where its
  // offsets would fall in the edited text.
  const catalogUri = location.uri;
  open(catalogUri, catalogText);
  await connection.sendNotification('textDocument/didChange', { textDocument: { uri: catalogUri, version: 2 }, contentChanges: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: '# a note\n# another\n' }] });
  const [again] = (await connection.sendRequest('textDocument/definition', { textDocument: { uri: contosoUri() }, position: position(CONTOSO, 'vendor: helpdesk-buttons', 10) })) as { range: Diagnostic['range'] }[];
  assert.deepEqual(again.range, location.range);
  await connection.sendNotification('textDocument/didClose', { textDocument: { uri: catalogUri } });
  const refs = (await connection.sendRequest('textDocument/references', { textDocument: { uri: contosoUri() }, position: position(CONTOSO, '10.20.0.10', 2), context: { includeDeclaration: true } })) as unknown[];
  assert.equal(refs.length, 2);
});

test('versions: quick edits are debounced into one lint, and nothing is published for a stale version', async () => {
  const from = published.length;
  const edit = (version: number, text: string) =>
    connection.sendNotification('textDocument/didChange', { textDocument: { uri: contosoUri(), version }, contentChanges: [{ text }] });
  await edit(2, CONTOSO.replace('ports: [80, 443]', 'ports: [80, 443, 70000]'));
  await edit(3, CONTOSO.replace('ports: [80, 443]', 'ports: [80, 443, 8080]'));
  const latest = await diagnosticsFor(contosoUri(), (p) => p.version === 3, from);
  assert.ok(!latest.diagnostics.some((d) => d.code === 'invalid-port'));
  await new Promise((r) => setTimeout(r, 400));
  const since = published.slice(from).filter((p) => p.uri === contosoUri());
  assert.deepEqual(since.map((p) => p.version), [3], 'version 2 was superseded before its lint ran');
});

test('settings: a didChangeConfiguration that changes nothing (VS Code\'s client sends one as it starts) lints nothing again; a changed rule setting re-lints', async () => {
  const uri = pathToFileURL(join(folder, 'settings.allowlist.yaml')).href;
  const from = published.length;
  const missingPorts = (p: Published) => p.diagnostics.some((d) => d.code === 'missing-ports');
  open(uri, CONTOSO);
  assert.ok(missingPorts(await diagnosticsFor(uri, (p) => p.version === 1, from)));
  await connection.sendNotification('workspace/didChangeConfiguration', { settings: { allowlist: {} } });
  // A document opened after it is linted after anything the notification would have made the server lint.
  const other = pathToFileURL(join(folder, 'settings-other.allowlist.yaml')).href;
  open(other, CONTOSO);
  await diagnosticsFor(other, () => true, from);
  assert.deepEqual(published.slice(from).filter((p) => p.uri === uri).map((p) => p.version), [1], 'the open document was not linted again');

  const afterSame = published.length;
  await connection.sendNotification('workspace/didChangeConfiguration', { settings: { allowlist: { rules: { 'missing-ports': 'off' } } } });
  await diagnosticsFor(uri, (p) => !missingPorts(p), afterSame);
  const afterOff = published.length;
  await connection.sendNotification('workspace/didChangeConfiguration', { settings: { allowlist: {} } });
  await diagnosticsFor(uri, missingPorts, afterOff);
  for (const closed of [uri, other]) await connection.sendNotification('textDocument/didClose', { textDocument: { uri: closed } });
});

test('settings of the wrong type (catalogs: [null], files.patterns: null) are read leniently: allowlists are still linted', async () => {
  for (const [index, wrong] of [{ catalogs: [null, 5], files: { patterns: null } }, { catalogs: 5, files: null }, { catalogs: {}, files: { patterns: [null] } }].entries()) {
    await connection.sendNotification('workspace/didChangeConfiguration', { settings: { allowlist: wrong } });
    const uri = pathToFileURL(join(folder, `odd-settings-${index}.allowlist.yaml`)).href;
    const from = published.length;
    open(uri, 'allowlist: 1\noutbound:\n  - name: web\n    to: example.com\n    ports: 70000\n');
    const linted = await diagnosticsFor(uri, () => true, from);
    assert.deepEqual(linted.diagnostics.map((d) => d.code), ['invalid-port'], JSON.stringify(wrong));
    await connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
  }
  await connection.sendNotification('workspace/didChangeConfiguration', { settings: { allowlist: {} } });
});

test('a file URI this system has no path for (a UNC host on Linux) is linted as an untitled document; a code action request without diagnostics gets none', async () => {
  const uri = 'file://fileserver/share/site.allowlist.yaml';
  const from = published.length;
  open(uri, 'allowlist: 1\noutbound:\n  - name: web\n    to: example.com\n    ports: 70000\n');
  assert.deepEqual((await diagnosticsFor(uri, () => true, from)).diagnostics.map((d) => d.code), ['invalid-port']);
  const hover = (await connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: 4, character: 12 } })) as { contents: { value: string } } | null;
  assert.match(hover?.contents.value ?? '', /70000/);
  assert.deepEqual(await connection.sendRequest('textDocument/codeAction', { textDocument: { uri }, range: { start: { line: 4, character: 12 }, end: { line: 4, character: 12 } }, context: {} }), []);
  await connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
  await diagnosticsFor(uri, (p) => p.diagnostics.length === 0, from);
});

test('an allowlist/environment notification without parameters is read as untrusted, not a failure', async () => {
  await connection.sendNotification('allowlist/environment', null);
  const uri = pathToFileURL(join(folder, 'after-null-environment.allowlist.yaml')).href;
  const from = published.length;
  open(uri, 'allowlist: 1\noutbound:\n  - name: web\n    to: example.com\n    ports: 70000\n');
  assert.deepEqual((await diagnosticsFor(uri, () => true, from)).diagnostics.map((d) => d.code), ['invalid-port']);
  assert.deepEqual(await connection.sendRequest('textDocument/codeLens', { textDocument: { uri } }), [], 'no Probe lenses: not trusted');
  await connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
  await connection.sendNotification('allowlist/environment', { trusted: true, yamlExtensionActive: false });
});

test('a document opened again without a close, with the same version, is linted again', async () => {
  const uri = pathToFileURL(join(folder, 'reopened.allowlist.yaml')).href;
  const from = published.length;
  open(uri, 'allowlist: 1\noutbound:\n  - name: web\n    to: example.com\n    ports: 70000\n');
  await diagnosticsFor(uri, (p) => p.diagnostics.length === 1, from);
  open(uri, 'allowlist: 1\noutbound:\n  - name: web\n    to: example.com\n    ports: 443\n');
  await diagnosticsFor(uri, (p) => p.diagnostics.length === 0, from);
  await connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
});

test('catalogs: a workspace catalog is loaded and its change re-lints open allowlists; catalog files get diagnostics', async () => {
  const uri = pathToFileURL(join(folder, 'uses-acme.allowlist.yaml')).href;
  const text = 'allowlist: 1\nvendors:\n  acme: ~\noutbound:\n  - name: a\n    vendor: acme\n    to: api.acme.example\n    ports: 443\n';
  open(uri, text);
  const first = await diagnosticsFor(uri);
  assert.ok(first.diagnostics.some((d) => d.code === 'unknown-vendor'));
  const catalogPath = join(folder, 'acme.catalog.yaml');
  writeFileSync(
    catalogPath,
    'catalog: 1\nvendor:\n  id: acme\n  name: Acme\nendpoints:\n  - id: api\n    role: the API\n    host: api.acme.example\n    ports: [443, 8443]\n    allowlist-by: hostname\n    source: { url: "https://acme.example/fw" }\n',
  );
  const from = published.length;
  await connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: pathToFileURL(catalogPath).href, type: 1 }] });
  const second = await diagnosticsFor(uri, () => true, from);
  assert.ok(!second.diagnostics.some((d) => d.code === 'unknown-vendor'), JSON.stringify(second.diagnostics));
  assert.ok(second.diagnostics.some((d) => d.code === 'missing-ports' && /8443/.test(d.message)), JSON.stringify(second.diagnostics.map((d) => d.message)));

  const brokenUri = pathToFileURL(join(folder, 'broken.catalog.yaml')).href;
  open(brokenUri, 'catalog: 1\nvendor:\n  id: broken\n');
  const broken = await diagnosticsFor(brokenUri);
  assert.ok(broken.diagnostics.some((d) => d.code === 'schema'), JSON.stringify(broken.diagnostics));
});

test('schema diagnostics: left to the YAML extension when it is active (auto)', async () => {
  const uri = pathToFileURL(join(folder, 'schema.allowlist.yaml')).href;
  const text = 'allowlist: 1\noutbound:\n  - name: a\n    to: x.example.com\n    ports: 443\n    colour: red\n';
  open(uri, text);
  const before = await diagnosticsFor(uri);
  assert.ok(before.diagnostics.some((d) => d.code === 'schema'), JSON.stringify(before));
  const from = published.length;
  await connection.sendNotification('allowlist/environment', { trusted: true, yamlExtensionActive: true });
  const after = await diagnosticsFor(uri, () => true, from);
  assert.ok(!after.diagnostics.some((d) => d.code === 'schema'));

  // A `$schema` modeline decides for the YAML extension: one that points at our schema leaves the findings to it;
  // one that points nowhere (copied from an example) means nobody else checks the file, so we do.
  const schemaPath = resolve(__dirname, '../../schemas/allowlist.schema.json');
  const modeline = (target: string) => `# yaml-language-server: $schema=${target}\n${text}`;
  for (const [name, target, shown] of [
    ['good-modeline.allowlist.yaml', relative(folder, schemaPath), false],
    ['bad-modeline.allowlist.yaml', '../schemas/allowlist.schema.json', true],
    ['other-schema.yaml', 'https://json.schemastore.org/github-workflow.json', true],
  ] as const) {
    const modelineUri = pathToFileURL(join(folder, name)).href;
    open(modelineUri, modeline(target));
    const withModeline = await diagnosticsFor(modelineUri);
    assert.equal(withModeline.diagnostics.some((d) => d.code === 'schema'), shown, `${name} ($schema=${target}): ${JSON.stringify(withModeline.diagnostics.map((d) => d.code))}`);
  }
  await connection.sendNotification('allowlist/environment', { trusted: true, yamlExtensionActive: false });
});

test('probe lenses: one per rule in a trusted workspace, none in an untrusted one', async () => {
  const uri = pathToFileURL(join(folder, 'lens.allowlist.yaml')).href;
  open(uri, 'allowlist: 1\noutbound:\n  - name: a\n    to: a.example.com\n    ports: 443\n');
  await diagnosticsFor(uri);
  const lenses = async () => ((await connection.sendRequest('textDocument/codeLens', { textDocument: { uri } })) as { command: { title: string } }[]).map((lens) => lens.command.title);
  assert.deepEqual(await lenses(), ['Probe']);
  await connection.sendNotification('allowlist/environment', { trusted: false, yamlExtensionActive: false });
  assert.deepEqual(await lenses(), []);
  await connection.sendNotification('allowlist/environment', { trusted: true, yamlExtensionActive: false });
  assert.deepEqual(await lenses(), ['Probe']);
});

test('lint workspace: every allowlist in the folder gets diagnostics, as the CLI lints them', async () => {
  const from = published.length;
  const result = (await connection.sendRequest('allowlist/lintWorkspace')) as { files: number; errors: number };
  assert.ok(result.files >= 3, JSON.stringify(result));
  const clean = pathToFileURL(join(folder, 'clean.allowlist.yaml')).href;
  const cleanPublished = await diagnosticsFor(clean, () => true, from);
  assert.deepEqual(cleanPublished.diagnostics, [], 'the clean example has no findings');
});

test('lint workspace: a UTF-16 allowlist (Windows PowerShell 5.1\'s `>`) is read as the CLI reads it, with its warning', async () => {
  const path = join(folder, 'utf16.allowlist.yaml');
  const text = 'allowlist: 1\noutbound:\n  - name: a\n    to: a.example.com\n    ports: 99999\n';
  writeFileSync(path, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]));
  try {
    const from = published.length;
    await connection.sendRequest('allowlist/lintWorkspace');
    const { diagnostics } = await diagnosticsFor(pathToFileURL(path).href, () => true, from);
    assert.deepEqual(diagnostics.map((d) => [d.code, d.severity]), [['yaml-syntax', 2], ['invalid-port', 1]]);
    assert.match(diagnostics[0].message, /UTF-16/);
  } finally {
    rmSync(path, { force: true });
  }
});

test('fleet report: the workspace\'s sites as the report sees them, an open document\'s current text, no diagnostics published', async () => {
  const path = join(folder, 'fleet-open.allowlist.yaml');
  writeFileSync(path, 'allowlist: 1\nsite: Saved Site\n');
  const uri = pathToFileURL(path).href;
  // Open and edited, not saved: the report reads the editor's text.
  open(uri, 'allowlist: 1\nsite: Edited Site\noutbound:\n  - name: a\n    to: a.example.com\n    ports: 99999\n');
  await diagnosticsFor(uri);
  const from = published.length;
  const { report, uris } = (await connection.sendRequest('allowlist/fleetReport')) as {
    report: { sites: { name: string; file: string; errors: number; warnings: number }[]; matrix: { file: string; cells: { vendor: string; status: string; roles: string[] }[] }[] };
    uris: Record<string, string>;
  };
  const byFile = new Map(report.sites.map((site) => [site.file, site]));
  assert.equal(byFile.get('fleet-open.allowlist.yaml')?.name, 'Edited Site');
  assert.equal(byFile.get('fleet-open.allowlist.yaml')?.errors, 1, 'invalid-port in the unsaved text');
  assert.deepEqual([byFile.get('clean.allowlist.yaml')?.errors, byFile.get('clean.allowlist.yaml')?.warnings], [0, 0]);
  assert.ok(byFile.get('contoso.allowlist.yaml')!.errors >= 2);
  const contoso = report.matrix.find((row) => row.file === 'contoso.allowlist.yaml')!;
  assert.deepEqual(contoso.cells.find((cell) => cell.vendor === 'helpdesk-buttons')?.status, 'unmet');
  assert.equal(uris['contoso.allowlist.yaml'], pathToFileURL(join(folder, 'contoso.allowlist.yaml')).href);
  await connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
  // Closing publishes an empty list for the closed file; the report itself published nothing for the others.
  await diagnosticsFor(uri, (p) => p.diagnostics.length === 0, from);
  assert.deepEqual(published.slice(from).map((p) => p.uri), [uri]);
  rmSync(path);
});

// -------------------------------------------------------------------------------------------
// Other editors (Neovim, Emacs eglot, Helix): plain LSP, trust from initialization options (docs/editors.md).

const ACME_CATALOG =
  'catalog: 1\nvendor:\n  id: acme\n  name: Acme\nendpoints:\n  - id: api\n    role: the API\n    host: api.acme.example\n    ports: [443, 8443]\n    allowlist-by: hostname\n    source: { url: "https://acme.example/fw" }\n';
const USES_ACME = 'allowlist: 1\nvendors:\n  acme: ~\noutbound:\n  - name: a\n    vendor: acme\n    to: api.acme.example\n    ports: [443, 8443]\n';

test('trust: a client that does not declare it gets the built-in catalogs only, told once how to trust; declaring it loads the workspace catalogs', async () => {
  const workspace = mkdtempSync(join(tmpdir(), 'allowlist-lsp-untrusted-'));
  writeFileSync(join(workspace, 'acme.catalog.yaml'), ACME_CATALOG);
  const untrusted = await startSession(workspace, undefined);
  const trusted = await startSession(workspace, { trusted: true });
  try {
    const first = pathToFileURL(join(workspace, 'first.allowlist.yaml')).href;
    const second = pathToFileURL(join(workspace, 'second.allowlist.yaml')).href;
    for (const session of [untrusted, trusted]) open(first, USES_ACME, 1, session.connection);
    const withoutTrust = await diagnosticsFor(first, () => true, 0, untrusted.published);
    assert.ok(withoutTrust.diagnostics.some((d) => d.code === 'unknown-vendor'), `the workspace's catalog is not loaded: ${JSON.stringify(withoutTrust.diagnostics.map((d) => d.code))}`);
    const withTrust = await diagnosticsFor(first, () => true, 0, trusted.published);
    assert.deepEqual(withTrust.diagnostics.map((d) => d.code), [], 'declared trust loads the workspace catalog');

    open(second, USES_ACME, 1, untrusted.connection);
    await diagnosticsFor(second, () => true, 0, untrusted.published);
    const notices = untrusted.messages.filter((m) => /built-in catalogs only/.test(m.message));
    assert.equal(notices.length, 1, JSON.stringify(untrusted.messages));
    assert.equal(notices[0].type, 3, 'an information message');
    assert.match(notices[0].message, /"trusted": true/);
    assert.match(notices[0].message, /docs\/editors\.md/);
    assert.deepEqual(trusted.messages, [], 'no notice where the client declared trust');

    const lenses = await untrusted.connection.sendRequest('textDocument/codeLens', { textDocument: { uri: first } });
    assert.deepEqual(lenses, [], 'no Probe lenses while untrusted');
    const refused = await untrusted.connection.sendRequest('workspace/executeCommand', { command: 'allowlist.server.probeRule', arguments: [first, 'a'] });
    assert.equal(refused, null);
    assert.ok(untrusted.messages.some((m) => m.type === 2 && /probes are off/.test(m.message)), JSON.stringify(untrusted.messages));
  } finally {
    await Promise.all([stopSession(untrusted), stopSession(trusted)]);
    rmSync(workspace, { recursive: true, force: true });
  }
});

test('workspace folders added and removed: the added folder\'s catalogs serve its allowlists, and the workspace lint covers it', async () => {
  const first = mkdtempSync(join(tmpdir(), 'allowlist-lsp-folder-a-'));
  const second = mkdtempSync(join(tmpdir(), 'allowlist-lsp-folder-b-'));
  writeFileSync(join(second, 'acme.catalog.yaml'), ACME_CATALOG);
  writeFileSync(join(second, 'site.allowlist.yaml'), USES_ACME);
  const session = await startSession(first, { trusted: true }, undefined, { capabilities: { workspace: { workspaceFolders: true } } });
  const folderChange = (change: 'added' | 'removed') =>
    session.connection.sendNotification('workspace/didChangeWorkspaceFolders', { event: { added: [], removed: [], [change]: [{ uri: pathToFileURL(second).href, name: 'b' }] } });
  const lintWorkspace = async () => ((await session.connection.sendRequest('allowlist/lintWorkspace')) as { files: number }).files;
  try {
    assert.equal(await lintWorkspace(), 0);
    await folderChange('added');
    assert.equal(await lintWorkspace(), 2, 'the added folder\'s allowlist and catalog');
    const site = pathToFileURL(join(second, 'site.allowlist.yaml')).href;
    open(site, USES_ACME, 1, session.connection);
    assert.deepEqual((await diagnosticsFor(site, () => true, 0, session.published)).diagnostics.map((d) => d.code), [], 'its catalog is loaded');
    await folderChange('removed');
    assert.equal(await lintWorkspace(), 0);
  } finally {
    await stopSession(session);
    for (const dir of [first, second]) rmSync(dir, { recursive: true, force: true });
  }
});

test('probe lenses in other editors: the server declares and runs its own probe command, and our client keeps its own', async () => {
  const commands = (capabilities.executeCommandProvider as { commands: string[] } | undefined)?.commands;
  assert.deepEqual(commands, ['allowlist.server.probeRule']);
  const listener = createServer((socket) => socket.end());
  await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
  const { port } = listener.address() as AddressInfo;
  try {
    const uri = pathToFileURL(join(folder, 'probe-here.allowlist.yaml')).href;
    open(uri, `allowlist: 1\noutbound:\n  - name: local\n    to: 127.0.0.1\n    ports: ${port}\n`);
    await diagnosticsFor(uri);
    const lenses = (await connection.sendRequest('textDocument/codeLens', { textDocument: { uri } })) as { command: { title: string; command: string; arguments: unknown[] } }[];
    assert.deepEqual(lenses.map((lens) => lens.command), [{ title: 'Probe', command: 'allowlist.server.probeRule', arguments: [uri, 'local'] }]);

    const from = messages.length;
    const report = (await connection.sendRequest('workspace/executeCommand', lenses[0].command)) as { summary: string; failed: string[]; results: { host: string; port: number; state: string }[] };
    assert.deepEqual(report.results.map((r) => [r.host, r.port, r.state]), [['127.0.0.1', port, 'open']]);
    assert.deepEqual(report.failed, []);
    const shown = messages.slice(from).map((m) => m.message);
    assert.ok(shown.some((m) => m.startsWith('Allowlist probe of rule local in probe-here.allowlist.yaml: all required endpoints reachable')), JSON.stringify(shown));
  } finally {
    listener.close();
  }

  const ours = await startSession(folder, { trusted: true, yamlExtensionActive: false, clientCommands: ['allowlist.probeRule'] });
  try {
    assert.equal(ours.capabilities.executeCommandProvider, undefined, "VS Code's client would register a declared command beside the extension's");
    const uri = pathToFileURL(join(folder, 'ours.allowlist.yaml')).href;
    open(uri, 'allowlist: 1\noutbound:\n  - name: a\n    to: a.example.com\n    ports: 443\n', 1, ours.connection);
    await diagnosticsFor(uri, () => true, 0, ours.published);
    const lenses = (await ours.connection.sendRequest('textDocument/codeLens', { textDocument: { uri } })) as { command: { command: string } }[];
    assert.deepEqual(lenses.map((lens) => lens.command.command), ['allowlist.probeRule']);
  } finally {
    await stopSession(ours);
  }
});

test('probe lenses in other editors on a file too broken to probe: the server\'s command explains the refusal and connects nowhere', async () => {
  const uri = pathToFileURL(join(folder, 'broken-probe.allowlist.yaml')).href;
  open(uri, 'allowlist: 1\noutbound:\n  - name: local\n    to: 127.0.0.1\n    speed: 443\n');
  await diagnosticsFor(uri);
  const lenses = (await connection.sendRequest('textDocument/codeLens', { textDocument: { uri } })) as { command: { title: string; command: string; arguments: unknown[] } }[];
  assert.deepEqual(lenses.map((lens) => lens.command), [{ title: 'Cannot probe: 2 errors make the rules unreliable', command: 'allowlist.server.probeRule', arguments: [uri, 'local'] }]);
  const from = messages.length;
  const report = await connection.sendRequest('workspace/executeCommand', lenses[0].command);
  assert.equal(report, null);
  const shown = messages.slice(from).map((m) => m.message);
  assert.ok(shown.some((m) => /broken-probe\.allowlist\.yaml has 2 errors that make its rules unreliable; see its diagnostics/.test(m)), JSON.stringify(shown));
});

test('code actions: found when the client echoes the diagnostic with byte columns (Neovim 0.7 after multibyte text)', async () => {
  const uri = pathToFileURL(join(folder, 'multibyte.allowlist.yaml')).href;
  const text = 'allowlist: 1\noutbound:\n  - { name: café-ñandú, to: x.example.com, ports: 70000 }\n';
  open(uri, text);
  const { diagnostics } = await diagnosticsFor(uri);
  const invalid = diagnostics.find((d) => d.code === 'invalid-port')!;
  assert.ok(invalid, JSON.stringify(diagnostics));
  const line = text.split('\n')[invalid.range.start.line];
  const bytes = (character: number) => Buffer.byteLength(line.slice(0, character), 'utf8');
  const echoed = {
    ...invalid,
    range: { start: { line: invalid.range.start.line, character: bytes(invalid.range.start.character) }, end: { line: invalid.range.end.line, character: bytes(invalid.range.end.character) } },
  };
  assert.notDeepEqual(echoed.range, invalid.range, 'the test line has multibyte text before the finding');
  const actions = (await connection.sendRequest('textDocument/codeAction', { textDocument: { uri }, range: echoed.range, context: { diagnostics: [echoed] } })) as { title: string; edit: { changes: Record<string, { range: Diagnostic['range'] }[]> } }[];
  const ignore = actions.find((a) => a.title === 'Ignore invalid-port on this line');
  assert.ok(ignore, JSON.stringify(actions.map((a) => a.title)));
  assert.deepEqual(ignore.edit.changes[uri][0].range.start, { line: invalid.range.start.line, character: 0 });
});

test('catalogs in the editor: hovers explain hosts, ports, sources and keys; the outline lists the vendor, options and entries', async () => {
  const uri = pathToFileURL(join(folder, 'hover.catalog.yaml')).href;
  const text = ACME_CATALOG.replace('acme', 'acme-hover').replace('api.acme.example', 'api.acme-hover.example') + 'inbound-sources:\n  - id: push\n    address: 192.0.2.7\n    role: webhooks\n    source: { url: "https://acme.example/fw" }\n';
  open(uri, text);
  await diagnosticsFor(uri);
  const hover = async (needle: string, delta = 1) =>
    ((await connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: position(text, needle, delta) })) as { contents: { value: string } } | null)?.contents.value;
  assert.match((await hover('api.acme-hover.example'))!, /Acme[\s\S]*the API/, 'a host: its role in the vendor\'s words, from this unsaved catalog');
  assert.match((await hover('8443'))!, /8443[\s\S]*the API/);
  assert.match((await hover('192.0.2.7'))!, /webhooks/);
  assert.match((await hover('id: acme-hover', 5))!, /catalog: this file\b/, 'the vendor id: from this file\'s current text, named as such');
  assert.match((await hover('allowlist-by'))!, /Allowlist by/);

  const symbols = (await connection.sendRequest('textDocument/documentSymbol', { textDocument: { uri } })) as { name: string; detail?: string; children: { name: string; detail?: string }[] }[];
  assert.deepEqual(
    symbols.map((s) => [s.name, s.children.map((c) => [c.name, c.detail])]),
    [
      ['catalog', []],
      ['Acme', []],
      ['endpoints', [['api', 'api.acme-hover.example: 443, 8443']]],
      ['inbound-sources', [['push', '192.0.2.7']]],
    ],
  );
});

test('catalog sources that are not catalogs: a FIFO, /dev/zero, an oversized file and / are named in the log, lints still answer, and the server exits when its client goes', { timeout: 60_000 }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'allowlist-lsp-limits-'));
  const fifo = join(dir, 'pipe.catalog.yaml');
  try {
    execFileSync('mkfifo', [fifo]);
  } catch {
    rmSync(dir, { recursive: true, force: true });
    return t.skip('mkfifo is not available');
  }
  writeFileSync(join(dir, 'big.catalog.yaml'), `catalog: 1\n# ${'x'.repeat(2 * 1024 * 1024)}\n`);
  writeFileSync(join(dir, '.allowlistrc.yaml'), 'catalogs:\n  - pipe.catalog.yaml\n  - /dev/zero\n  - big.catalog.yaml\n  - /\n');
  // No processId: only the closing of stdin may end the server.
  const session = await startSession(dir, { trusted: true, yamlExtensionActive: false }, undefined, { processId: null });
  const child = session.server;
  const exited = new Promise<number | null>((resolve) => (child.exitCode !== null ? resolve(child.exitCode) : child.on('exit', (code) => resolve(code))));
  try {
    const uri = pathToFileURL(join(dir, 'a.allowlist.yaml')).href;
    open(uri, 'allowlist: 1\noutbound:\n  - name: a\n    to: x.example.com\n    ports: 443\n', 1, session.connection);
    await diagnosticsFor(uri, undefined, 0, session.published, 30_000);
    const log = session.logged.join('\n');
    assert.match(log, /catalog .*pipe\.catalog\.yaml left out: not a regular file \(a FIFO\)/, log);
    assert.match(log, /catalog \/dev\/zero left out: not a regular file \(a device\)/, log);
    assert.match(log, /catalog .*big\.catalog\.yaml left out: the file is 2\.0 MB, over the 1\.0 MB limit/, log);
    assert.match(log, /catalog folder \/ \(from the config\): stopped after \d+ files and folders/, log);
  } finally {
    child.stdin!.end();
    const code = await within(exited, 10_000, 'the server did not exit within 10 s of its stdin closing').catch((error: Error) => {
      child.kill('SIGKILL'); // never leave it behind as an orphan
      throw error;
    });
    session.connection.dispose();
    rmSync(dir, { recursive: true, force: true });
    assert.notEqual(code, null, 'the server exited by itself, not by a signal');
  }
});

/** `promise`, or a rejection with `failure` when it has not settled within `ms`. */
function within<T>(promise: Promise<T>, ms: number, failure: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(failure)), ms)));
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

test('a bad .allowlistrc.yaml: a warning shown (a window/showMessage notification: this client, like some editors, does not implement window/showMessageRequest), the file linted without it, the server still up', async () => {
  // Found by the fuzz run (test/robustness/fuzz-server.test.ts): the warning was a request, the client's error
  // answer went unhandled and ended the server.
  mkdirSync(join(folder, 'bad-config'));
  writeFileSync(join(folder, 'bad-config', '.allowlistrc.yaml'), 'rules:\n  no-such-rule: off\n');
  const uri = pathToFileURL(join(folder, 'bad-config', 'site.allowlist.yaml')).href;
  open(uri, 'allowlist: 1\noutbound:\n  - name: a\n    to: a.example.com\n    ports: 99999\n');
  const { diagnostics } = await diagnosticsFor(uri);
  assert.deepEqual(diagnostics.map((d) => d.code), ['invalid-port']);
  assert.ok(messages.some(({ message }) => /^Allowlist: .*\.allowlistrc\.yaml:\d+:\d+: unknown rule "no-such-rule"/.test(message)), JSON.stringify(messages));
  const symbols = (await connection.sendRequest('textDocument/documentSymbol', { textDocument: { uri } })) as unknown[];
  assert.ok(symbols.length > 0);
  assert.equal(server.exitCode, null, 'the server is still running');
});
