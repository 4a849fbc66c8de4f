/** What a file is by its name or its first lines, without reading it (the engine and the file discovery share it). */
import { markedKind } from '../parse';

const CATALOG_NAME = /\.catalog\.ya?ml$/i;

export function isCatalogFileName(name: string): boolean {
  return CATALOG_NAME.test(name);
}

/** Whether a YAML text's top-level mapping has an `allowlist: 1` marker (a cheap check, before any parsing). */
export function hasAllowlistKey(text: string): boolean {
  return markedKind(text) === 'allowlist';
}
