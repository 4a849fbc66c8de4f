/** `allowlist explain <subject>`: what the catalogs know about a host, address, port, range, wildcard or product. */
import { safeJson, visible } from '../core/display';
import { explain } from '../core/explain';
import { CliError, EXIT_FINDINGS, EXIT_OK, loadCatalogs, loadConfig, parseCommandArgs } from './common';
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

Options:
  --format FORMAT   text (default), markdown (as the editor's hover shows it) or json
  --catalog PATH    a catalog file or folder of *.catalog.yaml to load besides the built-in ones (repeatable)
  --config PATH     the config file (its catalogs are loaded too)
  --no-builtin-catalogs
  -h, --help        show this help

Exit status: 0 the catalogs know the subject, 1 they do not, 2 a usage, config or catalog error.`;

export async function explainCommand(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseCommandArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
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
  const catalogs = await loadCatalogs(io, { config, catalogPaths: values.catalog ?? [], builtins: !values['no-builtin-catalogs'] });
  const explanation = explain(positionals[0], catalogs);
  if (format === 'json') io.stdout(`${safeJson(JSON.stringify(explanation, null, 2))}\n`);
  else io.stdout(`${format === 'markdown' ? explanation.markdown : explanation.plain}\n`);
  if (!explanation.known) {
    io.stderr(`allowlist: the loaded catalogs know nothing about ${visible(positionals[0])}\n`);
    return EXIT_FINDINGS;
  }
  return EXIT_OK;
}
