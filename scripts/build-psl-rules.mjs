// Ships the Public Suffix List with the bundles, from the installed `psl` package's data/rules.js (outside the
// package's `exports`, so esbuild cannot bundle it by name). `pslRules()` reads it (scripts/build.mjs builds it
// into the browser bundles); `writePslRules()` writes dist/psl-rules.json, which src/core/common/psl-rules.ts reads
// at run time next to the Node bundles (and falls back to the installed package when running from src/ under tsx).
// Run after the bundles are built:
//   node scripts/build-psl-rules.mjs        (or `writePslRules()` from build.mjs)
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

export function pslRules() {
  const require = createRequire(join(root, 'package.json'));
  const source = join(dirname(require.resolve('psl')), '..', 'data', 'rules.js');
  const text = readFileSync(source, 'utf8');
  const rules = JSON.parse(text.slice(text.indexOf('['), text.lastIndexOf(']') + 1));
  if (!Array.isArray(rules) || rules.length < 1000 || !rules.every((rule) => typeof rule === 'string')) {
    throw new Error(`${source}: expected \`export default [...]\` with the Public Suffix List's rules`);
  }
  return rules;
}

export function writePslRules() {
  mkdirSync(join(root, 'dist'), { recursive: true });
  writeFileSync(join(root, 'dist', 'psl-rules.json'), JSON.stringify(pslRules()));
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) writePslRules();
