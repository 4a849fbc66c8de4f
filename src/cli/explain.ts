/** `allowlist explain <subject> [--file FILE]`: what the catalogs know about a host, address, port, range, wildcard,
 * product or vendor, and which rules of FILE allow it. */
import { resolve } from 'node:path';
import type { CatalogSet } from '../core/catalog';
import { describeRulesRefusal, type LintConfig, lintText, rulesRefusal } from '../core/lint';
import { safeJson, visible, visibleLines } from '../core/common';
import { explain, type ExplainFile } from '../core/language';
import { catalogsForPaths, CliError, EXIT_FINDINGS, EXIT_OK, loadConfig, nearFile, parseCommandArgs, readTextFile } from './common';
import type { CliIO } from './io';

export const EXPLAIN_USAGE = `Usage: allowlist explain [options] <subject>

Prints what the vendor catalogs know about a subject, in the vendor's words, with sources:
  a host name      connect.helpdeskbuttons.com   (vendor, roles, ports, how to allowlist it)
  an IP address    34.202.14.153                 (whose address it is, and for what)
  a CIDR network   34.202.14.0/24                (catalog addresses inside it)
  a port or range  443, 2001-2500                (which catalog roles use it)
  a wildcard       "*.amazonaws.com"             (which catalog hosts and public suffixes it covers)
  a product        webroot                       (the vendor's advice about it)
  a vendor         helpdesk-buttons              (the catalog's summary)
With --file, it also says which rules of that allowlist allow the subject (by name, a wildcard, a network
or \`any\`; a port or range by the rules' ports; a vendor by their \`vendor:\`), or that none does.

Catalogs: the built-in ones, the *.catalog.yaml files in the repository of FILE (without --file, of the
current folder; outside a repository, beside it), those the config lists and --catalog ones, as
\`allowlist lint\` loads them.

Options:
  --file FILE       an allowlist whose rules allowing the subject to list
  --format FORMAT   text (default), markdown (as the editor's hover shows it) or json
  --catalog PATH    a catalog file or folder of *.catalog.yaml to load besides the others (repeatable)
  --config PATH     the config file (default: the nearest .allowlistrc.yaml above the current folder)
  --no-builtin-catalogs
  -h, --help        show this help

Exit status: 0 the catalogs or FILE know the subject, 1 neither does, 2 a usage, config, catalog or file
error (FILE not read, or not an allowlist).`;

export async function explainCommand(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseCommandArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      file: { type: 'string' },
      format: { type: 'string', short: 'f' },
      catalog: { type: 'string', multiple: true },
      config: { type: 'string', short: 'c' },
      'no-builtin-catalogs': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    io.stdout(`${EXPLAIN_USAGE}\n`);
    return EXIT_OK;
  }
  const format = values.format ?? 'text';
  if (!['text', 'markdown', 'json'].includes(format)) throw new CliError(`unknown --format "${format}"; expected text, markdown or json`, true);
  if (positionals.length !== 1) throw new CliError(positionals.length === 0 ? 'explain needs a subject' : `explain takes one subject, not ${positionals.length}`, true);
  if (positionals[0].trim() === '') throw new CliError('explain needs a subject, not an empty one', true);
  const config = loadConfig(io, values.config);
  const path = values.file === undefined ? undefined : resolve(io.cwd, values.file);
  const catalogs = await catalogsForPaths(io, path === undefined ? [io.cwd] : nearFile(path), { config, catalogPaths: values.catalog ?? [], builtins: !values['no-builtin-catalogs'] });
  const file = values.file === undefined ? undefined : await readAllowlist(io, values.file, path!, catalogs, config);
  const explanation = explain(positionals[0], catalogs, file);
  if (format === 'json') io.stdout(`${safeJson(JSON.stringify(explanation, null, 2))}\n`);
  else io.stdout(`${format === 'markdown' ? explanation.markdown : explanation.plain}\n`);
  if (explanation.notKnown !== undefined) {
    io.stderr(`allowlist: ${explanation.notKnown}\n`);
    return EXIT_FINDINGS;
  }
  return EXIT_OK;
}

/** FILE's model, read and linted as `allowlist probe FILE` reads it. One that cannot be read or is no allowlist
 * ends the command; errors that may hide rules are warned about. */
async function readAllowlist(io: CliIO, shown: string, path: string, catalogs: CatalogSet, config: LintConfig): Promise<ExplainFile> {
  const result = lintText(await readTextFile(shown, path), { fileName: path, catalogs, config });
  const refusal = rulesRefusal(result);
  if (refusal?.kind === 'not-allowlist') throw new CliError(`${visible(shown)} is not an allowlist (it has no top-level \`allowlist: 1\`)`);
  if (refusal?.kind === 'too-large') throw new CliError(`${visible(shown)}: ${visibleLines(refusal.message)}`);
  if (refusal) io.stderr(`allowlist: warning: ${visibleLines(describeRulesRefusal(visible(shown), refusal, 'look up', `what follows may miss some; run \`allowlist lint ${visible(shown)}\``))}\n`);
  return { model: result.model, path: shown };
}
