// Loads dist/extension.js with a minimal fake `vscode` module and times require + activate(). Run in its own
// process (bench.mjs) so that nothing is cached. Prints one JSON object.
const Module = require('node:module');
const path = require('node:path');

const root = path.resolve(__dirname, '..', '..');
const noop = () => undefined;
const disposable = { dispose: noop };
/** Anything the extension touches: functions return disposables or further fakes, properties are fakes. */
function fake(name) {
  const target = function () {};
  const assigned = new Map();
  return new Proxy(target, {
    set(_, key, value) {
      assigned.set(key, value);
      return true;
    },
    get(_, key) {
      if (assigned.has(key)) return assigned.get(key);
      if (key === 'then') return undefined;
      if (key === Symbol.toPrimitive) return () => name;
      if (key === 'dispose') return noop;
      if (key === 'event') return () => disposable;
      if (key === Symbol.iterator) return function* () {};
      if (key === 'length') return 0;
      return fake(`${name}.${String(key)}`);
    },
    apply: () => fake(`${name}()`),
    construct: () => fake(`new ${name}`),
  });
}
// A plain object (esbuild's ESM interop copies the module's own keys) of the namespaces and classes extensions use.
const NAMES = ['window', 'workspace', 'commands', 'languages', 'extensions', 'env', 'debug', 'tasks', 'scm', 'tests', 'l10n', 'authentication', 'notebooks', 'comments',
  'Uri', 'Disposable', 'EventEmitter', 'Range', 'Position', 'Selection', 'Location', 'Diagnostic', 'DiagnosticSeverity', 'DiagnosticRelatedInformation',
  'CodeAction', 'CodeActionKind', 'WorkspaceEdit', 'TextEdit', 'MarkdownString', 'ThemeColor', 'ThemeIcon', 'TreeItem', 'TreeItemCollapsibleState',
  'StatusBarAlignment', 'ProgressLocation', 'ViewColumn', 'CancellationTokenSource', 'ConfigurationTarget', 'RelativePattern', 'FileType', 'Hover',
  'CompletionItem', 'CompletionItemKind', 'SymbolKind', 'DocumentSymbol', 'SnippetString', 'ExtensionMode', 'version'];
// Every class, enum, namespace and constant @types/vscode declares (vscode-languageclient extends some classes at load time).
try {
  const types = require('node:fs').readFileSync(require.resolve('@types/vscode/index.d.ts', { paths: [root] }), 'utf8');
  for (const match of types.matchAll(/^\s*export (?:declare )?(?:abstract )?(?:class|enum|namespace|const|let|function) (\w+)/gm)) if (!NAMES.includes(match[1])) NAMES.push(match[1]);
} catch {
  // The short list above then.
}
const members = new Map(NAMES.map((name) => [name, fake(`vscode.${name}`)]));
members.set('version', '1.100.0');
const member = (key) => {
  if (typeof key !== 'string' || key === 'then' || key === '__esModule') return undefined;
  if (!members.has(key)) members.set(key, fake(`vscode.${key}`));
  return members.get(key);
};
// Any other member (classes vscode-languageclient extends, enums) is a fake too.
const vscode = new Proxy({}, {
  get: (_, key) => member(key),
  has: () => true,
  ownKeys: () => NAMES,
  getOwnPropertyDescriptor: (_, key) => ({ value: member(key), enumerable: true, configurable: true, writable: true }),
});
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  return request === 'vscode' ? 'vscode' : resolve.call(this, request, ...rest);
};
require.cache.vscode = { id: 'vscode', filename: 'vscode', loaded: true, exports: vscode };

const memento = { get: (_key, fallback) => fallback, update: async () => undefined, keys: () => [], setKeysForSync: noop };
const context = {
  subscriptions: [],
  extensionPath: root,
  extensionUri: fake('extensionUri'),
  globalState: memento,
  workspaceState: memento,
  asAbsolutePath: (p) => path.join(root, p),
  storageUri: undefined,
  globalStorageUri: fake('globalStorageUri'),
  logUri: fake('logUri'),
  extensionMode: 1,
  environmentVariableCollection: fake('environmentVariableCollection'),
  secrets: { get: async () => undefined, store: async () => undefined, delete: async () => undefined, onDidChange: () => disposable },
};

(async () => {
  const started = performance.now();
  const extension = require(path.join(root, 'dist', 'extension.js'));
  const loaded = performance.now();
  let error;
  try {
    await extension.activate(context);
  } catch (e) {
    error = String(e?.message ?? e);
  }
  const activated = performance.now();
  process.stdout.write(JSON.stringify({ requireMs: loaded - started, activateMs: activated - loaded, totalMs: activated - started, error }));
  process.exit(0);
})();
