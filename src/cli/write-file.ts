/** Writing a fixed file back (`allowlist lint --fix`) so that a failure never leaves it half written. */
import { randomBytes } from 'node:crypto';
import { chmod, realpath, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { readRegularFile } from '../core/files';

/**
 * Replaces the file at `path`, whose bytes were `expected` when it was read, with `bytes`: written to a temporary
 * file in the same folder (same file system, same mode) and renamed over it, so the file is the old or the new
 * version, never a mix. A symbolic link's target is replaced (the link stays), and a file that changed since it
 * was read is left alone (an Error that says so).
 */
export async function replaceFile(path: string, expected: Uint8Array, bytes: Uint8Array): Promise<void> {
  const target = await realpath(path);
  const { mode } = await stat(target);
  const temporary = join(dirname(target), `.${basename(target)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    await writeFile(temporary, bytes, { flag: 'wx', mode: 0o600 });
    await chmod(temporary, mode & 0o7777);
    const current = await readRegularFile(target, expected.length).catch(() => undefined);
    if (current === undefined || !current.equals(expected)) throw new Error('it changed while it was being fixed; run the command again');
    await rename(temporary, target);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}
