// The Public Suffix List's rules, from the installed `psl` package's data/rules.js (outside the package's `exports`,
// so esbuild cannot bundle it by name), in the form src/core/common/psl.ts looks them up: lower case, and a name that
// is not ASCII in its ASCII (punycode) form, as host names are in an allowlist; a rule that has none is left out.
// Converted here, once, rather than by every run on its first question about the list (some 6 ms of each `allowlist`
// command that lints a wildcard). `writePslRules(folder)` writes them as psl-rules.json: build.mjs into dist/ (beside
// the Node bundles, which read it at run time) and generate.mjs into src/core/common/generated/ (for the code run from
// source); build.mjs builds `pslRules()` into the browser bundles.
//   node scripts/build-psl-rules.mjs        (writes dist/psl-rules.json)
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { domainToASCII, fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** The list's rules as the psl package ships them. */
export function packageRules() {
  const require = createRequire(join(root, 'package.json'));
  const source = join(dirname(require.resolve('psl')), '..', 'data', 'rules.js');
  const text = readFileSync(source, 'utf8');
  const rules = JSON.parse(text.slice(text.indexOf('['), text.lastIndexOf(']') + 1));
  if (!Array.isArray(rules) || rules.length < 1000 || !rules.every((rule) => typeof rule === 'string')) {
    throw new Error(`${source}: expected \`export default [...]\` with the Public Suffix List's rules`);
  }
  return rules;
}

/** The rules in ASCII form. node:url's domainToASCII is the URL Standard's host parsing (UTS #46), as a browser's. */
export function pslRules() {
  const rules = [];
  for (const rule of packageRules()) {
    const lower = rule.toLowerCase();
    if (/^[\x00-\x7f]*$/.test(lower)) {
      rules.push(lower);
      continue;
    }
    const marker = /^(?:!|\*\.)/.exec(lower)?.[0] ?? '';
    const ascii = domainToASCII(lower.slice(marker.length));
    if (ascii) rules.push(`${marker}${ascii}`);
  }
  return rules;
}

export function writePslRules(folder = join(root, 'dist')) {
  mkdirSync(folder, { recursive: true });
  writeFileSync(join(folder, 'psl-rules.json'), JSON.stringify(pslRules()));
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) writePslRules();
