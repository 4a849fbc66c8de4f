/** The semantic diff of allowlists (issue 6): by effect, not by text. User documentation: docs/review.md. */
export { accessDeltas, diffAllowlists, combineDiffs, describeReach, lintAllowlist, riskOf, sortChanges, type AccessDelta, type DiffOptions } from './diff';
export { formatDiff, formatDiffMarkdown, formatDiffText, isDiffFormat, toJson, verdict, failures, FAIL_ON_NAMES, DIFF_FORMATS, type DiffFormat } from './format';
export { configuredCatalogSet, diffRevisions, repositoryCatalogs, type RevisionDiffOptions } from './revisions';
export { REQUIREMENT_RULES, requirementFacts, type RequirementFacts, type Side } from './requirements';
export * from './types';
export {
  defaultBase,
  GitError,
  listFiles,
  repositoryTop,
  resolveRevision,
  type Revision,
  textsBeforeWorkTree,
  toPathspecs,
  WORKTREE,
} from './git';
export { matchRules, subjectRewriter } from './match';
export { buildReach, PlaceCache, portsText, ruleLabel as reachRuleLabel, type Place, type Reach, type ReachEntry } from './reach';
