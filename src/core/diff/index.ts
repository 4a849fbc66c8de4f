/** The semantic diff of allowlists (issue 6): by effect, not by text. User documentation: docs/review.md. */
export { diffAllowlists, combineDiffs, describeReach, riskOf, sortChanges, type DiffOptions } from './diff';
export { formatDiff, formatDiffMarkdown, formatDiffText, isDiffFormat, toJson, verdict, failures, FAIL_ON_NAMES, DIFF_FORMATS, type DiffFormat } from './format';
export { configuredCatalogSet, diffRevisions, repositoryCatalogs, type RevisionDiffOptions } from './revisions';
export { describeRequirement, REQUIREMENT_RULES, type Side, type UnmetRequirement } from './requirements';
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
export { portsText } from './reach';
