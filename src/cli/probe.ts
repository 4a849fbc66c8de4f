/** `allowlist probe FILE`: probes the allowlist's endpoints from this machine and prints a table. */
import { isIP } from 'node:net';
import { resolve } from 'node:path';
import type { CatalogSet } from '../core/catalog';
import { describeRulesRefusal, type LintConfig } from '../core/lint';
import { safeJson, visible, visibleLines } from '../core/common';
import { failedEndpointList, failedEndpoints, formatSummary, formatTable, probe, probedNothing, ProbeRefusedError, type ProbeTarget, probeTargetsFromText } from '../core/probe';
import { catalogsForPaths, CliError, EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, loadConfig, nearFile, parseCommandArgs } from './common';
import type { CliIO } from './io';
import { decodeText, ioMessage, MAX_READ_SIZE, readRegularFileSync } from '../core/files';

export const probeUsage = `usage: allowlist probe FILE [--json] [--timeout MS] [--concurrency N] [--sweep] [--proxy URL] [--dns IP[:PORT]]… [--catalog PATH]… [--config FILE]
  Tests from this machine whether the endpoints FILE allows are reachable (DNS, TCP, TLS).
  --json           print one JSON object with a "results" array instead of the table
  --timeout MS     longest wait for any answer (default 3000)
  --concurrency N  connections in flight at once (default 64)
  --sweep          probe every port of each range (default: a sample of about 8 per range)
  --proxy URL      HTTP proxy for outbound probes, http:// or https:// (default: HTTPS_PROXY / HTTP_PROXY, NO_PROXY)
  --dns IP[:PORT]  DNS server to ask instead of the system's, e.g. the customer's (repeatable)
  --catalog PATH   a catalog file or folder of *.catalog.yaml to load (repeatable)
  --config FILE    the config file (default: the nearest .allowlistrc.yaml above the current folder)
  Catalogs: the built-in ones, the *.catalog.yaml files in FILE's git repository (outside one, beside FILE),
  those the config lists and --catalog ones, as \`allowlist lint\` loads them.
  Exit status: 0 when every required endpoint is reachable, 1 when one is not (or TLS inspection or SNI
  filtering is suspected on it) or when FILE has no endpoint that can be probed, 2 on usage, config,
  catalog or file errors (FILE not read, or with errors that make its rules unreliable: it probes nothing).
`;

/** The longest time-out a timer takes (2^31 - 1 ms, about 24 days): Node cuts a longer one to 1 ms, and a socket's
 * refuses it. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** A positive integer option up to `max`, or undefined (unset); throws a usage message for anything else. */
export function positiveInt(name: string, text: string | undefined, max = MAX_TIMER_MS): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text) || Number(text) < 1) throw new Error(`--${name} wants a positive whole number, not "${text}"`);
  if (Number(text) > max) throw new Error(`--${name} is at most ${max}, not ${text}`);
  return Number(text);
}

/** `--dns`: an IPv4 or IPv6 address, optionally with a port ("192.0.2.53", "192.0.2.53:5353", "[2001:db8::53]:53"). */
function dnsServer(text: string): string {
  const match = /^(?:\[([0-9A-Fa-f:.]+)\]|([0-9.]+)|([0-9A-Fa-f:]+))(?::(\d{1,5}))?$/.exec(text.trim());
  const host = match ? (match[1] ?? match[2] ?? match[3]) : undefined;
  const port = match?.[4] === undefined ? undefined : Number(match[4]);
  if (!match || !isIP(host!) || (match[3] !== undefined && match[4] !== undefined) || (port !== undefined && (port < 1 || port > 65535))) {
    throw new Error(`--dns wants an IP address with an optional :PORT (IPv6 in brackets with a port), not "${text}"`);
  }
  return text.trim();
}

/** `--proxy`: an http:// or https:// URL with a host (the schemes src/core/probe/proxy.ts speaks); a bare word would
 * otherwise be taken as the proxy's host name. */
function proxyUrl(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  let url: URL | undefined;
  try {
    url = new URL(text);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || url.hostname === '') {
    throw new Error(`--proxy wants a URL such as http://proxy.example:3128 (http or https), not "${text}"`);
  }
  return text;
}

/** Reads an allowlist into probe targets with the given catalogs and config (main.ts: `probeTargetsFromFile`). */
export type TargetsFromFile = (path: string, catalogs: CatalogSet, config: LintConfig) => Promise<ProbeTarget[]>;

/** Reads and lints the allowlist at `path` as `allowlist lint` does (binary or not UTF-8: its finding) into probe
 * targets; throws ProbeRefusedError when its rules are not reliable enough to probe. The one file is read at once:
 * nothing else runs meanwhile, and each step of an asynchronous read waits its turn on the thread pool. */
