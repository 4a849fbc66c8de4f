/** The custom messages between the allowlist language server and its clients (shared by both sides;
 * no runtime dependencies, so the extension bundle stays small). Other editors need none of them:
 * the server works with plain LSP, defaults and initialization options (docs/editors.md). */
import type { Finding } from '../core/common';
import type { FleetReport } from '../core/report';

/** Client → server: workspace trust and whether Red Hat's YAML extension is active (it then reports schema problems). */
export const ENVIRONMENT_NOTIFICATION = 'allowlist/environment';
/** Server → client: finding counts of a linted document and the catalogs used, for the status bar. */
export const STATUS_NOTIFICATION = 'allowlist/status';
/** The Probe lens's command when the client runs it (our VS Code client, with its results panel): `[uri, ruleName, { sweep }?]`. */
export const CLIENT_PROBE_COMMAND = 'allowlist.probeRule';
/** The same, run by the server (`workspace/executeCommand`) for clients that do not handle the client one. A distinct id:
 * VS Code's client registers every command a server declares, which would collide with the extension's own. */
export const SERVER_PROBE_COMMAND = 'allowlist.server.probeRule';
/** Client → server: lint every allowlist and catalog in the workspace folders, as `allowlist lint` does. */
export const LINT_WORKSPACE_REQUEST = 'allowlist/lintWorkspace';
/** Client → server: the fleet report (core/report) of every allowlist in the workspace folders, linted as
 * LINT_WORKSPACE_REQUEST lints them but without publishing: the Sites view and the report webview. */
export const FLEET_REPORT_REQUEST = 'allowlist/fleetReport';

export interface Environment {
  trusted: boolean;
  yamlExtensionActive: boolean;
}

/** `initializationOptions` the server reads; every one is optional. */
export interface InitializationOptions extends Partial<Environment> {
  /** Settings for clients without `workspace/configuration` (the `allowlist` section's shape). */
  settings?: Partial<ServerSettings>;
  /** Commands the client runs itself: the Probe lenses name CLIENT_PROBE_COMMAND only for a client that lists
   * it (ours, with its results panel); other clients get SERVER_PROBE_COMMAND, which the server runs. */
  clientCommands?: string[];
  /** How long after the last change the server waits before linting (DEBOUNCE_MS by default): longer on a slow
   * machine or for huge files. Opening and saving lint at once whatever it is. */
  lintDelayMs?: number;
}

export interface ServerSettings {
  /** Severity overrides by rule id (merged over .allowlistrc.yaml): a severity or { severity, ...options }. */
  rules: Record<string, unknown>;
  /** Extra catalog files or folders (relative to the first workspace folder). */
  catalogs: string[];
  files: { patterns: string[] };
  schemaDiagnostics: 'auto' | 'always' | 'never';
  /** `allowlist.probe.*`: the server's probe command (other editors' Probe lenses) reads these. */
  probe?: { timeoutMs?: unknown; concurrency?: unknown; sweep?: unknown };
}

export interface StatusParams {
  uri: string;
  version: number;
  errors: number;
  warnings: number;
  infos: number;
  catalogs: { id: string; name: string; origin: string }[];
}

export interface FleetReportResult {
  /** The report (core/report's FleetReport, as JSON); its files are paths relative to their workspace folder, led
   * by the folder's name when there are several. Undefined without a workspace folder. */
  report?: FleetReport;
  /** File URI of each of the report's files. */
  uris: Record<string, string>;
}

export interface LintWorkspaceResult {
  files: number;
  errors: number;
  warnings: number;
  infos: number;
}
/** In the browser, go to definition into a built-in catalog opens `allowlist-catalog:/<file name>`: a read-only
 * document the web extension serves from the catalogs built into it (there is no package folder to open). */
export const BUILTIN_CATALOG_SCHEME = 'allowlist-catalog';
/** Server → client, in the browser (where the server cannot read files): the catalog files a file is linted with,
 * read by the client through `vscode.workspace.fs` (how github.dev exposes the repository). Params: CatalogSources. */
export const WORKSPACE_CATALOGS_REQUEST = 'allowlist/workspaceCatalogs';

/** Which catalogs to read: the workspace's own `*.catalog.yaml` files (in a trusted workspace), and the catalog files
 * or folders of `catalogs:` in the config and of the `allowlist.catalogs` setting, as URIs, with where each is named. */
export interface CatalogSources {
  workspace: boolean;
  paths: { uri: string; origin: string }[];
}

/** The answer to WORKSPACE_CATALOGS_REQUEST: each file's URI and text, and the files that could not be read. */
export interface WorkspaceCatalogs {
  files: { uri: string; text: string }[];
  problems: string[];
}
/** Server → client, in the browser: the text of a configuration file (`.allowlistrc.yaml`, `.yml` or `.json`) at a
 * URI, read through `vscode.workspace.fs`; null when there is none. Params: `{ uri }`. */
export const CONFIG_TEXT_REQUEST = 'allowlist/configText';
/** Server → client, in the browser, for *Lint All Allowlists in Workspace*: the allowlists and catalogs under the
 * workspace folders (URIs), found as `allowlist lint` finds them, by the client through `vscode.workspace.findFiles`.
 * Params: `{ folders }`; the answer is a WorkspaceDiscovery. */
export const WORKSPACE_FILES_REQUEST = 'allowlist/workspaceFiles';
/** Server → client, in the browser: a file's bytes decoded as the CLI decodes them (core/files `decodeText`), or why
 * it could not be read. Params: `{ uri }`; the answer is a DecodedFile. */
export const DECODED_FILE_REQUEST = 'allowlist/decodedFile';

export interface WorkspaceDiscovery {
  files: { path: string; kind: 'allowlist' | 'catalog' }[];
  /** Folders searched in part, and why. */
  skipped: { path: string; reason: string }[];
}

export type DecodedFile = { text: string; finding?: Finding } | { error: string };
