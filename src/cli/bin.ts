/** dist/cli.js, the `allowlist` command: runs the CLI's bundle (dist/cli-main.js, built from main.ts) compiled with a
 * V8 code cache the build recorded beside it (scripts/record-code-cache.cjs), so that a short command (a pre-commit
 * lint of one site, a probe) does not spend its first tens of milliseconds compiling a megabyte of JavaScript. A
 * cache that is missing, was recorded for another bundle, or that this Node's V8 rejects (another version or flags)
 * is ignored: the bundle then compiles from its source as `require` would. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { Script } from 'node:vm';

export const BUNDLE = join(__dirname, 'cli-main.js');

/** The caches, by the commands they were recorded from. V8 loads a cache whole, every function in it, before the
 * command runs: `probe` has one of its own, recorded from a probe, a third smaller than the lint's (without what a lint
 * of many files runs and a probe of one file does not); every other command takes the lint's. */
export const CODE_CACHES = { lint: `${BUNDLE}.cache`, probe: `${BUNDLE}.probe.cache` } as const;

/** The cache for the command line `argv` (without node and the script). */
export function codeCacheFor(argv: readonly string[]): string {
  return argv[0] === 'probe' ? CODE_CACHES.probe : CODE_CACHES.lint;
}

/** The build ends the bundle with this line (and a line break) and begins its cache with the same text: V8 checks a
 * cache against the source's length only, so this is what ties a cache to the very bundle it was recorded for. */
const KEY_PREFIX = '\n// code-cache-key: ';

/** The bundle compiled as a CommonJS module, from the code cache at `cachePath` when it is this bundle's, and the
 * bundle's key. */
export function compileBundle(cachePath: string): { script: Script; key?: string } {
  // Read whole, then decoded: readFileSync(…, 'utf8') reads a megabyte in 8 KiB pieces.
  const source = readFileSync(BUNDLE).toString();
  const key = bundleKey(source);
  const cachedData = key ? cacheFor(cachePath, key) : undefined;
  return { script: new Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, { filename: BUNDLE, cachedData }), key };
}

/** The key on the bundle's last line; found from the end (a regular expression anchored at the end scans the whole
 * megabyte). */
function bundleKey(source: string): string | undefined {
  const at = source.lastIndexOf(KEY_PREFIX);
  const key = at < 0 ? '' : source.slice(at + KEY_PREFIX.length, source.endsWith('\n') ? -1 : undefined);
  return /^[0-9a-f]+$/.test(key) ? key : undefined;
}

function cacheFor(cachePath: string, key: string): Buffer | undefined {
  let cache: Buffer;
  try {
    cache = readFileSync(cachePath);
  } catch {
    return undefined;
  }
  const header = `${key}\n`;
  return cache.toString('latin1', 0, header.length) === header ? cache.subarray(header.length) : undefined;
}

/** Runs the compiled bundle as `host`, the module that requires it: when that is the main module, the bundle's
 * `require.main === module` holds and it runs the command line. */
export function runBundle(script: Script, host: NodeModule): void {
  const wrapper = script.runInThisContext() as (exports: unknown, require: NodeRequire, module: NodeModule, filename: string, dirname: string) => void;
  wrapper.call(host.exports, host.exports, require, host, BUNDLE, __dirname);
}

/** V8 flags for the command's process, set once the bundle is compiled: V8 takes a code cache only under the flags
 * it was recorded with (Node's defaults, as the build records it). A command is over within a second, and V8's
 * optimizing compiler, which works beside the main thread, spent more of the machine than its code saved: inlining
 * made each hot function a large compile, and every allocation site that V8 then decided to allocate in the old
 * generation (pretenuring) threw away the code that allocated there, to be compiled again. Inlining is limited to
 * small functions rather than turned off: the scanner's loops call a predicate per character (`isPlainCharacter`),
 * and as calls they cost more than their compile. Measured on 2 cores (issue 16): without any of them, half the
 * compiler's CPU time and 15 % of the wall time of the lint of a 10,000-rule file; with inlining limited instead of
 * off, the 500-site fleet's lint about 20 ms less again (of 650 ms; 10,000 rules about 10 ms; inlining up to 40 or
 * 100 bytes of bytecode was slower than this). */
export const COMMAND_FLAGS = ['--max-inlined-bytecode-size=60', '--max-inlined-bytecode-size-cumulative=150', '--no-allocation-site-pretenuring'];

/** Whether this V8 is one the flags are known in (V8 11-13: Node 20-24): V8 prints an error for a flag it does not know,
 * which a later one might not, and a command's stderr must say nothing of that. */
export function knownFlags(v8Version: string): boolean {
  const major = Number(v8Version.split('.')[0]);
  return major >= 11 && major <= 13;
}

if (require.main === module) {
  const { script } = compileBundle(codeCacheFor(process.argv.slice(2)));
  if (knownFlags(process.versions.v8)) for (const flag of COMMAND_FLAGS) setFlagsFromString(flag);
  runBundle(script, module);
}
