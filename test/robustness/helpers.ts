/** Shared checks of the robustness tests. */
import assert from 'node:assert/strict';
import type { Finding } from '../../src/core/types';

/** Every finding's range, and every fix edit's range, lies inside the text (half-open, start <= end). */
export function assertFindingsInside(text: string, findings: Finding[], label: string): void {
  const inside = (range: { start: number; end: number }) =>
    Number.isInteger(range.start) && Number.isInteger(range.end) && range.start >= 0 && range.start <= range.end && range.end <= text.length;
  for (const finding of findings) {
    assert.ok(inside(finding.range), `${label}: ${finding.ruleId} "${finding.message}" at ${JSON.stringify(finding.range)} is outside the text (length ${text.length})`);
    for (const fix of finding.fixes ?? []) {
      for (const edit of fix.edits) assert.ok(inside(edit.range), `${label}: fix "${fix.title}" edits ${JSON.stringify(edit.range)} outside the text (length ${text.length})`);
    }
  }
}
