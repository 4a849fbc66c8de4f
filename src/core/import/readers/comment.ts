import { commentParts, directionMarker } from '../../common';

/** The comment `allowlist export` writes on every object and rule (`ruleComment`: "name; ticket T; owner O; expires
 * D", "inbound; " or "outbound; " first where the target marks directions), read back, so that an exported
 * configuration imports with its rule names, tickets and, where the configuration does not say it, directions. With
 * `marked` (nftables), the direction marker is read (`directionMarker`). */
export function exportComment(comment: string | undefined, { marked = false } = {}): { name?: string; ticket?: string; inbound?: true } {
  if (!comment) return {};
  const parts = commentParts(comment);
  const marker = marked ? directionMarker(parts) : undefined;
  const inbound = marker?.inbound === true;
  const [first, ...rest] = marker?.rest ?? parts;
  const ticket = rest.find((part) => part.startsWith('ticket '))?.slice('ticket '.length).trim();
  return { ...(first ? { name: first } : {}), ...(ticket ? { ticket } : {}), ...(inbound ? { inbound: true } : {}) };
}
