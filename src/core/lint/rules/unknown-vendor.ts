import type { CatalogSet } from '../../catalog';
import { closestMatch, excerpt, quoted, type Range } from '../../common';
import { type LintRule, ruleSubject } from './rule';

/** What is said of an unknown vendor id, by catalog set and id: a file names the same few unknown vendors in many
 * rules, and a fleet the same ones in every site (each message one string, not one per finding). */
const unknownIds = new WeakMap<CatalogSet, Map<string, { suggestion?: string; message: string }>>();

function unknownId(catalogs: CatalogSet, id: string): { suggestion?: string; message: string } {
  let known = unknownIds.get(catalogs);
  if (!known) unknownIds.set(catalogs, (known = new Map()));
  let said = known.get(id);
  if (!said) {
    const candidates = catalogs.catalogs.map((catalog) => ({ value: catalog.id, spellings: [catalog.id, catalog.name, ...catalog.aliases] }));
    const suggestion = closestMatch(id, candidates);
    known.set(id, (said = { suggestion, message: unknownMessage(id, catalogs, suggestion) }));
  }
  return said;
}

/** The catalog id a misspelt vendor id most likely means (by id, name or alias), if any. */
export function suggestVendor(catalogs: CatalogSet, id: string): string | undefined {
  return unknownId(catalogs, id).suggestion;
}

function unknownMessage(id: string, catalogs: CatalogSet, suggestion: string | undefined): string {
  const known = catalogs.catalogs.map((catalog) => catalog.id);
  const advice = suggestion
    ? `did you mean ${suggestion}?`
    : known.length > 0
      ? `the loaded catalogs are ${known.join(', ')}; fix the id, or add a catalog for this vendor (\`catalogs:\` in .allowlistrc.yaml)`
      : 'no catalogs are loaded; add one for this vendor (`catalogs:` in .allowlistrc.yaml)';
  return `vendor ${quoted(id)} is not defined by any loaded catalog, so no rule is checked against what the vendor publishes; ${advice}`;
}

function replaceFix(range: Range, suggestion: string | undefined) {
  return suggestion ? [{ title: `Use ${suggestion}`, edits: [{ range, newText: suggestion }], preferred: true }] : undefined;
}

export const unknownVendor: LintRule = {
  meta: {
    id: 'unknown-vendor',
    defaultSeverity: 'error',
    description:
      'Every vendor named under `vendors:` or in a rule\'s `vendor:` must be one a loaded catalog defines, and a rule\'s vendor must be declared under `vendors:`. A misspelt vendor id (`helpdesk-button`) silently turns off every vendor check: the published endpoints, the hostname-only advice and the inbound sources are never compared with your rules, so a wrong or missing rule goes unnoticed until the vendor\'s software fails at the customer\'s site. A vendor used by a rule but not declared has no options, so checks that depend on them (a self-hosted ticket system) cannot run.',
    example: 'vendors:\n  helpdesk-button: {}   # did you mean helpdesk-buttons?\noutbound:\n  - name: hdb-upload\n    vendor: helpdesk-buttons   # known, but not declared under vendors:\n    to: hdb-stuff.s3.amazonaws.com\n    ports: 443',
  },
  checkRule(rule, context, report) {
    const vendor = rule.vendor;
    if (!vendor) return;
    if (!context.catalogs.byVendor.has(vendor.value)) {
      const { suggestion, message } = unknownId(context.catalogs, vendor.value);
      report({
        message,
        range: vendor.range,
        subject: ruleSubject(rule, `vendor:${vendor.value}`),
        fixes: replaceFix(vendor.range, suggestion),
      });
    } else if (!context.vendors.has(vendor.value)) {
      report({
        message: `vendor ${excerpt(vendor.value)} is not declared under \`vendors:\`; declare it there (\`${excerpt(vendor.value)}: {}\` for the catalog's defaults, or with its options) so that this rule is checked against the options that apply to this site`,
        range: vendor.range,
        subject: ruleSubject(rule, `vendor-undeclared:${vendor.value}`),
      });
    }
  },
  checkFile(model, context, report) {
    for (const decl of model.vendors) {
      if (context.catalogs.byVendor.has(decl.id)) continue;
      const { suggestion, message } = unknownId(context.catalogs, decl.id);
      report({
        message,
        range: decl.range,
        subject: `vendors:${decl.id}`,
        // No rename to a vendor declared beside it: the key would be there twice, which YAML refuses.
        fixes: model.vendors.some((other) => other.id === suggestion) ? undefined : replaceFix(decl.range, suggestion),
      });
    }
  },
};
