/** The built-in catalogs' files in Node: read from the package's catalogs/ folder (beside dist/, or the
 * repository under tsx). The browser bundles take builtin-files.browser.ts, which has them built in. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packagePath } from '../common';

/** A catalog's file name. */
export const CATALOG_FILE = /\.catalog\.ya?ml$/;

/** Each built-in catalog file's path and text, sorted by name. */
export function builtinCatalogFiles(): { path: string; text: string }[] {
  const dir = packagePath('catalogs');
  return readdirSync(dir)
    .filter((name) => CATALOG_FILE.test(name))
    .sort()
    .map((name) => ({ path: join(dir, name), text: readFileSync(join(dir, name), 'utf8') }));
}
