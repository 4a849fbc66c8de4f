/** What the nftables export writes and its import recognises (the two may not import each other). */

/** The comment of the output hook's rule that lets the host's own dnsmasq ask its upstream servers: the export's,
 * not a rule of the allowlist. */
export const NFT_RESOLVER_DNS_COMMENT = "DNS: the resolver's queries to its upstream servers";
