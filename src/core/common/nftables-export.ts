/** What the nftables export writes and its import recognises (the two may not import each other): the comment of the
 * export's own DNS rule, and the direction marker of a rule's comment. */

/** The comment of the output hook's rule that lets the host's own dnsmasq ask its upstream servers: the export's,
 * not a rule of the allowlist. */
export const NFT_RESOLVER_DNS_COMMENT = "DNS: the resolver's queries to its upstream servers";

/** A rule comment's parts as the export writes them (`name; ticket T; …`), split at `;` and trimmed. */
export function commentParts(comment: string): string[] {
  return comment.split(';').map((part) => part.trim());
}

/** The direction marker of a comment's parts, and the parts without it; undefined when there is none. The marker is
 * first, followed by the rule's text (`inbound; NAME…`, `outbound; NAME…`), or, in comments written before it moved
 * first, `inbound` right after the name. The export writes it where a text would otherwise read as marked, so that no
 * name or ticket can forge it. */
export function directionMarker(parts: string[]): { inbound: boolean; rest: string[] } | undefined {
  if (parts.length > 1 && (parts[0] === 'inbound' || parts[0] === 'outbound')) return { inbound: parts[0] === 'inbound', rest: parts.slice(1) };
  if (parts[1] === 'inbound') return { inbound: true, rest: [parts[0], ...parts.slice(2)] };
  return undefined;
}
