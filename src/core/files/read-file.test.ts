import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { FileReadError, readRegularFile } from './read-file';

test('readRegularFile: a regular file up to the limit is read whole; a larger one is refused by its size', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'read-'));
  try {
    writeFileSync(join(dir, 'small'), 'hello');
    assert.equal((await readRegularFile(join(dir, 'small'), 5)).toString(), 'hello');
    await assert.rejects(readRegularFile(join(dir, 'small'), 4), (error: FileReadError) => error.reason === 'too-large');
    await assert.rejects(readRegularFile(join(dir, 'missing'), 4), (error: FileReadError) => error.reason === 'io' && error.message === 'no such file or folder');
    await assert.rejects(readRegularFile(dir, 4), (error: FileReadError) => error.reason === 'not-regular' && error.message === 'not a regular file (a folder)');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('readRegularFile: a FIFO without a writer is refused at once, not waited on; devices are refused', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'read-'));
  try {
    try {
      execFileSync('mkfifo', [join(dir, 'pipe')]);
    } catch {
      return t.skip('mkfifo is not available');
    }
    await assert.rejects(readRegularFile(join(dir, 'pipe'), 1024), { message: 'not a regular file (a FIFO)' });
    await assert.rejects(readRegularFile('/dev/zero', 1024), { message: 'not a regular file (a device)' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
