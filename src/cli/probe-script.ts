/** `allowlist probe-script FILE --shell powershell|bash [-o OUT]`: writes a script that probes the
 * same endpoints on a machine without the extension (e.g. the customer's PC). */
import { chmodSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { probeScript } from '../core/probe/script';
import type { ProbeTarget } from '../core/probe/types';
import type { CliIO } from './io';
import { positiveInt } from './probe';

export const probeScriptUsage = `usage: allowlist probe-script FILE --shell powershell|bash [-o OUT] [--timeout MS] [--sweep]
  Writes a self-contained script that tests FILE's endpoints from the machine it runs on and
  prints the same table as \`allowlist probe\`. PowerShell runs on Windows PowerShell 5.1.
  -o, --output OUT  write the script to OUT instead of stdout
  --timeout MS      per connect attempt (default 3000)
  --sweep           every port of each range (default: a sample of about 8 per range)
`;

export async function probeScriptCommand(
  argv: string[],
  io: CliIO,
  targetsFromFile: (path: string) => Promise<ProbeTarget[]>,
): Promise<number> {
  let file: string;
  let shell: 'powershell' | 'bash';
  let output: string | undefined;
  let timeoutMs: number | undefined;
  let sweep: boolean;
  try {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        shell: { type: 'string' },
        output: { type: 'string', short: 'o' },
        timeout: { type: 'string' },
        sweep: { type: 'boolean', default: false },
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
  } catch (error) {
    io.stderr(`allowlist probe-script: ${(error as Error).message}\n${probeScriptUsage}`);
    return 2;
  }

  let targets: ProbeTarget[];
  try {
    targets = await targetsFromFile(resolve(io.cwd, file));
  } catch (error) {
    io.stderr(`allowlist probe-script: cannot read ${file}: ${(error as Error).message}\n`);
    return 2;
  }
  const script = probeScript(targets, { shell, timeoutMs, sweep });
  if (output === undefined) {
    io.stdout(script);
    return 0;
  }
  const path = resolve(io.cwd, output);
  try {
    writeFileSync(path, shell === 'powershell' ? script.replace(/\r?\n/g, '\r\n') : script);
    if (shell === 'bash') chmodSync(path, 0o755);
  } catch (error) {
    io.stderr(`allowlist probe-script: cannot write ${output}: ${(error as Error).message}\n`);
    return 1;
  }
  io.stderr(`wrote ${output}\n`);
  return 0;
}
