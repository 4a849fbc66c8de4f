// Parses and validates the built-in catalogs (catalogs/*.catalog.yaml) once, at build time, into
// src/core/catalog/generated/builtin-catalogs.json (gitignored), with their content keys (catalogContentKey), which
// src/core/catalog/builtin.ts imports: no process parses or hashes them at run time. A broken built-in catalog is a
// packaging bug: it fails the build.
// Run through tsx after the schemas' validators exist (scripts/generate.mjs does both).
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
// The folder's modules, not its face: the face exports builtin.ts, which imports what this script writes.
import { CATALOG_FILE } from '../src/core/catalog/files';
import { catalogContentKey, parseCatalog } from '../src/core/catalog/load';

const root = join(__dirname, '..');
const dir = join(root, 'catalogs');
const out = join(root, 'src/core/catalog/generated/builtin-catalogs.json');

const catalogs = readdirSync(dir)
  .filter((name) => CATALOG_FILE.test(name))
  .sort()
  .map((name) => {
    const file = join(dir, name);
    const { catalog, findings } = parseCatalog(readFileSync(file, 'utf8'), file);
    if (!catalog) throw new Error(`built-in catalog ${file} is invalid: ${findings.map((f) => `${f.message} (offset ${f.range.start})`).join('; ')}`);
    return { ...catalog, origin: `builtin:${catalog.id}` };
  });
const text = `${JSON.stringify({ catalogs, contentKeys: catalogs.map(catalogContentKey) })}\n`;
mkdirSync(join(out, '..'), { recursive: true });
if (!existsSync(out) || readFileSync(out, 'utf8') !== text) writeFileSync(out, text);
