/** The language server as a Node program (dist/server.js, or this file under tsx): VS Code starts it over IPC,
 * other editors over stdio (`--stdio`, `--node-ipc` or `--socket=` pick the transport). Files, catalogs and
 * config come from disk, and the Probe lens runs probes; the server itself is language-server.ts. */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { editorCatalogSet } from '../core/catalog';
import { decodeText, ioMessage, MAX_READ_SIZE, readRegularFile } from '../core/files';
import { catalogFilePath } from '../core/language';
import { discoverFiles, loadConfigFile, loadConfigFor } from '../core/lint';
import type { ServerHost } from './host';
import { startServer } from './language-server';
import { registerProbeLens } from './probe-lens';
import { serverProbeCommand } from './server-probe';
import { SERVER_PROBE_COMMAND } from './protocol';

/** A file URI's path here, or undefined: a URI of another scheme, or one this system has no path for (a UNC host,
 * `file://server/share/…`, on Linux; an encoded `/`), is a document without a file, as an untitled one is. */
function fileUriPath(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try {
    return fileURLToPath(uri);
  } catch {
    return undefined;
  }
}

export const nodeHost: ServerHost = {
  pathOf: fileUriPath,
  uriOf: (path) => pathToFileURL(path).href,
  dirname,
  resolve,
  relative,
  exists: existsSync,
  configFor: loadConfigFor,
  reloadConfig(path) {
    if (existsSync(path)) loadConfigFile(path);
  },
  catalogSet: (sources) => editorCatalogSet({ ...sources, base: sources.base ?? process.cwd() }),
  catalogFile(catalog) {
    const file = catalogFilePath(catalog);
    return file === undefined ? undefined : { uri: pathToFileURL(file).href, text: () => readFileSync(file, 'utf8') };
  },
  workspaceFiles: {
    discover: (folders) => discoverFiles(folders, folders[0]),
    async readDecoded(path) {
      try {
        return decodeText(await readRegularFile(path, MAX_READ_SIZE));
      } catch (error) {
        throw new Error(ioMessage(error));
      }
    },
  },
  registerProbes(server) {
    registerProbeLens(server.connection, server.documents, (document) => server.lintOf(document.uri), server.trusted, server.lensCommand);
    const probeRule = serverProbeCommand({
      trusted: server.trusted,
      documentModel: (uri) => server.lintOf(uri),
      probeSettings: server.probeSettings,
      label: server.label,
      show: server.show,
      log: (message) => server.connection.console.log(message),
    });
    server.connection.onExecuteCommand((params) => (params.command === SERVER_PROBE_COMMAND ? probeRule(params.arguments ?? []) : undefined));
  },
};

if (require.main === module) startServer(createConnection(ProposedFeatures.all), nodeHost);
