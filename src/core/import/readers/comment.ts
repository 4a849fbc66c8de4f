/** The comment `allowlist export` writes on every object and rule (`ruleComment`: "name; ticket T; owner O; expires
 * D", "inbound; " or "outbound; " first where the target marks directions), read back, so that an exported
 * configuration imports with its rule names, tickets and, where the configuration does not say it, directions. With
 * `marked` (nftables), the marker is read: first, followed by the rule's text; or, in comments written before it
 * moved first, `inbound` right after the name. */
export function exportComment(comment: string | undefined, { marked = false } = {}): { name?: string; ticket?: string; inbound?: true } {
  if (!comment) return {};
  const parts = comment.split(';').map((part) => part.trim());
  let inbound = false;
  if (marked && parts.length > 1 && (parts[0] === 'inbound' || parts[0] === 'outbound')) inbound = parts.shift() === 'inbound';
  else if (marked && parts[1] === 'inbound') {
    parts.splice(1, 1);
    inbound = true;
  }
  const [first, ...rest] = parts;
  const ticket = rest.find((part) => part.startsWith('ticket '))?.slice('ticket '.length).trim();
  return { ...(first ? { name: first } : {}), ...(ticket ? { ticket } : {}), ...(inbound ? { inbound: true } : {}) };
}
