/** File-name globs of the `allowlist.files.patterns` setting, matched against a path with forward
 * slashes, ignoring case, as VS Code's globs: `*` (any characters but `/`), `?` (one character but
 * `/`), `**` (any characters; before a slash, any number of folders, including none), `[a-z]` and `[!a-z]` (one
 * character in or not in the class, never `/`), `{a,b}` (either alternative; alternatives may hold
 * globs and braces). A `[` or `{` without its closing bracket is a plain character. A pattern matches
 * the end of the path from any folder on, so `*.yaml` matches the file name in any folder, as
 * VS Code's `files.associations` does.
 *
 * The pattern becomes a nondeterministic automaton that reads the path once, keeping the set of
 * states it can be in: the time grows with path length × pattern length, whatever the pattern. (A
 * backtracking regular expression takes seconds on `**a**a**a**c` and a long path.) */
export function compileGlob(glob: string): (path: string) => boolean {
  const automaton = new Automaton();
  const accept = automaton.add({ kind: 'epsilon', next: [] });
  const start = automaton.sequence(parseSequence(Array.from(glob)), accept);
  return (path) => automaton.matches(path, start, accept);
}

type CharTest = (ch: string) => boolean;

type GlobNode =
  | { kind: 'one'; test: CharTest }
  | { kind: 'many'; test: CharTest }
  | { kind: 'either'; options: GlobNode[][] };

const notSlash: CharTest = (ch) => ch !== '/';
const anyChar: CharTest = () => true;

function literal(expected: string): CharTest {
  const folded = expected.toLowerCase();
  return (ch) => ch.toLowerCase() === folded;
}

function parseSequence(chars: string[]): GlobNode[] {
  const nodes: GlobNode[] = [];
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i];
    if (ch === '*' && chars[i + 1] === '*') {
      const many: GlobNode = { kind: 'many', test: anyChar };
      if (chars[i + 2] === '/') {
        // `**/`: nothing, or any characters ending with a slash.
        nodes.push({ kind: 'either', options: [[], [many, { kind: 'one', test: literal('/') }]] });
        i += 2;
      } else {
        nodes.push(many);
        i += 1;
      }
    } else if (ch === '*') nodes.push({ kind: 'many', test: notSlash });
    else if (ch === '?') nodes.push({ kind: 'one', test: notSlash });
    else if (ch === '[' && closingBracket(chars, i) !== -1) {
      const close = closingBracket(chars, i);
      nodes.push({ kind: 'one', test: characterClass(chars.slice(i + 1, close)) });
      i = close;
    } else if (ch === '{' && closingBrace(chars, i) !== -1) {
      const close = closingBrace(chars, i);
      nodes.push({ kind: 'either', options: splitAlternatives(chars.slice(i + 1, close)).map(parseSequence) });
      i = close;
    } else nodes.push({ kind: 'one', test: literal(ch) });
  }
  return nodes;
}

/** The `]` closing the class opened at `open`; a `]` first in the class (after any `!`/`^`) is a member. */
function closingBracket(chars: string[], open: number): number {
  let i = open + 1;
  if (chars[i] === '!' || chars[i] === '^') i++;
  return chars.indexOf(']', i + 1);
}

function closingBrace(chars: string[], open: number): number {
  let depth = 0;
  for (let i = open; i < chars.length; i++) {
    if (chars[i] === '{') depth++;
    else if (chars[i] === '}' && --depth === 0) return i;
  }
  return -1;
}

/** The brace's content cut at its own commas, not at those of braces inside it. */
function splitAlternatives(chars: string[]): string[][] {
  const options: string[][] = [[]];
  let depth = 0;
  for (const ch of chars) {
    if (ch === ',' && depth === 0) {
      options.push([]);
      continue;
    }
    if (ch === '{') depth++;
    else if (ch === '}') depth--;
    options[options.length - 1].push(ch);
  }
  return options;
}

/** `[abc]`, `[a-z]`, `[!a-z]` (or `[^a-z]`); matched ignoring case, and never a slash. */
function characterClass(members: string[]): CharTest {
  const negated = members[0] === '!' || members[0] === '^';
  const ranges: Array<[string, string]> = [];
  for (let i = negated ? 1 : 0; i < members.length; i++) {
    if (members[i + 1] === '-' && i + 2 < members.length) {
      ranges.push([members[i], members[i + 2]]);
      i += 2;
    } else ranges.push([members[i], members[i]]);
  }
  const inClass = (ch: string) => ranges.some(([low, high]) => low <= ch && ch <= high);
  return (ch) => ch !== '/' && negated !== (inClass(ch) || inClass(ch.toLowerCase()) || inClass(ch.toUpperCase()));
}

type State = { kind: 'read'; test: CharTest; next: number } | { kind: 'epsilon'; next: number[] };

class Automaton {
  private readonly states: State[] = [];

  add(state: State): number {
    return this.states.push(state) - 1;
  }

  /** Builds `nodes` in front of the state `next`, from the last node back; returns the entry state. */
  sequence(nodes: GlobNode[], next: number): number {
    for (let i = nodes.length - 1; i >= 0; i--) next = this.node(nodes[i], next);
    return next;
  }

  private node(node: GlobNode, next: number): number {
    switch (node.kind) {
      case 'one':
        return this.add({ kind: 'read', test: node.test, next });
      case 'many': {
        const loop: State = { kind: 'epsilon', next: [next] };
        const entry = this.add(loop);
        loop.next.push(this.add({ kind: 'read', test: node.test, next: entry }));
        return entry;
      }
      case 'either':
        return this.add({ kind: 'epsilon', next: node.options.map((option) => this.sequence(option, next)) });
    }
  }

  /** Runs the states in step over the path; a match may start at the path's start or after any slash. */
  matches(path: string, start: number, accept: number): boolean {
    let current = new Set<number>();
    this.enter(start, current);
    for (const ch of path) {
      const reached = new Set<number>();
      for (const index of current) {
        const state = this.states[index];
        if (state.kind === 'read' && state.test(ch)) this.enter(state.next, reached);
      }
      if (ch === '/') this.enter(start, reached);
      current = reached;
    }
    return current.has(accept);
  }

  /** Adds a state and every state its empty moves lead to. */
  private enter(index: number, into: Set<number>): void {
    if (into.has(index)) return;
    into.add(index);
    const state = this.states[index];
    if (state.kind === 'epsilon') for (const next of state.next) this.enter(next, into);
  }
}
