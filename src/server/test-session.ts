/** For tests: a language server started as its own process over stdio (the TS entry through tsx; set
 * ALLOWLIST_SERVER=dist to test the bundle dist/server.js), spoken to with vscode-jsonrpc, recording what it
 * publishes and shows. */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';

const root = join(__dirname, '../..');

export interface LspDiagnostic {
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
  severity: number;
  code?: string;
  source: string;
  message: string;
}

export interface Published {
  uri: string;
  version?: number;
  diagnostics: LspDiagnostic[];
}

export interface LspSession {
  server: ChildProcess;
  connection: MessageConnection;
  published: Published[];
  /** `window/showMessage` notifications. */
  messages: { type: number; message: string }[];
  /** Resolves once something arrives (a publication or a message) or after 200 ms, for `waitFor`. */
  next(): Promise<void>;
}

export async function startSession(workspace: string, initializationOptions: unknown): Promise<LspSession> {
  const args = process.env.ALLOWLIST_SERVER === 'dist' ? [join(root, 'dist/server.js'), '--stdio'] : ['--import', 'tsx', join(root, 'src/server/server.ts'), '--stdio'];
  const server = spawn(process.execPath, args, { cwd: root, stdio: ['pipe', 'pipe', 'inherit'] });
  const connection = createMessageConnection(new StreamMessageReader(server.stdout!), new StreamMessageWriter(server.stdin!));
  let waiters: (() => void)[] = [];
  const wake = (): void => {
    for (const resolve of waiters) resolve();
    waiters = [];
  };
  const session: LspSession = {
    server,
    connection,
    published: [],
    messages: [],
    next: () =>
      new Promise<void>((resolve) => {
        waiters.push(resolve);
        setTimeout(resolve, 200);
      }),
  };
  connection.onNotification('textDocument/publishDiagnostics', (message: Published) => {
    session.published.push(message);
    wake();
  });
  connection.onNotification('window/showMessage', (message: { type: number; message: string }) => {
    session.messages.push(message);
    wake();
  });
  connection.onRequest('client/registerCapability', () => null);
  connection.listen();
  await connection.sendRequest('initialize', {
    processId: process.pid,
    rootUri: pathToFileURL(workspace).href,
    workspaceFolders: [{ uri: pathToFileURL(workspace).href, name: 'ws' }],
    capabilities: {},
    initializationOptions,
  });
  await connection.sendNotification('initialized', {});
  return session;
}

export async function stopSession(session: Pick<LspSession, 'server' | 'connection'>): Promise<void> {
  try {
    await session.connection.sendRequest('shutdown');
    await session.connection.sendNotification('exit');
  } catch {
    // already gone
  }
  session.connection.dispose();
  session.server.kill();
}

/** What `found` gives, re-checked whenever the server sends something, for up to `ms` (10 s), else an error that says `what`. */
export async function waitFor<T>(session: LspSession, found: () => T | undefined, what: () => string, ms = 10_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = found();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(what());
    await session.next();
  }
}

/** The first diagnostics published for `uri` after the `from`th publication that satisfy `accept`. */
export function diagnosticsFor(session: LspSession, uri: string, accept: (published: Published) => boolean = () => true, from = 0): Promise<Published> {
  return waitFor(
    session,
    () => session.published.slice(from).find((published) => published.uri === uri && accept(published)),
    () => `no such diagnostics for ${uri}; got ${JSON.stringify(session.published.slice(from))}`,
  );
}
