/** Helpers the vendor and address rules share: product ids, fixes built from the model's ranges. */
import type { CatalogEndpoint } from '../../catalog';
import { type Address, type AllowRule, type PortSet, type Protocol, recordedSplice } from '../../parse';
import type { Range, TextEdit } from '../../common';

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

/** Whether a rule's protocol lets through traffic of `inner` (`any` covers tcp and udp). */
export function protocolCovers(outer: Protocol, inner: Protocol): boolean {
  return outer === 'any' || outer === inner;
}

/** How a list of rules differs from the same list in an earlier lint: its first `prefix` and last `suffix` items
 * are that lint's items (the same parse, moved at most), those between replace the ones between there. */
export interface RuleSplice {
  prefix: number;
  suffix: number;
}

/** Whether two placed rules come from one parse (the same item text): the engine reuses an unchanged item's
 * parse and places it again only when it moved, so compare references, never text. The key record is made once per
 * parse and shared by its placed copies (ranges are not a parse's own: items with the same ranges share them). */
export function sameParse(a: AllowRule, b: AllowRule): boolean {
  return a === b || a.keys === b.keys;
}

/** The splice from `previous` to `current`: found by comparing references from both ends, a few microseconds
 * for 10,000 rules, and no more than the longer common end. */
export function ruleSplice(previous: readonly AllowRule[], current: readonly AllowRule[]): RuleSplice {
  // What the parse recorded, where it made `current` from `previous`.
  const recorded = recordedSplice(current, previous);
  if (recorded) return recorded;
  const shorter = Math.min(previous.length, current.length);
  let prefix = 0;
  while (prefix < shorter && sameParse(previous[prefix], current[prefix])) prefix++;
  let suffix = 0;
  while (suffix < shorter - prefix && sameParse(previous[previous.length - 1 - suffix], current[current.length - 1 - suffix])) suffix++;
  return { prefix, suffix };
}

/** State a file rule carries over from one lint of a document to the next, under `RuleContext.document`: made on the
 * document's first lint, and gone with its Linter (a `WeakMap`), so that documents neither share nor evict it. */
export function perDocument<T>(make: () => T): (document: object) => T {
  const states = new WeakMap<object, T>();
  return (document) => {
    let state = states.get(document);
    if (state === undefined) states.set(document, (state = make()));
    return state;
  };
}
