/** `allowlist export FILE --target T`: the allowlist as a firewall's configuration (src/core/export), with a warning
 * for each rule the platform cannot express. */
import { mkdir, stat, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { closestName, visible, visibleLines } from '../core/common';
import { filesBeforeWorkTree, GitError, repositoryTop, resolveRevision } from '../core/diff';
import {
  changeSetTargets,
  EXPORT_UNRELIABLE,
  exportAllowlist,
  exportChangeSet,
  formatExportWarning,
  type ExportFile,
  type ExportOptions,
  TARGETS,
  targetById,
  type ExportTarget,
  type ExportWarning,
  type RuleChanges,
} from '../core/export';
import { ioMessage } from '../core/files';
import { describeRulesRefusal, formatReport, type LintResult, lintText, rulesRefusal } from '../core/lint';
import { catalogsForPaths, CliError, displayPath, EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, loadConfig, nearFile, parseCommandArgs, readTextFile } from './common';
import type { CliIO } from './io';
import { isValidDate } from './lint';

const targetList = () => TARGETS.map((target) => `  ${target.id.padEnd(12)}${target.title}${target.output === 'multiple' ? ' (several files: needs --out DIR)' : ''}`).join('\n');

export const EXPORT_USAGE = `Usage: allowlist export FILE --target TARGET [options]

Writes the configuration that makes a firewall allow what FILE allows. What a platform cannot express is a warning on
stderr naming the rule (FILE:LINE), the platform's limit and the workaround. See docs/export.md.

Targets:
${targetList()}

Options:
  -t, --target TARGET       the firewall platform (above)
  -o, --out PATH            the file to write (default: standard output), or the folder for a target of several files
  --hook forward|output     nftables: filter traffic through this router (forward, default) or of this host (output)
  --lan-interface NAME      the interface (or zone) facing the site's clients
  --wan-interface NAME      the interface (or zone) facing the internet
  --skip-expired            leave expired rules out (default: export them, with a note)
  --today YYYY-MM-DD        the day expiry dates are checked against (default: today, UTC)
  --strict                  exit 1 when a rule could not be expressed faithfully
  --since REF               only the commands that take the firewall from the export of FILE at the git revision
                            REF to the export of FILE now (${changeSetTargets(TARGETS).map((target) => target.id).join(', ')}; standard output unless --out)
  --catalog PATH            a catalog file or folder of *.catalog.yaml to load (repeatable)
  --config PATH             the config file (default: the nearest .allowlistrc.yaml above the current folder)
  -h, --help                show this help

Exit status: 0 exported, 1 with --strict when a rule could not be expressed faithfully, 2 a usage, config, catalog,
git or file error, or a file (with --since, or its version at REF) whose rules are unreliable: errors of yaml-syntax,
schema, invalid-address, invalid-port or duplicate-name (object names come from rule names).`;

export async function exportCommand(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseCommandArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      target: { type: 'string', short: 't' },
      out: { type: 'string', short: 'o' },
      hook: { type: 'string' },
      'lan-interface': { type: 'string' },
      'wan-interface': { type: 'string' },
      'skip-expired': { type: 'boolean' },
      today: { type: 'string' },
      strict: { type: 'boolean' },
      since: { type: 'string' },
      catalog: { type: 'string', multiple: true },
      config: { type: 'string', short: 'c' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    io.stdout(`${EXPORT_USAGE}\n`);
    return EXIT_OK;
  }
  if (positionals.length !== 1) throw new CliError(positionals.length === 0 ? 'export needs a FILE' : `export takes one FILE, not ${positionals.length}`, true);
  const target = chosenTarget(values.target);
  if (values.hook !== undefined && values.hook !== 'forward' && values.hook !== 'output') throw new CliError(`--hook must be forward or output, not ${visible(values.hook)}`, true);
  if (values.today !== undefined && !isValidDate(values.today)) throw new CliError(`--today must be a date as YYYY-MM-DD, not ${visible(values.today)}`, true);
  for (const option of ['lan-interface', 'wan-interface'] as const) {
    if (values[option] !== undefined && values[option].trim() === '') throw new CliError(`--${option} needs a name`, true);
  }
  const since = values.since;
  if (since !== undefined && !target.changeSet) {
    throw new CliError(`--since: ${target.id} has no change sets; targets that have: ${changeSetTargets(TARGETS).map((each) => each.id).join(', ')}`, true);
  }
  if (since !== undefined && since.trim() === '') throw new CliError('--since needs a git revision', true);
  if (target.output === 'multiple' && values.out === undefined && since === undefined) throw new CliError(`--target ${target.id} writes several files: give the folder to write them to with --out DIR`, true);

  const shown = positionals[0];
  const path = resolve(io.cwd, shown);
  const config = loadConfig(io, values.config);
  const catalogs = await catalogsForPaths(io, nearFile(path), { config, catalogPaths: values.catalog ?? [], builtins: true });
  const text = await readTextFile(shown, path);
  const lint = (source: string) => lintText(source, { fileName: path, catalogs, config, today: values.today });
  const result = lint(text);
  if (refused(io, result, visible(shown), path, text)) return EXIT_USAGE;
  const others = result.findings.filter((finding) => finding.severity !== 'info');
  if (others.length > 0) {
    io.stderr(`allowlist: note: ${visible(shown)} has ${others.length} other finding${others.length === 1 ? '' : 's'} (run \`allowlist lint ${visible(shown)}\`); exported all the same\n`);
  }

  const options: ExportOptions = {
    hook: values.hook as 'forward' | 'output' | undefined,
    lanInterface: values['lan-interface'],
    wanInterface: values['wan-interface'],
    today: values.today,
    skipExpired: values['skip-expired'] === true,
    sourceName: displayPath(io, path),
  };
  let exported: { files: ExportFile[]; warnings: ExportWarning[] };
  if (since === undefined) {
    exported = exportAllowlist(result.model, target, options);
  } else {
    const previous = textAtRevision(path, since);
    const shownThen = `${visible(shown)} at ${visible(since)}`;
    const before = previous.text === undefined ? undefined : lint(previous.text);
    if (before && refused(io, before, shownThen, path, previous.text!)) return EXIT_USAGE;
    const changeSet = exportChangeSet(before?.model, result.model, target, previous.label, options);
    io.stderr(`allowlist: note: ${before ? '' : `${visible(shown)} did not exist at ${visible(since)}: every rule is new; `}${changesLine(changeSet.changes, previous.label)}\n`);
    exported = changeSet;
  }
  for (const warning of exported.warnings) io.stderr(`${formatExportWarning(displayPath(io, path), warning)}\n`);

  if (values.out === undefined) {
    // A change set of several files (nftables, when the dnsmasq fragment changed too) is printed file after file.
    const files = exported.files;
    io.stdout(files.length === 1 ? files[0].text : files.map((file) => `# ==> ${file.name} <==\n${file.text}`).join('\n'));
  } else {
    const written = await writeExport(io, resolve(io.cwd, values.out), target.output, exported.files);
    io.stderr(`allowlist: wrote ${written.map((file) => visible(displayPath(io, file))).join(' and ')}\n`);
  }
  return values.strict && exported.warnings.some((warning) => warning.kind === 'unfaithful') ? EXIT_FINDINGS : EXIT_OK;
}

/** Says why a version of the file cannot be exported (true), or nothing (false). */
function refused(io: CliIO, result: LintResult, shown: string, path: string, text: string): boolean {
  const refusal = rulesRefusal(result, EXPORT_UNRELIABLE);
  if (!refusal) return false;
  io.stderr(`allowlist: error: ${visibleLines(describeRulesRefusal(shown, refusal, 'export', 'nothing was exported:'))}\n`);
  if (refusal.kind === 'unreliable') io.stderr(formatReport('text', { files: [{ path: displayPath(io, path), text, findings: refusal.findings }], toolVersion: '' }));
  return true;
}

/** The file's text at the git revision `ref` (following a move since then; none where it did not exist), and how the
 * change set names the revision: `main (3f2a1b0)`. Git errors are usage errors (exit 2). */
function textAtRevision(path: string, ref: string): { text?: string; label: string } {
  try {
    const root = repositoryTop(dirname(path));
    const commit = resolveRevision(root, ref);
    const relativePath = relative(root, path).replace(/\\/g, '/');
    const text = filesBeforeWorkTree(root, commit, [relativePath]).get(relativePath)?.text;
    return { text, label: `${ref} (${commit.slice(0, 7)})` };
  } catch (error) {
    if (error instanceof GitError) throw new CliError(`--since: ${error.message}`);
    throw error;
  }
}

function changesLine(changes: RuleChanges, since: string): string {
  const { added, changed, removed } = changes;
  if (added.length + changed.length + removed.length === 0) return `no rule changed since ${visible(since)}: the change set is empty`;
  return `since ${visible(since)}: ${added.length} rule${added.length === 1 ? '' : 's'} added, ${changed.length} changed, ${removed.length} removed`;
}

function chosenTarget(id: string | undefined): ExportTarget {
  const ids = TARGETS.map((target) => target.id);
  if (id === undefined) throw new CliError(`export needs --target: one of ${ids.join(', ')}`, true);
  const target = targetById(id);
  if (target) return target;
  const nearest = closestName(id, ids);
  throw new CliError(`unknown --target ${visible(id)}${nearest ? `; did you mean ${nearest}?` : ''} (targets: ${ids.join(', ')})`, true);
}

/** Writes the files: a single file to `out` (or into `out` when it is a folder), several into the folder `out`
 * (created if missing). I/O errors are CliErrors (exit 2). */
async function writeExport(io: CliIO, out: string, output: ExportTarget['output'], files: ExportFile[]): Promise<string[]> {
  const isFolder = await stat(out).then(
    (info) => info.isDirectory(),
    () => false,
  );
  try {
    if (output === 'multiple') {
      await mkdir(out, { recursive: true });
    } else if (!isFolder) {
      await writeFile(out, files[0]?.text ?? '');
      return [out];
    }
    const paths = files.map((file) => join(out, file.name));
    for (const [index, file] of files.entries()) await writeFile(paths[index], file.text);
    return paths;
  } catch (error) {
    throw new CliError(`cannot write the export to ${visible(displayPath(io, out))}: ${visibleLines(ioMessage(error))}`);
  }
}
