// dist/cli.js runs the CLI's bundle from the V8 code cache the build records (src/cli/bin.ts): the cache must be
// taken when it is the bundle's, and a cache that is not (another build's, or damaged) must change nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '../..');
const DIST = join(ROOT, 'dist');
const FILES = ['cli.js', 'cli-main.js', 'cli-main.js.cache', 'psl-rules.json'];
const built = FILES.every((name) => existsSync(join(DIST, name)));
const skip = built ? false : 'dist/ has no CLI with a code cache: run `npm run build` first';

/** How dist/cli.js in `dist` compiles its bundle, asked of a plain `node` (the flags V8 checks a cache against are the
 * build's then): whether it had a cache for it, and whether V8 took it. */
function compiled(dist: string): { offered: boolean; rejected?: boolean } {
  const probe = `const { compileBundle } = require(${JSON.stringify(join(dist, 'cli.js'))}); const { script } = compileBundle(); console.log(JSON.stringify({ offered: script.cachedDataRejected !== undefined, rejected: script.cachedDataRejected }))`;
  const child = spawnSync(process.execPath, ['-e', probe], { encoding: 'utf8' });
  assert.equal(child.status, 0, child.stderr);
  return JSON.parse(child.stdout);
}

/** A copy of the package's CLI (dist/ copied, what it reads beside dist/ linked) with `cache` as its code cache. */
function packageWithCache(cache: Buffer): { dist: string; cleanup(): void } {
  const root = mkdtempSync(join(tmpdir(), 'allowlist-code-cache-'));
  for (const name of ['package.json', 'schemas', 'catalogs']) symlinkSync(join(ROOT, name), join(root, name));
  const dist = join(root, 'dist');
  mkdirSync(dist);
  for (const name of FILES) copyFileSync(join(DIST, name), join(dist, name));
  writeFileSync(join(dist, 'cli-main.js.cache'), cache);
  return { dist, cleanup: () => rmSync(root, { recursive: true, force: true }) };
}

function lintsExamples(dist: string): void {
  const lint = spawnSync(process.execPath, [join(dist, 'cli.js'), 'lint', join(ROOT, 'examples/clean.allowlist.yaml'), '--format', 'json'], { encoding: 'utf8' });
  assert.equal(lint.status, 0, lint.stderr);
  assert.equal(JSON.parse(lint.stdout).summary.errors, 0);
}

test('the built CLI compiles its bundle from the code cache the build recorded for it', { skip }, () => {
  assert.deepEqual(compiled(DIST), { offered: true, rejected: false });
  lintsExamples(DIST);
});

test("a code cache recorded for another bundle is not offered to V8, and the CLI runs as without one", { skip }, () => {
  const cache = readFileSync(join(DIST, 'cli-main.js.cache'));
  const keyEnd = cache.indexOf(0x0a);
  const otherKey = Buffer.from('0'.repeat(keyEnd), 'latin1');
  const { dist, cleanup } = packageWithCache(Buffer.concat([otherKey, cache.subarray(keyEnd)]));
  try {
    assert.deepEqual(compiled(dist), { offered: false });
    lintsExamples(dist);
  } finally {
    cleanup();
  }
});

test("a damaged code cache of the bundle is rejected by V8, and the CLI runs as without one", { skip }, () => {
  const cache = readFileSync(join(DIST, 'cli-main.js.cache'));
  const damaged = Buffer.from(cache);
  damaged.fill(0x5a, cache.indexOf(0x0a) + 1, cache.indexOf(0x0a) + 65);
  const { dist, cleanup } = packageWithCache(damaged);
  try {
    assert.deepEqual(compiled(dist), { offered: true, rejected: true });
    lintsExamples(dist);
  } finally {
    cleanup();
  }
});
