/** `allowlist init`: writes a starter allowlist (core/init) to a new file or to standard output. */
import { dirname, resolve } from 'node:path';
import { hasUnsafe, visible } from '../core/common';
import { defaultFileName, starterAllowlist, UnknownVendorError, vendorCatalogs } from '../core/init';
import { catalogsForPaths, CliError, displayPath, EXIT_OK, loadConfig, parseCommandArgs } from './common';
import type { CliIO } from './io';
import { schemaModeline, writeNewFile } from './write-file';

export const INIT_USAGE = `Usage: allowlist init [--vendor ID]… [--site NAME] [-o FILE | --output FILE] [--force] [--catalog PATH]…

Writes a starter allowlist: the \`$schema\` modeline, \`allowlist: 1\` and the site's name and, for each
--vendor, the vendor declared with its catalog's default options, an outbound rule for every host the
catalog requires (on its ports, from the whole site) and the anti-virus exclusions it recommends. Without
--vendor, a minimal allowlist whose comments say how to fill it in. Either lints clean.

Options:
  --vendor ID          a vendor whose software runs at the site, by catalog id, name or alias (repeatable)
  --site NAME          the site's name, written as \`site:\`
  -o, --output FILE    the file to write (default: the site's name as NAME.allowlist.yaml, else
                       site.allowlist.yaml, in the current folder); - writes to standard output
  --force              overwrite FILE when it exists
  --catalog PATH       a catalog file or folder of *.catalog.yaml to load (repeatable)
  -h, --help           show this help

Vendors are looked up in the catalogs \`allowlist lint\` would use for FILE: the built-in ones, those in
FILE's git repository (outside one, beside FILE), the .allowlistrc.yaml's and --catalog ones.
The modeline points at the schema this \`allowlist\` ships, by a path relative to FILE.

Exit status: 0 written, 2 a usage, config, catalog or file error (an unknown vendor, or FILE exists
without --force).`;

export async function initCommand(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseCommandArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      vendor: { type: 'string', multiple: true },
      site: { type: 'string' },
      output: { type: 'string', short: 'o' },
      force: { type: 'boolean' },
      catalog: { type: 'string', multiple: true },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    io.stdout(`${INIT_USAGE}\n`);
    return EXIT_OK;
  }
  if (positionals.length > 0) throw new CliError(`init takes no paths (got "${positionals[0]}"); name the file with -o FILE`, true);
  const site = values.site;
  if (site !== undefined && site.trim() === '') throw new CliError('--site needs a name', true);
  // The starter must lint clean: control-character reports these in a site's name (a terminal escape, a bidi override).
  if (site !== undefined && hasUnsafe(site)) throw new CliError(`--site has invisible or control characters ("${visible(site)}"); type the name plainly`, true);
  const output = values.output ?? defaultFileName(site);
  if (output === '') throw new CliError('--output needs a file name (or - for standard output)', true);
  const toStdout = output === '-';
  const outputPath = resolve(io.cwd, output);

  const catalogs = await catalogsForPaths(io, [toStdout ? io.cwd : outputPath], { config: loadConfig(io, undefined), catalogPaths: values.catalog ?? [], builtins: true });
  let vendors;
  try {
    vendors = vendorCatalogs(catalogs, values.vendor ?? []);
  } catch (error) {
    if (error instanceof UnknownVendorError) throw new CliError(`${error.message}${error.suggestion ? '' : ' (--catalog PATH loads another catalog)'}`);
    throw error;
  }
  const schema = schemaModeline(toStdout ? io.cwd : dirname(outputPath));
  const text = starterAllowlist({ catalogs, vendors, site, schema });
  if (toStdout) {
    io.stdout(text);
    return EXIT_OK;
  }

  const shown = displayPath(io, outputPath);
  writeNewFile(shown, outputPath, text, values.force === true);
  io.stderr(`wrote ${shown}; check it with: allowlist lint ${shown}\n`);
  return EXIT_OK;
}
