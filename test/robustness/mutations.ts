/** Mutations of allowlist text for the fuzz tests: each takes the text and a few random numbers (from
 * fast-check, so failures shrink and replay) and returns an edited text. They model what editing and
 * copy-paste do to a file: lines lost, indentation off, values of the wrong type, absurd numbers,
 * unicode and control characters, stray YAML syntax. */
import fc from 'fast-check';

export interface Mutation {
  kind: string;
  /** Where in the text (scaled to its length). */
  at: number;
  /** A second random number for the mutation's choice. */
  pick: number;
}

const WRONG_VALUES = ['[a, b]', '{x: 1}', '123', 'true', 'null', '~', '""', '-1', '[]', '{}', '2027-13-45', '"80-"', '0x1BB', '1e5', '.inf', '!!binary aGVsbG8=', '&anc x', '*ref', '|\n      block'];
const HUGE = ['99999999999999999999999999', '-9007199254740993', '1e309', '65536', '0', '"1-99999999999"', '1' + '0'.repeat(400)];
const UNICODE = ['é', 'ß', '漢字', '😀', '\u202e', '\u200b', '\ufeff', '\ud800', '\udc00', 'ｆｕｌｌ', 'İ', '\u0085', '\u2028', 'Ω'];
const CONTROL = ['\u0000', '\u0001', '\u0007', '\u001b', '\t', '\r', '\r\n', '\u007f', '\u0000\u0000\u0000'];
const SYNTAX = [':', '- ', '? ', '"', "'", '[', ']', '{', '}', '#', '&a ', '*a', '!', '|', '>', '%YAML 1.2\n', '---\n', '...\n', '@', '`', ',', '*.example.com'];

export const MUTATION_KINDS = ['delete-line', 'duplicate-line', 'swap-lines', 'indent-more', 'indent-less', 'tab-indent', 'wrong-type', 'huge-number', 'unicode', 'control', 'syntax', 'delete-char', 'truncate', 'join-lines'] as const;

export const mutationArb: fc.Arbitrary<Mutation> = fc.record({
  kind: fc.constantFrom(...MUTATION_KINDS),
  at: fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
  pick: fc.nat({ max: 1_000_000 }),
});

function lineBounds(text: string, at: number): { start: number; end: number } {
  const offset = Math.min(text.length, Math.floor(at * text.length));
  const start = text.lastIndexOf('\n', offset - 1) + 1;
  const newline = text.indexOf('\n', offset);
  return { start, end: newline === -1 ? text.length : newline };
}

export function mutate(text: string, mutation: Mutation): string {
  const { kind, at, pick } = mutation;
  const offset = Math.min(text.length, Math.floor(at * text.length));
  const { start, end } = lineBounds(text, at);
  const line = text.slice(start, end);
  const choose = <T>(list: readonly T[]): T => list[pick % list.length];
  switch (kind) {
    case 'delete-line':
      return text.slice(0, start) + text.slice(Math.min(text.length, end + 1));
    case 'duplicate-line':
      return text.slice(0, end) + '\n' + line + text.slice(end);
    case 'swap-lines': {
      const next = lineBounds(text, Math.min(0.999999, (end + 1) / Math.max(1, text.length)));
      if (next.start <= end) return text;
      return text.slice(0, start) + text.slice(next.start, next.end) + '\n' + line + text.slice(next.end);
    }
    case 'indent-more':
      return text.slice(0, start) + ' '.repeat(1 + (pick % 4)) + text.slice(start);
    case 'indent-less': {
      const spaces = /^ */.exec(line)![0].length;
      return text.slice(0, start) + line.slice(Math.min(spaces, 1 + (pick % 4))) + text.slice(end);
    }
    case 'tab-indent':
      return text.slice(0, start) + line.replace(/^ +/, '\t') + text.slice(end);
    case 'wrong-type':
    case 'huge-number': {
      const colon = line.indexOf(': ');
      const value = choose(kind === 'wrong-type' ? WRONG_VALUES : HUGE);
      if (colon === -1) return text.slice(0, start) + line + ' ' + value + text.slice(end);
      return text.slice(0, start) + line.slice(0, colon + 2) + value + text.slice(end);
    }
    case 'unicode':
      return text.slice(0, offset) + choose(UNICODE) + text.slice(offset);
    case 'control':
      return text.slice(0, offset) + choose(CONTROL) + text.slice(offset);
    case 'syntax':
      return text.slice(0, offset) + choose(SYNTAX) + text.slice(offset);
    case 'delete-char':
      return text.slice(0, offset) + text.slice(offset + 1);
    case 'truncate':
      return text.slice(0, offset);
    case 'join-lines':
      return end < text.length ? text.slice(0, end) + ' ' + text.slice(end + 1) : text;
    default:
      return text;
  }
}

export function mutateAll(text: string, mutations: Mutation[]): string {
  return mutations.reduce(mutate, text);
}
