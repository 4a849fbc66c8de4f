/** The Public Suffix List (ICANN and private sections): whether a name is a public suffix, and which
 * public suffixes lie under a name. `wildcard-too-broad` uses it to tell when `*.base` reaches hosts that
 * anyone can register (`*.s3.amazonaws.com`: every S3 bucket).
 *
 * Both are answered from the list's rules themselves, which the `psl`
 * package ships in `psl/data/rules.js` (an ES module `export default [...]` outside the package's
 * `exports`, so it cannot be `require`d by name). It is read lazily, on first use, from:
 *   1. `psl-rules.json` next to the running code: the bundle in dist/ ships it (scripts/build-psl-rules.mjs
 *      writes it; the extension package has no node_modules);
 *   2. the installed `psl` package (`node_modules/psl/data/rules.js`): when running from src/ under tsx.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { domainToASCII } from 'node:url';

/** File name of the rules shipped next to the bundle. */
export const PSL_RULES_FILE = 'psl-rules.json';

/**
 * Whether `name` (lower case, no trailing dot) is itself a public suffix by a rule of the list: listed (`com`,
 * `s3.amazonaws.com`), or directly under a wildcard rule (`*.compute.amazonaws.com` makes `us-east-1.compute.amazonaws.com`
 * one) and not an exception (`!www.ck`). The list's implicit `*` rule for unlisted top-level names (an internal
 * `corp` or `lan`) does not count. (tldts, by contrast, also calls the base of a wildcard rule a suffix.)
 */
export function isPublicSuffix(name: string): boolean {
  const list = index();
  const host = normalize(name);
  if (list.exceptions.has(host)) return false;
  if (list.exact.has(host)) return true;
  const dot = host.indexOf('.');
  return dot > 0 && list.wildcardParents.has(host.slice(dot + 1));
}

/** The longest public suffix that `host` is or ends with, or undefined when only the implicit `*` rule applies. */
export function publicSuffixOf(host: string): string | undefined {
  const labels = normalize(host).split('.');
  for (let i = 0; i < labels.length; i++) {
    const candidate = labels.slice(i).join('.');
    if (isPublicSuffix(candidate)) return candidate;
  }
  return undefined;
}

/**
 * Public suffixes strictly under `base` (`amazonaws.com` -> `us-east-1.amazonaws.com`, `s3.amazonaws.com`, ...),
 * shallowest first, then in the list's order. A wildcard rule (`*.compute.amazonaws.com`: every name directly under
 * compute.amazonaws.com is a suffix) is returned as written; exceptions (`!www.ck`) are not suffixes.
 */
export function publicSuffixesUnder(base: string): string[] {
  return index().byAncestor.get(normalize(base)) ?? [];
}

function normalize(name: string): string {
  return name.toLowerCase().replace(/\.$/, '');
}

interface SuffixIndex {
  /** Rules without `*.` or `!`. */
  exact: Set<string>;
  /** `x.y` for each `*.x.y` rule. */
  wildcardParents: Set<string>;
  /** `x.y` for each `!x.y` rule. */
  exceptions: Set<string>;
  /** Every proper ancestor of each rule -> the rules under it, shallowest first (about 25,000 keys). */
  byAncestor: Map<string, string[]>;
}

let cached: SuffixIndex | undefined;

function index(): SuffixIndex {
  if (cached) return cached;
  const built: SuffixIndex = { exact: new Set(), wildcardParents: new Set(), exceptions: new Set(), byAncestor: new Map() };
  const rules: string[] = [];
  for (const raw of loadRules()) {
    const exception = raw.startsWith('!');
    const rule = toAscii(exception ? raw.slice(1) : raw);
    if (rule === undefined) continue;
    if (exception) built.exceptions.add(rule);
    else if (rule.startsWith('*.')) built.wildcardParents.add(rule.slice(2));
    else built.exact.add(rule);
    if (!exception) rules.push(rule);
  }
  const depth = (rule: string): number => rule.split('.').length;
  const ordered = rules.map((rule, order) => ({ rule, order })).sort((a, b) => depth(a.rule) - depth(b.rule) || a.order - b.order);
  for (const { rule } of ordered) {
    const labels = rule.split('.');
    // `*.x.y` stands for the names under x.y, so x.y is the nearest ancestor it is listed under.
    for (let i = 1; i < labels.length; i++) {
      const ancestor = labels.slice(i).join('.');
      let list = built.byAncestor.get(ancestor);
      if (!list) built.byAncestor.set(ancestor, (list = []));
      list.push(rule);
    }
  }
  cached = built;
  return cached;
}

/** A rule in the ASCII (punycode) form host names take in an allowlist; undefined if it cannot be converted. */
function toAscii(rule: string): string | undefined {
  const lower = rule.toLowerCase();
  if (/^[\x00-\x7f]*$/.test(lower)) return lower;
  const wildcard = lower.startsWith('*.');
  const ascii = domainToASCII(wildcard ? lower.slice(2) : lower);
  return ascii ? (wildcard ? `*.${ascii}` : ascii) : undefined;
}

/** The list's rules, as the psl package ships them. */
function loadRules(): string[] {
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
