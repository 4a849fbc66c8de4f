/** What a file is by its name or its first lines, without reading it (the engine and the file discovery share it). */
import { isAllowlistFileName, markedKind } from '../parse';

const CATALOG_NAME = /\.catalog\.ya?ml$/i;
const YAML_NAME = /\.ya?ml$/i;
/** How much of a file lintedKind's key check reads; allowlists put `allowlist: 1` first, and anything else is not
 * worth reading whole. */
export const SNIFF_BYTES = 256 * 1024;

export function isCatalogFileName(name: string): boolean {
  return CATALOG_NAME.test(name);
}

/** Whether a YAML text's top-level mapping has an `allowlist: 1` marker (a cheap check, before any parsing). */
export function hasAllowlistKey(text: string): boolean {
  return markedKind(text) === 'allowlist';
}

/** What `allowlist lint` lints a file found in a folder as: by its name, then by its top-level keys (`head`, its first
 * bytes as text, read only when the name does not tell); undefined for other YAML and other files. Shared by the
 * discovery on disk and the web extension's, which reads through `vscode.workspace.fs`. */
export async function lintedKind(name: string, head: () => Promise<string | undefined>): Promise<'allowlist' | 'catalog' | undefined> {
  if (isCatalogFileName(name)) return 'catalog';
  if (isAllowlistFileName(name)) return 'allowlist';
  if (!YAML_NAME.test(name)) return undefined;
  const text = await head();
  if (text === undefined || text.includes('\0')) return undefined;
  // Catalogs are recognised by name only: other tools' YAML has top-level `catalog:` keys too (pnpm-workspace.yaml).
  return hasAllowlistKey(text) ? 'allowlist' : undefined;
}
