/** The language server in a web worker (dist/browser/server.js), for VS Code in the browser (vscode.dev,
 * github.dev): LSP over the worker's messages, allowlists linted with the built-in catalogs, which are bundled
 * (a worker has no files to read); go to definition opens a built-in catalog as a read-only document that the web
 * extension serves (BUILTIN_CATALOG_SCHEME). Workspace catalogs and `.allowlistrc.yaml`, *Lint All Allowlists in
 * Workspace* and probes need VS Code on the desktop or the CLI. The server itself is language-server.ts. */
import { BrowserMessageReader, BrowserMessageWriter, createConnection } from 'vscode-languageserver/browser';
import builtinFiles from 'bundled:catalogs';
import { buildCatalogSet, builtinCatalogs } from '../core/catalog';
import { emptyConfig } from '../core/lint';
import type { ServerHost } from './host';
import { startServer } from './language-server';
import { BUILTIN_CATALOG_SCHEME } from './protocol';

export const browserHost: ServerHost = {
  pathOf: () => undefined,
  uriOf: (path) => path,
  dirname: (path) => path.replace(/\/[^/]*$/, '') || '/',
  resolve: (_folder, path) => path,
  relative: (_folder, path) => path,
  exists: () => false,
  configFor: emptyConfig,
  reloadConfig: () => undefined,
  catalogSet: async () => ({ catalogs: buildCatalogSet(builtinCatalogs()), problems: [] }),
  catalogFile(catalog) {
    // Built-in catalogs are named after their vendor id (catalogs/<id>.catalog.yaml).
    const file = catalog.origin.startsWith('builtin:') ? builtinFiles.find(({ name }) => name.replace(/\.catalog\.ya?ml$/, '') === catalog.id) : undefined;
    return file && { uri: `${BUILTIN_CATALOG_SCHEME}:/${file.name}`, text: () => file.text };
  },
};

/** The worker's global scope (the project's TypeScript libraries have no web worker types). */
declare const self: ConstructorParameters<typeof BrowserMessageReader>[0];
startServer(createConnection(new BrowserMessageReader(self), new BrowserMessageWriter(self)), browserHost);
