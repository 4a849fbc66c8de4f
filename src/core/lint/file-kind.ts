/** What a file is by its name or its first lines, without reading it (the engine and the file discovery share it). */
import { decodeText } from '../files';
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
 * bytes, read only when the name does not tell); undefined for other YAML and other files. Shared by the discovery on
 * disk and the web extension's, which reads through `vscode.workspace.fs`. */
export async function lintedKind(name: string, head: () => Promise<Uint8Array | undefined>): Promise<'allowlist' | 'catalog' | undefined> {
  if (isCatalogFileName(name)) return 'catalog';
  if (isAllowlistFileName(name)) return 'allowlist';
  if (!YAML_NAME.test(name)) return undefined;
  const bytes = await head();
  if (bytes === undefined) return undefined;
  // Decoded as a lint decodes the file (a byte order mark dropped, UTF-16 read, binary as no text): else a file the
  // lint reads as an allowlist would not be found.
  // Catalogs are recognised by name only: other tools' YAML has top-level `catalog:` keys too (pnpm-workspace.yaml).
  return hasAllowlistKey(decodeText(bytes).text) ? 'allowlist' : undefined;
}
