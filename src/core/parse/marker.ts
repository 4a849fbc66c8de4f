/** Whether a YAML text says what it is in its first lines: `allowlist: 1` or `catalog: 1` at the top level,
 * a format version. The version is what tells our files from other tools' YAML with the same key
 * (pnpm-workspace.yaml has a `catalog:` mapping; some configs have an `allowlist:` list). Any whole number is
 * accepted, so a wrong version is still linted and reported by the schema. */
const MARKER = /^(?:(allowlist)|"(allowlist)"|'(allowlist)'|(catalog)|"(catalog)"|'(catalog)')[ \t]*:[ \t]+(?:\d+|"\d+"|'\d+')[ \t]*(?:#.*)?$/m;

export type MarkedKind = 'allowlist' | 'catalog';

export function markedKind(head: string): MarkedKind | undefined {
  const match = MARKER.exec(head);
  if (!match) return undefined;
  return match[1] ?? match[2] ?? match[3] ? 'allowlist' : 'catalog';
}
