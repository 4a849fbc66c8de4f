/** Git plumbing for `allowlist diff`, `lint --new-since` and the editor's "Show Changes Against Base": plain
 * `git` through child_process (rev-parse, merge-base, ls-tree, ls-files, cat-file --batch), no libraries.
 * Every failure is a `GitError` with a message fit for a user. */
import { nodeChildProcess } from '../common';
import { decodeText, type DecodedText, FileReadError, ioMessage, MAX_READ_SIZE, readRegularFileSync } from '../files';
import { copyFileSync, existsSync, lstatSync, mkdtempSync, realpathSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join, posix, relative, resolve } from 'node:path';
import { hasAllowlistKey, isCatalogFileName } from '../lint';
import { isAllowlistFileName } from '../parse';

export class GitError extends Error {}

/** The work tree as a revision. */
export const WORKTREE = Symbol('worktree');
export type Revision = string | typeof WORKTREE;

export function git(cwd: string, args: string[], input?: string, env: NodeJS.ProcessEnv = {}): string {
  return gitBuffer(cwd, args, input, env).toString('utf8');
}

function gitBuffer(cwd: string, args: string[], input?: string, env: NodeJS.ProcessEnv = {}): Buffer {
  const result = nodeChildProcess().spawnSync('git', args, { cwd, input, maxBuffer: 1 << 30, env: { ...process.env, GIT_TERMINAL_PROMPT: '0', LC_ALL: 'C', ...env } });
  const command = args.find((arg) => !arg.startsWith('--')); // the subcommand, after options such as --literal-pathspecs
  if (result.error) {
    const code = (result.error as NodeJS.ErrnoException).code;
    throw new GitError(code === 'ENOENT' ? 'git is not installed (or not on PATH)' : `git ${command}: ${result.error.message}`);
  }
  if (result.status !== 0) {
    const message = result.stderr.toString('utf8').trim().split('\n')[0] || `exit status ${result.status}`;
    throw new GitError(`git ${command}: ${message.replace(/^fatal: /, '')}`);
  }
  return result.stdout;
}

/** The repository's top folder, or a GitError "… is not in a git repository". */
export function repositoryTop(cwd: string): string {
  if (!existsSync(cwd)) throw new GitError(`${cwd}: no such folder`);
  try {
    return git(cwd, ['rev-parse', '--show-toplevel']).trim();
  } catch (error) {
    if (error instanceof GitError && /not a git repository/i.test(error.message)) throw new GitError(`${cwd} is not in a git repository`);
    throw error;
  }
}

/** The commit a revision names, or a GitError naming the unknown revision. */
export function resolveRevision(root: string, ref: string): string {
  const result = nodeChildProcess().spawnSync('git', ['rev-parse', '--verify', '--quiet', '--end-of-options', `${ref}^{commit}`], { cwd: root, encoding: 'utf8' });
  if (result.status !== 0 || !result.stdout.trim()) throw new GitError(`unknown revision "${ref}" (not a commit, branch or tag in ${root})`);
  return result.stdout.trim();
}

function tryResolve(root: string, ref: string): string | undefined {
  try {
    return resolveRevision(root, ref);
  } catch {
    return undefined;
  }
}

/**
 * The default base: the merge base of HEAD with the default branch (`origin/HEAD`, else main, master,
 * origin/main, origin/master). On the default branch itself this is HEAD.
 */
export function defaultBase(root: string): { ref: string; commit: string } {
  if (!tryResolve(root, 'HEAD')) throw new GitError('the repository has no commits yet, so there is nothing to compare with: commit first, or compare two files with --no-index');
  const candidates: string[] = [];
  const originHead = nodeChildProcess().spawnSync('git', ['symbolic-ref', '-q', '--short', 'refs/remotes/origin/HEAD'], { cwd: root, encoding: 'utf8' });
  if (originHead.status === 0 && originHead.stdout.trim()) candidates.push(originHead.stdout.trim());
  candidates.push('main', 'master', 'origin/main', 'origin/master');
  for (const ref of candidates) {
    if (!tryResolve(root, ref)) continue;
    const commit = git(root, ['merge-base', ref, 'HEAD']).trim();
    return { ref: `merge-base(${ref}, HEAD)`, commit };
  }
  throw new GitError('cannot find the default branch (no origin/HEAD, main or master); pass --base REF');
}

