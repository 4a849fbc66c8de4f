/** The vocabulary of `allowlist export`: an allowlist's rules as every target reads them, what a target can express,
 * and what an export gives back. */
import type { Direction, Protocol } from '../parse';

/** One side of a rule (`to` or `from`), its addresses sorted by kind. */
export interface ExportEndpoints {
  /** `any`, or an outbound rule without `from` (the whole site): no address condition on this side. */
  any: boolean;
  /** Exact host names, lower case, without a trailing dot. */
  hosts: string[];
  /** Wildcards by their base: `*.example.com` is `example.com` (it matches names under it, not the base itself). */
  wildcards: string[];
  /** IPv4 addresses and networks in canonical form (`192.0.2.1`, `192.0.2.0/24`). */
  ipv4: string[];
  ipv6: string[];
}

/** A rule of the allowlist as targets render it: parsed, checked and normalised once. */
export interface ExportRule {
  direction: Direction;
  /** The rule's name (unique in a file that exports: duplicate names refuse the export). */
  name: string;
  /** 1-based line of the rule's item, for warnings. */
  line: number;
  protocol: Protocol;
  /** Merged, sorted port spans; `any` for every port. */
  ports: { from: number; to: number }[] | 'any';
  from: ExportEndpoints;
  to: ExportEndpoints;
  description?: string;
  vendor?: string;
  ticket?: string;
  owner?: string;
  /** YYYY-MM-DD, as written. */
  expires?: string;
  expired: boolean;
}

/** What a platform can express, in data: each missing capability a rule needs gives one warning naming the rule. */
export interface Capabilities {
  /** Host-name address objects that the firewall resolves itself (or fills from DNS). */
  fqdn: boolean;
  /** Wildcard host names (`*.example.com`). */
  wildcardFqdn: boolean;
  /** Port ranges (`2001-2500`) in one service or rule. */
  portRanges: boolean;
  ipv6: boolean;
  udp: boolean;
  inbound: boolean;
  /** Host names (or wildcards) as the source of an inbound rule. */
  inboundFqdn: boolean;
  /** A comment on each object and rule (name, ticket, owner). */
  comments: boolean;
}

export type Capability = keyof Capabilities;

/** One rule the target could not express faithfully (or a note about it): the platform's limit and the way around it. */
export interface ExportWarning {
  rule: string;
  line: number;
  message: string;
  /** `unfaithful`: the output allows less (or more) than the rule says; `--strict` exits 1 on these. */
  kind: 'unfaithful' | 'note';
}

export interface ExportOptions {
  /** nftables: the hook of the filter chain. `forward` for a router in front of the site, `output` for one host. */
  hook?: 'forward' | 'output';
  /** The interface facing the site's clients, and the one facing the internet (FortiGate, pfSense, MikroTik, PAN-OS). */
  lanInterface?: string;
  wanInterface?: string;
  /** YYYY-MM-DD the expiry dates are checked against (default: today, UTC). */
  today?: string;
  /** Leave expired rules out (default: export them, with a note). */
  skipExpired?: boolean;
  /** The file's name as comments and headers show it. */
  sourceName?: string;
}

/** A file an export writes, by its name under `--out`. */
export interface ExportFile {
  name: string;
  text: string;
}

export interface ExportResult {
  files: ExportFile[];
  warnings: ExportWarning[];
}

/** Where a target's constructs and limits come from, for docs/export.md. */
export interface ExportSource {
  title: string;
  url: string;
}

/** Handed to a target's render: its rules (expired ones already left out when asked) and a way to warn about one. */
export interface RenderContext {
  options: ExportOptions & { sourceName: string; today: string };
  /** A target-specific warning about a rule (the capability warnings are given already). */
  warn(rule: ExportRule, message: string, kind?: ExportWarning['kind']): void;
}

/** One export target, one per file under targets/ (as one lint rule per file). */
export interface ExportTarget {
  id: string;
  /** "FortiGate (FortiOS CLI)". */
  title: string;
  capabilities: Capabilities;
  /** For each capability the platform lacks: its limit and the workaround, one sentence each, said once per rule. */
  limits: Partial<Record<Capability, string>>;
  sources: ExportSource[];
  /** `multiple`: needs `--out DIR`; `single`: printed to standard output without `--out`. */
  output: 'single' | 'multiple';
  /** Pure: the same rules and options give the same bytes. A rule part the target cannot express is left out. */
  render(rules: ExportRule[], context: RenderContext): ExportFile[];
  /** Optional, pure: the commands that take a firewall holding the export of `before` to the export of `after` (the
   * same options), touching only what differs. `allowlist export --since` needs it. */
  changeSet?(before: ExportRule[], after: ExportRule[], context: ChangeSetContext): ExportFile[];
}

/** The rules of a change set by direction and name (rename: one removed, one added). */
export interface RuleChanges {
  added: string[];
  changed: string[];
  removed: string[];
}

export interface ChangeSetContext extends RenderContext {
  /** What the change set is from, as its header names it, e.g. `HEAD (3f2a1b0)`. */
  since: string;
  /** False where the file did not exist at that revision: nothing of it is on the firewall yet. */
  existed: boolean;
  changes: RuleChanges;
  /** The context to render `before` with: the same options, its warnings dropped (the change set warns about the file
   * as it is now, through `warn`). */
  beforeContext: RenderContext;
}

export interface ChangeSetResult extends ExportResult {
  changes: RuleChanges;
}
