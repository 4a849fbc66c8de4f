import type { CatalogOption } from '../../catalog';
import { closestName, editDistance, type Fix, quoted } from '../../common';
import type { LintRule } from './rule';

function describeOption(option: CatalogOption): string {
  return `${option.name} (${option.values.join(', ')})`;
}

function describeValue(option: CatalogOption, value: string): string {
  const description = option.valueDescriptions?.[value];
  return description ? `${value} (${description})` : value;
}

export const vendorOption: LintRule = {
  meta: {
    id: 'vendor-option',
    defaultSeverity: 'error',
    description:
      'The options of a vendor under `vendors:` must be ones its catalog defines, with one of the values the catalog lists. The options decide which of the vendor\'s endpoints and inbound sources apply to the site (a self-hosted ticket system needs the vendor\'s API requests let in; a cloud one needs the gatekeeper endpoint): a misspelt option or value is ignored, the catalog\'s default applies instead, and the allowlist is checked against the wrong set of requirements.',
    example: 'vendors:\n  helpdesk-buttons:\n    ticket-system: selfhosted   # values: cloud, self-hosted',
  },
  checkFile(model, context, report) {
    for (const decl of model.vendors) {
      const catalog = context.catalogs.byVendor.get(decl.id);
      if (!catalog) continue; // unknown-vendor's
      for (const [name, spanned] of Object.entries(decl.options)) {
        const option = catalog.options.find((candidate) => candidate.name === name);
        if (!option) {
          const keyRange = decl.optionKeys[name] ?? spanned.range;
          const suggestion = closestName(name, catalog.options.map((candidate) => candidate.name));
          const known = catalog.options.length > 0 ? `its options are ${catalog.options.map(describeOption).join(', ')}` : 'its catalog defines no options';
          report({
            message: `${catalog.name} has no option ${quoted(name)} (${suggestion ? `did you mean ${suggestion}? ` : ''}${known}); an unknown option is ignored`,
            range: keyRange,
            subject: `vendors:${decl.id}:option:${name}`,
            // No rename to an option set beside it: the key would be there twice, which YAML refuses.
            fixes: suggestion && !(suggestion in decl.options) ? [{ title: `Use ${suggestion}`, edits: [{ range: keyRange, newText: suggestion }], preferred: true }] : undefined,
          });
          continue;
        }
        const value = spanned.value;
        if (typeof value !== 'string') continue; // not a string: the schema's
        if (option.values.includes(value)) continue;
        const ranked = option.values
          .map((candidate, order) => ({ candidate, order, distance: editDistance(value.toLowerCase(), candidate.toLowerCase()) }))
          .sort((a, b) => a.distance - b.distance || a.order - b.order);
        const closest = closestName(value, option.values);
        const fixes: Fix[] = ranked.map(({ candidate }) => ({
          title: `Use ${candidate}`,
          edits: [{ range: spanned.range, newText: candidate }],
          ...(candidate === closest ? { preferred: true } : {}),
        }));
        report({
          message: `${quoted(value)} is not a value of ${catalog.name}'s option ${name}; use one of: ${option.values.map((candidate) => describeValue(option, candidate)).join(', ')}${closest ? ` (did you mean ${closest}?)` : ''}`,
          range: spanned.range,
          subject: `vendors:${decl.id}:option:${name}:${value}`,
          fixes,
        });
      }
    }
  },
};
