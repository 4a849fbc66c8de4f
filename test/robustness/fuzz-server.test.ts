/** Fuzzing the language server (dist/server.js over stdio, as an editor runs it) with the corpus and generated
 * allowlists, catalogs and `.allowlistrc.yaml` configs (fuzz-inputs.ts): each is written to the workspace and
 * opened, then changed by a few mutations; for both versions the server must publish diagnostics and answer
 * hover, completion, code actions (for its own diagnostics), symbols, definition, references, highlights and
 * code lenses at a few positions, without an error response, a logged failure or a stack trace; at the end it
 * lints the whole workspace and is still running. */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import fc from 'fast-check';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node';
import { generateAllowlist } from '../generate';
import { LineIndex } from '../../src/core/common';
import { ACME_CATALOG } from '../cli/helpers';
import { corpusInputs, crashSigns, editorText, failureReport, fileNameOf, FUZZ_SEED, generatedInputs, type FuzzInput } from './fuzz-inputs';
import { mutateAll, mutationArb } from './mutations';

const SERVER = resolve(__dirname, '../../dist/server.js');
/** Only to end a hung wait with a failure: answers take milliseconds. */
const ANSWER_TIMEOUT_MS = 30_000;

interface Diagnostic {
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
}

test('fuzz (language server): every request about corpus and generated files is answered, and the server stays up', { skip: existsSync(SERVER) ? false : 'dist/server.js is absent: run `npm run build` first (server fuzz skipped)' }, async () => {
  const workspace = mkdtempSync(join(tmpdir(), 'allowlist-fuzz-lsp-'));
  // Two workspace folders: the allowlists and catalogs, and the configs (each in a folder of its own, with what it
  // names beside it). A config's save reloads the catalogs of its workspace folder, so the configs come last and
  // in a folder without the (slow to load) corpus catalogs.
  const files = join(workspace, 'files');
  const configs = join(workspace, 'configs');
  mkdirSync(files);
  mkdirSync(configs);
  const server = spawn(process.execPath, [SERVER, '--stdio'], { cwd: workspace, stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  server.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const connection = createMessageConnection(new StreamMessageReader(server.stdout), new StreamMessageWriter(server.stdin));
  const messages: string[] = [];
  const published = new Map<string, { version?: number; diagnostics: Diagnostic[] }[]>();
  let wake: (() => void)[] = [];
  connection.onNotification('textDocument/publishDiagnostics', (params: { uri: string; version?: number; diagnostics: Diagnostic[] }) => {
    published.set(params.uri, [...(published.get(params.uri) ?? []), params]);
    for (const resolve of wake) resolve();
    wake = [];
  });
  connection.onNotification('window/logMessage', (params: { message: string }) => void messages.push(params.message));
  connection.onNotification('window/showMessage', (params: { message: string }) => void messages.push(params.message));
  connection.onNotification('allowlist/status', () => undefined);
  connection.onRequest('client/registerCapability', () => null);
  connection.listen();

  /** The answer to a request, or what went wrong: an error response, or none in time. */
  async function ask(method: string, params: unknown): Promise<{ answer?: unknown; problem?: string }> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer in ${ANSWER_TIMEOUT_MS / 1000} s`)), ANSWER_TIMEOUT_MS)));
    try {
      return { answer: await Promise.race([connection.sendRequest(method, params), timeout]) };
    } catch (error) {
      return { problem: `${method}: ${(error as Error).message.split('\n')[0]}` };
    } finally {
      clearTimeout(timer);
    }
  }

  /** The diagnostics published for the version, or undefined when none come in time. */
  async function diagnosticsOf(uri: string, version: number): Promise<Diagnostic[] | undefined> {
    const deadline = Date.now() + ANSWER_TIMEOUT_MS;
    for (;;) {
      const found = published.get(uri)?.find((entry) => entry.version === version);
      if (found) return found.diagnostics;
      if (Date.now() > deadline || server.exitCode !== null || server.signalCode !== null) return undefined;
      await new Promise<void>((resolve) => {
        wake.push(resolve);
        setTimeout(resolve, 1000);
      });
    }
  }

  /** Opens or changes the document to `text`, then asks everything at a few positions; returns the problems. */
  async function exercise(uri: string, text: string, version: number, linted: boolean, seed: number): Promise<string[]> {
    const textDocument = { uri, version };
    if (version === 1) await connection.sendNotification('textDocument/didOpen', { textDocument: { ...textDocument, languageId: 'yaml', text } });
    else await connection.sendNotification('textDocument/didChange', { textDocument, contentChanges: [{ text }] });
    const problems: string[] = [];
    const diagnostics = linted ? await diagnosticsOf(uri, version) : [];
    if (!diagnostics) problems.push(`no diagnostics for version ${version}`);
    const lines = new LineIndex(text);
    const offsets = [0, text.length, ...fc.sample(fc.nat({ max: text.length }), { seed, numRuns: 3 })];
    const firstLines = Math.min(3, lines.positionAt(text.length).line + 1);
    const positions = [
      ...offsets.map((offset) => lines.positionAt(offset)),
      // The end of the first lines, where the parent-key walks start.
      ...Array.from({ length: firstLines }, (_, line) => lines.positionAt(lines.lineEnd(line))),
      // Where the first findings are, for their quick fixes.
      ...(diagnostics ?? []).slice(0, 2).map((diagnostic) => diagnostic.range.start),
      // Past the end, as a client that lags behind an edit may ask.
      { line: lines.positionAt(text.length).line + 5, character: 3 },
    ];
    for (const position of positions) {
      const at = { textDocument: { uri }, position };
      // Code actions for the line, with the diagnostics on it, as an editor asks at the cursor.
      const line = { start: { line: position.line, character: 0 }, end: { line: position.line + 1, character: 0 } };
      const onLine = (diagnostics ?? []).filter((diagnostic) => diagnostic.range.start.line <= position.line && diagnostic.range.end.line >= position.line);
      for (const [method, params] of [
        ['textDocument/hover', at],
        ['textDocument/completion', at],
        ['textDocument/definition', at],
        ['textDocument/references', { ...at, context: { includeDeclaration: true } }],
        ['textDocument/documentHighlight', at],
        ['textDocument/codeAction', { textDocument: { uri }, range: line, context: { diagnostics: onLine } }],
      ] as const) {
        const { problem } = await ask(method, params);
        if (problem) problems.push(`at ${JSON.stringify(position)}: ${problem}`);
      }
    }
    for (const method of ['textDocument/documentSymbol', 'textDocument/codeLens']) {
      const { problem } = await ask(method, { textDocument: { uri } });
      if (problem) problems.push(problem);
    }
    return problems;
  }

  const failures: { input: FuzzInput; problems: string[] }[] = [];
  try {
    const { answer } = await ask('initialize', {
      processId: process.pid,
      rootUri: pathToFileURL(files).href,
      workspaceFolders: [
        { uri: pathToFileURL(files).href, name: 'files' },
        { uri: pathToFileURL(configs).href, name: 'configs' },
      ],
      capabilities: {},
      initializationOptions: { trusted: true, yamlExtensionActive: false },
    });
    assert.ok(answer, 'the server answers initialize');
    void connection.sendNotification('initialized', {});

    const corpus = corpusInputs();
    const inputs = [...corpus.filter((input) => input.kind !== 'config'), ...generatedInputs('allowlist'), ...generatedInputs('catalog'), ...corpus.filter((input) => input.kind === 'config'), ...generatedInputs('config')];
    for (const [index, input] of inputs.entries()) {
      // A config is read from disk for the allowlist beside it, in a folder of its own (with catalogs it may name).
      const folder = input.kind === 'config' ? join(configs, input.name) : files;
      const path = join(folder, fileNameOf(input));
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, input.bytes);
      const opened = [{ path, text: editorText(input.bytes), linted: input.kind !== 'config' }];
      if (input.kind === 'config') {
        writeFileSync(join(folder, 'vendor.catalog.yaml'), ACME_CATALOG);
        const site = join(folder, 'site.allowlist.yaml');
        writeFileSync(site, generateAllowlist({ rules: 4, seed: index }));
        opened.push({ path: site, text: generateAllowlist({ rules: 4, seed: index }), linted: true });
      }
      const problems: string[] = [];
      try {
        for (const [order, { path: file, text, linted }] of opened.entries()) {
          const uri = pathToFileURL(file).href;
          const seed = FUZZ_SEED + index * 2 + order;
          const [mutations] = fc.sample(fc.array(mutationArb, { minLength: 1, maxLength: 3 }), { seed, numRuns: 1 });
          problems.push(...(await exercise(uri, text, 1, linted, seed)).map((problem) => `${file.slice(workspace.length + 1)} v1 ${problem}`));
          problems.push(...(await exercise(uri, mutateAll(text, mutations), 2, linted, seed)).map((problem) => `${file.slice(workspace.length + 1)} v2 ${problem}`));
        }
        // Saving a config makes the server reload configs and catalogs and re-lint what is open.
        if (input.kind === 'config') await connection.sendNotification('textDocument/didSave', { textDocument: { uri: pathToFileURL(path).href } });
        // Closed, as an editor's tabs are: the server keeps nothing for them, and later saves re-lint a few documents.
        for (const { path: file } of opened) await connection.sendNotification('textDocument/didClose', { textDocument: { uri: pathToFileURL(file).href } });
      } catch (error) {
        problems.push(`talking to the server: ${(error as Error).message}`);
      }
      problems.push(...messages.splice(0).flatMap((message) => [...crashSigns(message, 'a server message'), ...(/\bfailed\b/.test(message) ? [`the server logged: ${message.slice(0, 500)}`] : [])]));
      problems.push(...crashSigns(stderr, "the server's stderr"));
      if (server.exitCode !== null || server.signalCode !== null) problems.push(`the server's stderr: ${stderr.slice(-2000)}`);
      stderr = '';
      const alive = server.exitCode === null && server.signalCode === null;
      if (!alive) problems.push(`the server ended (exit code ${server.exitCode}, signal ${server.signalCode})`);
      if (problems.length > 0) failures.push({ input, problems });
      if (!alive) break;
    }
    if (server.exitCode === null) {
      const { answer, problem } = await ask('allowlist/lintWorkspace', {});
      assert.equal(problem, undefined, `linting the workspace: ${problem}`);
      assert.ok((answer as { files: number }).files > 0, 'the workspace has files to lint');
    }
    assert.equal(failures.length, 0, failureReport(failures));
    assert.deepEqual([server.exitCode, server.signalCode], [null, null], 'the server is still running');
  } finally {
    if (server.exitCode === null) {
      await ask('shutdown', undefined);
      await connection.sendNotification('exit').catch(() => undefined);
    }
    connection.dispose();
    server.kill();
    rmSync(workspace, { recursive: true, force: true });
  }
});
