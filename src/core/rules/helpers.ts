/** Helpers the vendor and address rules share: suggestions for misspelt ids, fixes built from the model's ranges. */
import type { CatalogEndpoint } from '../catalog/types';
import type { Address, PortSet } from '../model';
import type { Range, TextEdit } from '../types';

/** Edit distance counting insertions, deletions, substitutions and swaps of two neighbours (optimal string
 * alignment): `prots` is one typo away from `ports`, as a reader sees it, not two. Past `limit` it gives up and
 * returns `limit + 1` (a row whose every cell exceeds the limit cannot lead back under it), so a long value
 * compared with a short name costs little. */
export function editDistance(a: string, b: string, limit = Infinity): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let beforePrevious: number[] = [];
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) current[j] = Math.min(current[j], beforePrevious[j - 2] + 1);
      best = Math.min(best, current[j]);
    }
    if (best > limit) return limit + 1;
    beforePrevious = previous;
    previous = current;
  }
  return previous[b.length];
}

/** Lower case, with runs of anything but letters and digits as one hyphen: "Helpdesk Buttons" -> "helpdesk-buttons". */
function normalize(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

/**
 * The candidate a misspelt word most likely means: the one with a spelling (normalized) nearest by edit distance,
 * if near enough to be a typo (at most a third of the longer word, and at least 1).
 */
export function closestMatch<T>(word: string, candidates: { value: T; spellings: string[] }[]): T | undefined {
  const wanted = normalize(word);
  let best: { value: T; distance: number } | undefined;
  for (const candidate of candidates) {
    for (const spelling of candidate.spellings) {
      const normalized = normalize(spelling);
      const limit = Math.max(1, Math.floor(Math.max(wanted.length, normalized.length) / 3));
      const distance = editDistance(wanted, normalized, limit);
      if (distance <= limit && (!best || distance < best.distance)) best = { value: candidate.value, distance };
    }
  }
  return best?.value;
}

/** A product of `endpoint-protection` as catalogs name it (`products[].product`): `product-advice` looks it up and
 * `unknown-product` passes it by this one spelling, so that a product one rule knows the other does not call unknown. */
export function productId(written: string): string {
  return written.trim().toLowerCase();
}

/** An address as a YAML scalar in a flow list: plain where that reads back as the same string, else double-quoted. */
export function yamlScalar(text: string): string {
  const plain = /^[A-Za-z0-9][A-Za-z0-9._/-]*$/.test(text) && !/^[0-9.eE+-]+$/.test(text) && !/^(null|true|false|yes|no|on|off|y|n)$/i.test(text);
  return plain || /^\d+(\.\d+){3}(\/\d+)?$/.test(text) ? text : JSON.stringify(text);
}

/** Addresses as a value: a lone scalar, or a flow list. */
export function addressValue(texts: string[]): string {
  return texts.length === 1 ? yamlScalar(texts[0]) : `[${texts.map(yamlScalar).join(', ')}]`;
}

/**
 * Removes `addresses[index]` from a list of two or more, block or flow: from its start to the next item's start
 * (`[a, b, c]` -> `[a, c]`; `- b\n  - c` -> `- c`), or for the last item from the previous item's end.
 * Ranges are those of the model (relative to the rule's offset, for rule items).
 */
export function removeAddressEdit(addresses: Address[], index: number): TextEdit {
  const address = addresses[index];
  const next = addresses[index + 1];
  if (next) return { range: { start: address.range.start, end: next.range.start }, newText: '' };
  return { range: { start: addresses[index - 1].range.end, end: address.range.end }, newText: '' };
}

/**
 * Replaces `list.addresses[index]` with `texts`. One text replaces the address itself (any list style); more
 * replace a lone scalar value with a flow list, or, in a list, rewrite the whole value as a flow list with the
 * address replaced (the list's own style and inner comments are not kept: the model has no text to keep them from).
 */
export function replaceAddressEdit(list: { addresses: Address[]; range: Range }, index: number, texts: string[]): TextEdit {
  const address = list.addresses[index];
  if (texts.length === 1) return { range: address.range, newText: yamlScalar(texts[0]) };
  if (list.addresses.length === 1 && list.range.start === address.range.start && list.range.end === address.range.end) {
    return { range: address.range, newText: addressValue(texts) };
  }
  const all = list.addresses.flatMap((other, at) => (at === index ? texts : [other.text.trim()]));
  return { range: list.range, newText: `[${[...new Set(all)].map(yamlScalar).join(', ')}]` };
}

/** Whether a rule's ports (absent or `any`: all of them) reach any of a catalog endpoint's ports. */
export function portsOverlap(ports: PortSet | undefined, endpoint: CatalogEndpoint): boolean {
  if (!ports || ports.any) return true;
  return ports.spans.some((span) => !span.problem && endpoint.ports.some((range) => span.from <= range.to && range.from <= span.to));
}
