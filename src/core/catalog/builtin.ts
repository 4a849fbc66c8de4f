/** The catalogs shipped in the package's catalogs/ folder, parsed and validated at build time
 * (scripts/build-builtin-catalogs.ts writes generated/, which the bundles and the tests import alike), so no
 * process parses them; catalogs in the user's workspace are read and validated at run time (load.ts). */
import builtins from './generated/builtin-catalogs.json';
import type { Catalog } from './types';

/** The built-in catalogs, with `builtin:<id>` origins, sorted by file name. */
export function builtinCatalogs(): Catalog[] {
  return builtins as Catalog[];
}
