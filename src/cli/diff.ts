/** `allowlist diff`: what a change to firewall allowlists does, by effect (see src/core/diff, docs/review.md). Paths
 * between git revisions (`--base`, default the merge base with the default branch; `--head`, default the work
 * tree), or two files OLD NEW (`--no-index`, or outside a repository, as with `git diff`). */
import { resolve } from 'node:path';
import type { LintConfig } from '../core/lint';
import { combineDiffs, defaultBase, DIFF_FORMATS, diffAllowlists, type DiffFormat, diffRevisions, FAIL_ON_NAMES, failures, formatDiff, GitError, isDiffFormat, listFiles, repositoryTop, resolveRevision, type Revision, toPathspecs, WORKTREE } from '../core/diff';
import { isFolder } from '../core/files';
import { CliError, displayPath, EXIT_FINDINGS, EXIT_OK, loadCatalogs, loadConfig, parseCommandArgs, readTextFile, warnCatalogProblems } from './common';
import type { CliIO } from './io';
import { isValidDate } from './lint';

export const DIFF_USAGE = `Usage: allowlist diff [options] [--base REF] [--head REF] [--] [paths...]
       allowlist diff [options] --no-index OLD NEW

Shows what a change to firewall allowlists does, by effect rather than by text: access opened, closed,
widened or narrowed (outbound and inbound), rules removed whose access stays allowed, vendor requirements
newly unmet or met (with the vendor's role text), expiry and owner/ticket changes, and the lint findings
the change introduced and resolved.
Reordering, renaming, reformatting and flow/block list style are not changes; the diff says so.

Compares every allowlist under the paths (default: the whole repository; added, deleted and moved files
too) between two git revisions. Like \`git diff\`, two files OLD NEW are compared with each other instead
with --no-index, or when the current folder is not in a git repository, or when either file is outside it;
paths after -- are always paths.

Options:
  --base REF              the revision before the change (default: the merge base of HEAD with the
                          default branch: origin/HEAD, else main, else master)
  --head REF              the revision after the change (default: the work tree)
  --format FORMAT         text (default), markdown (a reviewer's summary for a PR comment or
                          $GITHUB_STEP_SUMMARY) or json
  --fail-on KINDS         exit 1 when any of these appear (comma-separated): opened, closed, widened,
                          narrowed, removed, requirement-unmet, requirement-met, expiry, metadata,
                          KIND-inbound, KIND-outbound (e.g. opened-inbound), expiry-removed, expiry-later,
                          introduced, introduced-error, resolved, unparsable, any; opened (and
                          opened-inbound, opened-outbound) also fail on widened access
  --catalog PATH          a catalog file or folder of *.catalog.yaml to load (repeatable)
  --config PATH           the config file (default: the nearest .allowlistrc.yaml above the current folder)
  --today YYYY-MM-DD      the day expiry dates are checked against (default: today, UTC)
  --no-builtin-catalogs   do not load the catalogs that ship with allowlist
  --no-index              compare the two files OLD and NEW, wherever they are (not git revisions)
  -h, --help              show this help

Exit status: 0 done (whatever changed), 1 a --fail-on kind appeared, 2 a usage, git, config or file error.`;

interface DiffArgs {
  positionals: string[];
  /** `--no-index`: the two positionals are OLD NEW. */
  noIndex: boolean;
  /** A `--` came before the positionals: they are paths, never OLD NEW. */
  pathsOnly: boolean;
  base?: string;
  head?: string;
  format: DiffFormat;
  failOn: string[];
  catalogPaths: string[];
  configPath?: string;
  today?: string;
  builtins: boolean;
}

