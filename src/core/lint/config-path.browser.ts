/** A path a config file names (`catalogs:`), resolved against the config's URI, as the browser sees workspace
 * files (`vscode-vfs://github/owner/repo/.allowlistrc.yaml`); as written when there is no config file. */
export function resolveConfigPath(configPath: string | undefined, entry: string): string {
  if (configPath === undefined) return entry;
  try {
    return new URL(entry, configPath).href;
  } catch {
    return entry;
  }
}
