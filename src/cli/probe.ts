/** `allowlist probe FILE`: probes the allowlist's endpoints from this machine and prints a table. */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { probe } from '../core/probe/engine';
import { failedEndpoints, formatTable } from '../core/probe/format';
import type { ProbeTarget } from '../core/probe/types';
import type { CliIO } from './io';

export const probeUsage = `usage: allowlist probe FILE [--json] [--timeout MS] [--concurrency N] [--sweep] [--proxy URL]
  Tests from this machine whether the endpoints FILE allows are reachable (DNS, TCP, TLS).
  --json           print one JSON object with a "results" array instead of the table
  --timeout MS     longest wait for any answer (default 3000)
  --concurrency N  connections in flight at once (default 64)
  --sweep          probe every port of each range (default: a sample of about 8 per range)
  --proxy URL      HTTP proxy for outbound probes (default: HTTPS_PROXY / HTTP_PROXY, NO_PROXY)
  Exit status: 0 when every required endpoint is reachable, 1 when one is not, 2 on usage errors.
`;

/** A positive integer option, or undefined (unset); throws a usage message for anything else. */
export function positiveInt(name: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text) || Number(text) < 1) throw new Error(`--${name} wants a positive whole number, not "${text}"`);
  return Number(text);
}

export async function probeCommand(
  argv: string[],
  io: CliIO,
  targetsFromFile: (path: string) => Promise<ProbeTarget[]>,
): Promise<number> {
  let file: string;
  let opts: { json: boolean; sweep: boolean; timeoutMs?: number; concurrency?: number; proxy?: string };
  try {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        json: { type: 'boolean', default: false },
        timeout: { type: 'string' },
        concurrency: { type: 'string' },
        sweep: { type: 'boolean', default: false },
        proxy: { type: 'string' },
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
      proxy: values.proxy,
    };
  } catch (error) {
    io.stderr(`allowlist probe: ${(error as Error).message}\n${probeUsage}`);
    return 2;
  }

  let targets: ProbeTarget[];
  try {
    targets = await targetsFromFile(resolve(io.cwd, file));
  } catch (error) {
    io.stderr(`allowlist probe: cannot read ${file}: ${(error as Error).message}\n`);
    return 2;
  }

  const progress = io.stderrIsTTY;
  const run = await probe(targets, {
    timeoutMs: opts.timeoutMs,
    concurrency: opts.concurrency,
    sweep: opts.sweep,
    env: io.env,
    ...(opts.proxy ? { proxy: { url: opts.proxy } } : {}),
    onProgress: progress ? (done, total) => io.stderr(`\rprobing ${done}/${total}`) : undefined,
  });
  if (progress) io.stderr('\r\x1b[K');

  const failed = failedEndpoints(run.results);
  if (opts.json) {
    io.stdout(JSON.stringify({ startedAt: run.startedAt, ms: run.ms, results: run.results }, null, 2) + '\n');
  } else {
    const width = Number(io.env.COLUMNS) || undefined;
    io.stdout(formatTable(run.results, { width: io.stdoutIsTTY ? width : undefined }));
    io.stdout(
      failed.length
        ? `\n${failed.length} required endpoint(s) not reachable: ${failed.map((r) => `${r.rule} ${r.host}${r.port ? `:${r.port}` : ''}`).join(', ')}\n`
        : `\nall required endpoints reachable (${run.results.length} probes in ${run.ms} ms)\n`,
    );
  }
  return failed.length ? 1 : 0;
}
