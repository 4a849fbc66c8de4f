/** Where a catalog's file is on disk, for go to definition in Node (the browser has no package folder). */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Catalog } from '../catalog';
import { packagePath } from '../common';

/** The file a catalog was read from: its origin, or for a built-in (`builtin:<id>`) the package's catalogs/ file. */
export function catalogFilePath(catalog: Catalog): string | undefined {
  if (!catalog.origin.startsWith('builtin:')) return catalog.origin;
  const id = catalog.origin.slice('builtin:'.length);
  for (const name of [`${id}.catalog.yaml`, `${id}.catalog.yml`]) {
    const path = packagePath('catalogs', name);
    if (existsSync(path)) return path;
  }
  // Fall back to the catalog file whose vendor id is this one.
  try {
    const dir = packagePath('catalogs');
    for (const name of readdirSync(dir)) {
      if (!/\.catalog\.ya?ml$/.test(name)) continue;
      const path = join(dir, name);
      if (new RegExp(`^\\s+id:\\s*['"]?${id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}['"]?\\s*$`, 'm').test(readFileSync(path, 'utf8'))) return path;
    }
  } catch {
    return undefined;
  }
  return undefined;
}
