/** `allowlist drift ALLOWLIST --against CONFIG|nft`: what a firewall's configuration (or this machine's live nftables
 * ruleset) allows that its allowlist does not, the reverse, and the vendor requirements the firewall fails
 * (src/core/drift; docs/import.md, "Drift"). */
import { dirname, resolve } from 'node:path';
import { nodeChildProcess, visible, visibleLines } from '../core/common';
import { DRIFT_FORMATS, driftOf, formatDrift, isDriftFormat } from '../core/drift';
import { MAX_READ_SIZE } from '../core/files';
import { detectPlatform, READERS, readerById, type ImportReader } from '../core/import';
import { catalogsForPaths, CliError, displayPath, EXIT_FINDINGS, EXIT_OK, loadConfig, parseCommandArgs, readTextFile } from './common';
import { readerFrom } from './import';
import type { CliIO } from './io';
import { isValidDate } from './lint';

export const DRIFT_USAGE = `Usage: allowlist drift ALLOWLIST --against CONFIG|nft [options]

Compares a firewall with its allowlist by effect: what the firewall allows that the allowlist does not (extra),
what the allowlist allows that the firewall does not (missing), and the declared vendors' requirements the
firewall fails (in the vendor's words). Reordered policies, renamed objects, groups versus inline addresses and
equivalent port spellings are not drift. Parts of the configuration that cannot be mapped are listed as not
compared. See docs/import.md.

--against nft reads this machine's running ruleset (\`nft -j list ruleset\`: root or CAP_NET_ADMIN).

Platforms:
${READERS.map((reader) => `  ${reader.id.padEnd(12)}${reader.title}`).join('\n')}

Options:
  --against CONFIG|nft      the firewall's configuration file, or nft for the live nftables ruleset
  --from PLATFORM           the configuration's platform (default: told from the file, and said on stderr)
  --format FORMAT           text (default), markdown (for a GitHub job summary) or json
  --lan-interface NAME      the interface (or zone) facing the site's clients (tells outbound from inbound)
  --wan-interface NAME      the interface (or zone) facing the internet
  --catalog PATH            a catalog file or folder of *.catalog.yaml to load (repeatable)
  --config PATH             the config file (default: the nearest .allowlistrc.yaml above ALLOWLIST)
  --today YYYY-MM-DD        the day expiry dates are checked against (default: today, UTC)
  -h, --help                show this help

Exit status: 0 in sync, 1 drift (extra, missing or a vendor requirement unmet), 2 a usage, catalog or file error,
an allowlist that does not parse, a configuration too large to compare, or nft unavailable.`;

/** How long `nft -j list ruleset` may take, and how much it may print, before drift gives up on it. */
const NFT_TIMEOUT_MS = 15_000;

