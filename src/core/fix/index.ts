/** `allowlist lint --fix`: the findings' preferred fixes applied (non-overlapping ones per round, re-linted until
 * nothing changes), and the unified diff `--fix-dry-run` prints. */
export { applyPreferredFixes, fixUntilStable, MAX_FIX_ROUNDS, type AppliedFix, type FixResult } from './apply';
export { encodeLike, hasUtf8Bom } from './encoding';
export { unifiedDiff } from './unified-diff';
