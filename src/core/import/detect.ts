/** Which reader a configuration is for, from its first significant text: the JSON of `nft -j list ruleset`, a pfSense
 * or OPNsense config.xml, a FortiOS configuration or `show` output. */
import { readerById } from './readers';
import type { ImportReader } from './types';

/** How much of the text is looked at: the markers are at the top (after a FortiOS backup's `#` header lines). */
const SNIFF_LENGTH = 64 * 1024;

export function detectPlatform(text: string): ImportReader | undefined {
  const head = text.slice(0, SNIFF_LENGTH).replace(/^\uFEFF/, '');
  if (/^\s*\{\s*"nftables"\s*:/.test(head)) return readerById('nftables');
  // The XML declaration, comments and whitespace may come before the root element.
  const root = /^(?:\s|<\?[\s\S]*?\?>|<!--[\s\S]*?-->)*<([A-Za-z][\w.-]*)[\s/>]/.exec(head)?.[1];
  if (root !== undefined) return root === 'pfsense' || root === 'opnsense' ? readerById(root) : undefined;
  if (/^#config-version=|^\s*config (?:firewall|system|vdom|global)\b/m.test(head)) return readerById('fortigate');
  return undefined;
}
