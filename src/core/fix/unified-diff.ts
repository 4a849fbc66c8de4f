/** A line diff of two texts in the unified format (`--- a/PATH`, `+++ b/PATH`, `@@` hunks) that `git apply` and
 * `patch -p1` accept: what `allowlist lint --fix-dry-run` prints. */

/** Lines of context around each change, as `diff -u` and git write. */
const CONTEXT = 3;
/** Past this many differing lines (after the common start and end are set aside), the middle is written as one
 * replaced block instead of searched for a shortest edit script: memory stays bounded for a rewrite of a big file. */
const MAX_EDIT_DISTANCE = 1000;

type Op = { kind: ' ' | '-' | '+'; line: string };

/** The unified diff from `before` to `after` for `path` (shown as `a/PATH` and `b/PATH`); '' when they are equal.
 * Lines keep their terminators (so a CRLF file's patch applies to it), and a last line without one is marked
 * `\ No newline at end of file`. */
export function unifiedDiff(path: string, before: string, after: string): string {
  if (before === after) return '';
  const ops = diffLines(splitLines(before), splitLines(after));
  const hunks = groupHunks(ops);
  // A name with a space ends with a tab, as git writes it: GNU patch would otherwise stop the name at the space.
  const end = path.includes(' ') ? '\t' : '';
  const out = [`--- a/${path}${end}\n`, `+++ b/${path}${end}\n`];
  for (const hunk of hunks) {
    out.push(`@@ -${span(hunk.oldStart, hunk.oldCount)} +${span(hunk.newStart, hunk.newCount)} @@\n`);
    for (const op of hunk.ops) out.push(op.kind + op.line + (op.line.endsWith('\n') ? '' : '\n\\ No newline at end of file\n'));
  }
  return out.join('');
}

/** Lines with their `\n` (a `\r` before it stays part of the line). */
function splitLines(text: string): string[] {
  const lines = text.split(/(?<=\n)/);
  return lines.length === 1 && lines[0] === '' ? [] : lines;
}

/** The edit script from `a` to `b`: the common start and end, and between them the shortest script (Myers' greedy
 * algorithm) or, past MAX_EDIT_DISTANCE, all of `a`'s middle removed and `b`'s added. */
function diffLines(a: string[], b: string[]): Op[] {
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  const middleA = a.slice(head, a.length - tail);
  const middleB = b.slice(head, b.length - tail);
  const middle = shortestScript(middleA, middleB) ?? [...middleA.map((line): Op => ({ kind: '-', line })), ...middleB.map((line): Op => ({ kind: '+', line }))];
  return [...a.slice(0, head).map((line): Op => ({ kind: ' ', line })), ...middle, ...a.slice(a.length - tail).map((line): Op => ({ kind: ' ', line }))];
}

/** Myers' O((N+M)·D) greedy search; the furthest-reaching x of each diagonal is kept per step to walk back. */
function shortestScript(a: string[], b: string[]): Op[] | undefined {
  const n = a.length;
  const m = b.length;
  const limit = Math.min(n + m, MAX_EDIT_DISTANCE);
  const offset = limit + 1;
  let v = new Int32Array(2 * limit + 3);
  const trace: Int32Array[] = [];
  for (let d = 0; d <= limit; d++) {
    trace.push(v.slice());
    const next = v.slice();
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && v[offset + k - 1] < v[offset + k + 1]) ? v[offset + k + 1] : v[offset + k - 1] + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      next[offset + k] = x;
      if (x >= n && y >= m) return walkBack(a, b, trace, offset, d, k);
    }
    v = next;
  }
  return undefined;
}

function walkBack(a: string[], b: string[], trace: Int32Array[], offset: number, steps: number, endK: number): Op[] {
  const ops: Op[] = [];
  let x = a.length;
  let k = endK;
  for (let d = steps; d > 0; d--) {
    const v = trace[d];
    const down = k === -d || (k !== d && v[offset + k - 1] < v[offset + k + 1]);
    const previousK = down ? k + 1 : k - 1;
    const previousX = v[offset + previousK];
    const previousY = previousX - previousK;
    // The snake (equal lines) that followed the step, then the step itself: a line added from b or removed from a.
    const snakeStartX = down ? previousX : previousX + 1;
    while (x > snakeStartX) ops.push({ kind: ' ', line: a[--x] });
    if (down) ops.push({ kind: '+', line: b[previousY] });
    else ops.push({ kind: '-', line: a[previousX] });
    x = previousX;
    k = previousK;
  }
  while (x > 0) ops.push({ kind: ' ', line: a[--x] });
  return ops.reverse();
}

interface Hunk {
  oldStart: number;
  oldCount: number;
  newStart: number;
  newCount: number;
  ops: Op[];
}

/** Changes with CONTEXT lines around them; changes closer than twice that share a hunk. */
function groupHunks(ops: Op[]): Hunk[] {
  const changed = ops.flatMap((op, index) => (op.kind === ' ' ? [] : [index]));
  const hunks: Hunk[] = [];
  let first = 0;
  while (first < changed.length) {
    let last = first;
    while (last + 1 < changed.length && changed[last + 1] - changed[last] <= 2 * CONTEXT + 1) last++;
    const from = Math.max(0, changed[first] - CONTEXT);
    const to = Math.min(ops.length, changed[last] + CONTEXT + 1);
    // Line numbers of the hunk's first line: the lines each side has before it.
    let oldLine = 0;
    let newLine = 0;
    for (const op of ops.slice(0, from)) {
      if (op.kind !== '+') oldLine++;
      if (op.kind !== '-') newLine++;
    }
    const hunkOps = ops.slice(from, to);
    const oldCount = hunkOps.filter((op) => op.kind !== '+').length;
    const newCount = hunkOps.filter((op) => op.kind !== '-').length;
    // An empty side is numbered by the line before it (`-0,0` for an empty file).
    hunks.push({ oldStart: oldCount === 0 ? oldLine : oldLine + 1, oldCount, newStart: newCount === 0 ? newLine : newLine + 1, newCount, ops: hunkOps });
    first = last + 1;
  }
  return hunks;
}

function span(start: number, count: number): string {
  return count === 1 ? String(start) : `${start},${count}`;
}
