/** Shared checks of the robustness tests. */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { LintOptions } from '../../src/core/lint';
import type { IgnoreComment } from '../../src/core/parse';
import type { Finding } from '../../src/core/common';

/** How long a robustness case may take before it counts as a hang: far above what any case takes even on a
 * loaded 2-core machine (seconds), so it fails only on a hang or a return to time in the square of the input.
 * How fast the cases are is the benchmark's business (`npm run bench`), never a test's. */
export const HANG_LIMIT_MS = 120_000;

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

/** Lints in a worker thread that is ended after `limitMs`, so that an input which takes time in the square of its
 * size fails the test instead of hanging the suite: a test's own timeout cannot stop a synchronous lint. */
export function lintInWorker(text: string, options: LintOptions, limitMs: number): Promise<{ findings: Finding[]; ignores: IgnoreComment[] }> {
  // A worker does not inherit the test's TypeScript loader: it registers tsx's before loading the TS entry.
  const entry = `require('tsx/cjs/api').register(); require(${JSON.stringify(join(__dirname, 'lint-worker.ts'))});`;
  const worker = new Worker(entry, { eval: true, workerData: { text, options } });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void worker.terminate();
      reject(new Error(`the lint did not finish in ${limitMs / 1000} s`));
    }, limitMs);
    worker.once('message', (result) => {
      clearTimeout(timer);
      void worker.terminate();
      resolve(result);
    });
    worker.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
}
