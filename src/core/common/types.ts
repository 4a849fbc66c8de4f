/** Shared vocabulary of the engine: positions, findings and fixes. Positions are UTF-16 offsets
 * into the file's text (what JavaScript strings, VS Code and LSP count), half-open [start, end). */

export interface Range {
  start: number;
  end: number;
}

export type Severity = 'error' | 'warning' | 'info';
export type SeveritySetting = Severity | 'off';

export interface TextEdit {
  range: Range;
  newText: string;
}

/** A fix a user can apply: one or more edits to the same file. */
export interface Fix {
  title: string;
  edits: TextEdit[];
  /** The fix the editor offers first (VS Code's "preferred" quick fix). */
  preferred?: boolean;
}

export interface Finding {
  ruleId: string;
  severity: Severity;
  message: string;
  range: Range;
  fixes?: Fix[];
  /**
   * What the finding is about, independent of where it stands in the file (e.g. "outbound:hdb-uploads:to:hdb-stuff.s3.amazonaws.com").
   * `allowlist diff` and `--new-since` use it, with the rule id, to tell whether a finding is the same one after lines moved.
   */
  subject: string;
}

/** Metadata of a lint rule: feeds the README's rule list, SARIF's rules[] and the editor's code links. */
export interface RuleMeta {
  id: string;
  defaultSeverity: Severity;
  /** One paragraph: what the rule checks and why it matters. */
  description: string;
  /** A short allowlist excerpt that triggers the rule, for the docs. */
  example?: string;
  /** Options the config may set beside the severity (`.allowlistrc.yaml`, `allowlist.rules`). */
  options?: Record<string, RuleOption>;
}

/** A rule option: the config is checked against these, and the docs list them. */
export type RuleOption = NumberRuleOption | SwitchRuleOption;

/** A whole number from `minimum` to `maximum`. */
export interface NumberRuleOption {
  description: string;
  default: number;
  minimum: number;
  maximum: number;
}

/** On or off: `true` or `false` (1 and 0 read the same, as the first release documented them). */
export interface SwitchRuleOption {
  description: string;
  default: boolean;
}

export const DOCS_URL = 'https://github.com/firewall-allowlist/firewall-allowlist/blob/main/docs/rules.md';

export function ruleDocUrl(ruleId: string): string {
  return `${DOCS_URL}#${ruleId}`;
}