function parseDiffArgs(argv: string[]): DiffArgs | 'help' {
  const { values, positionals, tokens } = parseCommandArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    tokens: true,
    options: {
      'no-index': { type: 'boolean' },
      base: { type: 'string' },
      head: { type: 'string' },
      format: { type: 'string', short: 'f' },
      'fail-on': { type: 'string', multiple: true },
      catalog: { type: 'string', multiple: true },
      config: { type: 'string', short: 'c' },
      today: { type: 'string' },
      'no-builtin-catalogs': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return 'help';
  const format = values.format ?? 'text';
  if (!isDiffFormat(format)) throw new CliError(`unknown --format "${format}"; expected ${DIFF_FORMATS.join(', ')}`, true);
  const failOn = (values['fail-on'] ?? []).flatMap((list) => list.split(',')).map((name) => name.trim()).filter(Boolean);
  const unknown = failOn.filter((name) => !FAIL_ON_NAMES.includes(name));
  if (unknown.length) throw new CliError(`unknown --fail-on ${unknown.map((name) => `"${name}"`).join(', ')}; expected some of ${FAIL_ON_NAMES.join(', ')}`, true);
  if (values.today !== undefined && !isValidDate(values.today)) throw new CliError(`--today must be a date as YYYY-MM-DD, not "${values.today}"`, true);
  const noIndex = values['no-index'] === true;
  if (noIndex && (values.base !== undefined || values.head !== undefined)) throw new CliError('--no-index compares two files: it takes no --base or --head', true);
  if (noIndex && positionals.length !== 2) throw new CliError(`--no-index takes two files, OLD and NEW (${positionals.length} given)`, true);
  return {
    positionals,
    noIndex,
    pathsOnly: tokens.some((token) => token.kind === 'option-terminator'),
    base: values.base,
    head: values.head,
    format,
    failOn,
    catalogPaths: values.catalog ?? [],
    configPath: values.config,
    today: values.today,
    builtins: !values['no-builtin-catalogs'],
  };
}

export async function diffCommand(argv: string[], io: CliIO): Promise<number> {
  const args = parseDiffArgs(argv);
  if (args === 'help') {
    io.stdout(`${DIFF_USAGE}\n`);
    return EXIT_OK;
  }
  const config = loadConfig(io, args.configPath);
  let report;
  if (comparesTwoFiles(io, args)) {
    const [oldPath, newPath] = args.positionals.map((path) => resolve(io.cwd, path));
    for (const path of [oldPath, newPath]) if (isFolder(path)) throw new CliError(`--no-index compares two files; ${displayPath(io, path)} is a folder`, true);
    // Read as lint reads a file (readTextFile): a regular file within the size limit, decoded the same way.
    const [before, after] = [await readTextFile(displayPath(io, oldPath), oldPath), await readTextFile(displayPath(io, newPath), newPath)];
    const catalogs = await loadCatalogs(io, { config, catalogPaths: args.catalogPaths, builtins: args.builtins });
    const file = diffAllowlists(before, after, { file: displayPath(io, newPath), catalogs, config, today: args.today });
    report = combineDiffs([file], displayPath(io, oldPath), displayPath(io, newPath));
  } else {
    report = await diffGitRevisions(io, args, config);
  }
  io.stdout(formatDiff(args.format, report));
  const failed = failures(report, args.failOn);
  if (failed.length) {
    io.stderr(`allowlist: the change has ${failed.join(', ')} (--fail-on)\n`);
    return EXIT_FINDINGS;
  }
  return EXIT_OK;
}

/**
 * Whether the positionals are two files OLD NEW to compare with each other rather than paths to diff between
 * revisions. As with `git diff`: always with --no-index; never with --base/--head, after `--`, or unless there
 * are exactly two files; otherwise only when the working folder is not in a git repository or either file lies
 * outside it. Two allowlists of the repository are paths: `allowlist diff a.yaml b.yaml` diffs both against the base.
 */
function comparesTwoFiles(io: CliIO, args: DiffArgs): boolean {
  if (args.noIndex) return true;
  if (args.base !== undefined || args.head !== undefined || args.pathsOnly || args.positionals.length !== 2) return false;
  const paths = args.positionals.map((path) => resolve(io.cwd, path));
  if (paths.some((path) => isFolder(path))) return false;
  let root: string;
  try {
    root = repositoryTop(io.cwd);
  } catch (error) {
    if (error instanceof GitError) return true;
    throw error;
  }
  try {
    toPathspecs(root, io.cwd, args.positionals);
    return false;
  } catch (error) {
    if (error instanceof GitError) return true;
    throw error;
  }
}

async function diffGitRevisions(io: CliIO, args: DiffArgs, config: LintConfig) {
  try {
    const root = repositoryTop(io.cwd);
    const base = args.base !== undefined ? { ref: args.base, commit: resolveRevision(root, args.base) } : defaultBase(root);
    const head: Revision = args.head !== undefined ? resolveRevision(root, args.head) : WORKTREE;
    const pathspecs = toPathspecs(root, io.cwd, args.positionals);
    // Files named on the command line are diffed whatever their name (as `lint` lints them).
    const explicit = pathspecs.filter((spec) => spec !== '.' && (listFiles(root, base.commit, [spec]).includes(spec) || listFiles(root, head, [spec]).includes(spec)));
    const { report, collected, catalogsLeftOut } = await diffRevisions(root, {
      base: { commit: base.commit, label: `${args.base ?? base.ref} (${base.commit.slice(0, 7)})` },
      head: { revision: head, label: head === WORKTREE ? 'work tree' : `${args.head} (${head.slice(0, 7)})` },
      pathspecs,
      explicit,
      config,
      catalogs: (extra) => loadCatalogs(io, { config, catalogPaths: args.catalogPaths, builtins: args.builtins, extra }),
      today: args.today,
    });
    // As lint of a folder does: a repository catalog that does not load is left out with a warning, never unnoticed.
    warnCatalogProblems(io, catalogsLeftOut);
    if (args.positionals.length && collected.allowlists.length === 0 && pathspecs.every((spec) => listFiles(root, base.commit, [spec]).length === 0 && listFiles(root, head, [spec]).length === 0)) {
      throw new CliError(`${args.positionals.join(', ')}: no such file or folder at ${args.base ?? base.ref} or ${args.head ?? 'the work tree'}`);
    }
    if (!args.pathsOnly && args.base === undefined && args.head === undefined && args.positionals.length === 2 && explicit.length === 2) {
      io.stderr(`allowlist: note: ${args.positionals.join(' and ')} are diffed as paths of the repository against ${base.ref}; to compare one file with the other: allowlist diff --no-index ${args.positionals.join(' ')}\n`);
    }
    return report;
  } catch (error) {
    if (error instanceof GitError) throw new CliError(error.message);
    throw error;
  }
}
