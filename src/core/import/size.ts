/** Whether an imported allowlist is too large for the linter, which reads no text over MAX_FILE_SIZE: groups are
 * expanded in each policy, so a large group used by many policies can make a small configuration a large allowlist. */
import { MAX_FILE_SIZE, megabytes } from '../files';

/** Why `text` (an allowlist written by `importedAllowlist`) cannot be linted, or undefined where it can. */
export function overLintLimit(text: string): string | undefined {
  if (text.length <= MAX_FILE_SIZE) return undefined;
  return `its policies written as an allowlist (groups expanded in each policy) are ${megabytes(text.length)}, over the linter's limit of ${megabytes(MAX_FILE_SIZE)}`;
}
