/** `allowlist import CONFIG --from T`: a firewall's configuration read into an allowlist (src/core/import), with each
 * part that could not be mapped named on stderr by the configuration's line. */
import { basename, dirname, resolve } from 'node:path';
import { closestName, visible, visibleLines } from '../core/common';
import { importedAllowlist, overLintLimit, READERS, readerById, type ImportReader } from '../core/import';
import { UnknownVendorError, vendorCatalogs } from '../core/init';
import { catalogsForPaths, CliError, displayPath, EXIT_OK, loadConfig, parseCommandArgs, readTextFile } from './common';
import type { CliIO } from './io';
import { schemaModeline, writeNewFile } from './write-file';

const readerList = () => READERS.map((reader) => `  ${reader.id.padEnd(12)}${reader.title}`).join('\n');

export const IMPORT_USAGE = `Usage: allowlist import CONFIG --from PLATFORM [options]

Reads a firewall's configuration and prints the allowlist that allows what it allows: one rule per policy, named
after it, groups expanded, services as ports. What cannot be mapped (deny rules, disabled policies, schedules,
geography objects, …) is named on stderr with the configuration's line, never dropped silently. See docs/import.md.

Platforms:
${readerList()}

Options:
  --from PLATFORM           the configuration's platform (above)
  --policy NAME|ID          only this policy (repeatable)
  --vendor ID               declare this vendor (catalog id, repeatable): rules to its hosts get \`vendor:\`, so lint
                            shows at once what the firewall lacks for it
  --lan-interface NAME      the interface (or zone) facing the site's clients (tells outbound from inbound)
  --wan-interface NAME      the interface (or zone) facing the internet
  --site NAME               the site's name, written as \`site:\`
  -o, --output FILE         write the allowlist to FILE (default: standard output); --force replaces an existing one
  --force                   overwrite FILE when it exists
  --catalog PATH            a catalog file or folder of *.catalog.yaml to load (repeatable)
  --config PATH             the config file (default: the nearest .allowlistrc.yaml above the current folder)
  -h, --help                show this help

Exit status: 0 imported (some parts may not have been mapped: see stderr), 2 a usage, catalog or file error.`;

export async function importCommand(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseCommandArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      from: { type: 'string' },
      policy: { type: 'string', multiple: true },
      vendor: { type: 'string', multiple: true },
      'lan-interface': { type: 'string' },
      'wan-interface': { type: 'string' },
      site: { type: 'string' },
      output: { type: 'string', short: 'o' },
      force: { type: 'boolean' },
      catalog: { type: 'string', multiple: true },
      config: { type: 'string', short: 'c' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    io.stdout(`${IMPORT_USAGE}\n`);
    return EXIT_OK;
  }
  if (positionals.length !== 1) throw new CliError(positionals.length === 0 ? 'import needs a CONFIG file' : `import takes one CONFIG file, not ${positionals.length}`, true);
  const reader = chosenReader(values.from);
  for (const option of ['lan-interface', 'wan-interface', 'site'] as const) {
    if (values[option] !== undefined && values[option].trim() === '') throw new CliError(`--${option} needs a name`, true);
  }
  const output = values.output === '-' ? undefined : values.output;
  if (output === '') throw new CliError('--output needs a file name (or - for standard output)', true);
  const outputPath = output === undefined ? undefined : resolve(io.cwd, output);

  const shown = positionals[0];
  const path = resolve(io.cwd, shown);
  const catalogs = await catalogsForPaths(io, [outputPath ?? io.cwd], { config: loadConfig(io, values.config), catalogPaths: values.catalog ?? [], builtins: true });
  let vendors;
  try {
    vendors = vendorCatalogs(catalogs, values.vendor ?? []);
  } catch (error) {
    if (error instanceof UnknownVendorError) throw new CliError(`--vendor: ${error.message}`);
    throw error;
  }

  const result = reader.read(await readTextFile(shown, path), {
    lanInterface: values['lan-interface'],
    wanInterface: values['wan-interface'],
    policies: values.policy,
  });
  for (const problem of result.problems) {
    io.stderr(`${visible(displayPath(io, path))}:${problem.line}: ${problem.kind === 'skipped' ? 'not imported' : 'imported in part'}: ${visibleLines(problem.message)}\n`);
  }
  const text = importedAllowlist(result.rules, {
    schema: schemaModeline(outputPath ? dirname(outputPath) : io.cwd),
    sourceName: basename(path),
    readerTitle: reader.title,
    site: values.site,
    vendors,
  });
  const tooLarge = overLintLimit(text);
  if (tooLarge) io.stderr(`allowlist: warning: ${visible(shown)}: ${tooLarge}: lint, drift and the editor will not read it; import a part of the policies at a time with --policy\n`);
  const summary = `${result.rules.length} rule${result.rules.length === 1 ? '' : 's'} imported from ${visible(shown)}${result.problems.length > 0 ? `; ${result.problems.length} part${result.problems.length === 1 ? '' : 's'} not mapped (above)` : ''}`;
  if (outputPath === undefined) {
    io.stdout(text);
    io.stderr(`allowlist: ${summary}\n`);
  } else {
    const written = displayPath(io, outputPath);
    writeNewFile(written, outputPath, text, values.force === true);
    io.stderr(`allowlist: ${summary}; wrote ${visible(written)}: check it with allowlist lint ${visible(written)}\n`);
  }
  return EXIT_OK;
}

function chosenReader(id: string | undefined): ImportReader {
  if (id === undefined) throw new CliError(`import needs --from: one of ${READERS.map((reader) => reader.id).join(', ')}`, true);
  return readerFrom(id);
}

/** The reader `--from ID` names; an unknown one is a usage error with the nearest id. */
export function readerFrom(id: string): ImportReader {
  const ids = READERS.map((reader) => reader.id);
  const reader = readerById(id);
  if (reader) return reader;
  const nearest = closestName(id, ids);
  throw new CliError(`unknown --from ${visible(id)}${nearest ? `; did you mean ${nearest}?` : ''} (platforms: ${ids.join(', ')})`, true);
}
