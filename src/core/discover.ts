/** Finds what `allowlist lint` lints under the paths it is given: allowlists (`*.allowlist.yaml`, or any
 * YAML file whose top-level mapping has an `allowlist:` key) and user catalogs (`*.catalog.yaml`).
 * Folders are searched recursively, skipping node_modules, .git and other dot-folders. Files named
 * explicitly are always linted (as allowlists unless they are catalogs), unless `onlyRecognised` is set. */
import type { Dirent } from 'node:fs';
import { open, readdir, stat } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { isAllowlistFileName } from './parse';
import { markedKind } from './marker';

export type DiscoveredKind = 'allowlist' | 'catalog';

export interface DiscoveredFile {
  /** Absolute path. */
  path: string;
  kind: DiscoveredKind;
  /** Named on the command line rather than found in a folder. */
  explicit: boolean;
}

export interface Discovery {
  files: DiscoveredFile[];
  /** Paths that do not exist (or cannot be read), as given. */
  missing: { path: string; reason: string }[];
}

export interface DiscoverOptions {
  /** Lint explicit files only when they are recognised allowlists or catalogs (pre-commit passes every YAML file). */
  onlyRecognised?: boolean;
}

const YAML_NAME = /\.ya?ml$/i;
const CATALOG_NAME = /\.catalog\.ya?ml$/i;
/** How much of a file the key check reads; allowlists put `allowlist: 1` first, and anything else is not worth reading whole. */
const SNIFF_BYTES = 256 * 1024;
const SKIPPED_FOLDERS = new Set(['node_modules']);

export function isCatalogFileName(name: string): boolean {
  return CATALOG_NAME.test(name);
}

/** Whether a YAML text's top-level mapping has an `allowlist: 1` marker (a cheap check, before any parsing). */
export function hasAllowlistKey(text: string): boolean {
  return markedKind(text) === 'allowlist';
}

export async function discoverFiles(paths: string[], cwd: string, options: DiscoverOptions = {}): Promise<Discovery> {
  const files: DiscoveredFile[] = [];
  const missing: Discovery['missing'] = [];
  const seen = new Set<string>();
  const add = (file: DiscoveredFile): void => {
    if (seen.has(file.path)) return;
    seen.add(file.path);
    files.push(file);
  };
  for (const given of paths.length > 0 ? paths : ['.']) {
    const path = resolve(cwd, given);
    let info;
    try {
      info = await stat(path);
    } catch (error) {
      missing.push({ path: given, reason: (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or folder' : (error as Error).message });
      continue;
    }
    if (info.isDirectory()) {
      for (const file of await walk(path)) add(file);
    } else if (info.isFile()) {
      const kind = await classify(path);
      if (kind) add({ path, kind, explicit: true });
      else if (!options.onlyRecognised) add({ path, kind: 'allowlist', explicit: true });
    } else {
      missing.push({ path: given, reason: 'not a regular file or folder' });
    }
  }
  return { files, missing };
}

/** Recognised allowlists and catalogs under a folder, sorted by path within each folder. */
async function walk(dir: string): Promise<DiscoveredFile[]> {
  const found: DiscoveredFile[] = [];
  let entries: Dirent[];
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return found; // an unreadable sub-folder is skipped, as git and editors do
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!SKIPPED_FOLDERS.has(entry.name) && !entry.name.startsWith('.')) found.push(...(await walk(path)));
    } else if (entry.isFile() && YAML_NAME.test(entry.name)) {
      const kind = await classify(path);
      if (kind) found.push({ path, kind, explicit: false });
    }
  }
  return found;
}

/** A file's kind by its name, then by its top-level keys; undefined for other YAML (and non-YAML). */
async function classify(path: string): Promise<DiscoveredKind | undefined> {
  const name = basename(path);
  if (isCatalogFileName(name)) return 'catalog';
  if (isAllowlistFileName(name)) return 'allowlist';
  if (!YAML_NAME.test(name)) return undefined;
  const head = await readHead(path);
  if (head === undefined || head.includes('\0')) return undefined;
  // Catalogs are recognised by name only: other tools' YAML has top-level `catalog:` keys too (pnpm-workspace.yaml).
  return hasAllowlistKey(head) ? 'allowlist' : undefined;
}

async function readHead(path: string): Promise<string | undefined> {
  try {
    const handle = await open(path, 'r');
    try {
      const buffer = Buffer.alloc(SNIFF_BYTES);
      const { bytesRead } = await handle.read(buffer, 0, SNIFF_BYTES, 0);
      return buffer.subarray(0, bytesRead).toString('utf8');
    } finally {
      await handle.close();
    }
  } catch {
    return undefined;
  }
}
