/** The language server in a web worker (dist/browser/server.js), for VS Code in the browser (vscode.dev,
 * github.dev): LSP over the worker's messages, allowlists linted with the built-in catalogs, which are bundled
 * (a worker has no files to read); go to definition opens a built-in catalog as a read-only document that the web
 * extension serves (BUILTIN_CATALOG_SCHEME). The client reads for it the nearest `.allowlistrc.yaml`
 * (CONFIG_TEXT_REQUEST) and, in a trusted workspace, the workspace's catalogs (WORKSPACE_CATALOGS_REQUEST); documents are known by
 * their URIs (`vscode-vfs://github/owner/repo/...`), which stand for paths here. *Lint All Allowlists in Workspace*
 * and probes need VS Code on the desktop or the CLI. The server itself is language-server.ts. */
import { BrowserMessageReader, BrowserMessageWriter, createConnection, type Connection } from 'vscode-languageserver/browser';
import builtinFiles from 'bundled:catalogs';
import { buildCatalogSet, builtinCatalogs, type Catalog, MAX_CATALOG_SIZE, parseCatalog } from '../core/catalog';
import { CONFIG_FILE_NAMES, emptyConfig, type LintConfig, parseConfig } from '../core/lint';
import type { ServerHost } from './host';
import { startServer } from './language-server';
import { BUILTIN_CATALOG_SCHEME, CONFIG_TEXT_REQUEST, WORKSPACE_CATALOGS_REQUEST, type WorkspaceCatalogs } from './protocol';

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

  const configText = (uri: string): Promise<string | undefined> =>
    connection.sendRequest<string | null>(CONFIG_TEXT_REQUEST, { uri }).then(
      (text) => text ?? undefined,
      () => undefined,
    );

  /** The nearest config file at or above `folder` (a URI), up to the root of its authority. */
  async function nearestConfig(folder: string): Promise<LintConfig> {
    for (let dir: string | undefined = folder; dir !== undefined; dir = parentFolder(dir)) {
      for (const name of CONFIG_FILE_NAMES) {
        const uri = `${dir}/${name}`;
        const text = await configText(uri);
        if (text !== undefined) return parseConfig(text, uri);
      }
    }
    return emptyConfig();
  }

  return {
    pathOf: (uri) => uri,
    uriOf: (path) => path,
    dirname: (path) => path.replace(/\/[^/]*$/, ''),
    resolve: (_folder, path) => path,
    relative: (_folder, path) => path,
    exists: () => false,
    configFor: nearestConfig,
    async reloadConfig(uri) {
      const text = await configText(uri);
      if (text !== undefined) parseConfig(text, uri);
    },
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
/** The folder above a URI's folder (`vscode-vfs://github/o/r/sites` → `vscode-vfs://github/o/r`); undefined at the
 * root of its authority, or for a URI without one (`untitled:`). */
function parentFolder(folder: string): string | undefined {
  const path = /^[a-z][a-z0-9+.-]*:\/\/[^/]*(\/.*)?$/i.exec(folder)?.[1];
  return path && path !== '/' ? folder.replace(/\/[^/]*$/, '') : undefined;
}

declare const self: ConstructorParameters<typeof BrowserMessageReader>[0];
const connection = createConnection(new BrowserMessageReader(self), new BrowserMessageWriter(self));
startServer(connection, browserHost(connection));
