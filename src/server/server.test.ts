/** Starts the language server as a separate process over stdio (the TS entry through tsx; set
 * ALLOWLIST_SERVER=dist to test the bundle dist/server.js) and speaks LSP to it with vscode-jsonrpc. */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';

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
let waiters: (() => void)[] = [];
const shownMessages: string[] = [];

function onPublish(message: Published): void {
  published.push(message);
  for (const wake of waiters) wake();
  waiters = [];
}

/** The next diagnostics published for `uri` that satisfy `accept`, waiting up to 10 s. */
async function diagnosticsFor(uri: string, accept: (p: Published) => boolean = () => true, from = 0): Promise<Published> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const found = published.slice(from).find((p) => p.uri === uri && accept(p));
    if (found) return found;
    if (Date.now() > deadline) throw new Error(`no diagnostics for ${uri}; got ${JSON.stringify(published.map((p) => [p.uri, p.version]))}`);
    await new Promise<void>((resolve) => {
      waiters.push(resolve);
      setTimeout(resolve, 200);
    });
  }
}

function position(text: string, needle: string, delta = 0): { line: number; character: number } {
  const offset = text.indexOf(needle) + delta;
  assert.ok(offset >= delta, `text has ${needle}`);
  const before = text.slice(0, offset);
  return { line: before.split('\n').length - 1, character: offset - before.lastIndexOf('\n') - 1 };
}

function open(uri: string, text: string, version = 1): void {
  void connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version, text } });
}

before(async () => {
  folder = mkdtempSync(join(tmpdir(), 'allowlist-lsp-'));
  copyFileSync(join(root, 'examples/contoso.allowlist.yaml'), join(folder, 'contoso.allowlist.yaml'));
  copyFileSync(join(root, 'examples/clean.allowlist.yaml'), join(folder, 'clean.allowlist.yaml'));
  const args = process.env.ALLOWLIST_SERVER === 'dist' ? [join(root, 'dist/server.js'), '--stdio'] : ['--import', 'tsx', join(root, 'src/server/server.ts'), '--stdio'];
  server = spawn(process.execPath, args, { cwd: root, stdio: ['pipe', 'pipe', 'inherit'] });
  connection = createMessageConnection(new StreamMessageReader(server.stdout!), new StreamMessageWriter(server.stdin!));
  connection.onNotification('textDocument/publishDiagnostics', onPublish);
  connection.onNotification('allowlist/status', (status: (typeof statuses)[number]) => {
    statuses.push(status);
  });
  connection.onNotification('window/showMessage', (message: { message: string }) => void shownMessages.push(message.message));
  connection.onNotification('window/logMessage', () => undefined);
  connection.onRequest('client/registerCapability', () => null);
  connection.listen();
  const result = (await connection.sendRequest('initialize', {
    processId: process.pid,
    rootUri: pathToFileURL(folder).href,
    workspaceFolders: [{ uri: pathToFileURL(folder).href, name: 'ws' }],
    capabilities: {},
    initializationOptions: { trusted: true, yamlExtensionActive: false },
  })) as { capabilities: Record<string, unknown> };
  assert.ok(result.capabilities.hoverProvider);
  assert.ok(result.capabilities.completionProvider);
  await connection.sendNotification('initialized', {});
});

after(async () => {
  try {
    await connection.sendRequest('shutdown');
    await connection.sendNotification('exit');
  } catch {
    // already gone
  }
  connection.dispose();
  server.kill();
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

test('a bad .allowlistrc.yaml: a warning shown (a window/showMessage notification: this client, like some editors, does not implement window/showMessageRequest), the file linted without it, the server still up', async () => {
  // Found by the fuzz run (test/robustness/fuzz-server.test.ts): the warning was a request, the client's error
  // answer went unhandled and ended the server.
  mkdirSync(join(folder, 'bad-config'));
  writeFileSync(join(folder, 'bad-config', '.allowlistrc.yaml'), 'rules:\n  no-such-rule: off\n');
  const uri = pathToFileURL(join(folder, 'bad-config', 'site.allowlist.yaml')).href;
  open(uri, 'allowlist: 1\noutbound:\n  - name: a\n    to: a.example.com\n    ports: 99999\n');
  const { diagnostics } = await diagnosticsFor(uri);
  assert.deepEqual(diagnostics.map((d) => d.code), ['invalid-port']);
  assert.ok(shownMessages.some((message) => /^Allowlist: .*\.allowlistrc\.yaml: unknown rule "no-such-rule"/.test(message)), JSON.stringify(shownMessages));
  const symbols = (await connection.sendRequest('textDocument/documentSymbol', { textDocument: { uri } })) as unknown[];
  assert.ok(symbols.length > 0);
  assert.equal(server.exitCode, null, 'the server is still running');
});
