// dist/cli.js runs the CLI's bundle from a V8 code cache the build records (src/cli/bin.ts): the lint's for every command
// but `probe`, which has its own. A cache must be taken when it is the bundle's, and a cache that is not (another
// build's, or damaged) must change nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { codeCacheFor, CODE_CACHES, COMMAND_FLAGS, knownFlags } from '../../src/cli/bin';
import { closeAtOnce, listen } from '../probe/fixtures';

const ROOT = resolve(__dirname, '../..');
const DIST = join(ROOT, 'dist');
const CACHES = { lint: 'cli-main.js.cache', probe: 'cli-main.js.probe.cache' } as const;
const FILES = ['cli.js', 'cli-main.js', ...Object.values(CACHES), 'psl-rules.json'];
const built = FILES.every((name) => existsSync(join(DIST, name)));
const skip = built ? false : 'dist/ has no CLI with its code caches: run `npm run build` first';
type Kind = keyof typeof CACHES;

/** How dist/cli.js in `dist` compiles its bundle for the command line `argv`, asked of a plain `node` (the flags V8
 * checks a cache against are the build's then): whether it had a cache for it, and whether V8 took it. */
function compiled(dist: string, argv: string[]): { offered: boolean; rejected?: boolean } {
  const probe = `const { codeCacheFor, compileBundle } = require(${JSON.stringify(join(dist, 'cli.js'))}); const { script } = compileBundle(codeCacheFor(${JSON.stringify(argv)})); console.log(JSON.stringify({ offered: script.cachedDataRejected !== undefined, rejected: script.cachedDataRejected }))`;
  const child = spawnSync(process.execPath, ['-e', probe], { encoding: 'utf8' });
  assert.equal(child.status, 0, child.stderr);
  return JSON.parse(child.stdout);
}

/** A copy of the package's CLI (dist/ copied, what it reads beside dist/ linked) with `cache` as its `kind` code cache. */
function packageWithCache(kind: Kind, cache: Buffer): { dist: string; cleanup(): void } {
  const root = mkdtempSync(join(tmpdir(), 'allowlist-code-cache-'));
  for (const name of ['package.json', 'schemas', 'catalogs']) symlinkSync(join(ROOT, name), join(root, name));
  const dist = join(root, 'dist');
  mkdirSync(dist);
  for (const name of FILES) copyFileSync(join(DIST, name), join(dist, name));
  writeFileSync(join(dist, CACHES[kind]), cache);
  return { dist, cleanup: () => rmSync(root, { recursive: true, force: true }) };
}

function lintsExamples(dist: string): void {
  const lint = spawnSync(process.execPath, [join(dist, 'cli.js'), 'lint', join(ROOT, 'examples/clean.allowlist.yaml'), '--format', 'json'], { encoding: 'utf8' });
  assert.equal(lint.status, 0, lint.stderr);
  assert.equal(JSON.parse(lint.stdout).summary.errors, 0);
}

/** `allowlist probe --json` of a port of 127.0.0.1 this test listens on, from `dist`: it finds the port open. */
async function probesOwnPort(dist: string): Promise<void> {
  const server = net.createServer(closeAtOnce);
  const port = await listen(server);
  const site = mkdtempSync(join(tmpdir(), 'allowlist-code-cache-site-'));
  try {
    writeFileSync(join(site, 'site.allowlist.yaml'), `allowlist: 1\noutbound:\n  - name: api\n    to: 127.0.0.1\n    ports: ${port}\n`);
    // Asynchronously: this process's server must accept meanwhile.
    const child = await new Promise<{ status: unknown; stdout: string; stderr: string }>((done) => {
      execFile(process.execPath, [join(dist, 'cli.js'), 'probe', 'site.allowlist.yaml', '--json'], { cwd: site, env: {} }, (error, stdout, stderr) => done({ status: error ? error.code : 0, stdout, stderr }));
    });
    assert.equal(child.status, 0, child.stderr);
    assert.deepEqual(JSON.parse(child.stdout).results.map((result: { port: number; state: string }) => [result.port, result.state]), [[port, 'open']]);
  } finally {
    server.close();
    rmSync(site, { recursive: true, force: true });
  }
}

test('`probe` takes the probe\'s code cache, every other command the lint\'s', () => {
  assert.equal(codeCacheFor(['probe', 'site.allowlist.yaml', '--json']), CODE_CACHES.probe);
  for (const argv of [['lint', 'probe'], ['probe-script', 'site.allowlist.yaml'], ['help', 'probe'], []]) assert.equal(codeCacheFor(argv), CODE_CACHES.lint, argv.join(' '));
  assert.deepEqual(Object.values(CODE_CACHES).map((path) => basename(path)), Object.values(CACHES));
});

