/** The custom messages between the allowlist language server and its clients (shared by both sides;
 * no runtime dependencies, so the extension bundle stays small). Other editors need none of them:
 * the server works with plain LSP, defaults and initialization options. */

/** Client → server: workspace trust and whether Red Hat's YAML extension is active (it then reports schema problems). */
export const ENVIRONMENT_NOTIFICATION = 'allowlist/environment';
/** Server → client: finding counts of a linted document and the catalogs used, for the status bar. */
export const STATUS_NOTIFICATION = 'allowlist/status';
/** Client → server: lint every allowlist and catalog in the workspace folders, as `allowlist lint` does. */
export const LINT_WORKSPACE_REQUEST = 'allowlist/lintWorkspace';

export interface Environment {
  trusted: boolean;
  yamlExtensionActive: boolean;
}

export interface ServerSettings {
  /** Severity overrides by rule id (merged over .allowlistrc.yaml): a severity or { severity, ...options }. */
  rules: Record<string, unknown>;
  /** Extra catalog files or folders (relative to the first workspace folder). */
  catalogs: string[];
  files: { patterns: string[] };
  schemaDiagnostics: 'auto' | 'always' | 'never';
}

export interface StatusParams {
  uri: string;
  version: number;
  errors: number;
  warnings: number;
  infos: number;
  catalogs: { id: string; name: string; origin: string }[];
}

export interface LintWorkspaceResult {
  files: number;
  errors: number;
  warnings: number;
  infos: number;
}