const YAML = /\.ya?ml$/i;

function skipped(path: string): boolean {
  return path.split('/').some((part, i, parts) => i < parts.length - 1 && (part === 'node_modules' || part.startsWith('.')));
}

/** Files under the pathspecs (root-relative; none = the whole repository) at a revision or in the work tree (tracked and untracked, not ignored). */
export function listFiles(root: string, revision: Revision, pathspecs: string[]): string[] {
  const specs = pathspecs.length ? ['--', ...pathspecs] : [];
  // Paths are literal on both sides: ls-files would read `site[1].yaml` as a glob and `:x.yaml` as magic, ls-tree not.
  const output =
    revision === WORKTREE
      ? git(root, ['--literal-pathspecs', 'ls-files', '-z', '--cached', '--others', '--exclude-standard', ...specs])
      : git(root, ['--literal-pathspecs', 'ls-tree', '-r', '-z', '--name-only', '--full-tree', revision, ...specs]);
  const files = [...new Set(output.split('\0').filter(Boolean))];
  return revision === WORKTREE ? files.filter((file) => isFileInRepository(root, file)) : files;
}

/** A regular file, or a symbolic link to one inside the repository: what a revision's tree can show too (`followLinks`). */
function isFileInRepository(root: string, path: string): boolean {
  try {
    if (!statSync(join(root, path)).isFile()) return false;
    if (!lstatSync(join(root, path)).isSymbolicLink()) return true;
    const target = relative(root, realpathSync(join(root, path)));
    return !target.startsWith('..') && !isAbsolute(target);
  } catch {
    return false;
  }
}

/** File texts at a revision (by object id from the tree: one `git ls-tree`, one `git cat-file --batch`), or in the
 * work tree; missing files are absent from the map. */
export function readFiles(root: string, revision: Revision, paths: string[]): Map<string, string> {
  const texts = new Map<string, string>();
  for (const [path, decoded] of readDecodedFiles(root, revision, paths)) texts.set(path, decoded.text);
  return texts;
}

/** `readFiles` with each file's encoding finding (`decodeText`). */
function readDecodedFiles(root: string, revision: Revision, paths: string[]): Map<string, DecodedText> {
  const texts = new Map<string, DecodedText>();
  if (paths.length === 0) return texts;
  if (revision === WORKTREE) {
    for (const path of paths) {
      // As lint reads a file: a regular file within the size limit (one swapped for a FIFO or a device since it was
      // listed is refused, not waited on).
      let bytes: Buffer;
      try {
        bytes = readRegularFileSync(join(root, path), MAX_READ_SIZE);
      } catch (error) {
        if (error instanceof FileReadError && (error.cause as NodeJS.ErrnoException | undefined)?.code === 'ENOENT') continue; // deleted in the work tree
        throw new GitError(`cannot read ${path}: ${ioMessage(error)}`);
      }
      texts.set(path, decodeText(bytes));
    }
    return texts;
  }
  const files = followLinks(root, treeEntries(root, revision), paths);
  const blobs = readBlobs(root, [...files.values()]);
  for (const [path, oid] of files) {
    const bytes = blobs.get(oid);
    if (bytes) texts.set(path, decodeText(bytes));
  }
  return texts;
}

interface TreeEntry {
  /** `100644`, `100755` (a file), `120000` (a symbolic link, whose blob is its target), `160000` (a submodule). */
  mode: string;
  oid: string;
}

