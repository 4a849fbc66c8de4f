import type { LintRule } from './rule';

/** Reported by the parser (parse.ts); this file holds the rule's metadata. */
export const yamlSyntax: LintRule = {
  meta: {
    id: 'yaml-syntax',
    defaultSeverity: 'error',
    description:
      'The file is not valid YAML, or uses YAML in a way that changes its meaning: a missing closing quote, bad indentation, a duplicate key, an alias without its anchor, or an unquoted `*.example.com` (YAML reads a leading `*` as an alias, so wildcards must be quoted). Nothing after a syntax error can be trusted, so fix these first.',
    example: 'outbound:\n  - name: cdn\n    to: *.example.com   # must be "*.example.com"\n    ports: 443',
  },
};
