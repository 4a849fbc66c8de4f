/** Reading what the user names without trusting it: regular files only, size limits, text decoding, and the
 * one folder walk. */
export * from './index.browser';
export { fileKind, FileReadError, ioMessage, readRegularFile, readRegularFileSync } from './read-file';
export { isFolder, MAX_WALK_DEPTH, MAX_WALK_ENTRIES, repositoryRoot, walkFiles, type WalkResult } from './walk';
