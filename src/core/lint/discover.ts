/** Finds what `allowlist lint` lints under the paths it is given: allowlists (`*.allowlist.yaml`, or any
 * YAML file whose top-level mapping has an `allowlist:` key) and user catalogs (`*.catalog.yaml`).
 * Folders are searched recursively, skipping node_modules, .git and other dot-folders. Files named
 * explicitly are always linted (as allowlists unless they are catalogs), unless `onlyRecognised` is set. */
import { open, stat } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { lintedKind, SNIFF_BYTES } from './file-kind';
import { walkFiles } from '../files';

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
  /** Folders not searched, or searched in part (absolute paths), and why: "not searched: permission denied". */
  skipped: { path: string; reason: string }[];
}

export interface DiscoverOptions {
  /** Lint explicit files only when they are recognised allowlists or catalogs (pre-commit passes every YAML file). */
  onlyRecognised?: boolean;
}

const YAML_NAME = /\.ya?ml$/i;

export async function discoverFiles(paths: string[], cwd: string, options: DiscoverOptions = {}): Promise<Discovery> {
  const files: DiscoveredFile[] = [];
  const missing: Discovery['missing'] = [];
  const skipped: Discovery['skipped'] = [];
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
      const walked = await walkFiles(path, (name) => YAML_NAME.test(name));
      for (const folder of walked.skipped) skipped.push({ path: folder.path, reason: `not searched: ${folder.reason}` });
      if (walked.truncated) skipped.push({ path, reason: `searched in part: ${walked.truncated}` });
      for (const file of walked.files) {
        const kind = await classify(file);
        if (kind) add({ path: file, kind, explicit: false });
      }
    } else if (info.isFile()) {
      const kind = await classify(path);
      if (kind) add({ path, kind, explicit: true });
      else if (!options.onlyRecognised) add({ path, kind: 'allowlist', explicit: true });
    } else {
      missing.push({ path: given, reason: 'not a regular file or folder' });
    }
  }
  return { files, missing, skipped };
}

/** A file's kind by its name, then by its top-level keys; undefined for other YAML (and non-YAML). */
function classify(path: string): Promise<DiscoveredKind | undefined> {
  return lintedKind(basename(path), () => readHead(path));
}

async function readHead(path: string): Promise<Uint8Array | undefined> {
  try {
    const handle = await open(path, 'r');
    try {
      const buffer = Buffer.alloc(SNIFF_BYTES);
      const { bytesRead } = await handle.read(buffer, 0, SNIFF_BYTES, 0);
      return buffer.subarray(0, bytesRead);
    } finally {
      await handle.close();
    }
  } catch {
    return undefined;
  }
}
