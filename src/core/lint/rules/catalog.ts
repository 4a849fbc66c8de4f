import type { LintRule } from './rule';

/** Reported by the catalog loader (catalog/load.ts) for `catalog: 1` files; this file holds the rule's metadata. */
export const catalog: LintRule = {
  meta: {
    id: 'catalog',
    defaultSeverity: 'error',
    description:
      'A vendor catalog is inconsistent in ways its schema cannot express: an option default that is not among its values, a `when` naming an unknown option or value, two entries with the same id, a reversed port range, or an inbound source that is not an address. A catalog with errors is not loaded, since rules built on wrong vendor facts would mislead every allowlist that uses it.',
    example: 'options:\n  ticket-system:\n    values: [cloud, self-hosted]\n    default: on-prem   # not among the values',
  },
};
