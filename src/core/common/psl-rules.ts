/** The Public Suffix List's rules in Node, as scripts/build-psl-rules.mjs writes them from the psl package (lower case,
 * in ASCII form), read on first use from `psl-rules.json`: beside the running bundle in dist/ (the extension package
 * has no node_modules), or in ./generated/ when running from src/ under tsx (scripts/generate.mjs writes it). The
 * browser bundles take psl-rules.browser.ts instead, which has them built in. */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** File name of the rules shipped next to the bundle. */
export const PSL_RULES_FILE = 'psl-rules.json';

/** The list's rules, lower case and in ASCII form. */
export function pslRules(): string[] {
  const files = [join(__dirname, PSL_RULES_FILE), join(__dirname, 'generated', PSL_RULES_FILE)];
  const file = files.find((candidate) => existsSync(candidate));
  if (!file) throw new Error(`the Public Suffix List is missing: neither ${files.join(' nor ')} exists (scripts/build-psl-rules.mjs writes it)`);
  return JSON.parse(readFileSync(file, 'utf8')) as string[];
}
