/** JSON Schema validation of allowlists and catalogs. The schemas in the package's schemas/ folder are
 * the single source of truth (editors load the same files through `# yaml-language-server: $schema=`);
 * scripts/build-validators.mjs compiles them ahead of time with Ajv's standalone code (generated/, built
 * by `npm run build` and before the tests), so no process compiles a schema at run time. Validators return
 * `SchemaIssue`s whose paths the callers map to YAML node ranges. */
import type { AnySchemaObject, ErrorObject, ValidateFunction } from 'ajv';
import { closestName, excerpt, quoted } from '../common';
import { allowlistShell, inboundRule, outboundRule } from './generated/allowlist-validators';
import { catalog } from './generated/catalog-validators';

export type JsonPath = (string | number)[];

export interface SchemaIssue {
  /** Where in the validated value: keys and array indices. */
  path: JsonPath;
  message: string;
  /** The JSON Schema keyword that failed (`additionalProperties`, `type`, `enum`, ...). */
  keyword: string;
  /** `key`: the issue is about the key at `path` (an unknown key), so report it on the key's range; `value` otherwise. */
  target: 'key' | 'value';
  /** For an unknown key: the known key it is likely a typo of (not already in the mapping). */
  suggestion?: string;
}

function run(fn: ValidateFunction, value: unknown, rootLabel: string): SchemaIssue[] {
  return fn(value) ? [] : schemaIssues(fn.errors, value, rootLabel);
}

/** One item of `outbound:`; paths are relative to the item. */
export function validateOutboundRule(value: unknown): SchemaIssue[] {
  return run(outboundRule, value, 'outbound rule');
}

/** One item of `inbound:`; paths are relative to the item. */
export function validateInboundRule(value: unknown): SchemaIssue[] {
  return run(inboundRule, value, 'inbound rule');
}

/** The whole allowlist file except the items of `outbound:` and `inbound:`. */
export function validateAllowlistShell(value: unknown): SchemaIssue[] {
  return run(allowlistShell, value, 'allowlist');
}

export function validateCatalog(value: unknown): SchemaIssue[] {
  return run(catalog, value, 'catalog');
}

/** Maps Ajv errors to issues with plain-language messages, e.g. `unknown key "prots"; expected one of ...`
 * or `protocol must be one of tcp, udp, any`. `data` is the validated value (to tell array indices from keys). */