test('the built CLI compiles its bundle from the code cache the build recorded for the command', { skip }, async () => {
  assert.deepEqual(compiled(DIST, ['lint', 'examples']), { offered: true, rejected: false });
  assert.deepEqual(compiled(DIST, ['probe', 'site.allowlist.yaml']), { offered: true, rejected: false });
  lintsExamples(DIST);
  await probesOwnPort(DIST);
});

test('the command takes its code cache too: the V8 flags it sets for itself come after its bundle is compiled', { skip }, () => {
  // A preload that notes what V8 said of each cache a Script was offered (dist/cli.js compiles through node:vm's Script).
  const preload = `const vm = require('node:vm'); const Script = vm.Script; const seen = [];
vm.Script = class extends Script { constructor(...args) { super(...args); if (args[1]?.cachedData) seen.push(this.cachedDataRejected); } };
process.on('exit', () => process.stderr.write('cache rejected: ' + JSON.stringify(seen) + '\\n'));`;
  const dir = mkdtempSync(join(tmpdir(), 'allowlist-code-cache-'));
  try {
    writeFileSync(join(dir, 'preload.cjs'), preload);
    for (const argv of [['lint', join(ROOT, 'examples/clean.allowlist.yaml')], ['probe', '--help']]) {
      const child = spawnSync(process.execPath, ['--require', join(dir, 'preload.cjs'), join(DIST, 'cli.js'), ...argv], { encoding: 'utf8' });
      assert.equal(child.status, 0, child.stderr);
      assert.match(child.stderr, /^cache rejected: \[false\]$/m, argv.join(' '));
      // Nothing else: a flag this V8 did not know would have its complaint here.
      assert.equal(child.stderr.replace(/^cache rejected: .*\n/m, ''), '', argv.join(' '));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the V8 flags the command sets for itself are set only on the V8 versions they were measured on, and this V8 knows them', (t) => {
  // V8 11-13 is Node 20-24; on another V8 a flag may be gone or mean something else, and the command runs without them.
  assert.deepEqual(['10.2.154.26', '11.3.244.8', '12.4.254.21', '13.6.233.10', '14.1.1'].map(knownFlags), [false, true, true, true, false]);
  if (!knownFlags(process.versions.v8)) return t.skip(`V8 ${process.versions.v8} gets no flags`);
  const options = spawnSync(process.execPath, ['--v8-options'], { encoding: 'utf8' }).stdout;
  for (const flag of COMMAND_FLAGS) assert.match(options, new RegExp(`^\\s+--${flag.replace(/^--(no-)?/, '').replace(/=.*$/, '')}\\s`, 'm'), `V8 ${process.versions.v8} knows ${flag}`);
});

for (const kind of Object.keys(CACHES) as Kind[]) {
  const argv = kind === 'probe' ? ['probe', 'site.allowlist.yaml'] : ['lint', 'examples'];
  const runs = kind === 'probe' ? probesOwnPort : async (dist: string) => lintsExamples(dist);

  test(`a ${kind} code cache recorded for another bundle is not offered to V8, and the CLI runs as without one`, { skip }, async () => {
    const cache = readFileSync(join(DIST, CACHES[kind]));
    const keyEnd = cache.indexOf(0x0a);
    const otherKey = Buffer.from('0'.repeat(keyEnd), 'latin1');
    const { dist, cleanup } = packageWithCache(kind, Buffer.concat([otherKey, cache.subarray(keyEnd)]));
    try {
      assert.deepEqual(compiled(dist, argv), { offered: false });
      await runs(dist);
    } finally {
      cleanup();
    }
  });

  test(`a damaged ${kind} code cache of the bundle is rejected by V8, and the CLI runs as without one`, { skip }, async () => {
    const cache = readFileSync(join(DIST, CACHES[kind]));
    const damaged = Buffer.from(cache);
    damaged.fill(0x5a, cache.indexOf(0x0a) + 1, cache.indexOf(0x0a) + 65);
    const { dist, cleanup } = packageWithCache(kind, damaged);
    try {
      assert.deepEqual(compiled(dist, argv), { offered: true, rejected: true });
      await runs(dist);
    } finally {
      cleanup();
    }
  });
}
