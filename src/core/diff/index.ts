/** The semantic diff of allowlists (issue 6): by effect, not by text. User documentation: docs/review.md. */
export * from './index.browser';
export { configuredCatalogSet, diffRevisions, repositoryCatalogs, type RevisionDiffOptions } from './revisions';
export {
  defaultBase,
  filesBeforeWorkTree,
  GitError,
  listFiles,
  repositoryTop,
  resolveRevision,
  type Revision,
  toPathspecs,
  WORKTREE,
} from './git';
