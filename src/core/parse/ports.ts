/** Parses a rule's `ports` value: a port, a "A-B" range, a list of them, or `any`. */
import { excerpt, quoted, type Range } from '../common';
import { isDigits } from './chars';
import type { PortSet, PortSpan } from './model';

export interface PortInput {
  value: unknown;
  range: Range;
}

export function parsePortSpan({ value, range }: PortInput): PortSpan {
  const text = String(value);
  if (typeof value === 'number') {
    return Number.isInteger(value) && value >= 1 && value <= 65535 ? portSpan(text, range, value, value) : portSpan(text, range, value, value, `port ${text} is outside 1-65535`);
  }
  if (typeof value !== 'string') return portSpan(text, range, 0, 0, `a port must be a number or a "from-to" range, not ${excerpt(JSON.stringify(value) ?? String(value))}`);
  let from: number;
  let to: number;
  const dash = value.indexOf('-');
  // The usual "from-to" read by hand (no spaces, up to 9 digits a side, so the numbers are exact); the rest by the
  // regular expression.
  if (dash > 0 && dash < 10 && value.length - dash - 1 <= 9 && value.length > dash + 1 && isDigits(value, 0, dash) && isDigits(value, dash + 1, value.length)) {
    from = Number(value.slice(0, dash));
    to = Number(value.slice(dash + 1));
  } else {
    const match = /^\s*(\d+)\s*(?:-\s*(\d+)\s*)?$/.exec(value);
    if (!match) return portSpan(text, range, 0, 0, `${quoted(value)} is not a port or a "from-to" port range`);
    from = Number(match[1]);
    to = match[2] === undefined ? from : Number(match[2]);
  }
  if (from < 1 || from > 65535) return portSpan(text, range, from, to, `port ${from} is outside 1-65535`);
  if (to < 1 || to > 65535) return portSpan(text, range, from, to, `port ${to} is outside 1-65535`);
  if (to < from) return portSpan(text, range, from, to, `the range ${quoted(value)} is reversed; did you mean "${to}-${from}"?`);
  return portSpan(text, range, from, to);
}

/** Not a closure in `parsePortSpan`: it runs for every port of every rule. */
function portSpan(text: string, range: Range, from: number, to: number, problem?: string): PortSpan {
  return { from, to, text, range, problem };
}

export function isAnyPort(value: unknown): boolean {
  return typeof value === 'string' && value.trim().toLowerCase() === 'any';
}

/** Whether `outer` allows every port `inner` allows. Spans with problems allow nothing. */
export function portsCover(outer: PortSet, inner: PortSet): boolean {
  if (outer.any) return true;
  if (inner.any) return false;
  // One valid span (most sets) is its own merge: no cache to look up.
  const valid = outer.spans.length === 1 && outer.spans[0].problem === undefined ? outer.spans : mergedSpansOf(outer);
  return inner.spans.every((span) => span.problem !== undefined || valid.some((o) => o.from <= span.from && span.to <= o.to));
}

const mergedCache = new WeakMap<PortSet, { from: number; to: number }[]>();

/** `mergeSpans` of a set's spans, once per set: `shadowed-rule` compares the sets of unchanged rules on every lint. */
export function mergedSpansOf(set: PortSet): { from: number; to: number }[] {
  let merged = mergedCache.get(set);
  if (!merged) mergedCache.set(set, (merged = mergeSpans(set.spans)));
  return merged;
}

/** Sorted, merged [from, to] intervals of the valid spans. */
export function mergeSpans(spans: readonly Pick<PortSpan, 'from' | 'to' | 'problem'>[]): { from: number; to: number }[] {
  const sorted = spans.filter((s) => !s.problem).map((s) => ({ from: s.from, to: s.to })).sort((a, b) => a.from - b.from);
  const merged: { from: number; to: number }[] = [];
  for (const span of sorted) {
    const last = merged[merged.length - 1];
    if (last && span.from <= last.to + 1) last.to = Math.max(last.to, span.to);
    else merged.push({ ...span });
  }
  return merged;
}

/** The parts of `needed` that `allowed` does not cover, as intervals. */
export function uncoveredPorts(allowed: PortSet | undefined, needed: { from: number; to: number }[]): { from: number; to: number }[] {
  if (allowed?.any) return [];
  const have = allowed ? mergeSpans(allowed.spans) : [];
  const missing: { from: number; to: number }[] = [];
  for (const want of needed) {
    let cursor = want.from;
    for (const span of have) {
      if (span.to < cursor || span.from > want.to) continue;
      if (span.from > cursor) missing.push({ from: cursor, to: span.from - 1 });
      cursor = Math.max(cursor, span.to + 1);
      if (cursor > want.to) break;
    }
    if (cursor <= want.to) missing.push({ from: cursor, to: want.to });
  }
  return missing;
}

export function formatPortRange({ from, to }: { from: number; to: number }): string {
  return from === to ? String(from) : `${from}-${to}`;
}
