/** The built-in catalogs' files in the browser bundles: built in by scripts/build.mjs (the `bundled:catalogs`
 * module), since a web worker has no package folder to read. Node takes builtin-files.ts. */
import files from 'bundled:catalogs';

/** Each built-in catalog file's path (as in the package: `catalogs/<name>`) and text, sorted by name. */
export function builtinCatalogFiles(): { path: string; text: string }[] {
  return files.map(({ name, text }) => ({ path: `catalogs/${name}`, text }));
}