/** Every file of a revision's tree by root-relative path, from one `git ls-tree -r -z` (NUL-separated: any name). */
function treeEntries(root: string, revision: string): Map<string, TreeEntry> {
  const entries = new Map<string, TreeEntry>();
  for (const record of git(root, ['ls-tree', '-r', '-z', '--full-tree', revision]).split('\0')) {
    const match = /^(\d+) \w+ ([0-9a-f]+)\t([\s\S]+)$/.exec(record);
    if (match) entries.set(match[3], { mode: match[1], oid: match[2] });
  }
  return entries;
}

const LINK_MODE = '120000';
/** As Linux's limit on the links followed in one path: a cycle of links ends. */
const MAX_LINKS = 40;

/**
 * The object id of the file each path names in a revision's tree. A symbolic link is followed, as the work tree's
 * reads follow it, while it leads to a file inside the repository: its target is read relative to its folder (an
 * absolute one relative to `root`, as the work tree's would be). A path that leads elsewhere, or nowhere, has none.
 */
function followLinks(root: string, entries: Map<string, TreeEntry>, paths: string[]): Map<string, string> {
  const files = new Map<string, string>();
  let reached = new Map(paths.map((path) => [path, path])); // path → where its links lead so far
  for (let links = 0; reached.size > 0 && links <= MAX_LINKS; links++) {
    const viaLink = new Map<string, TreeEntry>();
    for (const [path, at] of reached) {
      const entry = entries.get(at);
      if (entry?.mode === LINK_MODE) viaLink.set(path, entry);
      else if (entry?.mode.startsWith('100')) files.set(path, entry.oid);
    }
    const targets = readBlobs(
      root,
      [...viaLink.values()].map((entry) => entry.oid),
    );
    const next = new Map<string, string>();
    for (const [path, link] of viaLink) {
      const text = targets.get(link.oid)?.toString('utf8') ?? '';
      const target = isAbsolute(text) ? relative(root, text).replace(/\\/g, '/') : posix.normalize(posix.join(posix.dirname(reached.get(path)!), text));
      if (text && target !== '..' && !target.startsWith('../') && !isAbsolute(target)) next.set(path, target);
    }
    reached = next;
  }
  return files;
}

/** Blobs by object id, from one `git cat-file --batch`. Ids, unlike `rev:path`, never hold the newline that ends a
 * request line (git 2.39 has no `--batch -z`). */
function readBlobs(root: string, oids: string[]): Map<string, Buffer> {
  const blobs = new Map<string, Buffer>();
  const wanted = [...new Set(oids)];
  if (wanted.length === 0) return blobs;
  const output = gitBuffer(root, ['cat-file', '--batch'], wanted.map((oid) => `${oid}\n`).join(''));
  let at = 0;
  for (const oid of wanted) {
    const lineEnd = output.indexOf(10, at);
    if (lineEnd === -1) break;
    const match = /^[0-9a-f]+ (\w+) (\d+)$/.exec(output.subarray(at, lineEnd).toString('utf8'));
    at = lineEnd + 1;
    if (!match) continue; // "<object> missing"
    const size = Number(match[2]);
    if (match[1] === 'blob') blobs.set(oid, output.subarray(at, at + size));
    at += size + 1;
  }
  return blobs;
}

/**
 * Files of `added` (root-relative paths present at `head`, absent at `base`) that git's rename detection
 * (`git diff -M`, 50% similarity) finds moved from a path present at `base` and gone at `head`: new path → old path.
 * The old path may lie outside any pathspecs. With the work tree as `head`, files not yet added to git (a plain
 * `mv`) take part too: they are marked intent-to-add (`git add -N`) in a temporary copy of the index, so the
 * repository's own index is never written.
 */
