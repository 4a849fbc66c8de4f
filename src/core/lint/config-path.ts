/** A path a config file names (`catalogs:`), resolved against the config's folder (the working directory for a
 * config without a file). The browser bundles take config-path.browser.ts. */
import { dirname, resolve } from 'node:path';

export function resolveConfigPath(configPath: string | undefined, entry: string): string {
  return resolve(configPath ? dirname(configPath) : process.cwd(), entry);
}
