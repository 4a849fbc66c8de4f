/** The allowlist language server, shared by its two entry points: server.ts (a Node process: VS Code starts it
 * over IPC, other editors over stdio) and browser.ts (a web worker, for VS Code in the browser). It translates the
 * engine's results to LSP; editor logic lives in src/core (locate, complete, symbols, references, ignore-edit),
 * and what differs between Node and the browser (files, catalogs and config on disk, probes) comes from a
 * `ServerHost`. This file only wires documents, settings and catalogs to the engine and converts offsets,
 * kinds and severities. */
import {
  CodeAction,
  CodeActionKind,
  CompletionItem,
  CompletionItemKind,
  Diagnostic,
  CodeLensRefreshRequest,
  DiagnosticSeverity,
  DocumentSymbol,
  InsertTextFormat,
  Location,
  MarkupKind,
  MessageType,
  ShowMessageNotification,
  SymbolKind,
  TextDocuments,
  TextDocumentSyncKind,
  TextEdit,
  type Connection,
  type DidChangeConfigurationParams,
  type TextDocumentChangeEvent,
  type InitializeParams,
} from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { catalogHoverAt, catalogSymbols, complete, type CompletionKind, definitionsAt, documentSymbols, hoverAt, ignoreEdit, type OutlineKind, type OutlineSymbol, referencesAt } from '../core/language';
import type { CatalogSet } from '../core/catalog';
import { ConfigError, emptyConfig, type LintConfig, Linter, type LintResult, lintText, todayUtc, withSettingRules } from '../core/lint';
import { type Finding, LineIndex, type Range, ruleDocUrl, type Severity, visibleLines } from '../core/common';
import { findingsOfDecoded } from '../core/files';
import { type AllowlistModel, emptyAllowlistModel, markedKind } from '../core/parse';
import { buildReport, type ReportInput } from '../core/report';
import { compileGlob } from './glob';
import type { ServerHost, WorkspaceFiles } from './host';
import {
  CLIENT_PROBE_COMMAND,
  ENVIRONMENT_NOTIFICATION,
  FLEET_REPORT_REQUEST,
  type FleetReportResult,
  LINT_WORKSPACE_REQUEST,
  SERVER_PROBE_COMMAND,
  STATUS_NOTIFICATION,
  type Environment,
  type InitializationOptions,
  type LintWorkspaceResult,
  type ServerSettings,
  type StatusParams,
} from './protocol';

export const DEBOUNCE_MS = 200;
/** How long after publishing a lint the server makes what the next keystroke's lint needs (`prepareForEdits`). */
const PREPARE_AFTER_MS = 100;
/** Diagnostics of one code-action request that get actions. */
const MAX_ACTION_DIAGNOSTICS = 500;
const UNTRUSTED_NOTICE =
  'Allowlist: linting with the built-in catalogs only. The editor has not declared this workspace trusted, so its *.catalog.yaml files and the catalogs its .allowlistrc.yaml lists are not loaded, and probes are off. ' +
  'To trust it, start the server with the initialization option { "trusted": true }: https://github.com/firewall-allowlist/firewall-allowlist/blob/main/docs/editors.md';
const SCHEMA_MODELINE = /#\s*yaml-language-server:\s*\$schema=(\S+)/;
/** How much of a document's start the marker check reads. */
const HEAD_CHARS = 4096;

const DEFAULT_SETTINGS: ServerSettings = {
  rules: {},
  catalogs: [],
  files: { patterns: ['**/*.allowlist.yaml', '**/*.allowlist.yml', '**/*.catalog.yaml', '**/*.catalog.yml'] },
  schemaDiagnostics: 'auto',
};

/** A setting that lists paths or patterns, as the server reads it: the user's settings are JSON, where the editor only
 * warns of a wrong type, and one `null` must not stop every lint. One string is a list of it; other entries are left out. */
function stringList(value: unknown): string[] | undefined {
  if (typeof value === 'string') return [value];
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : undefined;
}

/** The environment a client declares, in the initialization options or the environment notification: trusted (and
 * the YAML extension active) only where it says `true`; anything else, a missing value included, is not. */
function environmentOf(sent: Partial<Environment> | null | undefined): Environment {
  return { trusted: sent?.trusted === true, yamlExtensionActive: sent?.yamlExtensionActive === true };
}

interface DocState {
  linter: Linter;
  /** Version the last published result is for. */
  version?: number;
  result?: LintResult;
  findings: Finding[];
  lines?: LineIndex;
  catalogs?: CatalogSet;
  timer?: ReturnType<typeof setTimeout>;
  /** For code actions, built on the first request for this version's findings. */
  findingIndex?: FindingIndex;
}

