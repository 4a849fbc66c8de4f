/** What the language server needs from where it runs (language-server.ts): Node (server.ts) reads files, catalogs
 * and config from disk and runs probes; a browser's web worker (browser.ts) has the built-in catalogs, and asks the
 * client for the workspace's catalogs and config files. */
import type { Connection, TextDocuments } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Catalog, CatalogSet } from '../core/catalog';
import type { LineIndex } from '../core/common';
import type { LintConfig, LintResult } from '../core/lint';
import type { ProbeSettings } from '../core/probe';

/** Where the editor's catalogs come from (as src/core/catalog's `editorCatalogSet` takes them). */
export interface CatalogSources {
  trusted: boolean;
  workspaceFolder?: string;
  configCatalogs: string[];
  settingCatalogs: string[];
  base?: string;
}

export interface ServerHost {
  /** The path the host reads for a document URI (a `file:` URI in Node); undefined for other URIs. */
  pathOf(uri: string): string | undefined;
  uriOf(path: string): string;
  dirname(path: string): string;
  resolve(folder: string, path: string): string;
  relative(folder: string, path: string): string;
  exists(path: string): boolean;
  /** The configuration nearest a folder (a ConfigError when it is broken). */
  configFor(folder: string): LintConfig | Promise<LintConfig>;
  /** A config file read again, to see whether it is still broken (a ConfigError when it is; nothing when it is gone). */
  reloadConfig(path: string): void | Promise<void>;
  /** The catalog set a file is linted with; catalogs left out are named in `problems`. */
  catalogSet(sources: CatalogSources): Promise<{ catalogs: CatalogSet; problems: string[] }>;
  /** The document a catalog's go to definition opens, and its text. */
  catalogFile(catalog: Catalog): { uri: string; text: () => string } | undefined;
  /** *Lint All Allowlists in Workspace*: the files to lint, and each one's bytes decoded as the CLI decodes them (an
   * Error with a message for the user when it cannot be read); absent where the host cannot list files. */
  workspaceFiles?: WorkspaceFiles;
  /** The Probe lenses and the server's probe command (absent where probes cannot run: no sockets in a browser). */
  registerProbes?(server: ProbeServer): void;
}

export interface WorkspaceFiles {
  discover(folders: string[]): Promise<{ files: { path: string; kind: 'allowlist' | 'catalog' }[]; skipped: { path: string; reason: string }[] }>;
  readDecoded(path: string): Promise<{ text: string; finding?: LintResult['findings'][number] }>;
}

/** What the probe wiring needs from the server. */
export interface ProbeServer {
  connection: Connection;
  documents: TextDocuments<TextDocument>;
  lintOf(uri: string): Promise<(LintResult & { lines: LineIndex; catalogs: CatalogSet }) | undefined>;
  trusted(): boolean;
  lensCommand(): string;
  probeSettings(): ProbeSettings;
  label(uri: string): string;
  show(level: 'warning' | 'info', message: string): void;
}
