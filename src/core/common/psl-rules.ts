/** The Public Suffix List's rules in Node, in the form psl.ts looks them up: lower case, a name that is not ASCII in
 * its ASCII (punycode) form. The build converts them once (scripts/build-psl-rules.ts, with `asciiRules` below) and
 * ships them as `psl-rules.json` beside the bundles in dist/ (the extension package has no node_modules); code run
 * from src/ under tsx reads ./generated/psl-rules.json (scripts/generate.mjs writes it). A bundle with neither beside
 * it (the bench's, the integration tests') reads the installed `psl` package and converts them itself. The browser
 * bundles take psl-rules.browser.ts instead, which has them built in. */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { domainToASCII } from 'node:url';

/** File name of the rules shipped next to the bundle. */
export const PSL_RULES_FILE = 'psl-rules.json';

/** The list's rules, lower case and in ASCII form; read on first use. */
export function pslRules(): string[] {
  for (const file of [join(__dirname, PSL_RULES_FILE), join(__dirname, 'generated', PSL_RULES_FILE)]) {
    if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as string[];
  }
  try {
    return asciiRules(readPslPackageRules());
  } catch (error) {
    throw new Error(
      `the Public Suffix List is missing: neither ${PSL_RULES_FILE} beside the code (scripts/build-psl-rules.ts writes it) nor the psl package could be read: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}

/** The rules in the form they are looked up in: lower case, and a name that is not ASCII in its ASCII form by
 * node:url's `domainToASCII` (the URL Standard's host parsing, UTS #46, as a browser's); a rule without one is left
 * out. Converted once, by the build: each process converting them on its first question was some 4 ms of every
 * command that lints a wildcard. */
export function asciiRules(rules: string[]): string[] {
  const converted: string[] = [];
  for (const rule of rules) {
    const lower = rule.toLowerCase();
    if (/^[\x00-\x7f]*$/.test(lower)) {
      converted.push(lower);
      continue;
    }
    const marker = /^(?:!|\*\.)/.exec(lower)?.[0] ?? '';
    const ascii = domainToASCII(lower.slice(marker.length));
    if (ascii) converted.push(`${marker}${ascii}`);
  }
  return converted;
}

/** Reads `psl/data/rules.js` from the installed package (resolved through its main entry, `exports` allows nothing
 * else, from the running code's folder): an ES module `export default [...]` outside the package's `exports`, which
 * esbuild cannot bundle by name. */
export function readPslPackageRules(): string[] {
  const file = join(dirname(require.resolve('psl', { paths: [__dirname] })), '..', 'data', 'rules.js');
  const text = readFileSync(file, 'utf8');
  const start = text.indexOf('[');
  const end = text.lastIndexOf(']');
  const rules: unknown = start >= 0 && end > start ? JSON.parse(text.slice(start, end + 1)) : undefined;
  if (!Array.isArray(rules) || rules.length < 1000 || !rules.every((rule) => typeof rule === 'string')) {
    throw new Error(`${file}: expected \`export default [...]\` with the Public Suffix List's rules`);
  }
  return rules as string[];
}