export function detectRenames(root: string, base: string, head: Revision, added: string[]): Map<string, string> {
  const renames = new Map<string, string>();
  if (added.length === 0) return renames;
  const wanted = new Set(added);
  // Only YAML files take part (both sides), whatever the pathspecs: a file moved into a folder is still a move.
  const args = ['diff', '--name-status', '-z', '-M', '--diff-filter=R', '--no-ext-diff', '--no-color', base, ...(head === WORKTREE ? [] : [head]), '--', ':(icase)*.yaml', ':(icase)*.yml'];
  let output: string;
  if (head !== WORKTREE) output = git(root, args);
  else {
    const tracked = new Set(git(root, ['ls-files', '-z', '--cached']).split('\0'));
    // A path not in the work tree (standard input's --stdin-filename for a file not yet saved) was moved from nowhere.
    const untracked = added.filter((path) => !tracked.has(path) && existsSync(join(root, path)));
    if (untracked.length === 0) output = git(root, args);
    else {
      const temp = mkdtempSync(join(tmpdir(), 'allowlist-index-'));
      try {
        const index = join(temp, 'index');
        const real = resolve(root, git(root, ['rev-parse', '--git-path', 'index']).trim());
        const env = { GIT_INDEX_FILE: index };
        if (existsSync(real)) copyFileSync(real, index);
        else git(root, ['read-tree', 'HEAD'], undefined, env);
        git(root, ['--literal-pathspecs', 'add', '-N', '--pathspec-from-file=-', '--pathspec-file-nul'], untracked.join('\0'), env);
        output = git(root, args, undefined, env);
      } finally {
        rmSync(temp, { recursive: true, force: true });
      }
    }
  }
  const fields = output.split('\0');
  for (let i = 0; i + 2 < fields.length; ) {
    const status = fields[i];
    if (!status.startsWith('R')) {
      i += status.startsWith('C') ? 3 : 2;
      continue;
    }
    const [from, to] = [fields[i + 1], fields[i + 2]];
    if (wanted.has(to)) renames.set(to, from);
    i += 3;
  }
  return renames;
}

/** Each root-relative work-tree path's text at `revision` (with its encoding finding), following moves: a path absent
 * there that git's rename detection finds moved (`git mv`, or a rename with small edits) is read at its old path.
 * Paths new since then have none. */
export function filesBeforeWorkTree(root: string, revision: string, paths: string[]): Map<string, DecodedText> {
  const texts = readDecodedFiles(root, revision, paths);
  const renames = detectRenames(
    root,
    revision,
    WORKTREE,
    paths.filter((path) => !texts.has(path)),
  );
  const old = readDecodedFiles(root, revision, [...renames.values()]);
  for (const [path, previous] of renames) {
    const text = old.get(previous);
    if (text !== undefined) texts.set(path, text);
  }
  return texts;
}

export interface FileVersions {
  /** Root-relative path, forward slashes (at the head; for a deleted file, at the base). */
  path: string;
  /** For a file moved or renamed (git's rename detection): its path at the base. */
  previousPath?: string;
  before?: string;
  after?: string;
}

export interface Collected {
  root: string;
  allowlists: FileVersions[];
  /** `*.catalog.yaml` files on each side (root-relative path → text), for the catalogs of that side: every one in the repository, whatever the pathspecs. */
  catalogs: { before: Map<string, string>; after: Map<string, string> };
}

/** Paths given on the command line as root-relative pathspecs (a GitError for a path outside the repository). */
export function toPathspecs(root: string, cwd: string, paths: string[]): string[] {
  // git names the top folder by its real path (e.g. /private/var/… for /var/… on macOS): so is the working folder here.
  let real = cwd;
  try {
    real = realpathSync(cwd);
  } catch {
    // a folder that does not exist: as given
  }
  return paths.map((path) => {
    const rel = relative(root, resolve(real, path)).replace(/\\/g, '/');
    if (rel.startsWith('..') || isAbsolute(rel)) throw new GitError(`${path} is outside the repository ${root}`);
    return rel === '' ? '.' : rel;
  });
}

const baseName = (path: string): string => path.split('/').pop()!;
const isCatalogPath = (path: string): boolean => isCatalogFileName(baseName(path));

