/** The probe commands: probe the file, the rule at the cursor or a rule from its CodeLens, re-run the
 * last probe, and write a probe script. Everything here translates to VS Code: what to probe, the
 * options and the results view come from core/probe-view; the probing from core/probe. Probes only
 * run on a user's command, and never in an untrusted workspace (the file decides where they connect). */
import { chmod } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import * as vscode from 'vscode';
import { describeRulesRefusal, type LintConfig, lintText, rulesRefusal } from '../../core/lint';
import { type AllowlistModel, isAllowlistFileName } from '../../core/parse';
import { describeOptions, failedEndpointLines, isProbeViewMessage, PROBE_PANEL_TITLE, renderProbeHtml, type ProbeViewMessage, failedEndpoints, lensScope, probe, probeLogLine, probeMarkdown, probeOptionsFromSettings, type ProbeResult, type ProbeRun, type ProbeRunOptions, type ProbeScope, probeScript, probeScriptFile, type ProbeSelection, probeSummary, type ProbeView, scopeLabel, selectionAtOffset, selectScope } from '../../core/probe';
import type { CatalogSet } from '../../core/catalog';
import { lintInputsFor } from '../lint-inputs';
import { ResultsPanel } from '../results-panel';
import { probeCommandIds } from './ids';

/** Context key: a probe has run in this window (enables "Re-run the Last Probe" in the palette). */
const HAS_RUN_CONTEXT = 'allowlist.probe.hasRun';

interface LastProbe {
  uri: vscode.Uri;
  scope: ProbeScope;
}

/** The probe commands' handlers by command id (the probe state they share lives here); `log` is the extension's
 * output channel: each probe result is logged there. */
