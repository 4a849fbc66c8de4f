/** The language server in a web worker (dist/browser/server.js), for VS Code in the browser (vscode.dev,
 * github.dev): LSP over the worker's messages, allowlists linted with the built-in catalogs, which are bundled
 * (a worker has no files to read); go to definition opens a built-in catalog as a read-only document that the web
 * extension serves (BUILTIN_CATALOG_SCHEME). In a trusted workspace the client reads the workspace's catalogs for it
 * (WORKSPACE_CATALOGS_REQUEST). `.allowlistrc.yaml`, *Lint All Allowlists in Workspace* and probes need VS Code
 * on the desktop or the CLI. The server itself is language-server.ts. */
import { BrowserMessageReader, BrowserMessageWriter, createConnection, type Connection } from 'vscode-languageserver/browser';
import builtinFiles from 'bundled:catalogs';
import { buildCatalogSet, builtinCatalogs, type Catalog, MAX_CATALOG_SIZE, parseCatalog } from '../core/catalog';
import { emptyConfig } from '../core/lint';
import type { ServerHost } from './host';
import { startServer } from './language-server';
import { BUILTIN_CATALOG_SCHEME, WORKSPACE_CATALOGS_REQUEST, type WorkspaceCatalogs } from './protocol';

export function browserHost(connection: Connection): ServerHost {
  /** The workspace catalogs' texts by URI, for go to definition. */
  let workspaceTexts = new Map<string, string>();

  /** The workspace's catalogs, as the client reads them; those that do not load are named in `problems`. */
  async function workspaceCatalogs(): Promise<{ catalogs: Catalog[]; problems: string[] }> {
    const found = await connection.sendRequest<WorkspaceCatalogs>(WORKSPACE_CATALOGS_REQUEST).catch((error: unknown) => ({
      files: [],
      problems: [`the workspace's catalogs could not be listed: ${error instanceof Error ? error.message : String(error)}`],
    }));
    const catalogs: Catalog[] = [];
    const problems = [...found.problems];
    workspaceTexts = new Map();
    for (const { uri, text } of found.files) {
      if (text.length > MAX_CATALOG_SIZE) {
        problems.push(`catalog ${uri} left out: it is over the ${MAX_CATALOG_SIZE / 1024} KB limit of a catalog`);
        continue;
      }
      const { catalog, findings } = parseCatalog(text, uri);
      if (!catalog) {
        problems.push(`catalog ${uri} left out: ${findings.find((finding) => finding.severity === 'error')?.message ?? 'not a catalog'}`);
        continue;
      }
      catalogs.push(catalog);
      workspaceTexts.set(uri, text);
    }
    return { catalogs, problems };
  }

  return {
    pathOf: () => undefined,
    uriOf: (path) => path,
    dirname: (path) => path.replace(/\/[^/]*$/, '') || '/',
    resolve: (_folder, path) => path,
    relative: (_folder, path) => path,
    exists: () => false,
    configFor: emptyConfig,
    reloadConfig: () => undefined,
    async catalogSet(sources) {
      // Catalogs from the workspace are its content: only in a trusted workspace, as on the desktop.
      const workspace = sources.trusted ? await workspaceCatalogs() : { catalogs: [], problems: [] };
      return { catalogs: buildCatalogSet([...builtinCatalogs(), ...workspace.catalogs]), problems: workspace.problems };
    },
    catalogFile(catalog) {
      const text = workspaceTexts.get(catalog.origin);
      if (text !== undefined) return { uri: catalog.origin, text: () => text };
      // Built-in catalogs are named after their vendor id (catalogs/<id>.catalog.yaml).
      const file = catalog.origin.startsWith('builtin:') ? builtinFiles.find(({ name }) => name.replace(/\.catalog\.ya?ml$/, '') === catalog.id) : undefined;
      return file && { uri: `${BUILTIN_CATALOG_SCHEME}:/${file.name}`, text: () => file.text };
    },
  };
}

/** The worker's global scope (the project's TypeScript libraries have no web worker types). */
declare const self: ConstructorParameters<typeof BrowserMessageReader>[0];
const connection = createConnection(new BrowserMessageReader(self), new BrowserMessageWriter(self));
startServer(connection, browserHost(connection));
