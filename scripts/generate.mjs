// Writes what the build derives from schemas/, catalogs/ and the psl package into the gitignored src/core/*/generated/
// folders, so that the bundles and the tests (from source, through tsx) run the same code: the schemas' validators
// (build-validators.mjs), the Public Suffix List's rules (build-psl-rules.ts), then the built-in catalogs parsed and
// validated by those validators (build-builtin-catalogs.ts).
// scripts/build.mjs and scripts/run-tests.mjs run it first.
//   node scripts/generate.mjs
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { writeValidators } from './build-validators.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

export function generate() {
  writeValidators();
  // One process for the TypeScript scripts, in this order (each starting tsx costs about 0.3 s).
  const scripts = ['scripts/build-psl-rules.ts', 'scripts/build-builtin-catalogs.ts'];
  const run = spawnSync(process.execPath, ['--import', 'tsx', '-e', scripts.map((script) => `require(${JSON.stringify(join(root, script))});`).join('\n')], { cwd: root, stdio: 'inherit' });
  if (run.status !== 0) throw new Error(`${scripts.join(' or ')} failed (exit ${run.status ?? run.signal})`);
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) generate();
