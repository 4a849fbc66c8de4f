/** `allowlist import`: a firewall's configuration read into an allowlist, one reader per platform under readers/;
 * what a reader cannot map is a problem naming the configuration's line. User documentation: docs/import.md. */
export { READERS, readerById } from './readers';
export { detectPlatform } from './detect';
export { importedAllowlist, type WriteOptions, writtenNames } from './write';
export { overLintLimit } from './size';
export type * from './types';
