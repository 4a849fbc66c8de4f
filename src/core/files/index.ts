/** Reading what the user names without trusting it: regular files only, size limits, text decoding, and the
 * one folder walk. */
export * from './index.browser';
export { fileKind, FileReadError, ioMessage, readRegularFile, readRegularFileSync } from './read-file';
export { isFolder, repositoryRoot, walkFiles, type WalkResult } from './walk';
