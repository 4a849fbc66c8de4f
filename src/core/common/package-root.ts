/** Finds this package's root folder (schemas/ and catalogs/ live there) from wherever the code runs:
 * src/ under tsx, dist/ when bundled, or an installed extension folder. */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

const PACKAGE_NAME = 'firewall-allowlist';
let cached: string | undefined;

export function packageRoot(): string {
  if (cached) return cached;
  for (let dir = __dirname; ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) {
      try {
        if (JSON.parse(readFileSync(manifest, 'utf8')).name === PACKAGE_NAME) return (cached = dir);
      } catch {
        // An unreadable package.json on the way up is not ours: keep walking.
      }
    }
    if (dirname(dir) === dir) throw new Error(`cannot find the ${PACKAGE_NAME} package root above ${__dirname}`);
  }
}

export function packagePath(...parts: string[]): string {
  return join(packageRoot(), ...parts);
}
