/** Small helpers over `yaml`'s node tree: ranges, plain values, path lookups. */
import { Alias, Document, isAlias, isMap, isPair, isScalar, isSeq, type Node, type Pair, type ParsedNode, type YAMLError } from 'yaml';
import { ECHO_LIMIT, excerpt, type Range } from '../common';

/** A `*.example.com` written without quotes: YAML reads it as an alias to an anchor named ".example.com". */
export function isUnquotedWildcard(node: unknown): node is Alias {
  return isAlias(node) && node.source.startsWith('.');
}

/** A parser error or warning in the user's terms: its first line without the position (the finding has the
 * range); running out of stack on very deep nesting, or a second document, said as what is wrong with the file. */
export function yamlProblemMessage(problem: YAMLError, file: 'an allowlist' | 'a catalog' = 'an allowlist'): string {
  // The parser's words may quote the text (an alias's name): capped as messages cap values, with room for the words.
  const raw = excerpt(problem.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, ''), 2 * ECHO_LIMIT);
  if (/^Maximum call stack size exceeded/.test(raw)) return `the YAML is nested too deeply to read from here on (${file} needs only a few levels)`;
  if (problem.code === 'MULTIPLE_DOCS') return `a second YAML document starts here (\`---\`): ${file} is one document; split the file, or remove the marker`;
  return raw;
}

export function nodeRange(node: unknown, base = 0): Range | undefined {
  const range = (node as ParsedNode | undefined)?.range;
  return range ? { start: range[0] - base, end: range[1] - base } : undefined;
}

/** Thrown when the YAML cannot be turned into plain values: an alias without its anchor, too many alias
 * expansions, or nesting deeper than `MAX_DEPTH`. */
export class YamlValueError extends Error {
  constructor(
    message: string,
    readonly node: unknown,
    readonly reason: 'unresolved-alias' | 'alias-limit' | 'depth-limit',
  ) {
    super(message);
  }
}

/** Deeper values are not read (an allowlist needs five levels): the limit keeps recursion off the stack limit. */
export const MAX_DEPTH = 256;
/** Nodes that alias expansions may copy, in all: a small file whose aliases repeat a big anchor many times
 * (an "alias bomb") would otherwise take gigabytes of memory. */
export const MAX_ALIAS_NODES = 100_000;

/** Converts a node to plain JavaScript. Unquoted wildcards become their string; aliases count toward a limit (alias bombs). */
export function toPlain(node: unknown, doc: Document | undefined, budget: { aliases: number; nodes?: number } = { aliases: 10_000 }): unknown {
  budget.nodes ??= MAX_ALIAS_NODES;
  return plainOf(node, doc, budget as { aliases: number; nodes: number }, 0, false);
}

function plainOf(node: unknown, doc: Document | undefined, budget: { aliases: number; nodes: number }, depth: number, viaAlias: boolean): unknown {
  if (node === null || node === undefined) return null;
  if (viaAlias && --budget.nodes < 0) throw aliasLimit(node);
  if (isScalar(node)) return node.value;
  if (isUnquotedWildcard(node)) return `*${node.source}`;
  if (depth > MAX_DEPTH) throw new YamlValueError(`the YAML is nested more than ${MAX_DEPTH} levels deep; it is not read further (an allowlist needs only a few levels)`, node, 'depth-limit');
  if (isAlias(node)) {
    const target = doc ? resolveAlias(node, doc) : undefined;
    if (!target) throw new YamlValueError(`the alias *${node.source} has no anchor &${node.source} before it`, node, 'unresolved-alias');
    if (--budget.aliases < 0) throw aliasLimit(node);
    return plainOf(target, doc, budget, depth + 1, true);
  }
  if (isMap(node)) {
    const result: Record<string, unknown> = {};
    for (const pair of node.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : String(plainOf(pair.key, doc, budget, depth + 1, viaAlias));
      result[key] = plainOf(pair.value, doc, budget, depth + 1, viaAlias);
    }
    return result;
  }
  if (isSeq(node)) return node.items.map((item) => plainOf(item, doc, budget, depth + 1, viaAlias));
  if (isPair(node)) return plainOf((node as Pair).value, doc, budget, depth + 1, viaAlias);
  return null;
}

const resolved = new WeakMap<Document, Map<Alias, unknown>>();

/** The node an alias stands for, with the alias's own range (its anchor may be anywhere in the file: findings
 * belong where the value is used). Other nodes, unquoted wildcards and aliases without an anchor (reported by
 * `toPlain`) come back as they are. */
export function dealias(node: unknown, doc: Document): { node: unknown; range?: Range } {
  if (!isAlias(node) || node.source.startsWith('.')) return { node };
  const target = resolveAlias(node, doc);
  return target === undefined ? { node } : { node: target, range: nodeRange(node) };
}

/** The anchored node, once per alias node and document: `Alias.resolve` walks the document from its start. */
function resolveAlias(node: Alias, doc: Document): unknown {
  let anchors = resolved.get(doc);
  if (!anchors) resolved.set(doc, (anchors = new Map()));
  let target = anchors.get(node);
  if (target === undefined && !anchors.has(node)) anchors.set(node, (target = node.resolve(doc)));
  return target;
}

function aliasLimit(node: unknown): YamlValueError {
  return new YamlValueError('too many alias expansions (an "alias bomb"); the file is not linted further', node, 'alias-limit');
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
