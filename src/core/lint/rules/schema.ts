import type { LintRule } from './rule';

/** Reported by the parser against schemas/allowlist.schema.json; this file holds the rule's metadata. */
export const schema: LintRule = {
  meta: {
    id: 'schema',
    defaultSeverity: 'error',
    description:
      'The file does not have the shape `schemas/allowlist.schema.json` describes: an unknown key (often a typo such as `prots`: reported once, with the key it likely means and a fix that renames it), a missing required key (`name`, `to`, `ports`, and `from` on inbound rules), a value of the wrong type, or a `protocol` other than tcp, udp or any. The schema is the single source of truth for the format, and other YAML tools can use it too.',
    example: 'outbound:\n  - name: web\n    to: example.com\n    prots: 443   # unknown key "prots"; did you mean ports?',
  },
};
