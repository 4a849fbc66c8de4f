/** The `allowlist` command line: dispatches to the subcommands. `main()` runs in-process (tests pass a
 * fake CliIO); run as a script (dist/cli.js), it uses the real streams and sets `process.exitCode`. */
import { closestName, visible, visibleLines } from '../core/common';
import { ioMessage } from '../core/files';
import { CATALOG_USAGE, catalogCommand } from './catalog';
import { CliError, EXIT_OK, EXIT_USAGE, toolVersion, unknownOptionMessage } from './common';
import { DIFF_USAGE, diffCommand } from './diff';
import { DRIFT_USAGE, driftCommand } from './drift';
import { EXPLAIN_USAGE, explainCommand } from './explain';
import { EXPORT_USAGE, exportCommand } from './export';
import { IMPORT_USAGE, importCommand } from './import';
import { INIT_USAGE, initCommand } from './init';
import { processIO, type CliIO } from './io';
import { LINT_USAGE, lintCommand } from './lint';
import { probeCommand, probeTargetsFromFile } from './probe';
import { probeScriptCommand } from './probe-script';
import { REPORT_USAGE, reportCommand } from './report';
import { RULES_USAGE, rulesCommand } from './rules';

export const USAGE = `Usage: allowlist <command> [options]

Lints, explains and probes firewall allowlists kept as YAML in git.

Commands:
  lint [paths...]          lint allowlists and catalogs (text, json, sarif or github output)
  explain <subject>        what the catalogs (and, with --file FILE, a file's rules) know about a host, IP,
                           port, range, wildcard or product
  init                     write a starter allowlist with a vendor's required rules (--vendor ID)
  rules                    list the lint rules with their default severities
  diff [paths...]          what a change to allowlists does, by effect (git revisions, or --no-index OLD NEW)
  report [paths...]        the fleet view of many sites' allowlists: vendor matrix, findings, open inbound
                           rules, expiries (markdown, html or json)
  export FILE --target T   the firewall configuration that allows what FILE allows (nftables, FortiGate, …)
  import CONFIG --from P   the allowlist that allows what a firewall's configuration allows (FortiGate, …)
  drift FILE --against C   what a firewall's configuration (or the live nftables ruleset) allows beyond FILE, what
                           it lacks, and the vendor requirements it fails
  catalog import FILE      a catalog from a vendor's endpoint feed (--from m365: Microsoft 365's JSON)
  probe FILE               test from this machine whether an allowlist's endpoints are reachable
  probe-script FILE        write a PowerShell or bash script that probes from another machine
  help [command]           show help for a command

Options:
  -h, --help               show this help
  -v, --version            show the version

Run \`allowlist <command> --help\` for a command's options.`;

type Command = (argv: string[], io: CliIO) => Promise<number>;


const COMMANDS: Record<string, { run: Command; usage?: string }> = {
  lint: { run: lintCommand, usage: LINT_USAGE },
  explain: { run: explainCommand, usage: EXPLAIN_USAGE },
  rules: { run: rulesCommand, usage: RULES_USAGE },
  init: { run: initCommand, usage: INIT_USAGE },
  diff: { run: diffCommand, usage: DIFF_USAGE },
  report: { run: reportCommand, usage: REPORT_USAGE },
  export: { run: exportCommand, usage: EXPORT_USAGE },
  import: { run: importCommand, usage: IMPORT_USAGE },
  drift: { run: driftCommand, usage: DRIFT_USAGE },
  catalog: { run: catalogCommand, usage: CATALOG_USAGE },
  probe: { run: (argv, io) => probeCommand(argv, io, probeTargetsFromFile) },
  'probe-script': { run: (argv, io) => probeScriptCommand(argv, io, probeTargetsFromFile) },
};

export async function main(argv: string[], io: CliIO): Promise<number> {
  const [first, ...rest] = argv;
  if (first === undefined) {
    io.stderr(`${USAGE}\n`);
    return EXIT_USAGE;
  }
  if (first === '-h' || first === '--help') {
    io.stdout(`${USAGE}\n`);
    return EXIT_OK;
  }
  if (first === '-v' || first === '--version' || first === 'version') {
    io.stdout(`${toolVersion()}\n`);
    return EXIT_OK;
  }
  if (first === 'help') return help(rest, io);
  const command = COMMANDS[first];
  if (!command) {
    const message = first.startsWith('-') ? unknownOptionMessage(first, ['--help', '--version']) : unknownCommandMessage(first);
    io.stderr(`allowlist: error: ${message}\n\n${USAGE}\n`);
    return EXIT_USAGE;
  }
  try {
    return await command.run(rest, io);
  } catch (error) {
    return reportError(error, io, command.usage ?? USAGE);
  }
}

async function help(args: string[], io: CliIO): Promise<number> {
  if (args.length === 0 || args[0] === '-h' || args[0] === '--help' || args[0] === 'help') {
    io.stdout(`${USAGE}\n`);
    return EXIT_OK;
  }
  const command = COMMANDS[args[0]];
  if (!command) {
    io.stderr(`allowlist: error: ${unknownCommandMessage(args[0])}\n\n${USAGE}\n`);
    return EXIT_USAGE;
  }
  if (command.usage) {
    io.stdout(`${command.usage}\n`);
    return EXIT_OK;
  }
  return command.run(['--help'], io);
}

/** "unknown command lnt; did you mean lint?" (the suggestion only for a near miss). */
function unknownCommandMessage(name: string): string {
  const names = [...Object.keys(COMMANDS), 'help', 'version'];
  const nearest = closestName(name, names);
  return `unknown command ${visible(name)}${nearest ? `; did you mean ${nearest}?` : ''}`;
}

/** Usage mistakes, config, catalog and file errors: `allowlist: error: …` on stderr and exit 2. Anything else is a bug. */
function reportError(error: unknown, io: CliIO, usage: string): number {
  if (error instanceof CliError) {
    // Messages quote paths and catalog findings: visible, line by line.
    io.stderr(`allowlist: error: ${visibleLines(error.message)}\n${error.showUsage ? `\n${usage}\n` : ''}`);
    return EXIT_USAGE;
  }
  io.stderr(`allowlist: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  return EXIT_USAGE;
}

/** Entry point of dist/cli.js. */
if (require.main === module) {
  const io = processIO();
  // `allowlist lint | head` closes the pipe early: that is not an error. Any other failure to write the output (a full
  // disk) is one, in our words and with exit 2: exit 1 would read as "findings".
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    process.stderr.write(`allowlist: error: cannot write the output: ${ioMessage(error)}\n`);
    process.exit(EXIT_USAGE);
  });
  main(process.argv.slice(2), io).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`allowlist: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exitCode = EXIT_USAGE;
    },
  );
}
