/** The browser's face of this folder (the browser bundles take it for index.ts, see scripts/build.mjs): what
 * index.ts exports except what needs Node (git, and the revision diff built on it). */
export { accessDeltas, diffAllowlists, combineDiffs, describeReach, lintAllowlist, riskOf, sortChanges, type AccessDelta, type DiffOptions } from './diff';
export { formatDiff, formatDiffMarkdown, formatDiffText, isDiffFormat, toJson, verdict, failures, FAIL_ON_NAMES, DIFF_FORMATS, type DiffFormat } from './format';
export { REQUIREMENT_RULES, requirementFacts, type RequirementFacts, type Side } from './requirements';
export * from './types';
export { matchRules, subjectRewriter } from './match';
export { buildReach, PlaceCache, portsText, ruleLabel as reachRuleLabel, type Place, type Reach, type ReachEntry } from './reach';
