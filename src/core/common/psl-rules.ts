/** The Public Suffix List's rules in Node. The `psl` package ships them in `psl/data/rules.js` (an ES module
 * `export default [...]` outside the package's `exports`, so it cannot be `require`d by name). They are read
 * lazily, on first use, from:
 *   1. `psl-rules.json` next to the running code: the bundle in dist/ ships it (scripts/build-psl-rules.mjs
 *      writes it; the extension package has no node_modules);
 *   2. the installed `psl` package (`node_modules/psl/data/rules.js`): when running from src/ under tsx.
 * The browser bundles take psl-rules.browser.ts instead, which has them built in. */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** File name of the rules shipped next to the bundle. */
export const PSL_RULES_FILE = 'psl-rules.json';

/** The list's rules, as the psl package ships them. */
export function pslRules(): string[] {
  const shipped = join(__dirname, PSL_RULES_FILE);
  if (existsSync(shipped)) return JSON.parse(readFileSync(shipped, 'utf8')) as string[];
  try {
    return readPslPackageRules();
  } catch (error) {
    throw new Error(
      `the Public Suffix List is missing: neither ${shipped} (written by scripts/build-psl-rules.mjs) nor the psl package could be read: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}

/** Reads `psl/data/rules.js` from the installed package (resolved through its main entry, `exports` allows nothing else). */
export function readPslPackageRules(resolveFrom?: string): string[] {
  const main = require.resolve('psl', resolveFrom ? { paths: [resolveFrom] } : undefined);
  const file = join(dirname(main), '..', 'data', 'rules.js');
  return parseRulesModule(readFileSync(file, 'utf8'), file);
}

/** `export default [ "ac", "com.ac", ... ];` -> the array. */
export function parseRulesModule(text: string, file = 'psl/data/rules.js'): string[] {
  const start = text.indexOf('[');
  const end = text.lastIndexOf(']');
  const rules: unknown = start >= 0 && end > start ? JSON.parse(text.slice(start, end + 1)) : undefined;
  if (!Array.isArray(rules) || rules.length === 0 || !rules.every((rule) => typeof rule === 'string')) {
    throw new Error(`${file}: expected \`export default [...]\` with the Public Suffix List's rules`);
  }
  return rules as string[];
}
