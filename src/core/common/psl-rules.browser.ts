/** The Public Suffix List's rules in the browser bundles: built in by scripts/build.mjs (the `bundled:psl-rules`
 * module), since a web worker has no files to read. Node takes psl-rules.ts. */
import rules from 'bundled:psl-rules';

export function pslRules(): string[] {
  return rules;
}
