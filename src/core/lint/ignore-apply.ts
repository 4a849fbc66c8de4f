/** Applies `# allowlist-ignore RULE-ID: reason` comments to findings, and reports the comments that are
 * wrong: no reason, an unknown rule, or nothing silenced. */
import { closestName, LineIndex, quoted } from '../common';
import { type AllowlistModel, type IgnoreComment, MARKER, type RawFinding } from '../parse';
import { ruleById } from './rules';

export const IGNORE_RULE_ID = 'ignore-comment';

export function applyIgnores(findings: RawFinding[], model: AllowlistModel): RawFinding[] {
  if (model.ignores.length === 0) return findings;
  const lines = new LineIndex(model.text);
  const byTarget = new Map<string, IgnoreComment>();
  for (const ignore of model.ignores) byTarget.set(`${ignore.targetLine}\n${ignore.ruleId}`, ignore);
  const used = new Set<IgnoreComment>();
  const kept = findings.filter((finding) => {
    const ignore = byTarget.get(`${lines.positionAt(finding.range.start).line}\n${finding.ruleId}`);
    if (!ignore || finding.ruleId === IGNORE_RULE_ID) return true;
    used.add(ignore);
    return false;
  });
  for (const ignore of model.ignores) {
    const removeComment = {
      title: 'Remove this ignore comment',
      edits: [{ range: { start: trimStart(model.text, ignore.range.start), end: ignore.range.end }, newText: '' }],
    };
    const subject = `ignore:${ignore.ruleId}:${ignore.targetLine}`;
    if (!ignore.ruleId) {
      kept.push({ ruleId: IGNORE_RULE_ID, message: 'allowlist-ignore needs a rule id: `# allowlist-ignore RULE-ID: reason`', range: ignore.range, subject });
    } else if (!ruleById.has(ignore.ruleId)) {
      const meant = closestName(ignore.ruleId, ruleById.keys());
      const message = `allowlist-ignore names an unknown rule ${quoted(ignore.ruleId)}${meant ? `; did you mean ${meant}?` : ''}`;
      const fixes = meant ? [renameRule(model.text, ignore, meant), removeComment] : [removeComment];
      kept.push({ ruleId: IGNORE_RULE_ID, message, range: ignore.range, subject, fixes });
    } else if (!used.has(ignore)) {
      kept.push({ ruleId: IGNORE_RULE_ID, message: `allowlist-ignore ${ignore.ruleId} silences nothing on the line it applies to; remove it`, range: ignore.range, subject, fixes: [removeComment] });
    }
    if (ignore.ruleId && !ignore.reason) {
      kept.push({ ruleId: IGNORE_RULE_ID, message: `allowlist-ignore ${ignore.ruleId} needs a reason: \`# allowlist-ignore ${ignore.ruleId}: why\``, range: ignore.range, subject: `${subject}:reason` });
    }
  }
  return kept;
}

/** The fix that writes `meant` for the misspelt rule id, which follows the marker in the comment. */
function renameRule(text: string, ignore: IgnoreComment, meant: string) {
  const start = text.indexOf(ignore.ruleId, text.indexOf(MARKER, ignore.range.start) + MARKER.length);
  return { title: `Change to ${meant}`, edits: [{ range: { start, end: start + ignore.ruleId.length }, newText: meant }] };
}

/** Start of the comment including the blanks before it, so removing a trailing comment leaves no trailing space. */
function trimStart(text: string, start: number): number {
  let at = start;
  while (at > 0 && (text[at - 1] === ' ' || text[at - 1] === '\t')) at--;
  return at;
}
