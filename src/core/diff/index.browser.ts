/** The part of this folder's face that runs anywhere: the browser bundles take it for index.ts (scripts/build.mjs),
 * and index.ts adds what needs Node (git revisions and the repository's files). */
export { accessDeltas, diffAllowlists, combineDiffs, describeReach, lintAllowlist, riskOf, sortChanges, type AccessDelta, type DiffOptions } from './diff';
export { formatDiff, formatDiffMarkdown, formatDiffText, isDiffFormat, toJson, verdict, failures, FAIL_ON_NAMES, DIFF_FORMATS, type DiffFormat } from './format';
export { REQUIREMENT_RULES, requirementFacts, type RequirementFacts, type Side } from './requirements';
export * from './types';
export { matchRules, subjectRewriter } from './match';
export { buildReach, PlaceCache, portsText, ruleLabel as reachRuleLabel, type Place, type Reach, type ReachEntry } from './reach';