export async function probeTargetsFromFile(path: string, catalogs: CatalogSet, config: LintConfig): Promise<ProbeTarget[]> {
  const decoded = decodeText(readRegularFileSync(path, MAX_READ_SIZE));
  if (decoded.finding?.severity === 'error') throw new ProbeRefusedError({ kind: 'unreliable', findings: [decoded.finding] });
  return probeTargetsFromText(decoded.text, path, catalogs, config);
}

export interface CatalogArgs {
  /** `--catalog PATH`, repeatable. */
  catalogPaths: string[];
  /** `--config FILE`. */
  configPath?: string;
}

/** FILE's probe targets with the config and catalogs lint uses, for `probe` and `probe-script`; on a config, catalog
 * or file error, or a file whose rules are not reliable enough to probe, says so on stderr as `allowlist COMMAND: …`
 * and gives the exit status (2). The catalogs: the built-in ones, those near FILE (its repository's, or beside it),
 * the config's (`--config`, else the nearest `.allowlistrc.yaml`), then `--catalog` ones. */
export async function loadProbeTargets(io: CliIO, command: string, file: string, args: CatalogArgs, targetsFromFile: TargetsFromFile): Promise<ProbeTarget[] | number> {
  const path = resolve(io.cwd, file);
  let config: LintConfig;
  let catalogs: CatalogSet;
  try {
    config = loadConfig(io, args.configPath);
    catalogs = await catalogsForPaths(io, nearFile(path), { config, catalogPaths: args.catalogPaths, builtins: true });
  } catch (error) {
    if (!(error instanceof CliError)) throw error;
    io.stderr(`allowlist ${command}: ${visibleLines(error.message)}\n`);
    return EXIT_USAGE;
  }
  try {
    return await targetsFromFile(path, catalogs, config);
  } catch (error) {
    const message =
      error instanceof ProbeRefusedError
        ? visibleLines(describeRulesRefusal(file, error.refusal, 'probe', `run \`allowlist lint ${file}\``))
        : `cannot read ${visible(file)}: ${visibleLines(ioMessage(error))}`;
    io.stderr(`allowlist ${command}: ${message}\n`);
    return EXIT_USAGE;
  }
}

export async function probeCommand(argv: string[], io: CliIO, targetsFromFile: TargetsFromFile): Promise<number> {
  let file: string;
  let opts: { json: boolean; sweep: boolean; timeoutMs?: number; concurrency?: number; proxy?: string; dns: string[] } & CatalogArgs;
  try {
    const { values, positionals } = parseCommandArgs({
      args: argv,
      allowPositionals: true,
      options: {
        json: { type: 'boolean', default: false },
        timeout: { type: 'string' },
        concurrency: { type: 'string' },
        sweep: { type: 'boolean', default: false },
        proxy: { type: 'string' },
        dns: { type: 'string', multiple: true },
        catalog: { type: 'string', multiple: true },
        config: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
    if (values.help) {
      io.stdout(probeUsage);
      return 0;
    }
    if (positionals.length !== 1) throw new Error(positionals.length ? 'give exactly one FILE' : 'FILE is missing');
    file = positionals[0];
    opts = {
      json: values.json === true,
      sweep: values.sweep === true,
      timeoutMs: positiveInt('timeout', values.timeout),
      concurrency: positiveInt('concurrency', values.concurrency),
      proxy: proxyUrl(values.proxy),
      dns: (values.dns ?? []).map(dnsServer),
      catalogPaths: values.catalog ?? [],
      configPath: values.config,
    };
  } catch (error) {
    io.stderr(`allowlist probe: ${(error as Error).message}\n${probeUsage}`);
    return 2;
  }

  const targets = await loadProbeTargets(io, 'probe', file, opts, targetsFromFile);
  if (typeof targets === 'number') return targets;

  const progress = io.stderrIsTTY;
  const run = await probe(targets, {
    timeoutMs: opts.timeoutMs,
    concurrency: opts.concurrency,
    sweep: opts.sweep,
    env: io.env,
    ...(opts.proxy ? { proxy: { url: opts.proxy } } : {}),
    ...(opts.dns.length ? { dns: { servers: opts.dns } } : {}),
    onProgress: progress ? (done, total) => io.stderr(`\rprobing ${done}/${total}`) : undefined,
  });
  if (progress) io.stderr('\r\x1b[K');

  const failed = failedEndpoints(run.results);
  const summary = formatSummary(run.results, run.ms);
  if (opts.json) {
    const report = {
      startedAt: run.startedAt,
      ms: run.ms,
      ok: failed.length === 0 && !probedNothing(run.results),
      summary: summary.split('\n')[0],
      failed: failedEndpointList(run.results),
      pinned: run.pinned,
      results: run.results,
    };
    io.stdout(safeJson(JSON.stringify(report, null, 2)) + '\n');
  } else {
    const width = Number(io.env.COLUMNS) || undefined;
    io.stdout(formatTable(run.results, { width: io.stdoutIsTTY ? width : undefined }));
    io.stdout(`\n${summary}`);
  }
  return failed.length > 0 || probedNothing(run.results) ? EXIT_FINDINGS : EXIT_OK;
}