export function probeCommands(context: vscode.ExtensionContext, log: vscode.LogOutputChannel): Record<string, (...args: unknown[]) => unknown> {
  let last: LastProbe | undefined;
  let running: vscode.CancellationTokenSource | undefined;

  const panel = new ResultsPanel<ProbeView, ProbeViewMessage>({
    viewType: 'allowlist.probeResults',
    title: PROBE_PANEL_TITLE,
    render: renderProbeHtml,
    isMessage: isProbeViewMessage,
    onMessage,
  });
  function onMessage(message: ProbeViewMessage, view: ProbeView): void {
    if (message.type === 'copyMarkdown') {
      vscode.env.clipboard.writeText(probeMarkdown(view)).then(
        () => {
          log.info(`copied ${view.results.length} result(s) as Markdown`);
          void vscode.window.showInformationMessage('Probe results copied as Markdown.');
        },
        (error: unknown) => void vscode.window.showErrorMessage(`Could not copy the probe results: ${error instanceof Error ? error.message : String(error)}`),
      );
    } else if (message.type === 'rerun') {
      void vscode.commands.executeCommand(probeCommandIds.probeAgain);
    }
  }

  /** Probes what `select` picks from the allowlist at `uri` (its current text, saved or not) and shows
   * the results. Resolves with what the panel shows (the e2e tests read it), undefined when nothing ran. */
  async function run(uri: vscode.Uri, select: Select): Promise<ProbeView | undefined> {
    if (!trusted()) return undefined;
    if (running) {
      void vscode.window.showInformationMessage('An allowlist probe is already running: cancel it from its notification, or wait for it to finish.');
      return undefined;
    }
    const source = new vscode.CancellationTokenSource();
    running = source;
    try {
      const loaded = await load(uri, select, await lintInputsFor(uri, log));
      if (!loaded || source.token.isCancellationRequested) return undefined;
      const { file, selection } = loaded;
      const options: ProbeRunOptions = { ...settingsFor(uri) };
      if (selection.scope.sweep) options.sweep = true;
      last = { uri, scope: selection.scope };
      void vscode.commands.executeCommand('setContext', HAS_RUN_CONTEXT, true);

      log.info(`probing ${file}, ${selection.label}: ${selection.targets.length} target(s); ${describeOptions(options)}`);
      const finished: ProbeResult[] = [];
      let total = 0;
      const startedAt = new Date().toISOString();
      const started = Date.now();
      const outcome = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: `Probing ${selection.label} of ${file}`, cancellable: true },
        async (progress, token): Promise<{ run: ProbeRun } | { cancelled: true } | { error: unknown }> => {
          const controller = new AbortController();
          const abort = () => controller.abort();
          const subscriptions = [token.onCancellationRequested(abort), source.token.onCancellationRequested(abort)];
          progress.report({ message: 'resolving names…' });
          let reported = 0;
          try {
            const result = await probe(selection.targets, {
              ...options,
              signal: controller.signal,
              onProgress(done, all, result) {
                total = all;
                finished.push(result);
                log.info(probeLogLine(result));
                const percent = (done / all) * 100;
                progress.report({ message: `${done}/${all}`, increment: percent - reported });
                reported = percent;
              },
            });
            return { run: result };
          } catch (error) {
            return controller.signal.aborted ? { cancelled: true } : { error };
          } finally {
            subscriptions.forEach((s) => s.dispose());
          }
        },
      );

      if ('error' in outcome) {
        const message = outcome.error instanceof Error ? outcome.error.message : String(outcome.error);
        log.error(`probe failed: ${message}`);
        void vscode.window.showErrorMessage(`The allowlist probe failed: ${message}`);
        return undefined;
      }
      const view: ProbeView =
        'run' in outcome
          ? {
              file,
              scope: selection.label,
              results: outcome.run.results,
              startedAt: outcome.run.startedAt,
              ms: outcome.run.ms,
              options,
              pinned: outcome.run.pinned,
            }
          : { file, scope: selection.label, results: finished, startedAt, ms: Date.now() - started, options, cancelled: true, total };
      for (const pinned of view.pinned ?? []) log.warn(pinned.advice);
      const summary = probeSummary(view);
      log.info(summary);
      for (const line of failedEndpointLines(view)) log.warn(line);
      panel.show(view);
      if ('run' in outcome && failedEndpoints(view.results).length > 0) {
        void vscode.window.showWarningMessage(`Allowlist probe of ${file}: ${summary}.`);
      }
      return view;
    } finally {
      running = undefined;
      source.dispose();
    }
  }

  const byScope =
    (scope: ProbeScope): Select =>
    (model, catalogs) =>
      selectScope(model, scope, catalogs) ?? `Nothing to probe: ${scopeLabel(scope)} is not in the file any more.`;

  function trusted(): boolean {
    if (vscode.workspace.isTrusted) return true;
    void vscode.window
      .showWarningMessage(
        'Allowlist probes are off in this untrusted workspace: the allowlist file decides where the probes connect. Trust the workspace to probe.',
        'Manage Workspace Trust',
      )
      .then((choice) => choice && vscode.commands.executeCommand('workbench.trust.manage'));
    return false;
  }

  function activeDocumentUri(arg?: unknown): vscode.Uri | undefined {
    if (arg instanceof vscode.Uri) return arg;
    // The results panel may have the focus: then the allowlist beside it is meant.
    const editor =
      vscode.window.activeTextEditor ?? vscode.window.visibleTextEditors.find((e) => isAllowlistFileName(e.document.fileName));
    const uri = editor?.document.uri;
    if (!uri) void vscode.window.showInformationMessage('Open an allowlist file to probe it.');
    return uri;
  }

  context.subscriptions.push(panel, { dispose: () => running?.cancel() });
  return {
    [probeCommandIds.probeFile]: async (arg?: unknown) => {
      const uri = activeDocumentUri(arg);
      return uri ? run(uri, byScope({})) : undefined;
    },

    [probeCommandIds.probeAtCursor]: async () => {
      const editor = vscode.window.activeTextEditor;
      if (!editor) {
        void vscode.window.showInformationMessage('Open an allowlist file and put the cursor in a rule to probe it.');
        return;
      }
      const offset = editor.document.offsetAt(editor.selection.active);
      return run(
        editor.document.uri,
        (model, catalogs) =>
          selectionAtOffset(model, offset, catalogs) ??
          'Put the cursor inside a rule of `outbound:` or `inbound:` (or on one of its hosts) to probe it.',
      );
    },

    [probeCommandIds.probeRule]: async (uri?: unknown, rule?: unknown, options?: unknown) => {
      if (typeof rule !== 'string') return;
      const target = typeof uri === 'string' ? vscode.Uri.parse(uri) : uri instanceof vscode.Uri ? uri : vscode.window.activeTextEditor?.document.uri;
      if (!target) return;
      return run(target, byScope(lensScope(rule, options)));
    },

    [probeCommandIds.probeAgain]: async () => {
      if (!last) {
        void vscode.window.showInformationMessage('No allowlist probe has run yet in this window: run "Allowlist: Probe Every Endpoint in This File" first.');
        return;
      }
      return run(last.uri, byScope(last.scope));
    },

    [probeCommandIds.probeScript]: async (arg?: unknown) => {
      if (!trusted()) return;
      const uri = activeDocumentUri(arg);
      if (!uri) return;
      const loaded = await load(uri, byScope({}), await lintInputsFor(uri, log));
      if (!loaded) return;
      const { file, selection } = loaded;
      if (selection.targets.length === 0) {
        void vscode.window.showInformationMessage(`${file} allows no endpoints, so there is nothing to probe: no script written.`);
        return;
      }
      const shell = await vscode.window.showQuickPick(
        [
          { label: 'PowerShell', description: 'Windows PowerShell 5.1, no modules needed', shell: 'powershell' as const, ext: 'ps1' },
          { label: 'bash', description: 'Linux or macOS: bash 4.3+, timeout, getent (openssl for TLS issuers)', shell: 'bash' as const, ext: 'sh' },
        ],
        { title: "Write a Probe Script for the Customer's PC", placeHolder: 'Which shell runs on the machine to test from?' },
      );
      if (!shell) return;
      const stem = basename(uri.path).replace(/\.allowlist\.ya?ml$|\.ya?ml$/i, '');
      const folder = uri.scheme === 'file' ? dirname(uri.fsPath) : undefined;
      const target = await vscode.window.showSaveDialog({
        title: `Save the ${shell.label} probe script`,
        defaultUri: folder ? vscode.Uri.file(join(folder, `${stem}-probe.${shell.ext}`)) : undefined,
        filters: shell.shell === 'powershell' ? { 'PowerShell script': ['ps1'] } : { 'Shell script': ['sh'] },
      });
      if (!target) return;
      const options = settingsFor(uri);
      const script = probeScript(selection.targets, { shell: shell.shell, timeoutMs: options.timeoutMs, sweep: options.sweep });
      // PowerShell: CRLF and a UTF-8 BOM (Windows PowerShell 5.1 reads a file without one as ANSI).
      await vscode.workspace.fs.writeFile(target, probeScriptFile(script, shell.shell));
      if (shell.shell === 'bash' && target.scheme === 'file') {
        await chmod(target.fsPath, 0o755).catch(() => undefined);
      }
      const run = shell.shell === 'powershell' ? `powershell -ExecutionPolicy Bypass -File ${basename(target.path)}` : `bash ${basename(target.path)}`;
      log.info(`wrote ${target.fsPath || target.toString()} (${selection.targets.length} targets); run it with: ${run}`);
      const choice = await vscode.window.showInformationMessage(`Wrote ${basename(target.path)}. Run it on the customer's PC with: ${run}`, 'Open Script');
      if (choice) await vscode.window.showTextDocument(target);
    },
  };
}

