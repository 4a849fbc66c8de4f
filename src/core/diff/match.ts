/** Pairs the rules of two versions of an allowlist: by name, then (for renamed rules) by what they allow,
 * then by the addresses they name. The pairs carry what has no effect on reach but matters to a reviewer
 * (renames, reordering, expiry, owner, ticket) and let findings keep their identity across a rename. */
import { type AllowlistModel, type AllowRule, type Direction, mergeSpans } from '../parse';
import { ruleLabel } from './reach';
import type { ExpiryChange, MetadataChange } from './types';

export interface RuleMatch {
  pairs: [AllowRule, AllowRule][];
  removed: AllowRule[];
  added: AllowRule[];
}

function addressKeys(rule: AllowRule, side: 'from' | 'to'): string {
  return [...new Set((rule[side]?.addresses ?? []).map((address) => `${address.kind}:${address.host ?? address.network?.canonical ?? address.text.trim().toLowerCase()}`))]
    .sort()
    .join(',');
}

function portsKey(rule: AllowRule): string {
  if (!rule.ports || rule.ports.any) return 'any';
  return mergeSpans(rule.ports.spans)
    .map((span) => `${span.from}-${span.to}`)
    .join(',');
}

/** What a rule allows, independent of how it is written and named. */
export function accessKey(rule: AllowRule): string {
  return [rule.direction, addressKeys(rule, 'from'), addressKeys(rule, 'to'), rule.protocol.value, portsKey(rule)].join('|');
}

/** What a rule allows and for which vendor: pairs a renamed rule with its old self. */
export function effectKey(rule: AllowRule): string {
  return `${accessKey(rule)}|${rule.vendor?.value ?? ''}`;
}

function placeKey(rule: AllowRule): string {
  return [rule.direction, addressKeys(rule, 'from'), addressKeys(rule, 'to')].join('|');
}

export function matchRules(before: AllowlistModel, after: AllowlistModel): RuleMatch {
  const pairs: [AllowRule, AllowRule][] = [];
  let removed = [...before.outbound, ...before.inbound];
  let added = [...after.outbound, ...after.inbound];
  const pass = (keyOf: (rule: AllowRule) => string | undefined): void => {
    const waiting = new Map<string, AllowRule[]>();
    for (const rule of added) {
      const key = keyOf(rule);
      if (key === undefined) continue;
      let list = waiting.get(key);
      if (!list) waiting.set(key, (list = []));
      list.push(rule);
    }
    const paired = new Set<AllowRule>();
    const left: AllowRule[] = [];
    for (const rule of removed) {
      const key = keyOf(rule);
      const candidate = key === undefined ? undefined : waiting.get(key)?.shift();
      if (candidate) {
        pairs.push([rule, candidate]);
        paired.add(candidate);
      } else left.push(rule);
    }
    removed = left;
    added = added.filter((rule) => !paired.has(rule));
  };
  pass((rule) => (rule.name ? `${rule.direction}|${rule.name.value}` : undefined));
  pass(effectKey);
  pass(placeKey);
  return { pairs, removed, added };
}

/** Subject prefix of findings about a rule, as `ruleSubject` builds it. */
function subjectBase(rule: AllowRule): string {
  return `${rule.direction}:${rule.name?.value ?? `#${rule.index + 1}`}`;
}

/** Rewrites findings' subjects from the base version's rule names (or positions) to the head's. */
export function subjectRewriter(match: RuleMatch): (subject: string) => string {
  const renames = new Map<string, string>();
  for (const [before, after] of match.pairs) {
    const from = subjectBase(before);
    const to = subjectBase(after);
    if (from !== to) renames.set(from, to);
  }
  if (renames.size === 0) return (subject) => subject;
  return (subject) => {
    for (let at = subject.indexOf(':'); at !== -1; at = subject.indexOf(':', at + 1)) {
      const base = subject.slice(0, at);
      const renamed = renames.get(base);
      if (renamed !== undefined) return renamed + subject.slice(at);
    }
    return renames.get(subject) ?? subject;
  };
}

export interface PairFacts {
  notes: string[];
  expiry: Omit<ExpiryChange, 'file' | 'risk'>[];
  metadata: Omit<MetadataChange, 'file' | 'risk'>[];
}

function isDate(text: string | undefined): text is string {
  return text !== undefined && /^\d{4}-\d{2}-\d{2}$/.test(text);
}

/** Renames, reordering, expiry and metadata changes of the paired rules. */
export function pairFacts(match: RuleMatch): PairFacts {
  const facts: PairFacts = { notes: [], expiry: [], metadata: [] };
  for (const direction of ['outbound', 'inbound'] as Direction[]) {
    const inOrder = match.pairs.filter(([before]) => before.direction === direction).sort((a, b) => a[0].index - b[0].index);
    if (inOrder.some(([, after], i) => i > 0 && after.index < inOrder[i - 1][1].index)) facts.notes.push(`${direction} rules reordered`);
  }
  for (const [before, after] of match.pairs) {
    const name = ruleLabel(after);
    const direction = after.direction;
    if (before.name?.value !== after.name?.value) {
      facts.notes.push(before.name && after.name ? `rule renamed ${before.name.value} → ${after.name.value}` : `rule ${ruleLabel(before)} is now ${name}`);
    }
    if (before.description?.value !== after.description?.value) facts.notes.push(`description of rule ${name} changed`);
    if (before.vendor?.value !== after.vendor?.value) facts.notes.push(`vendor of rule ${name}: ${before.vendor?.value ?? '(none)'} → ${after.vendor?.value ?? '(none)'}`);
    const was = before.expires?.value;
    const now = after.expires?.value;
    if (was !== now) {
      let change: ExpiryChange['change'];
      let summary: string;
      if (was === undefined) {
        change = 'added';
        summary = `Rule ${name} now expires on ${now}.`;
      } else if (now === undefined) {
        change = 'removed';
        summary = `Rule ${name} no longer expires (it was set to expire on ${was}): its access becomes permanent.`;
      } else if (isDate(was) && isDate(now)) {
        change = now > was ? 'later' : 'earlier';
        summary = change === 'later' ? `Rule ${name} expires later: ${was} → ${now}.` : `Rule ${name} expires sooner: ${was} → ${now}.`;
      } else {
        change = 'changed';
        summary = `Expiry of rule ${name} changed: ${was} → ${now}.`;
      }
      facts.expiry.push({ kind: 'expiry', direction, rule: name, change, before: was, after: now, summary });
    }
    for (const field of ['owner', 'ticket'] as const) {
      const old = before[field]?.value;
      const value = after[field]?.value;
      if (old === value) continue;
      const summary =
        old === undefined ? `Rule ${name} now has ${field} ${value}.` : value === undefined ? `Rule ${name} no longer has ${field === 'owner' ? 'an owner' : 'a ticket'} (was ${old}).` : `The ${field} of rule ${name} changed: ${old} → ${value}.`;
      facts.metadata.push({ kind: 'metadata', direction, rule: name, field, before: old, after: value, summary });
    }
  }
  return facts;
}
