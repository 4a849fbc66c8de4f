/** Applying the preferred fixes that findings carry, as `allowlist lint --fix` does: pure, text in and text out. */
import type { Finding, Fix, TextEdit } from '../common';

/** A fix that was applied: which rule's finding it answered, and its title. */
export interface AppliedFix {
  ruleId: string;
  title: string;
}

export interface FixResult {
  text: string;
  applied: AppliedFix[];
}

/** Rounds of fix and re-lint before `fixUntilStable` stops: each round applies every non-overlapping fix (fixes that
 * insert at one place take a round each: a vendor's dozens of missing hosts), and fixes that undo each other in a
 * longer cycle than a text seen again can never loop forever. */
export const MAX_FIX_ROUNDS = 100;

/**
 * One round: the preferred fix of each finding (its first fix marked `preferred`) applied to `text`, skipping a fix
 * whose edits overlap or touch those of a fix taken before it (in file order): the next round, after a re-lint, sees
 * it again at its new place. In a text with CRLF line breaks, new lines are written as CRLF too.
 */
export function applyPreferredFixes(text: string, findings: readonly Finding[]): FixResult {
  const candidates = findings
    .map((finding) => ({ finding, fix: finding.fixes?.find((fix) => fix.preferred) }))
    .filter((entry): entry is { finding: Finding; fix: Fix } => entry.fix !== undefined && entry.fix.edits.length > 0 && entry.fix.edits.every((edit) => isWithin(edit, text.length)))
    .sort((a, b) => firstStart(a.fix) - firstStart(b.fix));
  // Non-overlapping, in file order: a new edit can only meet its neighbours there.
  const taken: TextEdit[] = [];
  const applied: AppliedFix[] = [];
  for (const { finding, fix } of candidates) {
    const edits = [...fix.edits].sort((a, b) => a.range.start - b.range.start);
    // A fix's own edits must not overlap either: one that did would be applied differently depending on order.
    if (edits.some((edit, index) => index > 0 && touches(edits[index - 1], edit))) continue;
    if (edits.some((edit) => touchesTaken(taken, edit))) continue;
    for (const edit of edits) taken.splice(insertionIndex(taken, edit), 0, edit);
    applied.push({ ruleId: finding.ruleId, title: fix.title });
  }
  const crlf = text.includes('\r\n');
  const pieces: string[] = [];
  let at = 0;
  for (const edit of taken) {
    pieces.push(text.slice(at, edit.range.start), crlf ? edit.newText.replace(/\r?\n/g, '\r\n') : edit.newText);
    at = edit.range.end;
  }
  pieces.push(text.slice(at));
  return { text: pieces.join(''), applied };
}

/**
 * Fix, re-lint and fix again while a round changes the text into one not seen before, at most MAX_FIX_ROUNDS rounds.
 * `lint` gives a text's findings; `findings` is the last lint's, of the returned text (what remains to report). A
 * round that would break the file (more YAML or schema errors than before it: a fix that did not foresee the file's
 * shape, or that removed an anchor an alias uses) is taken back and its fixes tried one by one, each kept only if it
 * does not: --fix never writes a file that reads worse.
 */
export function fixUntilStable(text: string, lint: (text: string) => Finding[], maxRounds = MAX_FIX_ROUNDS): FixResult & { findings: Finding[] } {
  let current = text;
  let findings = lint(current);
  const applied: AppliedFix[] = [];
  const seen = new Set([current]);
  for (let round = 0; round < maxRounds; round++) {
    let next = applyPreferredFixes(current, findings);
    let nextFindings = next.text === current ? findings : lint(next.text);
    if (breaks(findings, nextFindings)) ({ fix: next, findings: nextFindings } = oneByOne(current, findings, lint));
    if (seen.has(next.text)) break;
    seen.add(next.text);
    current = next.text;
    findings = nextFindings;
    applied.push(...next.applied);
  }
  return { text: current, applied, findings };
}

/** The YAML and schema errors of a lint: what says the file itself is broken, not a rule of it. */
function structuralErrors(findings: readonly Finding[]): number {
  return findings.filter((finding) => finding.severity === 'error' && (finding.ruleId === 'yaml-syntax' || finding.ruleId === 'schema')).length;
}

function breaks(before: readonly Finding[], after: readonly Finding[]): boolean {
  return structuralErrors(after) > structuralErrors(before);
}

/** The round's fixes applied one at a time, each kept only if the file does not break: a lint per fix, only for a
 * round that broke the file. */
function oneByOne(text: string, findings: readonly Finding[], lint: (text: string) => Finding[]): { fix: FixResult; findings: Finding[] } {
  let current = text;
  let currentFindings = findings as Finding[];
  const applied: AppliedFix[] = [];
  const fixable = findings.filter((finding) => finding.fixes?.some((fix) => fix.preferred)).map((finding) => finding.subject);
  for (const subject of fixable) {
    // The finding again in the current text, whose offsets the fixes kept so far have moved.
    const finding = currentFindings.find((candidate) => candidate.subject === subject && candidate.fixes?.some((fix) => fix.preferred));
    if (!finding) continue;
    const next = applyPreferredFixes(current, [finding]);
    if (next.text === current) continue;
    const nextFindings = lint(next.text);
    if (breaks(currentFindings, nextFindings)) continue;
    current = next.text;
    currentFindings = nextFindings;
    applied.push(...next.applied);
  }
  return { fix: { text: current, applied }, findings: currentFindings };
}

function isWithin(edit: TextEdit, length: number): boolean {
  return edit.range.start >= 0 && edit.range.start <= edit.range.end && edit.range.end <= length;
}

function firstStart(fix: Fix): number {
  return Math.min(...fix.edits.map((edit) => edit.range.start));
}

/** Where `edit` goes among `taken` (sorted by start): after those that start before it. */
function insertionIndex(taken: TextEdit[], edit: TextEdit): number {
  let low = 0;
  let high = taken.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (taken[mid].range.start < edit.range.start) low = mid + 1;
    else high = mid;
  }
  return low;
}

/** Whether `edit` meets one of `taken` (sorted, non-overlapping): only the ones beside its place can. */
function touchesTaken(taken: TextEdit[], edit: TextEdit): boolean {
  const index = insertionIndex(taken, edit);
  return (index > 0 && touches(taken[index - 1], edit)) || (index < taken.length && touches(taken[index], edit));
}

/** Whether two edits overlap or meet: two insertions at one offset, or one that starts where the other ends, would
 * depend on the order they are applied in. */
function touches(a: TextEdit, b: TextEdit): boolean {
  return a.range.start <= b.range.end && b.range.start <= a.range.end;
}
