/** What a lint rule is: metadata plus visitors over the parsed model. A rule never parses text. */
import type { Catalog, CatalogSet } from '../../catalog';
import { itemSubject, type AllowlistModel, type AllowRule, type VendorDecl } from '../../parse';
import { type Fix, quoted, type Range, type RuleMeta } from '../../common';

/** A vendor declared under `vendors:`, with its catalog (when one is loaded) and its effective options. */
export interface VendorUse {
  decl: VendorDecl;
  catalog?: Catalog;
  /** Option values after the catalog's defaults are applied. */
  options: Record<string, string>;
}

export interface RuleContext {
  catalogs: CatalogSet;
  /** Declared vendors by id. */
  vendors: Map<string, VendorUse>;
  /** The day rules compare expiry dates against, YYYY-MM-DD. */
  today: string;
  /** An option of this rule (or of the rule `ruleId`) from the user's config, or the fallback. */
  option<T>(name: string, fallback: T, ruleId?: string): T;
  /** Stands for the document being linted: the same object on every lint of one `Linter` (in the editor, one per open
   * document), another for another. A file rule that carries work over to the next lint keeps it in a `WeakMap` under
   * this key, so that documents do not evict each other's, and a closed document's goes with its Linter. Not for
   * `checkRule`, whose findings are cached by the item's text across documents. */
  document: object;
}

export interface Report {
  (finding: { message: string; range: Range; subject: string; fixes?: Fix[] }): void;
}

export interface LintRule {
  meta: RuleMeta;
  /**
   * Checks one rule item. Must depend only on the item and the context: its findings are cached per item
   * and reused while the item's text and the context stay the same. Ranges are relative to `rule.offset`.
   */
  checkRule?(rule: AllowRule, context: RuleContext, report: Report): void;
  /**
   * Checks what spans items (names, coverage, vendor requirements). Runs on every lint over the cached
   * item models, so it must stay linear in the number of rules. Ranges are absolute (see `absolute()`).
   */
  checkFile?(model: AllowlistModel, context: RuleContext, report: Report): void;
  /**
   * Makes ahead of time what the first re-lint of an edited version of `model` (the model `checkFile` saw last)
   * would otherwise make on the keystroke's time, such as indexes a lint from scratch does not need. Never
   * changes a result.
   */
  prepareEdits?(model: AllowlistModel, document: RuleContext['document']): void;
}

/** The subject of a finding about a rule item: stable across moves, renames aside. */
export function ruleSubject(rule: AllowRule, detail?: string): string {
  const base = itemSubject(rule);
  return detail ? `${base}:${detail}` : base;
}

/** How messages name a rule: its quoted name (capped), else its direction and position ("inbound rule 3"). */
export function ruleLabel(rule: AllowRule): string {
  return rule.name ? quoted(rule.name.value) : `${rule.direction} rule ${rule.index + 1}`;
}

/** Whether a rule serves a given vendor (names it under `vendor:`). */
export function servesVendor(rule: AllowRule, vendorId: string): boolean {
  return rule.vendor?.value === vendorId;
}

/** Declared vendors with their catalogs and effective options (the catalog's defaults, then the file's
 * values): what the engine gives the rules, and what the diff and the probes look vendors up in. */
export function vendorUses(model: AllowlistModel, catalogs: CatalogSet): Map<string, VendorUse> {
  const uses = new Map<string, VendorUse>();
  for (const decl of model.vendors) {
    const catalog = catalogs.byVendor.get(decl.id);
    const options: Record<string, string> = {};
    for (const option of catalog?.options ?? []) options[option.name] = option.default;
    for (const [name, value] of Object.entries(decl.options)) if (typeof value.value === 'string') options[name] = value.value;
    uses.set(decl.id, { decl, catalog, options });
  }
  return uses;
}

/** Whether a catalog entry's `when` conditions hold for the vendor's effective options. */
export function conditionsHold(when: Record<string, string> | undefined, options: Record<string, string>): boolean {
  return !when || Object.entries(when).every(([name, value]) => options[name] === value);
}