/** Whether a root-relative path, or one of its texts, says it is an allowlist: by its name or its `allowlist: 1`. */
function isAllowlist(path: string, ...texts: (string | undefined)[]): boolean {
  return isAllowlistFileName(baseName(path)) || texts.some((text) => text !== undefined && hasAllowlistKey(text.slice(0, 256 * 1024)));
}

function catalogTexts(root: string, revision: Revision, files: string[]): Map<string, string> {
  return readFiles(
    root,
    revision,
    files.filter((file) => isCatalogPath(file) && !skipped(file)),
  );
}

/**
 * Every allowlist under the pathspecs at either revision (added, deleted and changed files alike), with its
 * text on each side, and the repository's catalogs on each side. A file is an allowlist when it is named
 * `*.allowlist.yaml`, has a top-level `allowlist:` key on either side, or is named explicitly (`explicit`,
 * root-relative). A file that git's rename detection finds moved (`git mv`, or renamed with small edits) is
 * one entry, compared with its old self, rather than a deleted and an added file. `overrides` replace the
 * work tree's texts of some files (an editor's unsaved documents).
 */
export function collectAllowlists(
  root: string,
  base: string,
  head: Revision,
  pathspecs: string[],
  explicit: string[] = [],
  overrides: Map<string, string> = new Map(),
): Collected {
  const beforeFiles = listFiles(root, base, pathspecs).filter((file) => YAML.test(file) && !skipped(file));
  const afterFiles = listFiles(root, head, pathspecs).filter((file) => YAML.test(file) && !skipped(file));
  const beforeTexts = readFiles(root, base, beforeFiles);
  const afterTexts = readFiles(root, head, afterFiles);
  if (head === WORKTREE) for (const [path, text] of overrides) if (afterTexts.has(path)) afterTexts.set(path, text);
  const whole = pathspecs.length === 0 || pathspecs.includes('.');
  const catalogs = {
    before: whole ? catalogTexts(root, base, beforeFiles) : catalogTexts(root, base, listFiles(root, base, [])),
    after: whole ? catalogTexts(root, head, afterFiles) : catalogTexts(root, head, listFiles(root, head, [])),
  };
  if (head === WORKTREE) for (const [path, text] of overrides) if (catalogs.after.has(path)) catalogs.after.set(path, text);

  const beforeSet = new Set(beforeFiles);
  const afterSet = new Set(afterFiles);
  const added = afterFiles.filter((file) => !beforeSet.has(file) && !isCatalogPath(file));
  const renames = new Map<string, string>();
  for (const [to, from] of detectRenames(root, base, head, added)) {
    if (!afterSet.has(from) && !isCatalogPath(from)) renames.set(to, from);
  }
  const outside = [...renames.values()].filter((path) => !beforeTexts.has(path));
  for (const [path, text] of readFiles(root, base, outside)) beforeTexts.set(path, text);
  // Only an allowlist moved is compared with its old self (not, say, notes.yaml made into an allowlist).
  for (const [to, from] of renames) if (!isAllowlist(from, beforeTexts.get(from))) renames.delete(to);
  const movedAway = new Set(renames.values());

  const explicitSet = new Set(explicit);
  const all = [...new Set([...beforeFiles, ...afterFiles])].sort();
  const allowlists: FileVersions[] = [];
  for (const path of all) {
    if (movedAway.has(path) && !afterSet.has(path)) continue; // compared under its new path
    const previousPath = renames.get(path);
    const before = beforeTexts.get(previousPath ?? path);
    const after = afterTexts.get(path);
    if (before === undefined && after === undefined) continue; // a link leading out of the repository, a submodule
    if (isCatalogPath(path) && !explicitSet.has(path)) continue;
    if (explicitSet.has(path) || isAllowlist(path, before, after) || (previousPath !== undefined && isAllowlist(previousPath))) allowlists.push(previousPath ? { path, previousPath, before, after } : { path, before, after });
  }
  return { root, allowlists, catalogs };
}
