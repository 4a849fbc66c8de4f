/** SHA-256 of a text's UTF-8 bytes, in hex: the stable names and ids the export targets derive from rule text. Node
 * takes this (its crypto); the browser bundles take sha256.browser.ts, which gives the same digests. */
import { nodeCrypto } from './node-builtins';

export function sha256Hex(text: string): string {
  return nodeCrypto().createHash('sha256').update(text).digest('hex');
}