/** Picks what to probe from the model, or says why there is nothing. */
type Select = (model: AllowlistModel, catalogs: CatalogSet) => ProbeSelection | string;

/** Lints the document's current text as the language server does (its catalogs and config) and applies `select`;
 * shows a message and gives undefined when the file is not an allowlist, has errors that make its rules unreliable
 * (it connects nowhere then), or there is nothing to probe. */
async function load(uri: vscode.Uri, select: Select, { catalogs, config }: { catalogs: CatalogSet; config: LintConfig }): Promise<{ file: string; selection: ProbeSelection } | undefined> {
  const document = await vscode.workspace.openTextDocument(uri);
  const file = vscode.workspace.asRelativePath(uri, false);
  const result = lintText(document.getText(), { fileName: uri.fsPath || uri.path, catalogs, config });
  const refusal = rulesRefusal(result);
  if (refusal) {
    const showProblems = refusal.kind === 'unreliable' ? ['Show Problems'] : [];
    void vscode.window
      .showErrorMessage(describeRulesRefusal(file, refusal, 'probe', 'fix them (see the Problems panel) to probe it'), ...showProblems)
      .then((choice) => choice && vscode.commands.executeCommand('workbench.actions.view.problems'));
    return undefined;
  }
  const selection = select(result.model, catalogs);
  if (typeof selection === 'string') {
    void vscode.window.showInformationMessage(selection);
    return undefined;
  }
  return { file, selection };
}

/** The engine's options from `allowlist.probe.*` and VS Code's `http.proxy` / `http.noProxy`. */
function settingsFor(uri: vscode.Uri): ProbeRunOptions {
  const probeSettings = vscode.workspace.getConfiguration('allowlist.probe', uri);
  const http = vscode.workspace.getConfiguration('http');
  return probeOptionsFromSettings({
    timeoutMs: probeSettings.get('timeoutMs'),
    concurrency: probeSettings.get('concurrency'),
    sweep: probeSettings.get('sweep'),
    httpProxy: http.get('proxy'),
    noProxy: http.get('noProxy'),
  });
}
