/** `allowlist probe-script FILE --shell powershell|bash [-o OUT]`: writes a script that probes the
 * same endpoints on a machine without the extension (e.g. the customer's PC). */
import { chmodSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { probeScript, probeScriptFile } from '../core/probe';
import { EXIT_FINDINGS, EXIT_USAGE, parseCommandArgs } from './common';
import { ioMessage } from '../core/files';
import type { CliIO } from './io';
import { loadProbeTargets, positiveInt, type TargetsFromFile } from './probe';

export const probeScriptUsage = `usage: allowlist probe-script FILE --shell powershell|bash [-o OUT] [--timeout MS] [--sweep] [--catalog PATH]… [--config FILE]
  Writes a self-contained script that tests FILE's endpoints from the machine it runs on and
  prints the same table and summary as \`allowlist probe\` (it exits 1 when a required endpoint
  is not reachable). PowerShell runs on Windows PowerShell 5.1.
  Exit status: 0 when the script is written, 1 when FILE allows no endpoints, 2 on usage, config, catalog
  or file errors (FILE not read, with errors that make its rules unreliable, or OUT not written).
  -o, --output OUT  write the script to OUT instead of stdout (- is stdout; PowerShell: UTF-8 with a BOM, CRLF)
  --timeout MS      per connect attempt (default 3000)
  --sweep           every port of each range (default: a sample of about 8 per range)
  --catalog PATH    a catalog file or folder of *.catalog.yaml to load (repeatable)
  --config FILE     the config file (default: the nearest .allowlistrc.yaml above the current folder)
`;

export async function probeScriptCommand(
  argv: string[],
  io: CliIO,
  targetsFromFile: TargetsFromFile,
): Promise<number> {
  let file: string;
  let shell: 'powershell' | 'bash';
  let output: string | undefined;
  let timeoutMs: number | undefined;
  let sweep: boolean;
  let catalogPaths: string[];
  let configPath: string | undefined;
  try {
    const { values, positionals } = parseCommandArgs({
      args: argv,
      allowPositionals: true,
      options: {
        shell: { type: 'string' },
        output: { type: 'string', short: 'o' },
        timeout: { type: 'string' },
        sweep: { type: 'boolean', default: false },
        catalog: { type: 'string', multiple: true },
        config: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
    if (values.help) {
      io.stdout(probeScriptUsage);
      return 0;
    }
    if (positionals.length !== 1) throw new Error(positionals.length ? 'give exactly one FILE' : 'FILE is missing');
    if (values.shell !== 'powershell' && values.shell !== 'bash') {
      throw new Error(values.shell === undefined ? '--shell is missing' : `--shell is powershell or bash, not "${values.shell}"`);
    }
    file = positionals[0];
    shell = values.shell;
    output = values.output;
    timeoutMs = positiveInt('timeout', values.timeout);
    sweep = values.sweep === true;
    catalogPaths = values.catalog ?? [];
    configPath = values.config;
  } catch (error) {
    io.stderr(`allowlist probe-script: ${(error as Error).message}\n${probeScriptUsage}`);
    return 2;
  }

  const targets = await loadProbeTargets(io, 'probe-script', file, { catalogPaths, configPath }, targetsFromFile);
  if (typeof targets === 'number') return targets;
  if (targets.length === 0) {
    io.stderr(`allowlist probe-script: ${file} allows no endpoints, so there is nothing to probe; no script written\n`);
    return EXIT_FINDINGS;
  }
  const script = probeScript(targets, { shell, timeoutMs, sweep });
  // `-o -` is standard output, as for init and import.
  if (output === undefined || output === '-') {
    io.stdout(script);
    return 0;
  }
  const outputPath = resolve(io.cwd, output);
  try {
    writeFileSync(outputPath, probeScriptFile(script, shell));
    if (shell === 'bash') chmodSync(outputPath, 0o755);
  } catch (error) {
    io.stderr(`allowlist probe-script: cannot write ${output}: ${ioMessage(error)}\n`);
    return EXIT_USAGE;
  }
  io.stderr(`wrote ${output}\n`);
  return 0;
}
