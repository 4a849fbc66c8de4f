/** The "Probe" CodeLens above each allowlist rule. The lens only names a command, with `[uri, ruleName]`, plus
 * `{ sweep: true }` for the sweep lens: our VS Code client's `allowlist.probeRule`, or for other editors the
 * server's own (server-probe.ts); no probe ever starts without a click, and there are no lenses in untrusted
 * workspaces (the commands refuse there too). */
import type { AllowlistModel } from '../core/model';
import { parseAllowlist, type ItemCache } from '../core/parse';
import { hasPortRange, ruleLabel } from '../core/probe-view';
import { LineIndex } from '../core/text';
import { CLIENT_PROBE_COMMAND } from './protocol';

// LSP shapes, structurally (what vscode-languageserver's CodeLens, Connection and TextDocuments accept),
// so this module does not depend on how that package's entry points resolve.
interface Position {
  line: number;
  character: number;
}

export interface ProbeLens {
  range: { start: Position; end: Position };
  command: { title: string; command: string; arguments: unknown[] };
}

interface LensDocument {
  uri: string;
  getText(): string;
}

interface LensConnection {
  onCodeLens(handler: (params: { textDocument: { uri: string } }) => ProbeLens[]): unknown;
}

interface LensDocuments<D extends LensDocument> {
  get(uri: string): D | undefined;
  onDidClose(listener: (event: { document: D }) => unknown): unknown;
}

/** One "Probe" lens per rule on the line of its name (or of its first key for unnamed rules), and a
 * "Probe ports: sweep" lens beside it for rules with a port range. */
export function probeLenses(model: AllowlistModel, uri: string, command = CLIENT_PROBE_COMMAND): ProbeLens[] {
  if (model.kind !== 'allowlist') return [];
  const lines = new LineIndex(model.text);
  const lenses: ProbeLens[] = [];
  for (const rule of [...model.outbound, ...model.inbound]) {
    const at = rule.offset + (rule.name?.range.start ?? rule.range.start);
    const start = lines.positionAt(at);
    const range = { start, end: lines.positionAt(Math.max(at, rule.offset + (rule.name?.range.end ?? rule.range.start))) };
    const name = ruleLabel(rule);
    lenses.push({ range, command: { title: 'Probe', command, arguments: [uri, name] } });
    if (hasPortRange(rule)) {
      lenses.push({ range, command: { title: 'Probe ports: sweep', command, arguments: [uri, name, { sweep: true }] } });
    }
  }
  return lenses;
}

/** Answers `textDocument/codeLens` for allowlist files. The server must announce `codeLensProvider`
 * in its capabilities. Parses with its own per-document item cache unless `modelOf` gives the model. */
export function registerProbeLens<D extends LensDocument>(
  connection: LensConnection,
  documents: LensDocuments<D>,
  modelOf?: (document: D) => AllowlistModel | undefined,
  /** Whether probes may run at all (a trusted workspace): no lens offers what the command would refuse. */
  probesAllowed: () => boolean = () => true,
  /** The command the lenses name (the client's, or the server's for other editors; known once the client initialized). */
  lensCommand: () => string = () => CLIENT_PROBE_COMMAND,
): void {
  const caches = new Map<string, ItemCache>();
  documents.onDidClose((event) => caches.delete(event.document.uri));
  connection.onCodeLens((params) => {
    const document = documents.get(params.textDocument.uri);
    if (!document || !probesAllowed()) return [];
    let model = modelOf?.(document);
    if (!model) {
      const cache: ItemCache = new Map();
      model = parseAllowlist(document.getText(), { fileName: document.uri, cache, previous: caches.get(document.uri) }).model;
      caches.set(document.uri, cache);
    }
    return probeLenses(model, document.uri, lensCommand());
  });
}
