/** `allowlist catalog import --from m365 FILE`: a vendor's endpoint feed, downloaded by the user, written as a catalog
 * (src/core/feeds). The tool never fetches the feed. */
import { basename, resolve } from 'node:path';
import { closestName, visible, visibleLines } from '../core/common';
import { FeedError, type FeedProblem, M365_CATEGORIES, M365_SERVICE_AREAS, m365Catalog } from '../core/feeds';
import { isCatalogFileName } from '../core/lint';
import { CliError, displayPath, EXIT_OK, parseCommandArgs, readTextFile } from './common';
import type { CliIO } from './io';
import { writeNewFile } from './write-file';

const FEEDS = ['m365'];

export const CATALOG_USAGE = `Usage: allowlist catalog import --from m365 FILE [options]

Turns a vendor's machine-readable endpoint feed into a catalog (\`catalog: 1\` YAML): one endpoint per host and
protocol, with the vendor's notes as the role and the feed's entry in each source. Download the feed yourself:
allowlist never fetches it. What a catalog cannot express (IP-only endpoint sets, wildcards inside a name) is
named on stderr, never dropped silently. See docs/catalogs.md.

Feeds:
  m365                      Microsoft 365: the JSON of https://endpoints.office.com/endpoints/worldwide?clientrequestid=GUID
                            (vendor id microsoft-365)

Options:
  --from FEED               the feed's format (above)
  --service-area A,B        only these service areas: ${M365_SERVICE_AREAS.join(', ')}
  --category C,D            only these categories: ${M365_CATEGORIES.map((category) => category.toLowerCase()).join(', ')}
  --required-only           leave out the endpoint sets the feed marks optional (required: false)
  --version V               the feed's version (https://endpoints.office.com/version/worldwide?clientrequestid=GUID),
                            written into each entry's source; without it the file is named instead
  -o, --output FILE         write the catalog to FILE (default: standard output), e.g. microsoft-365.catalog.yaml
  --force                   overwrite FILE when it exists
  -h, --help                show this help

Exit status: 0 imported (some parts may not have been: see stderr), 2 a usage error, or a file that is not the feed.`;

export async function catalogCommand(argv: string[], io: CliIO): Promise<number> {
  const [subcommand, ...rest] = argv;
  if (subcommand === undefined) throw new CliError('catalog needs a subcommand: import', true);
  if (subcommand === '-h' || subcommand === '--help') {
    io.stdout(`${CATALOG_USAGE}\n`);
    return EXIT_OK;
  }
  if (subcommand !== 'import') {
    const nearest = closestName(subcommand, ['import']);
    throw new CliError(`unknown catalog subcommand ${visible(subcommand)}${nearest ? `; did you mean ${nearest}?` : ''} (subcommands: import)`, true);
  }
  return importFeed(rest, io);
}

async function importFeed(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseCommandArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      from: { type: 'string' },
      'service-area': { type: 'string', multiple: true },
      category: { type: 'string', multiple: true },
      'required-only': { type: 'boolean' },
      version: { type: 'string' },
      output: { type: 'string', short: 'o' },
      force: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    io.stdout(`${CATALOG_USAGE}\n`);
    return EXIT_OK;
  }
  if (values.from === undefined) throw new CliError(`catalog import needs --from: one of ${FEEDS.join(', ')}`, true);
  if (!FEEDS.includes(values.from)) {
    const nearest = closestName(values.from, FEEDS);
    throw new CliError(`unknown --from ${visible(values.from)}${nearest ? `; did you mean ${nearest}?` : ''} (feeds: ${FEEDS.join(', ')})`, true);
  }
  if (positionals.length !== 1) throw new CliError(positionals.length === 0 ? 'catalog import needs the feed FILE (downloaded JSON)' : `catalog import takes one FILE, not ${positionals.length}`, true);
  const serviceAreas = listOption('--service-area', values['service-area'], M365_SERVICE_AREAS);
  const categories = listOption('--category', values.category, M365_CATEGORIES);
  if (values.version !== undefined && !/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/.test(values.version)) {
    throw new CliError(`--version ${visible(values.version)} is not a feed version (letters, digits, dots and dashes, e.g. 2025010100)`, true);
  }
  const output = values.output === '-' ? undefined : values.output;
  if (output === '') throw new CliError('--output needs a file name (or - for standard output)', true);

  const shown = positionals[0];
  const path = resolve(io.cwd, shown);
  const json = await readTextFile(shown, path);
  const printProblems = (problems: FeedProblem[]) => {
    for (const problem of problems) io.stderr(`${visible(displayPath(io, path))}: endpoint set ${problem.setId}: ${visibleLines(problem.message)}\n`);
  };
  let result;
  try {
    result = m365Catalog(json, { serviceAreas, categories, requiredOnly: values['required-only'], version: values.version, fileName: basename(path) });
  } catch (error) {
    if (!(error instanceof FeedError)) throw error;
    printProblems(error.problems);
    throw new CliError(`${shown} is not a Microsoft 365 endpoint feed that can be imported: ${error.message}`);
  }
  printProblems(result.problems);
  const summary =
    `${result.endpoints} endpoint${result.endpoints === 1 ? '' : 's'} imported from ${visible(shown)} (${result.kept} of its ${result.sets} endpoint sets pass the filters)` +
    (result.problems.length > 0 ? `; not imported (above): ${leftOut(result.problems)}` : '');
  if (output === undefined) {
    io.stdout(result.text);
    io.stderr(`allowlist: ${summary}\n`);
    return EXIT_OK;
  }
  const outputPath = resolve(io.cwd, output);
  const written = displayPath(io, outputPath);
  writeNewFile(written, outputPath, result.text, values.force === true);
  const found = isCatalogFileName(outputPath) ? '' : ` (lint finds catalogs named *.catalog.yaml; pass this one with --catalog ${visible(written)})`;
  io.stderr(`allowlist: ${summary}; wrote ${visible(written)}${found}\n`);
  return EXIT_OK;
}

/** "2 IP-only endpoint sets, 1 URL": what was left out, by kind. */
function leftOut(problems: FeedProblem[]): string {
  const names: Record<FeedProblem['kind'], [string, string]> = {
    'ip-only-set': ['IP-only endpoint set', 'IP-only endpoint sets'],
    set: ['other endpoint set', 'other endpoint sets'],
    url: ['URL', 'URLs'],
    ports: ['port list', 'port lists'],
  };
  return (Object.keys(names) as FeedProblem['kind'][])
    .map((kind) => [kind, problems.filter((problem) => problem.kind === kind).length] as const)
    .filter(([, count]) => count > 0)
    .map(([kind, count]) => `${count} ${names[kind][count === 1 ? 0 : 1]}`)
    .join(', ');
}

/** A comma-separated, repeatable option's values, each one of `known` (any case); a near miss gets a did-you-mean. */
function listOption(option: string, values: string[] | undefined, known: readonly string[]): string[] | undefined {
  if (values === undefined) return undefined;
  const items = values.flatMap((value) => value.split(',')).map((item) => item.trim());
  for (const item of items) {
    if (known.some((name) => name.toLowerCase() === item.toLowerCase())) continue;
    if (item === '') throw new CliError(`${option} needs names: ${known.join(', ')}`, true);
    const nearest = closestName(item.toLowerCase(), known.map((name) => name.toLowerCase()));
    const suggestion = nearest && known.find((name) => name.toLowerCase() === nearest);
    throw new CliError(`unknown ${option} ${visible(item)}${suggestion ? `; did you mean ${suggestion}?` : ''} (${known.join(', ')})`, true);
  }
  return items;
}
