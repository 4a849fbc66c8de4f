/** Reads a file the user named without trusting what it is: only a regular file, and only up to a size limit.
 * A FIFO, a device (`/dev/zero`, `/dev/urandom`) or a huge file would otherwise hang the reader or fill memory. */
import { closeSync, constants, fstatSync, openSync, readSync, type Stats } from 'node:fs';
import { open } from 'node:fs/promises';
import { megabytes } from './decode';

/** Why a file was not read; `message` is for the user ("not a regular file (a FIFO)", "2.0 MB, over the 1.0 MB limit"). */
export class FileReadError extends Error {
  constructor(
    message: string,
    readonly reason: 'not-regular' | 'too-large' | 'io',
    /** The system error for `io` (its code says ENOENT, EACCES …). */
    readonly cause?: unknown,
  ) {
    super(message);
  }
}


/** The bytes of the regular file at `path`, at most `maxBytes` of them, else a FileReadError. Opening never
 * blocks (O_NONBLOCK: a FIFO without a writer would wait forever), and what was opened is checked with fstat,
 * so a file swapped for a FIFO or device between a check and the read is refused too. */
export async function readRegularFile(path: string, maxBytes: number): Promise<Buffer> {
  let handle;
  try {
    handle = await open(path, OPEN_FLAGS);
  } catch (error) {
    throw new FileReadError(ioMessage(error), 'io', error);
  }
  try {
    const buffer = bufferFor(await handle.stat(), maxBytes);
    let length = 0;
    for (let read = -1; read !== 0 && length < buffer.length; length += read) {
      read = (await handle.read(buffer, length, buffer.length - length, length)).bytesRead;
    }
    return readWithin(buffer, length, maxBytes);
  } catch (error) {
    throw error instanceof FileReadError ? error : new FileReadError(ioMessage(error), 'io', error);
  } finally {
    await handle.close();
  }
}

/** `readRegularFile` for callers that cannot wait (configuration, read once per lint and small). */
export function readRegularFileSync(path: string, maxBytes: number): Buffer {
  let descriptor;
  try {
    descriptor = openSync(path, OPEN_FLAGS);
  } catch (error) {
    throw new FileReadError(ioMessage(error), 'io', error);
  }
  try {
    const buffer = bufferFor(fstatSync(descriptor), maxBytes);
    let length = 0;
    for (let read = -1; read !== 0 && length < buffer.length; length += read) {
      read = readSync(descriptor, buffer, length, buffer.length - length, length);
    }
    return readWithin(buffer, length, maxBytes);
  } catch (error) {
    throw error instanceof FileReadError ? error : new FileReadError(ioMessage(error), 'io', error);
  } finally {
    closeSync(descriptor);
  }
}

const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0);

/** A buffer one byte past what may be read: a file that grows after fstat is refused rather than read without end. */
function bufferFor(info: Stats, maxBytes: number): Buffer {
  if (!info.isFile()) throw new FileReadError(`not a regular file (${fileKind(info)})`, 'not-regular');
  if (info.size > maxBytes) throw new FileReadError(`the file is ${megabytes(info.size)}, over the ${megabytes(maxBytes)} limit`, 'too-large');
  return Buffer.alloc(Math.min(info.size, maxBytes) + 1);
}

function readWithin(buffer: Buffer, length: number, maxBytes: number): Buffer {
  if (length > maxBytes) throw new FileReadError(`the file grew over the ${megabytes(maxBytes)} limit while it was read`, 'too-large');
  return buffer.subarray(0, length);
}

/** What a path that is not a regular file is, for messages: "a folder", "a FIFO", "a device" …. */
export function fileKind(info: { isDirectory(): boolean; isFIFO(): boolean; isCharacterDevice(): boolean; isBlockDevice(): boolean; isSocket(): boolean }): string {
  if (info.isDirectory()) return 'a folder';
  if (info.isFIFO()) return 'a FIFO';
  if (info.isCharacterDevice() || info.isBlockDevice()) return 'a device';
  if (info.isSocket()) return 'a socket';
  return 'not a file';
}

/** "no such file or folder" rather than "ENOENT: no such file or directory, open '/abs/…'". */
export function ioMessage(error: unknown): string {
  switch ((error as NodeJS.ErrnoException | undefined)?.code) {
    case 'ENOENT':
      return 'no such file or folder';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'is a folder';
    case 'ELOOP':
      return 'too many symbolic links';
    case 'ENOTDIR':
      return 'not a folder';
    default:
      // "EINVAL: invalid argument, scandir '/proc/1/net'": the path is already in the caller's message.
      if ((error as NodeJS.ErrnoException | undefined)?.syscall) return (error as Error).message.replace(/, \w+ '.*'$/, '');
      return error instanceof Error ? error.message : String(error);
  }
}