export function schemaIssues(errors: ErrorObject[] | null | undefined, data: unknown, rootLabel = 'document'): SchemaIssue[] {
  const issues: (SchemaIssue & { missingKey?: string })[] = [];
  const seen = new Set<string>();
  for (const error of errors ?? []) {
    const issue = toIssue(error, data, rootLabel);
    if (!issue) continue;
    const key = `${JSON.stringify(issue.path)}\0${issue.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    issues.push(issue);
  }
  // `prots: 443` is one mistake, not two: the missing `ports` is said by the unknown key's suggestion.
  const suggested = new Set(issues.filter((issue) => issue.suggestion).map((issue) => JSON.stringify([...issue.path.slice(0, -1), issue.suggestion])));
  return issues.filter((issue) => !(issue.keyword === 'required' && issue.missingKey !== undefined && suggested.has(JSON.stringify([...issue.path, issue.missingKey])))).map(({ missingKey: _, ...issue }) => issue);
}

function toIssue(error: ErrorObject, data: unknown, rootLabel: string): (SchemaIssue & { missingKey?: string }) | undefined {
  const path = parsePointer(error.instancePath, data);
  const params = error.params as Record<string, unknown>;
  const schema = error.parentSchema as AnySchemaObject | undefined;
  if (error.keyword === 'propertyNames') return undefined; // reported by the inner error, which names the key
  if (error.propertyName !== undefined) {
    return { path: [...path, error.propertyName], message: `key ${quoted(error.propertyName)} ${predicate(error, schema)}`, keyword: error.keyword, target: 'key' };
  }
  const subject = label(path, rootLabel);
  switch (error.keyword) {
    case 'additionalProperties': {
      const key = String(params.additionalProperty);
      const known = Object.keys((schema?.properties as object | undefined) ?? {});
      const present = error.data !== null && typeof error.data === 'object' ? Object.keys(error.data) : [];
      const suggestion = closestName(key, known.filter((name) => !present.includes(name)));
      if (suggestion) return { path: [...path, key], message: `unknown key ${quoted(key)}; did you mean ${suggestion}?`, keyword: error.keyword, target: 'key', suggestion };
      const message = known.length > 0 ? `unknown key ${quoted(key)}; expected one of ${known.join(', ')}` : `unknown key ${quoted(key)}`;
      return { path: [...path, key], message, keyword: error.keyword, target: 'key' };
    }
    case 'required': {
      const missingKey = String(params.missingProperty);
      return { path, message: `${subject} is missing required key "${missingKey}"`, keyword: error.keyword, target: 'value', missingKey };
    }
    case 'minItems':
    case 'minLength':
      if (params.limit === 1) return { path, message: `${subject} must not be empty`, keyword: error.keyword, target: 'value' };
      break;
  }
  return { path, message: `${subject} ${predicate(error, schema)}`, keyword: error.keyword, target: 'value' };
}

/** "must be ...": from the schema's `errorMessage` where it has one, else from the failed keyword. */
function predicate(error: ErrorObject, schema: AnySchemaObject | undefined): string {
  const expected = expectedPhrase(schema);
  return expected !== undefined ? `must be ${expected}` : ajvPredicate(error);
}

/** The schema's own `errorMessage` ("Expected a date (YYYY-MM-DD).") as a phrase: "a date (YYYY-MM-DD)". */
function expectedPhrase(schema: AnySchemaObject | undefined): string | undefined {
  const text = schema?.errorMessage;
  if (typeof text !== 'string') return undefined;
  return /^Expected (.*?)\.?$/s.exec(text)?.[1];
}

const TYPE_NAMES: Record<string, string> = {
  string: 'text',
  integer: 'a whole number',
  number: 'a number',
  boolean: 'true or false',
  array: 'a list',
  object: 'a mapping',
  null: 'empty',
};
const FORMAT_NAMES: Record<string, string> = { date: 'a date (YYYY-MM-DD)', uri: 'a URL' };

function ajvPredicate(error: ErrorObject): string {
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'type': {
      const types = Array.isArray(params.type) ? params.type : String(params.type).split(',');
      return `must be ${types.map((type) => TYPE_NAMES[type] ?? type).join(' or ')}`;
    }
    case 'enum':
      return `must be one of ${(params.allowedValues as unknown[]).map(String).join(', ')}`;
    case 'const':
      return `must be ${JSON.stringify(params.allowedValue)}`;
    case 'format':
      return `must be ${FORMAT_NAMES[String(params.format)] ?? `in ${String(params.format)} format`}`;
    case 'pattern':
      return `must match ${String(params.pattern)}`;
    case 'uniqueItems':
      return 'must not repeat items';
    default:
      // Ajv's own messages read "must ...".
      return (error.message ?? 'is not valid').replace('must NOT', 'must not');
  }
}

function parsePointer(pointer: string, data: unknown): JsonPath {
  const path: JsonPath = [];
  let node = data;
  for (const raw of pointer === '' ? [] : pointer.slice(1).split('/')) {
    const part = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    const segment = Array.isArray(node) ? Number(part) : part;
    path.push(segment);
    node = node !== null && typeof node === 'object' ? (node as Record<string | number, unknown>)[segment] : undefined;
  }
  return path;
}

/** "to item 2" for ["to", 1]; the root label for []. */
function label(path: JsonPath, rootLabel: string): string {
  let last = path.length - 1;
  while (last >= 0 && typeof path[last] === 'number') last--;
  const base = last >= 0 ? excerpt(String(path[last])) : rootLabel;
  return base + path.slice(last + 1).map((index) => ` item ${(index as number) + 1}`).join('');
}