export async function driftCommand(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseCommandArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      against: { type: 'string' },
      from: { type: 'string' },
      format: { type: 'string', short: 'f' },
      'lan-interface': { type: 'string' },
      'wan-interface': { type: 'string' },
      catalog: { type: 'string', multiple: true },
      config: { type: 'string', short: 'c' },
      today: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    io.stdout(`${DRIFT_USAGE}\n`);
    return EXIT_OK;
  }
  if (positionals.length !== 1) throw new CliError(positionals.length === 0 ? 'drift needs an ALLOWLIST file' : `drift takes one ALLOWLIST file, not ${positionals.length}`, true);
  if (values.against === undefined || values.against === '') throw new CliError('drift needs --against CONFIG (a configuration file) or --against nft (the live ruleset)', true);
  const format = values.format ?? 'text';
  if (!isDriftFormat(format)) throw new CliError(`unknown --format ${visible(format)}; expected ${DRIFT_FORMATS.join(', ')}`, true);
  if (values.today !== undefined && !isValidDate(values.today)) throw new CliError(`--today must be a date as YYYY-MM-DD, not "${visible(values.today)}"`, true);
  for (const option of ['lan-interface', 'wan-interface'] as const) {
    if (values[option] !== undefined && values[option].trim() === '') throw new CliError(`--${option} needs a name`, true);
  }
  const live = values.against === 'nft';
  const named = values.from === undefined ? undefined : readerFrom(values.from);
  if (live && named && named.id !== 'nftables') throw new CliError(`--against nft reads an nftables ruleset; it takes no --from ${named.id}`, true);

  const shown = positionals[0];
  const path = resolve(io.cwd, shown);
  const allowlistText = await readTextFile(shown, path);
  const against = live ? 'nft' : displayPath(io, resolve(io.cwd, values.against));
  const configText = live ? await liveRuleset() : await readTextFile(values.against, resolve(io.cwd, values.against));
  const reader = live ? readerById('nftables')! : (named ?? detectedReader(io, configText, against));
  const looksLike = named && !live ? detectPlatform(configText) : undefined;
  if (looksLike && looksLike.id !== named!.id) io.stderr(`allowlist: warning: ${visible(against)} looks like a ${looksLike.id} configuration; reading it as ${named!.id} (--from)\n`);

  const config = loadConfig(io, values.config, dirname(path));
  const catalogs = await catalogsForPaths(io, [path], { config, catalogPaths: values.catalog ?? [], builtins: true });
  const report = driftOf(allowlistText, configText, reader, {
    allowlistName: displayPath(io, path),
    againstName: against,
    catalogs,
    config,
    today: values.today,
    lanInterface: values['lan-interface'],
    wanInterface: values['wan-interface'],
  });
  if (report.unparsable) throw new CliError(`cannot compare ${visible(shown)}: it does not parse (${report.unparsable})`);
  if (report.firewallUnreadable) throw new CliError(`cannot compare ${visible(shown)} with ${visible(against)}, which could not be read: ${report.firewallUnreadable}`);
  io.stdout(formatDrift(report, format));
  return report.inSync ? EXIT_OK : EXIT_FINDINGS;
}

/** The reader for a configuration given without --from, said on stderr; a usage error when no reader knows it. */
function detectedReader(io: CliIO, text: string, shown: string): ImportReader {
  const reader = detectPlatform(text);
  if (!reader) throw new CliError(`cannot tell which firewall ${visible(shown)} is from; give --from ${READERS.map((known) => known.id).join('|')}`, true);
  io.stderr(`allowlist: reading ${visible(shown)} as ${reader.id} (${reader.title}); give --from to choose another\n`);
  return reader;
}

/** `nft -j list ruleset`, without a shell, within a time and size limit, pretty-printed so that each rule has lines of
 * its own for the report (as `nft -j list ruleset | jq .` shows them). */
async function liveRuleset(): Promise<string> {
  const output = await new Promise<string>((resolvePromise, reject) => {
    nodeChildProcess().execFile('nft', ['-j', 'list', 'ruleset'], { timeout: NFT_TIMEOUT_MS, maxBuffer: MAX_READ_SIZE, encoding: 'utf8', windowsHide: true }, (error, stdout, stderr) => {
      if (!error) return resolvePromise(stdout);
      const code = (error as NodeJS.ErrnoException).code;
      const said = visibleLines(String(stderr).trim().split('\n')[0] ?? '');
      if (code === 'ENOENT') reject(new CliError('--against nft: nft is not installed (or not on PATH); install nftables, or save the ruleset with `nft -j list ruleset > ruleset.json` where it is and pass --against ruleset.json'));
      else if (code === 'ERR_CHILD_PROCESS_STDIO_MAXBUFFER') reject(new CliError(`--against nft: the ruleset is larger than ${MAX_READ_SIZE / (1024 * 1024)} MiB; save it to a file and compare a part of it`));
      else if (error.killed) reject(new CliError(`--against nft: nft -j list ruleset did not finish within ${NFT_TIMEOUT_MS / 1000} s`));
      else if (/permission denied|operation not permitted/i.test(said)) reject(new CliError(`--against nft: nft may not read the ruleset (${said}): run as root or with CAP_NET_ADMIN`));
      else reject(new CliError(`--against nft: nft -j list ruleset failed${said ? `: ${said}` : ` (${error.message})`}`));
    });
  });
  try {
    return `${JSON.stringify(JSON.parse(output), null, 2)}\n`;
  } catch {
    return output; // the reader reports what is wrong with it
  }
}
