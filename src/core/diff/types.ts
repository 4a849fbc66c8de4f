/** What `allowlist diff` reports: changes of effect between two versions of an allowlist, plus the lint
 * findings the change introduced and resolved. Pure data: the CLI, the GitHub Action and the editor format it. */
import type { Direction } from '../parse';
import type { Finding, Severity } from '../common';

export const CHANGE_KINDS = ['opened', 'closed', 'widened', 'narrowed', 'removed', 'requirement-unmet', 'requirement-met', 'expiry', 'metadata'] as const;
export type ChangeKind = (typeof CHANGE_KINDS)[number];

export interface PortInterval {
  from: number;
  to: number;
}

/** One side of a connection as the diff shows it: an address as written canonically, `any`, or `this site`. */
export interface PlaceInfo {
  /** Canonical text: a host name, `*.example.com`, an IP or CIDR network, `any`, or `this site`. */
  label: string;
  kind: 'any' | 'hostname' | 'wildcard' | 'ipv4' | 'ipv6' | 'cidr' | 'site';
}

interface BaseChange {
  kind: ChangeKind;
  /** The allowlist file, relative to the repository (or as given on the command line). */
  file: string;
  /**
   * The rule (by name) the change is about: for access changes, the rules that grant the new reach (or granted
   * the old); for requirement changes, the rules that provided (or now provide) what the vendor needs. `null` when
   * no rule is concerned: a requirement that a vendor's declaration (`vendors.<vendor>`, its options) made newly
   * required or no longer required; then `vendor` names the declaration.
   */
  rule: string | null;
  /** One sentence for a reviewer. */
  summary: string;
  /** Higher is riskier; changes are sorted by it (then by breadth). */
  risk: number;
}

/** Reach that became allowed (`opened`, `widened`) or no longer is (`closed`, `narrowed`). */
export interface AccessChange extends BaseChange {
  kind: 'opened' | 'closed' | 'widened' | 'narrowed';
  direction: Direction;
  from: PlaceInfo;
  to: PlaceInfo;
  /** `tcp`, `udp`, or `tcp/udp` when both changed alike. */
  protocol: string;
  /** The ports that changed (newly allowed, or no longer allowed). */
  ports: PortInterval[];
  /** For `widened`/`narrowed`: the reach on the other side it extends or still keeps, as text. */
  related?: string[];
  /** log2 of how many addresses the remote side (inbound: from, outbound: to) stands for: any = 128, one host = 0. */
  breadth: number;
  /** How many ports changed. */
  portCount: number;
}

/**
 * A rule gone from the head whose reach other rules still allow entirely (or that allowed nothing): no access
 * change names it, yet the reviewer must see that it went away and which rules now carry its access.
 */
export interface RemovedRuleChange extends BaseChange {
  kind: 'removed';
  direction: Direction;
  /** The head's rules that allow everything the removed rule allowed (empty when it allowed nothing). */
  stillAllowedBy: string[];
}

/** A vendor requirement (missing-endpoint, missing-ports, inbound-missing-source) newly unmet or newly met. */
export interface RequirementChange extends BaseChange {
  kind: 'requirement-unmet' | 'requirement-met';
  direction: Direction;
  vendor: string;
  vendorName: string;
  /** The catalog's role texts of the entries concerned, verbatim. */
  roles: string[];
  /** The host (outbound) or the source address (inbound) concerned, where there is one. */
  target?: string;
  /** The lint rule whose finding this is, and the finding's subject. */
  ruleId: string;
  subject: string;
  /** For `requirement-met`: true when the requirement no longer applies (vendor options changed), rather than being met. */
  noLongerRequired?: boolean;
}

export interface ExpiryChange extends BaseChange {
  kind: 'expiry';
  direction: Direction;
  change: 'added' | 'removed' | 'later' | 'earlier' | 'changed';
  before?: string;
  after?: string;
}

export interface MetadataChange extends BaseChange {
  kind: 'metadata';
  direction: Direction;
  field: 'owner' | 'ticket';
  before?: string;
  after?: string;
}

export type Change = AccessChange | RemovedRuleChange | RequirementChange | ExpiryChange | MetadataChange;

/** A lint finding as the diff reports it: with the file and 1-based line on its own side. */
export interface DiffFinding {
  file: string;
  ruleId: string;
  severity: Severity;
  message: string;
  subject: string;
  /** 1-based line in the version the finding belongs to (the head for introduced, the base for resolved). */
  line: number;
}

export interface FileDiff {
  file: string;
  /** `renamed`: moved or renamed (git's rename detection), whether or not its text changed too; see `previousFile`. */
  status: 'added' | 'deleted' | 'modified' | 'renamed' | 'unchanged';
  /** For a renamed file: its path at the base. */
  previousFile?: string;
  changes: Change[];
  findings: { introduced: DiffFinding[]; resolved: DiffFinding[] };
  /** True when the edit changes nothing the firewall allows, requires or records (the texts may still differ). */
  noEffect: boolean;
  /** What changed without effect (reordering, renames, formatting), and why effect could not be compared. */
  notes: string[];
  /** Set when a side does not parse as an allowlist: its reach was not compared. */
  unparsable?: 'base' | 'head' | 'both';
}

export interface DiffReport {
  base: string;
  head: string;
  files: FileDiff[];
  /** Every file's changes, riskiest first. */
  changes: Change[];
  findings: { introduced: DiffFinding[]; resolved: DiffFinding[] };
  noEffect: boolean;
  notes: string[];
}

/** Re-exported for the formatters. */
export type { Finding };
