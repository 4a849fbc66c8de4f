/** The one folder walk, for catalog folders and the repository's catalogs and for `allowlist lint FOLDER`: bounded
 * (depth and entry count), never following symbolic links (so never leaving the folder it was given), and
 * never failing: what it cannot read is skipped and named. Also the repository root the catalog search starts at. */
import { existsSync, statSync, type Dirent } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { ioMessage } from './read-file';

/** Deeper folders are not searched: repositories nest a dozen levels at most. */
export const MAX_WALK_DEPTH = 32;
/** Entries (files and folders) a walk reads before it stops: a large repository has tens of thousands outside
 * node_modules (a walk of 50,000 takes under a second with a warm cache); one of `/` would have millions. */
export const MAX_WALK_ENTRIES = 50_000;

export interface WalkLimits {
  maxDepth: number;
  maxEntries: number;
  /** `false`: the folder's own files only, its subfolders neither searched nor reported. */
  subfolders?: boolean;
}

export interface WalkResult {
  /** Regular files whose names were accepted: within each folder in name order, depth first. */
  files: string[];
  /** Folders not searched (unreadable, too deep), with the reason. */
  skipped: { path: string; reason: string }[];
  /** Set when the walk stopped at the entry limit: it found only part of what is there. */
  truncated?: string;
}

/** Files under `root` whose names `accept` takes, skipping node_modules and dot-folders. Symbolic links are not
 * followed (they are neither files nor folders here). */
export async function walkFiles(root: string, accept: (name: string) => boolean, limits: WalkLimits = { maxDepth: MAX_WALK_DEPTH, maxEntries: MAX_WALK_ENTRIES }): Promise<WalkResult> {
  const result: WalkResult = { files: [], skipped: [] };
  let budget = limits.maxEntries;
  const visit = async (folder: string, depth: number): Promise<void> => {
    if (depth > limits.maxDepth) {
      result.skipped.push({ path: folder, reason: `deeper than ${limits.maxDepth} levels` });
      return;
    }
    let entries: Dirent[];
    try {
      // One readdir per folder: reading entry by entry (opendir) is several times slower on a busy machine.
      entries = await readdir(folder, { withFileTypes: true });
    } catch (error) {
      result.skipped.push({ path: folder, reason: ioMessage(error) });
      return;
    }
    budget -= entries.length;
    if (budget < 0) {
      result.truncated = `stopped after ${limits.maxEntries} files and folders`;
      entries = entries.slice(0, entries.length + budget);
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) {
        if (limits.subfolders !== false && entry.name !== 'node_modules' && !entry.name.startsWith('.') && !result.truncated) await visit(path, depth + 1);
      } else if (entry.isFile() && accept(entry.name)) {
        result.files.push(path);
      }
    }
  };
  await visit(root, 0);
  return result;
}

/** The repository root (the nearest folder at or above `dir` with `.git`), or `dir` itself outside a repository. */
export function repositoryRoot(dir: string): string {
  for (let current = resolve(dir); ; current = dirname(current)) {
    if (existsSync(join(current, '.git'))) return current;
    if (dirname(current) === current) return resolve(dir);
  }
}

/** Whether a path is a folder (false when it does not exist). */
export function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
