/** The semantic diff of allowlists (issue 6): by effect, not by text. See README.md in this folder. */
export { diffAllowlists, combineDiffs, describeReach, riskOf, sortChanges, type DiffOptions } from './diff';
export { formatDiff, formatDiffMarkdown, formatDiffText, isDiffFormat, toJson, verdict, failures, FAIL_ON_NAMES, DIFF_FORMATS, type DiffFormat } from './format';
export { REQUIREMENT_RULES } from './requirements';
export * from './types';
