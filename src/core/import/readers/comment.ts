/** The comment `allowlist export` writes on every object and rule (`ruleComment`: "name; ticket T; owner O; expires
 * D", with "inbound" after the name where the target marks inbound rules), read back, so that an exported
 * configuration imports with its rule names, tickets and, where the configuration does not say it, directions. */
export function exportComment(comment: string | undefined): { name?: string; ticket?: string; inbound?: true } {
  if (!comment) return {};
  const [first, ...rest] = comment.split(';').map((part) => part.trim());
  const ticket = rest.find((part) => part.startsWith('ticket '))?.slice('ticket '.length).trim();
  return { ...(first ? { name: first } : {}), ...(ticket ? { ticket } : {}), ...(rest.includes('inbound') ? { inbound: true } : {}) };
}
