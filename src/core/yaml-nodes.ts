/** Small helpers over `yaml`'s node tree: ranges, plain values, path lookups. */
import { Alias, Document, isAlias, isMap, isPair, isScalar, isSeq, type Node, type Pair, type ParsedNode } from 'yaml';
import type { Range } from './types';

/** A `*.example.com` written without quotes: YAML reads it as an alias to an anchor named ".example.com". */
export function isUnquotedWildcard(node: unknown): node is Alias {
  return isAlias(node) && node.source.startsWith('.');
}

export function nodeRange(node: unknown, base = 0): Range | undefined {
  const range = (node as ParsedNode | undefined)?.range;
  return range ? { start: range[0] - base, end: range[1] - base } : undefined;
}

/** Thrown when the YAML cannot be turned into plain values: an alias without its anchor, or too many alias expansions. */
export class YamlValueError extends Error {
  constructor(
    message: string,
    readonly node: unknown,
    readonly reason: 'unresolved-alias' | 'alias-limit',
  ) {
    super(message);
  }
}

/** Converts a node to plain JavaScript. Unquoted wildcards become their string; aliases count toward a limit (alias bombs). */
export function toPlain(node: unknown, doc: Document | undefined, budget = { aliases: 10_000 }): unknown {
  if (node === null || node === undefined) return null;
  if (isScalar(node)) return node.value;
  if (isUnquotedWildcard(node)) return `*${node.source}`;
  if (isAlias(node)) {
    const target = doc ? node.resolve(doc) : undefined;
    if (!target) throw new YamlValueError(`the alias *${node.source} has no anchor &${node.source} before it`, node, 'unresolved-alias');
    if (--budget.aliases < 0) throw new YamlValueError('too many alias expansions (an "alias bomb"); the file is not linted further', node, 'alias-limit');
    return toPlain(target, doc, budget);
  }
  if (isMap(node)) {
    const result: Record<string, unknown> = {};
    for (const pair of node.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : String(toPlain(pair.key, doc, budget));
      result[key] = toPlain(pair.value, doc, budget);
    }
    return result;
  }
  if (isSeq(node)) return node.items.map((item) => toPlain(item, doc, budget));
  if (isPair(node)) return toPlain((node as Pair).value, doc, budget);
  return null;
}

/** The node at a JSON-pointer-like path, and the pair whose key is the last path segment (for key ranges). */
export function nodeAtPath(root: unknown, path: (string | number)[]): { node: unknown; pair?: Pair } {
  let node: unknown = root;
  let pair: Pair | undefined;
  for (const segment of path) {
    if (isMap(node)) {
      pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(segment)) as Pair | undefined;
      if (!pair) return { node, pair: undefined };
      node = pair.value;
    } else if (isSeq(node) && typeof segment === 'number') {
      pair = undefined;
      if (segment >= node.items.length) return { node };
      node = node.items[segment];
    } else {
      return { node };
    }
  }
  return { node, pair };
}

export function scalarText(node: unknown): string | undefined {
  if (isScalar(node)) return node.value === null ? undefined : String(node.value);
  if (isUnquotedWildcard(node)) return `*${node.source}`;
  return undefined;
}

export type { Node };
