/** The comment `allowlist export` writes on every object and rule (`ruleComment`: "name; ticket T; owner O; expires
 * D"), read back, so that an exported configuration imports with its rule names and tickets. */
export function exportComment(comment: string | undefined): { name?: string; ticket?: string } {
  if (!comment) return {};
  const [first, ...rest] = comment.split(';').map((part) => part.trim());
  const ticket = rest.find((part) => part.startsWith('ticket '))?.slice('ticket '.length).trim();
  return { ...(first ? { name: first } : {}), ...(ticket ? { ticket } : {}) };
}
