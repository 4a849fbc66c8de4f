/** The catalogs shipped in the package's catalogs/ folder, parsed and validated at build time
 * (scripts/build-builtin-catalogs.ts writes generated/, which the bundles and the tests import alike), so no
 * process parses them; catalogs in the user's workspace are read and validated at run time (load.ts). */
import generated from './generated/builtin-catalogs.json';
import { rememberBuiltinContentKeys } from './load';
import type { Catalog } from './types';

let builtins: Catalog[] | undefined;

/** The built-in catalogs, with `builtin:<id>` origins, sorted by file name. */
export function builtinCatalogs(): Catalog[] {
  if (!builtins) {
    builtins = generated.catalogs as Catalog[];
    rememberBuiltinContentKeys(builtins, generated.contentKeys);
  }
  return builtins;
}
