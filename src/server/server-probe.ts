/** The server's own Probe command (SERVER_PROBE_COMMAND), for editors other than VS Code, whose extension runs
 * the lens's command itself with its results panel. It probes one rule with the core engine in the server
 * process and reports like the CLI: a message with the verdict and the failed endpoints, the results table in
 * the log. Only in a trusted workspace (the file decides where probes connect), and one probe at a time. */
import type { CatalogSet } from '../core/catalog';
import type { AllowlistModel } from '../core/parse';
import { describeRulesRefusal, rulesRefusal } from '../core/lint';
import { describeOptions, failedEndpointLines, formatTable, lensScope, probe, probeOptionsFromSettings, type ProbeResult, type ProbeSettings, probeSummary, type ProbeView, scopeLabel, selectScope } from '../core/probe';
import type { Finding } from '../core/common';

export interface ServerProbeHost {
  trusted(): boolean;
  /** The open document's current lint (model and findings) and catalogs; undefined when it is not an open allowlist or catalog. */
  documentModel(uri: string): Promise<{ model: AllowlistModel; findings: Finding[]; catalogs: CatalogSet } | undefined>;
  /** `allowlist.probe.*` (time-out, concurrency, sweep); proxies come from the server's environment. */
  probeSettings(): ProbeSettings;
  /** The file as the user knows it (workspace-relative). */
  label(uri: string): string;
  show(level: 'info' | 'warning', message: string): void;
  log(message: string): void;
}

/** What the command answers (the client may ignore it): the verdict, the failed endpoints and every result. */
export interface ServerProbeReport {
  summary: string;
  failed: string[];
  results: ProbeResult[];
}

/** The command's handler: arguments `[uri, ruleName, { sweep }?]`, as the Probe lenses give them. */
export function serverProbeCommand(host: ServerProbeHost): (args: unknown[]) => Promise<ServerProbeReport | undefined> {
  let running = false;
  return async ([uri, rule, options]) => {
    if (typeof uri !== 'string' || typeof rule !== 'string') {
      host.show('warning', 'Allowlist: the probe command wants the allowlist\'s URI and a rule name.');
      return undefined;
    }
    if (!host.trusted()) {
      host.show('warning', 'Allowlist: probes are off because this workspace is not trusted (the allowlist file decides where probes connect). See docs/editors.md to trust it.');
      return undefined;
    }
    if (running) {
      host.show('info', 'Allowlist: a probe is already running; wait for it to finish.');
      return undefined;
    }
    const file = host.label(uri);
    const loaded = await host.documentModel(uri);
    if (!loaded || loaded.model.kind !== 'allowlist') {
      host.show('warning', `Allowlist: ${file} is not an open allowlist, so there is nothing to probe.`);
      return undefined;
    }
    const refusal = rulesRefusal(loaded);
    if (refusal) {
      host.show('warning', `Allowlist: ${describeRulesRefusal(file, refusal, 'probe', 'see its diagnostics')}.`);
      return undefined;
    }
    const scope = lensScope(rule, options);
    const selection = selectScope(loaded.model, scope, loaded.catalogs);
    if (!selection) {
      host.show('info', `Allowlist: nothing to probe: ${scopeLabel(scope)} is not in ${file} any more.`);
      return undefined;
    }
    const runOptions = probeOptionsFromSettings(host.probeSettings());
    if (scope.sweep) runOptions.sweep = true;
    running = true;
    try {
      host.show('info', `Allowlist: probing ${selection.label} of ${file} (${selection.targets.length} target${selection.targets.length === 1 ? '' : 's'})…`);
      host.log(`probing ${file}, ${selection.label}; ${describeOptions(runOptions)}`);
      const run = await probe(selection.targets, runOptions);
      const view: ProbeView = { file, scope: selection.label, results: run.results, startedAt: run.startedAt, ms: run.ms, options: runOptions, pinned: run.pinned };
      const summary = probeSummary(view);
      const failed = failedEndpointLines(view);
      host.log(`${formatTable(run.results)}${[...(run.pinned ?? []).map((pinned) => pinned.advice), summary].join('\n')}`);
      host.show(failed.length > 0 ? 'warning' : 'info', [`Allowlist probe of ${selection.label} in ${file}: ${summary}.`, ...failed].join('\n'));
      return { summary, failed, results: run.results };
    } catch (error) {
      host.show('warning', `Allowlist: the probe failed: ${error instanceof Error ? error.message : String(error)}`);
      return undefined;
    } finally {
      running = false;
    }
  };
}
