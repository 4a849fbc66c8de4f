/** The Public Suffix List (ICANN and private sections): whether a name is a public suffix, and which
 * public suffixes lie under a name. `wildcard-too-broad` uses it to tell when `*.base` reaches hosts that
 * anyone can register (`*.s3.amazonaws.com`: every S3 bucket).
 *
 * Both are answered from the list's rules themselves, which the `psl` package ships and the build writes in ASCII
 * form; where they come from differs between Node and the browser (psl-rules.ts and psl-rules.browser.ts).
 */
import { hostKey } from './host-key';
import { pslRules } from './psl-rules';

/**
 * Whether `name` (lower case, no trailing dot) is itself a public suffix by a rule of the list: listed (`com`,
 * `s3.amazonaws.com`), or directly under a wildcard rule (`*.compute.amazonaws.com` makes `us-east-1.compute.amazonaws.com`
 * one) and not an exception (`!www.ck`). The list's implicit `*` rule for unlisted top-level names (an internal
 * `corp` or `lan`) does not count. (tldts, by contrast, also calls the base of a wildcard rule a suffix.)
 */
export function isPublicSuffix(name: string): boolean {
  const list = index();
  const host = hostKey(name);
  if (list.exceptions.has(host)) return false;
  if (list.exact.has(host)) return true;
  const dot = host.indexOf('.');
  return dot > 0 && list.wildcardParents.has(host.slice(dot + 1));
}

/** The longest public suffix that `host` is or ends with, or undefined when only the implicit `*` rule applies. */
export function publicSuffixOf(host: string): string | undefined {
  const labels = hostKey(host).split('.');
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
  return byAncestor().get(hostKey(base)) ?? [];
}

interface SuffixIndex {
  /** Rules without `*.` or `!`. */
  exact: Set<string>;
  /** `x.y` for each `*.x.y` rule. */
  wildcardParents: Set<string>;
  /** `x.y` for each `!x.y` rule. */
  exceptions: Set<string>;
  /** The rules that are not exceptions, in the list's order. */
  suffixes: string[];
}

let cached: SuffixIndex | undefined;
let ancestors: Map<string, string[]> | undefined;

function index(): SuffixIndex {
  if (cached) return cached;
  const built: SuffixIndex = { exact: new Set(), wildcardParents: new Set(), exceptions: new Set(), suffixes: [] };
  for (const raw of pslRules()) {
    const exception = raw.startsWith('!');
    const rule = exception ? raw.slice(1) : raw;
    if (exception) built.exceptions.add(rule);
    else if (rule.startsWith('*.')) built.wildcardParents.add(rule.slice(2));
    else built.exact.add(rule);
    if (!exception) built.suffixes.push(rule);
  }
  cached = built;
  return cached;
}

/** Every proper ancestor of each rule -> the rules under it, shallowest first (about 1,000 keys). Built on the
 * first question that needs it (a wildcard that is not itself a public suffix), not with the sets above. */
function byAncestor(): Map<string, string[]> {
  if (ancestors) return ancestors;
  // Shallowest first, then in the list's order: the rules bucketed by their number of labels (a stable order).
  const byDepth: string[][] = [];
  for (const rule of index().suffixes) {
    let depth = 1;
    for (let dot = rule.indexOf('.'); dot >= 0; dot = rule.indexOf('.', dot + 1)) depth++;
    (byDepth[depth] ??= []).push(rule);
  }
  const built = new Map<string, string[]>();
  for (const rules of byDepth) {
    for (const rule of rules ?? []) {
      // Every proper ancestor: `*.x.y` stands for the names under x.y, so x.y is the nearest one it is listed under.
      for (let dot = rule.indexOf('.'); dot >= 0; dot = rule.indexOf('.', dot + 1)) {
        const ancestor = rule.slice(dot + 1);
        const list = built.get(ancestor);
        if (list) list.push(rule);
        else built.set(ancestor, [rule]);
      }
    }
  }
  ancestors = built;
  return ancestors;
}
