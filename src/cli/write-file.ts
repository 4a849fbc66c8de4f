/** Writing files: a fixed file back (`allowlist lint --fix`) so that a failure never leaves it half written, and a new
 * allowlist (`init`, `import`) that never replaces a file unless asked to. */
import { closeSync, constants, fstatSync, ftruncateSync, openSync, statSync, type Stats, writeFileSync } from 'node:fs';
import { chmod, mkdir, realpath, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join, relative } from 'node:path';
import { nodeCrypto, packagePath } from '../core/common';
import { fileKind, ioMessage, readRegularFile } from '../core/files';
import { CliError } from './common';

/**
 * Replaces the file at `path`, whose bytes were `expected` when it was read, with `bytes`: written to a temporary
 * file in the same folder (same file system, same mode) and renamed over it, so the file is the old or the new
 * version, never a mix. A symbolic link's target is replaced (the link stays), and a file that changed since it
 * was read is left alone (an Error that says so).
 */
export async function replaceFile(path: string, expected: Uint8Array, bytes: Uint8Array): Promise<void> {
  const target = await realpath(path);
  const { mode } = await stat(target);
  const temporary = join(dirname(target), `.${basename(target)}.${nodeCrypto().randomBytes(6).toString('hex')}.tmp`);
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

/** Writes a report (`lint --output`, `report --out`) to `path`, making its folder: a CI job writes its reports into a
 * folder of artifacts that may not exist yet. */
export async function writeReportFile(path: string, text: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, text);
}

/** Whether writing a report to `path` would write over one of `inputs` (the files being read): the same file by a
 * symbolic or hard link too. A slip (`--output sarif=site.allowlist.yaml`) must not destroy what it reports on. */
export function writesOverInput(path: string, inputs: readonly string[]): boolean {
  const target = statIfAny(path);
  if (!target) return false;
  return inputs.some((input) => {
    const file = statIfAny(input);
    return file !== undefined && file.ino === target.ino && file.dev === target.dev;
  });
}

/** The file's status, undefined where there is none to read (missing, under a file: the write reports that). */
function statIfAny(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}

/** The `$schema` modeline's target for an allowlist written in `folder`: the schema this `allowlist` ships, by a
 * relative path, as the bundled examples write it (the editor's YAML extension resolves it against the file). */
export function schemaModeline(folder: string): string {
  return relative(folder, packagePath('schemas', 'allowlist.schema.json')).replace(/\\/g, '/');
}

/** Writes a new file at `path` (shown as `shown`), replacing an existing one only with `force`; failures are
 * CliErrors in our words (exit 2). */
export function writeNewFile(shown: string, path: string, text: string, force: boolean): void {
  try {
    createFile(path, text, force);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') throw new CliError(`${shown} already exists; use --force to overwrite it, or -o to write another file`);
    throw new CliError(`cannot write ${shown}: ${error instanceof NotRegularFile ? error.message : ioMessage(error)}`);
  }
}

class NotRegularFile extends Error {}

/** Creates the file (never replacing one, unless `force`). With `force`, only a regular file is replaced: the open
 * does not block (a FIFO without a reader) and what was opened is checked before it is truncated. */
function createFile(path: string, text: string, force: boolean): void {
  // Opening a FIFO without a reader fails (ENXIO) before fstat could name it.
  const existing = force ? statSync(path, { throwIfNoEntry: false }) : undefined;
  if (existing && !existing.isFile()) throw new NotRegularFile(`not a regular file (${fileKind(existing)})`);
  const flags = force ? constants.O_WRONLY | constants.O_CREAT | (constants.O_NONBLOCK ?? 0) : constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL;
  const descriptor = openSync(path, flags, 0o666);
  try {
    const info = fstatSync(descriptor);
    if (!info.isFile()) throw new NotRegularFile(`not a regular file (${fileKind(info)})`);
    ftruncateSync(descriptor, 0);
    writeFileSync(descriptor, text);
  } finally {
    closeSync(descriptor);
  }
}
