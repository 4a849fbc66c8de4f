import type { LintRule } from './rule';

/** Reported by the engine when it applies ignore comments (ignore-apply.ts); this file holds the rule's metadata. */
export const ignoreComment: LintRule = {
  meta: {
    id: 'ignore-comment',
    defaultSeverity: 'warning',
    description:
      'A `# allowlist-ignore RULE-ID: reason` comment silences one rule on its own line (when it trails code) or on the next line with code. A comment without a reason, naming a rule that does not exist (with the rule it likely means, and a fix that writes it, for a typo such as `expires-son`), or silencing nothing is reported, so that ignores stay deliberate and do not outlive the finding they were written for.',
    example: '  # allowlist-ignore inbound-too-broad\n  - name: public-web   # no reason given',
  },
};