/** The settings a lint depends on, comparable. */
function lintSettingsKey({ rules, catalogs, files, schemaDiagnostics }: ServerSettings): string {
  return JSON.stringify([rules, catalogs ?? [], files, schemaDiagnostics]);
}

export function startServer(connection: Connection, host: ServerHost): void {
  const documents = new TextDocuments(TextDocument);
  const states = new Map<string, DocState>();
  let settings = DEFAULT_SETTINGS;
  // Untrusted until the client says otherwise: a workspace's catalogs and config are its content, and a probe connects where its file says.
  let environment: Environment = { trusted: false, yamlExtensionActive: false };
  let lintDelayMs = DEBOUNCE_MS;
  /** The client never said whether the workspace is trusted (other editors): tell the user once what that leaves out. */
  let trustUndeclared = false;
  let folders: string[] = [];
  let canPullConfiguration = false;
  let clientChangesFolders = false;
  /** The client runs the Probe lens's command itself (ours); other clients get the server's. */
  let clientRunsProbes = false;
  let patterns: Array<(path: string) => boolean> = settings.files.patterns.map(compileGlob);
  /** Catalog sets by the config file they include catalogs of (catalog loading is async; lints await it). */
  let catalogSets = new Map<string, Promise<CatalogSet>>();
  const configs = new Map<string, Promise<LintConfig>>();
  /** Config files with an error: it is published on the file itself, and the allowlists' notice is shown once,
   * until the file is fixed (or goes). */
  const brokenConfigs = new Set<string>();

  connection.onInitialize((params: InitializeParams) => {
    const options = (params.initializationOptions ?? {}) as InitializationOptions;
    environment = environmentOf(options);
    trustUndeclared = typeof options.trusted !== 'boolean';
    if (typeof options.lintDelayMs === 'number' && Number.isFinite(options.lintDelayMs) && options.lintDelayMs >= 0) lintDelayMs = options.lintDelayMs;
    if (options.settings) applySettings(options.settings);
    folders = (params.workspaceFolders ?? []).flatMap((folder) => host.pathOf(folder.uri) ?? []);
    const rootPath = params.rootUri ? host.pathOf(params.rootUri) : undefined;
    if (folders.length === 0 && rootPath) folders = [rootPath];
    canPullConfiguration = params.capabilities.workspace?.configuration === true;
    clientChangesFolders = params.capabilities.workspace?.workspaceFolders === true;
    clientRunsProbes = Array.isArray(options.clientCommands) && options.clientCommands.includes(CLIENT_PROBE_COMMAND);
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: { includeText: false } },
        hoverProvider: true,
        completionProvider: { triggerCharacters: [' ', ':', '-', '[', ',', '"', "'"] },
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
        documentSymbolProvider: true,
        definitionProvider: true,
        referencesProvider: true,
        documentHighlightProvider: true,
        // The "Probe" lenses above each rule (src/server/probe-lens.ts): our client runs their command itself, and
        // is not told of the server's (VS Code's client would register it as a second command).
        ...(host.registerProbes ? { codeLensProvider: { resolveProvider: false } } : {}),
        ...(clientRunsProbes || !host.registerProbes ? {} : { executeCommandProvider: { commands: [SERVER_PROBE_COMMAND] } }),
        workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
      },
      serverInfo: { name: 'allowlist-language-server' },
    };
  });

  connection.onInitialized(async () => {
    // A folder added to the workspace (or removed) changes which catalogs and config serve its allowlists, and what
    // the workspace's lint and report cover.
    if (clientChangesFolders) {
      connection.workspace.onDidChangeWorkspaceFolders(({ added, removed }) => {
        const gone = new Set(removed.flatMap((folder) => host.pathOf(folder.uri) ?? []));
        const kept = folders.filter((folder) => !gone.has(folder));
        folders = [...kept, ...added.flatMap((folder) => host.pathOf(folder.uri) ?? []).filter((folder) => !kept.includes(folder))];
        void settingsChanged();
      });
    }
    // Documents opened meanwhile were linted with the settings so far: again with the user's, when they differ.
    if (canPullConfiguration && (await pullSettings())) await settingsChanged();
  });

  /** Applies `next`; true when that changes what a lint depends on (the probe settings are read when a probe runs). */
  function applySettings(next: Partial<ServerSettings>): boolean {
    const before = lintSettingsKey(settings);
    const files: Partial<ServerSettings['files']> = next.files !== null && typeof next.files === 'object' ? next.files : {};
    settings = {
      ...DEFAULT_SETTINGS,
      ...next,
      catalogs: stringList(next.catalogs) ?? DEFAULT_SETTINGS.catalogs,
      files: { ...DEFAULT_SETTINGS.files, ...files, patterns: stringList(files.patterns) ?? DEFAULT_SETTINGS.files.patterns },
    };
    patterns = settings.files.patterns.map(compileGlob);
    return lintSettingsKey(settings) !== before;
  }

  /** Pulls the client's settings; true when they changed what a lint depends on. */
  async function pullSettings(): Promise<boolean> {
    try {
      const [pulled] = (await connection.workspace.getConfiguration([{ section: 'allowlist' }])) as [Partial<ServerSettings> | null];
      return pulled ? applySettings(pulled) : false;
    } catch {
      // A client without workspace/configuration keeps the initialization options.
      return false;
    }
  }

  /** Catalogs and configs load again under the new settings, and every open document is linted again. */
  async function settingsChanged(): Promise<void> {
    await invalidateCatalogs();
    relintAll();
  }

  /** A message the user need not answer: the `window/showMessage` notification. (vscode-languageserver's
   * `window.show…Message` send `window/showMessageRequest`, which Neovim 0.7 answers with a blocking prompt.) */
  function showMessage(type: MessageType, message: string): void {
    void connection.sendNotification(ShowMessageNotification.type, { type, message });
  }

  async function invalidateCatalogs(): Promise<void> {
    catalogSets = new Map();
    configs.clear();
    await recheckBrokenConfigs();
  }

  /** A config error as a diagnostic on the config file, at its line and column (with its did-you-mean), and a
   * notice for the allowlists it no longer configures, once per broken file rather than once per lint. */
  function reportConfigError(error: ConfigError): void {
    if (error.path === undefined) return showMessage(MessageType.Warning, `Allowlist: ${error.message}`);
    const range = error.range ?? { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
    connection.sendDiagnostics({ uri: host.uriOf(error.path), diagnostics: [{ range, severity: DiagnosticSeverity.Error, source: 'allowlist', message: visibleLines(error.reason) }] });
    if (brokenConfigs.has(error.path)) return;
    brokenConfigs.add(error.path);
    showMessage(MessageType.Warning, `Allowlist: allowlists under this config are linted without it until it is fixed: ${visibleLines(error.message)}`);
  }

  /** The broken config files read again (one changed, or appeared or went): fixed or gone ones lose their diagnostic,
   * and the others' follows their new error. */
  async function recheckBrokenConfigs(): Promise<void> {
    for (const path of brokenConfigs) {
      try {
        await host.reloadConfig(path);
      } catch (error) {
        if (!(error instanceof ConfigError)) throw error;
        reportConfigError(error);
        continue;
      }
      brokenConfigs.delete(path);
      connection.sendDiagnostics({ uri: host.uriOf(path), diagnostics: [] });
    }
  }

  function relintAll(): void {
    for (const document of documents.all()) scheduleLint(document, 0, true);
  }

  // VS Code's client sends this once as it starts, right after the open documents, with the settings already pulled:
  // reloading the catalogs and linting those documents again then would only compete with their first lint.
  connection.onDidChangeConfiguration(async (change: DidChangeConfigurationParams) => {
    const pushed = (change.settings as { allowlist?: Partial<ServerSettings> } | null)?.allowlist;
    const changed = canPullConfiguration ? await pullSettings() : pushed ? applySettings(pushed) : false;
    if (changed) await settingsChanged();
  });

  connection.onNotification(ENVIRONMENT_NOTIFICATION, async (sent: Environment | null) => {
    trustUndeclared = false;
    const next = environmentOf(sent);
    const trustChanged = next.trusted !== environment.trusted;
    environment = next;
    await invalidateCatalogs();
    relintAll();
    // The Probe lenses come and go with trust.
    if (trustChanged) void connection.sendRequest(CodeLensRefreshRequest.type).catch(() => undefined);
  });

  connection.onDidChangeWatchedFiles(async () => {
    // A catalog or config changed (or appeared, or went): reload and re-lint what is open.
    await invalidateCatalogs();
    relintAll();
  });

  // -------------------------------------------------------------------------------------------
  // Which documents are ours, and their settings.

  const pathOf = (uri: string): string | undefined => host.pathOf(uri);

  function isOurs(document: TextDocument): boolean {
    const path = pathOf(document.uri) ?? document.uri;
    const normal = path.replace(/\\/g, '/');
    if (patterns.some((matches) => matches(normal))) return true;
    return markedKind(document.getText({ start: { line: 0, character: 0 }, end: document.positionAt(HEAD_CHARS) })) !== undefined;
  }

  function folderOf(path: string | undefined): string | undefined {
    if (!path) return folders[0];
    return folders.filter((folder) => path === folder || path.startsWith(folder.endsWith('/') ? folder : `${folder}/`)).sort((a, b) => b.length - a.length)[0];
  }

  function configFor(path: string | undefined): Promise<LintConfig> {
    const dir = path ? host.dirname(path) : folders[0];
    const key = dir ?? '';
    let config = configs.get(key);
    if (!config) {
      config = loadConfig(dir);
      configs.set(key, config);
      // A failure other than a config error is not kept: the next lint tries again.
      config.catch(() => configs.delete(key));
    }
    return config;
  }

  /** The configuration for files in `dir` (the nearest config file's, with the settings' rules over it). */
  async function loadConfig(dir: string | undefined): Promise<LintConfig> {
    let fromFile = emptyConfig();
    try {
      if (dir) fromFile = await host.configFor(dir);
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      reportConfigError(error);
    }
    let withSettings = fromFile;
    try {
      withSettings = withSettingRules(fromFile, settings.rules);
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      showMessage(MessageType.Warning, `Allowlist: ${error.message}`);
    }
    // Catalog paths in a workspace's config are workspace content: only in a trusted workspace.
    return { ...withSettings, catalogs: environment.trusted ? fromFile.catalogs : [] };
  }

  function catalogsFor(path: string | undefined, config: LintConfig): Promise<CatalogSet> {
    const folder = folderOf(path);
    const key = JSON.stringify([folder, config.catalogs]);
    let set = catalogSets.get(key);
    if (!set) {
      // Catalogs left out (unreadable, too large, invalid) go to the log: their own files get diagnostics when open.
      set = host.catalogSet({ trusted: environment.trusted, workspaceFolder: folder, configCatalogs: config.catalogs, settingCatalogs: settings.catalogs ?? [], base: folder }).then((loaded) => {
        for (const problem of loaded.problems) connection.console.warn(problem);
        return loaded.catalogs;
      });
      catalogSets.set(key, set);
    }
    return set;
  }

  // -------------------------------------------------------------------------------------------
  // Linting: debounced while typing, at once on open and save; a newer version makes an older lint stale.

  function stateOf(uri: string): DocState {
    let state = states.get(uri);
    if (!state) {
      state = { linter: new Linter(), findings: [] };
      states.set(uri, state);
    }
    return state;
  }

  function scheduleLint(document: TextDocument, delay: number, force = false): void {
    const state = stateOf(document.uri);
    clearTimeout(state.timer);
    // A failed lint must not end the server (the client gives up after a few restarts): log it instead.
    state.timer = setTimeout(() => {
      lintDocument(document.uri, document.version, force).catch((error: unknown) => {
        connection.console.error(`allowlist: linting ${document.uri} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      });
    }, delay);
  }

  /** Lints a document's version and publishes; does nothing when a newer version exists (its own lint is
   * scheduled) or when this version was already linted (a request ran it early), unless forced. */
  async function lintDocument(uri: string, version: number, force = false): Promise<void> {
    const document = documents.get(uri);
    if (!document || document.version !== version) return;
    const state = stateOf(uri);
    if (!force && state.version === version && state.result) return;
    if (!isOurs(document)) {
      if (state.version !== undefined) connection.sendDiagnostics({ uri, diagnostics: [] });
      states.delete(uri);
      return;
    }
    noticeUntrusted();
    const path = pathOf(uri);
    const config = await configFor(path);
    const catalogs = await catalogsFor(path, config);
    const current = documents.get(uri);
    if (!current || current.version !== version) return; // edited while catalogs loaded: never publish an old version
    const text = current.getText();
    const result = state.linter.lint(text, { fileName: fileNameFor(path ?? uri, text), catalogs, config });
    state.version = version;
    state.result = result;
    state.lines = new LineIndex(text);
    state.catalogs = catalogs;
    state.findings = shownFindings(result.findings, path ?? uri, text);
    state.findingIndex = undefined;
    connection.sendDiagnostics({ uri, version, diagnostics: state.findings.map((finding) => toDiagnostic(finding, state.lines!)) });
    sendStatus(uri, version, state.findings, catalogs);
    // While the user reads the diagnostics, what the next keystroke's lint would otherwise make first (shadowed-rule's
    // indexes: 50-100 ms in 10,000 rules); after the requests an open brings (symbols, folding, code lenses) have had
    // their turn, and not once a newer version waits, whose lint makes its own.
    setTimeout(() => {
      if (states.get(uri) === state && state.version === version && documents.get(uri)?.version === version) state.linter.prepareForEdits();
    }, PREPARE_AFTER_MS);
  }

  /** The engine decides kind by the `allowlist:` key or the file name; a document matched by a user pattern is an allowlist unless it is a catalog. */
  function fileNameFor(path: string, text: string): string {
    if (/\.(?:allowlist|catalog)\.ya?ml$/i.test(path)) return path;
    if (/^catalog[ \t]*:/m.test(text.slice(0, HEAD_CHARS))) return path;
    return `${path}#.allowlist.yaml`;
  }

  /** The findings to publish: `schema` and plain `yaml-syntax` findings are left to Red Hat's YAML extension when
   * it validates the file with our schema (allowlist.schemaDiagnostics: auto). Whether it does is asked once per
   * lint, not per finding: it may look for the schema file on disk, and this runs on every keystroke. */
  function shownFindings(findings: Finding[], path: string, text: string): Finding[] {
    let yamlValidates: boolean | undefined;
    return findings.filter((finding) => {
      if (finding.ruleId !== 'schema' && finding.ruleId !== 'yaml-syntax') return true;
      if (finding.fixes && finding.fixes.length > 0) return true; // ours has a quick fix (e.g. quoting a wildcard)
      if (settings.schemaDiagnostics === 'always') return true;
      if (settings.schemaDiagnostics === 'never') return false;
      if (!environment.yamlExtensionActive) return true;
      if (finding.ruleId === 'yaml-syntax') return false; // the YAML extension reports syntax errors in every YAML file
      yamlValidates ??= yamlValidatesWithOurSchema(path, text.slice(0, HEAD_CHARS));
      return !yamlValidates;
    });
  }

  /** Whether the YAML extension checks the file against our schema: by its name (our `yamlValidation`), unless a
   * `$schema` modeline overrides that; by a modeline only when it names one of our schemas by a path that exists
   * (a modeline copied with an example often points nowhere, and then the YAML extension checks nothing). */
  function yamlValidatesWithOurSchema(path: string, head: string): boolean {
    const modeline = SCHEMA_MODELINE.exec(head)?.[1];
    if (modeline === undefined) return /\.(?:allowlist|catalog)\.ya?ml$/i.test(path);
    if (!/(?:^|[/\\])(?:allowlist|catalog)\.schema\.json$/.test(modeline) || /^[a-z][a-z0-9+.-]*:/i.test(modeline)) return false;
    return host.exists(host.resolve(host.dirname(path), modeline));
  }

  /** Once per session, when the client never declared trust: a notice that workspace catalogs are left out, and how to trust. */
  function noticeUntrusted(): void {
    if (environment.trusted || !trustUndeclared) return;
    trustUndeclared = false;
    showMessage(MessageType.Info, UNTRUSTED_NOTICE);
  }

  function sendStatus(uri: string, version: number, findings: Finding[], catalogs: CatalogSet): void {
    const count = (severity: Severity): number => findings.filter((finding) => finding.severity === severity).length;
    const params: StatusParams = {
      uri,
      version,
      errors: count('error'),
      warnings: count('warning'),
      infos: count('info'),
      catalogs: catalogs.catalogs.map((catalog) => ({ id: catalog.id, name: catalog.name, origin: catalog.origin })),
    };
    connection.sendNotification(STATUS_NOTIFICATION, params);
  }

  // TextDocuments fires onDidChangeContent on open too, right after onDidOpen: debouncing that one would delay every
  // file's first diagnostics by the lint delay, so the open's immediate lint stands.
  const opening = new Set<string>();
  documents.onDidOpen((event: TextDocumentChangeEvent<TextDocument>) => {
    opening.add(event.document.uri);
    // Forced: an open is a new text whatever its version (a client that opens a document again without closing it
    // may send the same version number).
    scheduleLint(event.document, 0, true);
  });
  documents.onDidChangeContent((event: TextDocumentChangeEvent<TextDocument>) => {
    if (opening.delete(event.document.uri)) return;
    scheduleLint(event.document, lintDelayMs);
  });
  documents.onDidSave(async (event: TextDocumentChangeEvent<TextDocument>) => {
    if (/\.catalog\.ya?ml$/i.test(event.document.uri) || /\.allowlistrc\.(?:ya?ml|json)$/i.test(event.document.uri)) {
      await invalidateCatalogs();
      relintAll();
    } else scheduleLint(event.document, 0);
  });
  documents.onDidClose((event: TextDocumentChangeEvent<TextDocument>) => {
    const state = states.get(event.document.uri);
    clearTimeout(state?.timer);
    states.delete(event.document.uri);
    // A broken config's diagnostic stays while it is broken, open or not.
    const path = pathOf(event.document.uri);
    if (path === undefined || !brokenConfigs.has(path)) connection.sendDiagnostics({ uri: event.document.uri, diagnostics: [] });
  });

  // -------------------------------------------------------------------------------------------
  // Lint the workspace as the CLI does (the Problems panel then matches CI).

  /** One discovered file's lint as the CLI lints it: the open document's when it is open (linted now if need be).
   * Undefined when it cannot be read (logged). `publish`: send the findings of a file that is not open (an open one's
   * are its own lint's). */
  async function lintWorkspaceFile(
    files: WorkspaceFiles,
    file: { path: string; kind: 'allowlist' | 'catalog' },
    publish: boolean,
  ): Promise<{ uri: string; findings: Finding[]; model: AllowlistModel; catalogs: CatalogSet } | undefined> {
    const uri = host.uriOf(file.path);
    const open = documents.get(uri);
    if (open) {
      await lintDocument(uri, open.version);
      const state = states.get(uri);
      if (state?.result && state.catalogs) return { uri, findings: state.findings, model: state.result.model, catalogs: state.catalogs };
      // Edited meanwhile (its own lint publishes it): the file on disk stands for it here.
    }
    const decoded = await files.readDecoded(file.path).catch((error: unknown) => {
      connection.console.warn(`${file.path} not linted: ${error instanceof Error ? error.message : String(error)}`);
      return undefined;
    });
    if (!decoded) return undefined;
    // Read as the CLI reads it (UTF-16, binary, bad UTF-8), so the Problems panel shows what CI shows.
    const { text } = decoded;
    const config = await configFor(file.path);
    const catalogs = await catalogsFor(file.path, config);
    let model = emptyAllowlistModel();
    const lint = (source: string) => {
      const result = lintText(source, { fileName: file.kind === 'catalog' ? file.path : fileNameFor(file.path, source), catalogs, config });
      model = result.model;
      return result.findings;
    };
    const findings = shownFindings(findingsOfDecoded(decoded, lint), file.path, text);
    if (publish && !open) {
      const lines = new LineIndex(text);
      connection.sendDiagnostics({ uri, diagnostics: findings.map((finding) => toDiagnostic(finding, lines)) });
    }
    return { uri, findings, model, catalogs };
  }

  async function discoverWorkspace(files: WorkspaceFiles): Promise<{ path: string; kind: 'allowlist' | 'catalog' }[]> {
    if (folders.length === 0) return [];
    const discovery = await files.discover(folders);
    for (const { path, reason } of discovery.skipped) connection.console.warn(`folder ${path} ${reason}`);
    return discovery.files;
  }

  connection.onRequest(LINT_WORKSPACE_REQUEST, async (): Promise<LintWorkspaceResult> => {
    const result: LintWorkspaceResult = { files: 0, errors: 0, warnings: 0, infos: 0 };
    const files = host.workspaceFiles;
    if (!files) return result;
    for (const file of await discoverWorkspace(files)) {
      const linted = await lintWorkspaceFile(files, file, true);
      if (!linted) continue;
      result.files++;
      for (const finding of linted.findings) result[finding.severity === 'error' ? 'errors' : finding.severity === 'warning' ? 'warnings' : 'infos']++;
    }
    return result;
  });

  connection.onRequest(FLEET_REPORT_REQUEST, async (): Promise<FleetReportResult> => {
    const inputs: ReportInput[] = [];
    const uris: Record<string, string> = {};
    const files = host.workspaceFiles;
    if (!files || folders.length === 0) return { uris };
    for (const file of await discoverWorkspace(files)) {
      if (file.kind === 'catalog') continue; // catalogs serve the sites but are not sites
      const linted = await lintWorkspaceFile(files, file, false);
      if (!linted) continue;
      const folder = folderOf(file.path) ?? host.dirname(file.path);
      const folderName = folder.split(/[\\/]/).filter(Boolean).pop() ?? folder;
      const shown = (folders.length > 1 ? `${folderName}/` : '') + host.relative(folder, file.path).replace(/\\/g, '/');
      uris[shown] = linted.uri;
      inputs.push({ file: shown, model: linted.model, findings: linted.findings, catalogs: linted.catalogs });
    }
    return { report: buildReport(inputs, { today: todayUtc() }), uris };
  });

  // -------------------------------------------------------------------------------------------
  // Language features: the model of the last lint, when it is for the document's current version.

  /** The current document's lint, running it now if the debounced one has not run yet. */
  async function current(uri: string): Promise<(DocState & { result: LintResult; lines: LineIndex; catalogs: CatalogSet }) | undefined> {
    const document = documents.get(uri);
    if (!document || !isOurs(document)) return undefined;
    let state = states.get(uri);
    if (!state || state.version !== document.version) {
      await lintDocument(uri, document.version);
      state = states.get(uri);
    }
    if (!state?.result || !state.lines || !state.catalogs || state.version !== document.version) return undefined;
    return state as DocState & { result: LintResult; lines: LineIndex; catalogs: CatalogSet };
  }

  connection.onHover(async (params) => {
    const state = await current(params.textDocument.uri);
    if (!state) return null;
    const { model, catalog } = state.result;
    const offset = state.lines.offsetAt(params.position);
    const hover = model.kind === 'catalog' ? catalogHoverAt(model.text, offset, state.catalogs, catalog) : hoverAt(model, offset, state.catalogs);
    return hover ? { contents: { kind: MarkupKind.Markdown, value: hover.markdown }, range: toRange(hover.range, state.lines) } : null;
  });

  connection.onCompletion(async (params) => {
    const document = documents.get(params.textDocument.uri);
    const state = await current(params.textDocument.uri);
    if (!document || !state) return [];
    // Completion runs on the text as it is now, even if the model lags a keystroke behind.
    const model = state.result.model.text === document.getText() ? state.result.model : state.linter.lint(document.getText(), { catalogs: state.catalogs, fileName: 'completion.allowlist.yaml' }).model;
    const lines = model === state.result.model ? state.lines : new LineIndex(model.text);
    return complete(model, lines.offsetAt(params.position), state.catalogs).map(
      (entry): CompletionItem => ({
        label: entry.label,
        kind: completionKind(entry.kind),
        detail: entry.detail,
        documentation: entry.documentation ? { kind: MarkupKind.Markdown, value: entry.documentation } : undefined,
        textEdit: TextEdit.replace(toRange(entry.range, lines), entry.insertText),
        insertTextFormat: entry.snippet ? InsertTextFormat.Snippet : InsertTextFormat.PlainText,
        sortText: entry.sortText,
        filterText: entry.filterText,
        preselect: entry.preselect,
      }),
    );
  });

  connection.onCodeAction(async (params) => {
    const state = await current(params.textDocument.uri);
    if (!state) return [];
    const uri = params.textDocument.uri;
    const actions: CodeAction[] = [];
    state.findingIndex ??= indexFindings(state.findings, state.lines);
    // A request is about the diagnostics at the cursor or in a selection: past a few hundred (a file with tens of
    // thousands of syntax errors on one line) more actions help no one and only cost time.
    // `diagnostics` is required, but a client that leaves it out gets no actions rather than an error.
    for (const diagnostic of (params.context?.diagnostics ?? []).slice(0, MAX_ACTION_DIAGNOSTICS)) {
      if (diagnostic.source !== 'allowlist') continue;
      const finding = findingFor(diagnostic, state.findingIndex);
      if (!finding) continue;
      for (const fix of finding.fixes ?? []) {
        actions.push({
          title: fix.title,
          kind: CodeActionKind.QuickFix,
          diagnostics: [diagnostic],
          isPreferred: fix.preferred,
          edit: { changes: { [uri]: fix.edits.map((edit) => TextEdit.replace(toRange(edit.range, state.lines), edit.newText)) } },
        });
      }
      if (finding.ruleId !== 'yaml-syntax') {
        const edit = ignoreEdit(state.result.model.text, finding);
        actions.push({
          title: `Ignore ${finding.ruleId} on this line`,
          kind: CodeActionKind.QuickFix,
          diagnostics: [diagnostic],
          edit: { changes: { [uri]: [TextEdit.replace(toRange(edit.range, state.lines), edit.newText)] } },
        });
      }
    }
    return actions;
  });

  connection.onDocumentSymbol(async (params) => {
    const state = await current(params.textDocument.uri);
    if (!state) return [];
    const { model } = state.result;
    return (model.kind === 'catalog' ? catalogSymbols(model.text) : documentSymbols(model)).map((symbol) => toSymbol(symbol, state.lines));
  });

  connection.onDefinition(async (params) => {
    const state = await current(params.textDocument.uri);
    if (!state) return [];
    const locations: Location[] = [];
    for (const target of definitionsAt(state.result.model, state.lines.offsetAt(params.position), state.catalogs)) {
      // The catalog's offsets are those of the file the lint loaded, on disk: mapped through an open editor's unsaved
      // text they would land elsewhere.
      const file = host.catalogFile(target.catalog);
      const range = target.catalog.locations?.[target.location];
      if (!file || !range) continue;
      locations.push(Location.create(file.uri, toRange(range, new LineIndex(file.text()))));
    }
    return locations;
  });

  connection.onReferences(async (params) => {
    const state = await current(params.textDocument.uri);
    if (!state) return [];
    const ranges = referencesAt(state.result.model, state.lines.offsetAt(params.position)) ?? [];
    return ranges.map((range) => Location.create(params.textDocument.uri, toRange(range, state.lines)));
  });

  connection.onDocumentHighlight(async (params) => {
    const state = await current(params.textDocument.uri);
    if (!state) return [];
    return (referencesAt(state.result.model, state.lines.offsetAt(params.position)) ?? []).map((range) => ({ range: toRange(range, state.lines) }));
  });

  host.registerProbes?.({
    connection,
    documents,
    async lintOf(uri) {
      const state = await current(uri);
      return state && { ...state.result, lines: state.lines, catalogs: state.catalogs };
    },
    trusted: () => environment.trusted,
    lensCommand: () => (clientRunsProbes ? CLIENT_PROBE_COMMAND : SERVER_PROBE_COMMAND),
    probeSettings: () => settings.probe ?? {},
    label(uri) {
      const path = pathOf(uri);
      const folder = folderOf(path);
      return path && folder ? host.relative(folder, path) : (path ?? uri);
    },
    show: (level, message) => showMessage(level === 'warning' ? MessageType.Warning : MessageType.Info, message),
  });

  documents.listen(connection);
  connection.listen();
}

// ---------------------------------------------------------------------------------------------
// Translation to LSP.

function toRange(range: Range, lines: LineIndex) {
  return lines.rangeToLines(range);
}

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
};

export function toDiagnostic(finding: Finding, lines: LineIndex): Diagnostic {
  return {
    range: toRange(finding.range, lines),
    severity: SEVERITY[finding.severity],
    code: finding.ruleId,
    codeDescription: { href: ruleDocUrl(finding.ruleId) },
    source: 'allowlist',
    message: visibleLines(finding.message),
  };
}

/** A document version's findings with their LSP ranges: by exact range and message, and by rule id. Built once
 * per version, on the first code-action request, so that matching a request's diagnostics is linear. */
interface FindingIndex {
  exact: Map<string, Finding>;
  byRule: Map<string, { finding: Finding; range: Diagnostic['range'] }[]>;
}

function exactKey(ruleId: unknown, message: string, range: Diagnostic['range']): string {
  return `${String(ruleId)}|${range.start.line}:${range.start.character}-${range.end.line}:${range.end.character}|${message}`;
}

function indexFindings(findings: Finding[], lines: LineIndex): FindingIndex {
  const index: FindingIndex = { exact: new Map(), byRule: new Map() };
  for (const finding of findings) {
    const range = toRange(finding.range, lines);
    const key = exactKey(finding.ruleId, visibleLines(finding.message), range);
    if (!index.exact.has(key)) index.exact.set(key, finding);
    const sameRule = index.byRule.get(finding.ruleId) ?? [];
    sameRule.push({ finding, range });
    index.byRule.set(finding.ruleId, sameRule);
  }
  return index;
}

/** Our finding behind a diagnostic the client sends back: the one it echoes exactly, else (clients need not echo
 * it exactly: Neovim 0.7 sends byte columns after multibyte text) the same rule on overlapping lines, preferring
 * the same message, then the nearest line and column. */
function findingFor(diagnostic: Diagnostic, index: FindingIndex): Finding | undefined {
  const wanted = diagnostic.range;
  const message = typeof diagnostic.message === 'string' ? diagnostic.message : diagnostic.message.value;
  const exact = index.exact.get(exactKey(diagnostic.code, message, wanted));
  if (exact) return exact;
  let best: { finding: Finding; rank: number[] } | undefined;
  for (const { finding, range } of index.byRule.get(String(diagnostic.code)) ?? []) {
    if (range.end.line < wanted.start.line || range.start.line > wanted.end.line) continue;
    const rank = [visibleLines(finding.message) === message ? 0 : 1, Math.abs(range.start.line - wanted.start.line), Math.abs(range.start.character - wanted.start.character)];
    if (!best || lexicallyBefore(rank, best.rank)) best = { finding, rank };
  }
  return best?.finding;
}

function lexicallyBefore(a: number[], b: number[]): boolean {
  const index = a.findIndex((value, i) => value !== b[i]);
  return index >= 0 && a[index] < b[index];
}

const COMPLETION_KIND: Record<CompletionKind, CompletionItemKind> = {
  key: CompletionItemKind.Property,
  value: CompletionItemKind.Value,
  enum: CompletionItemKind.EnumMember,
  vendor: CompletionItemKind.Module,
  option: CompletionItemKind.Property,
  host: CompletionItemKind.Reference,
  address: CompletionItemKind.Constant,
  port: CompletionItemKind.Unit,
  product: CompletionItemKind.Value,
  path: CompletionItemKind.Folder,
  snippet: CompletionItemKind.Snippet,
};

function completionKind(kind: CompletionKind): CompletionItemKind {
  return COMPLETION_KIND[kind];
}

const SYMBOL_KIND: Record<OutlineKind, SymbolKind> = {
  field: SymbolKind.Field,
  vendors: SymbolKind.Namespace,
  vendor: SymbolKind.Module,
  option: SymbolKind.Property,
  section: SymbolKind.Namespace,
  rule: SymbolKind.Object,
  'endpoint-protection': SymbolKind.Namespace,
  product: SymbolKind.Constant,
  exclusion: SymbolKind.File,
  endpoint: SymbolKind.Interface,
  source: SymbolKind.Constant,
};

function toSymbol(symbol: OutlineSymbol, lines: LineIndex): DocumentSymbol {
  return {
    name: symbol.name,
    detail: symbol.detail,
    kind: SYMBOL_KIND[symbol.kind],
    range: toRange(symbol.range, lines),
    selectionRange: toRange(symbol.selectionRange, lines),
    children: symbol.children.map((child) => toSymbol(child, lines)),
  };
}
