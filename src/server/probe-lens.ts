/** The "Probe" CodeLens above each allowlist rule. The lens only names a command, with `[uri, ruleName]`, plus
 * `{ sweep: true }` for the sweep lens: our VS Code client's `allowlist.probeRule`, or for other editors the
 * server's own (server-probe.ts); no probe ever starts without a click, and there are no lenses in untrusted
 * workspaces (the commands refuse there too). */
import type { LintResult } from '../core/lint';
import { rulesRefusal } from '../core/lint';
import { hasPortRange, ruleLabel } from '../core/probe';
import { LineIndex } from '../core/common';
import { CLIENT_PROBE_COMMAND } from './protocol';

/** VS Code's "View: Show Problems": what our client's lens of a file too broken to probe opens. */
export const SHOW_PROBLEMS_COMMAND = 'workbench.actions.view.problems';

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
}

interface LensConnection {
  onCodeLens(handler: (params: { textDocument: { uri: string } }) => Promise<ProbeLens[]>): unknown;
}

interface LensDocuments<D extends LensDocument> {
  get(uri: string): D | undefined;
}

/** One "Probe" lens per rule on the line of its name (or of its first key for unnamed rules), and a
 * "Probe ports: sweep" lens beside it for rules with a port range. When the lint has errors that make the rules
 * unreliable (`rulesRefusal`), each rule's one lens says so: in VS Code it shows the problems, elsewhere the
 * server's command explains the refusal. */
/** `lines`: the text's line index when the caller has one (the server keeps one per lint; the editor asks for lenses
 * after every edit, and building it scans the whole text). */
export function probeLenses(lint: Pick<LintResult, 'model' | 'findings'>, uri: string, command = CLIENT_PROBE_COMMAND, lines?: LineIndex): ProbeLens[] {
  const { model } = lint;
  const refusal = rulesRefusal(lint);
  if (model.kind !== 'allowlist' || refusal?.kind === 'not-allowlist') return [];
  const unreliable = refusal?.kind === 'unreliable' ? refusal.findings.length : 0;
  lines ??= new LineIndex(model.text);
  const lenses: ProbeLens[] = [];
  for (const rule of [...model.outbound, ...model.inbound]) {
    const at = rule.offset + (rule.name?.range.start ?? rule.range.start);
    const start = lines.positionAt(at);
    const range = { start, end: lines.positionAt(Math.max(at, rule.offset + (rule.name?.range.end ?? rule.range.start))) };
    if (unreliable > 0) {
      const title = `Cannot probe: ${unreliable} error${unreliable === 1 ? ' makes' : 's make'} the rules unreliable`;
      lenses.push({ range, command: command === CLIENT_PROBE_COMMAND ? { title, command: SHOW_PROBLEMS_COMMAND, arguments: [] } : { title, command, arguments: [uri, ruleLabel(rule)] } });
      continue;
    }
    const name = ruleLabel(rule);
    lenses.push({ range, command: { title: 'Probe', command, arguments: [uri, name] } });
    if (hasPortRange(rule)) {
      lenses.push({ range, command: { title: 'Probe ports: sweep', command, arguments: [uri, name, { sweep: true }] } });
    }
  }
  return lenses;
}

/** Answers `textDocument/codeLens` for allowlist files. The server must announce `codeLensProvider`
 * in its capabilities. `lintOf` gives the document's current lint (the server's, with its catalogs and config) and, if it has one, its line index. */
export function registerProbeLens<D extends LensDocument>(
  connection: LensConnection,
  documents: LensDocuments<D>,
  lintOf: (document: D) => Promise<(Pick<LintResult, 'model' | 'findings'> & { lines?: LineIndex }) | undefined>,
  /** Whether probes may run at all (a trusted workspace): no lens offers what the command would refuse. */
  probesAllowed: () => boolean = () => true,
  /** The command the lenses name (the client's, or the server's for other editors; known once the client initialized). */
  lensCommand: () => string = () => CLIENT_PROBE_COMMAND,
): void {
  connection.onCodeLens(async (params) => {
    const document = documents.get(params.textDocument.uri);
    if (!document || !probesAllowed()) return [];
    const lint = await lintOf(document);
    return lint ? probeLenses(lint, document.uri, lensCommand(), lint.lines) : [];
  });
}
