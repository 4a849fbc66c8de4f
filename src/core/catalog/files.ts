/** Catalog files on disk: one read, decoded and parsed, and the `*.catalog.yaml` files under a folder. */
import type { Catalog } from './types';
import { MAX_CATALOG_SIZE, parseCatalog, type CatalogResult } from './load';
import { decodeText, findingsOfDecoded, MAX_WALK_DEPTH, MAX_WALK_ENTRIES, readRegularFile, walkFiles, type WalkResult } from '../files';

/** A catalog's file name. */
export const CATALOG_FILE = /\.catalog\.ya?ml$/;

export interface CatalogFileResult extends CatalogResult {
  /** The text, when the file could be read (the findings' ranges are offsets in it). */
  text?: string;
  /** Why the file could not be read (a FileReadError: too large, not a regular file, or the system's error). */
  unreadable?: unknown;
}

/** Reads (a regular file of at most MAX_CATALOG_SIZE bytes), decodes and parses a catalog; a file that cannot be
 * read gives one finding that names it and says why. */
export async function loadCatalogFile(path: string): Promise<CatalogFileResult> {
  let bytes: Buffer;
  try {
    bytes = await readRegularFile(path, MAX_CATALOG_SIZE);
  } catch (thrown) {
    const message = `cannot read catalog ${path}: ${thrown instanceof Error ? thrown.message : String(thrown)}`;
    return { findings: [{ ruleId: 'catalog', severity: 'error', message, range: { start: 0, end: 0 }, subject: `catalog:read:${path}` }], unreadable: thrown };
  }
  // Decoded as allowlists are: UTF-16 is read (with its warning), binary or bad UTF-8 is one finding that says so.
  const decoded = decodeText(bytes);
  let catalog: Catalog | undefined;
  const findings = findingsOfDecoded(decoded, (text) => {
    const parsed = parseCatalog(text, path);
    catalog = parsed.catalog;
    return parsed.findings;
  });
  return { catalog, findings, text: decoded.text };
}


/** `*.catalog.yaml` / `*.catalog.yml` files under `dir` (in it only when `subfolders` is false), sorted, skipping
 * node_modules and dot-folders, with the folders the walk skipped or where it stopped. */
export async function findCatalogFiles(dir: string, subfolders = true): Promise<WalkResult> {
  const walked = await walkFiles(dir, (name) => CATALOG_FILE.test(name), { maxDepth: MAX_WALK_DEPTH, maxEntries: MAX_WALK_ENTRIES, subfolders });
  return { ...walked, files: walked.files.sort() };
}

