/** Markdown for hovers and completion documentation. Catalog text and URLs are data, possibly from a
 * catalog in the repository under review: they are escaped so that they render as written and can
 * never add a link, and only http(s) URLs become links (the schema allows no other, but a catalog
 * built in code is not validated). */
import { visible } from './display';

/** Characters that would start Markdown syntax inside running text. */
const MD_SPECIAL = /[\\`*_[\]<>|]/g;

/** Text for Markdown: visible (control and bidirectional characters escaped, display.ts), then escaped. */
export function escapeMarkdown(text: string): string {
  return visible(text).replace(MD_SPECIAL, (ch) => `\\${ch}`);
}

export function codeSpan(text: string): string {
  return `\`${visible(text).replace(/`/g, "'")}\``;
}

/** The URL when its scheme is http or https, else undefined (`javascript:`, `data:`, `command:`, not a URL). */
export function webUrl(url: string): URL | undefined {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/** `[label](url)` for an http(s) URL, with the characters that could end or break the link target
 * percent-encoded and the label on one line; any other URL is shown as code, not as a link. */
export function markdownLink(url: string, label = url): string {
  const web = webUrl(url);
  if (!web) return codeSpan(url);
  return `[${escapeMarkdown(label.replace(/\s+/g, ' '))}](${web.href.replace(/[()<>\\\s"'`]/g, percentEncode)})`;
}

function percentEncode(ch: string): string {
  return `%${ch.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`;
}
