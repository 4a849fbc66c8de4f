import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { walkFiles } from './walk';

const yaml = (name: string): boolean => name.endsWith('.yaml');

function tree(paths: string[]): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'walk-'));
  for (const path of paths) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), '');
  }
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

test('walk: accepted regular files in name order, depth first; node_modules, dot-folders and symbolic links are not entered', async () => {
  const { dir, cleanup } = tree(['b.yaml', 'a/z.yaml', 'a/x.txt', 'node_modules/m.yaml', '.git/g.yaml']);
  try {
    symlinkSync('/', join(dir, 'root-link'));
    symlinkSync(join(dir, 'b.yaml'), join(dir, 'link.yaml'));
    const walked = await walkFiles(dir, yaml);
    assert.deepEqual(walked.files, [join(dir, 'a/z.yaml'), join(dir, 'b.yaml')]);
    assert.deepEqual(walked.skipped, []);
    assert.equal(walked.truncated, undefined);
  } finally {
    cleanup();
  }
});

test('walk: folders deeper than the depth limit are skipped and named; the entry limit stops the walk and says so', async () => {
  const { dir, cleanup } = tree(['one.yaml', 'a/two.yaml', 'a/b/three.yaml', 'a/b/c/four.yaml']);
  try {
    const shallow = await walkFiles(dir, yaml, { maxDepth: 2, maxEntries: 100 });
    assert.deepEqual(shallow.files, [join(dir, 'a/b/three.yaml'), join(dir, 'a/two.yaml'), join(dir, 'one.yaml')]);
    assert.deepEqual(shallow.skipped, [{ path: join(dir, 'a/b/c'), reason: 'deeper than 2 levels' }]);
    const few = await walkFiles(dir, yaml, { maxDepth: 10, maxEntries: 3 });
    assert.equal(few.truncated, 'stopped after 3 files and folders');
    assert.ok(few.files.length < 4, JSON.stringify(few.files));
  } finally {
    cleanup();
  }
});

test('walk: a root that cannot be read (missing, or a file) is skipped with the reason, not thrown', async () => {
  const { dir, cleanup } = tree(['file.yaml']);
  try {
    assert.deepEqual((await walkFiles(join(dir, 'missing'), yaml)).skipped, [{ path: join(dir, 'missing'), reason: 'no such file or folder' }]);
    assert.equal((await walkFiles(join(dir, 'file.yaml'), yaml)).skipped.length, 1);
  } finally {
    cleanup();
  }
});
