/** The language server in a web worker (dist/browser/server.js), for VS Code in the browser (vscode.dev,
 * github.dev): LSP over the worker's messages, allowlists linted with the built-in catalogs, which are bundled
 * (a worker has no files to read); go to definition opens a built-in catalog as a read-only document that the web
 * extension serves (BUILTIN_CATALOG_SCHEME). The client reads for it the nearest `.allowlistrc.yaml`
 * (CONFIG_TEXT_REQUEST) and, in a trusted workspace, the workspace's catalogs (WORKSPACE_CATALOGS_REQUEST), and for
 * *Lint All Allowlists in Workspace* the files to lint and their texts (WORKSPACE_FILES_REQUEST, DECODED_FILE_REQUEST);
 * documents are known by their URIs (`vscode-vfs://github/owner/repo/...`), which stand for paths here. Probes need
 * VS Code on the desktop or the CLI. The server itself is language-server.ts. */
import { BrowserMessageReader, BrowserMessageWriter, createConnection, type Connection } from 'vscode-languageserver/browser';
import builtinFiles from 'bundled:catalogs';
import { parseConfig } from '../core/lint';
import type { ServerHost } from './host';
import { startServer } from './language-server';
import {
  BUILTIN_CATALOG_SCHEME,
  type CatalogSources,
  CONFIG_TEXT_REQUEST,
  DECODED_FILE_REQUEST,
  type DecodedFile,
  WORKSPACE_CATALOGS_REQUEST,
  WORKSPACE_FILES_REQUEST,
  type WorkspaceCatalogs,
  type WorkspaceDiscovery,
} from './protocol';
import { catalogSources, catalogsOfFiles, nearestConfig, uriFolder } from './uri-workspace';

export function browserHost(connection: Connection): ServerHost {
  /** The workspace catalogs' texts by URI, for go to definition. */
  let workspaceTexts = new Map<string, string>();

  /** The catalogs of the workspace, its config and settings, as the client reads them. */
  const workspaceCatalogs = (sources: CatalogSources): Promise<WorkspaceCatalogs> =>
    connection.sendRequest<WorkspaceCatalogs>(WORKSPACE_CATALOGS_REQUEST, sources).catch((error: unknown) => ({
      files: [],
      problems: [`the workspace's catalogs could not be listed: ${error instanceof Error ? error.message : String(error)}`],
    }));

  const configText = (uri: string): Promise<string | undefined> =>
    connection.sendRequest<string | null>(CONFIG_TEXT_REQUEST, { uri }).then(
      (text) => text ?? undefined,
      () => undefined,
    );

  return {
    pathOf: (uri) => uri,
    uriOf: (path) => path,
    dirname: uriFolder,
    resolve: (_folder, path) => path,
    relative: (_folder, path) => path,
    exists: () => false,
    configFor: (folder) => nearestConfig(folder, configText),
    async reloadConfig(uri) {
      const text = await configText(uri);
      if (text !== undefined) parseConfig(text, uri);
    },
    async catalogSet(sources) {
      // The workspace's own catalogs and its config's are its content: read only in a trusted workspace, as on the desktop.
      const wanted = catalogSources(sources);
      const loaded = catalogsOfFiles(wanted.workspace || wanted.paths.length > 0 ? await workspaceCatalogs(wanted) : { files: [], problems: [] });
      workspaceTexts = loaded.texts;
      return { catalogs: loaded.catalogs, problems: loaded.problems };
    },
    catalogFile(catalog) {
      const text = workspaceTexts.get(catalog.origin);
      if (text !== undefined) return { uri: catalog.origin, text: () => text };
      // Built-in catalogs are named after their vendor id (catalogs/<id>.catalog.yaml).
      const file = catalog.origin.startsWith('builtin:') ? builtinFiles.find(({ name }) => name.replace(/\.catalog\.ya?ml$/, '') === catalog.id) : undefined;
      return file && { uri: `${BUILTIN_CATALOG_SCHEME}:/${file.name}`, text: () => file.text };
    },
    workspaceFiles: {
      discover: (folders) => connection.sendRequest<WorkspaceDiscovery>(WORKSPACE_FILES_REQUEST, { folders }),
      async readDecoded(uri) {
        const decoded = await connection.sendRequest<DecodedFile>(DECODED_FILE_REQUEST, { uri });
        if ('error' in decoded) throw new Error(decoded.error);
        return decoded;
      },
    },
  };
}

/** The worker's global scope (the project's TypeScript libraries have no web worker types). */
declare const self: ConstructorParameters<typeof BrowserMessageReader>[0];
const connection = createConnection(new BrowserMessageReader(self), new BrowserMessageWriter(self));
startServer(connection, browserHost(connection));
