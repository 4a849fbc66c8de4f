/** What `allowlist drift` reports: a firewall's configuration (or live ruleset) compared with its allowlist by effect.
 * Pure data: the CLI, the GitHub Action and the editor format it. User documentation: docs/import.md ("Drift"). */
import type { Direction } from '../parse';
import type { PlaceInfo, PortInterval, RequirementFacts } from '../diff';
import type { ImportProblem } from '../import';

/** A rule of the allowlist or a policy of the firewall's configuration, by name and 1-based line in its file. */
export interface DriftSource {
  name: string;
  line: number;
}

/** Reach one side allows and the other does not. */
export interface DriftAccess {
  /** `extra`: the firewall allows it, the allowlist does not; `missing`: the reverse. */
  kind: 'extra' | 'missing';
  direction: Direction;
  from: PlaceInfo;
  to: PlaceInfo;
  /** `tcp`, `udp`, or `tcp/udp` when both differ alike. */
  protocol: string;
  /** The ports that differ. */
  ports: PortInterval[];
  /** Missing: the allowlist rules granting it; extra: allowlist rules that allow part of it (may be empty). */
  allowlistRules: DriftSource[];
  /** Extra: the policies granting it; missing: policies that allow part of it (may be empty). */
  firewallPolicies: DriftSource[];
  /** One sentence. */
  summary: string;
}

/** A declared vendor's requirement the firewall fails and the allowlist meets (the requirement rules run over the
 * firewall's rules with the allowlist's vendor declarations and options). */
export interface DriftRequirement extends Pick<RequirementFacts, 'direction' | 'vendor' | 'vendorName' | 'roles' | 'target'> {
  kind: 'requirement-unmet';
  /** missing-endpoint | missing-ports | inbound-missing-source */
  ruleId: string;
  /** The allowlist rules that provide it. */
  allowlistRules: DriftSource[];
  /** With the vendor's words. */
  summary: string;
}

export interface DriftReport {
  /** The allowlist's path as shown. */
  allowlist: string;
  /** The configuration's path as shown, or `nft` (the live ruleset). */
  against: string;
  /** The reader's id. */
  platform: string;
  extra: DriftAccess[];
  missing: DriftAccess[];
  requirements: DriftRequirement[];
  /** Parts of the configuration the reader could not map (not compared), with their lines. */
  notCompared: ImportProblem[];
  /** What else was not compared and why: reach the platform's configuration cannot hold (host names in an nftables
   * ruleset, wildcards on pfSense), vendor requirements the allowlist fails too (lint reports those). */
  notes: string[];
  /** Set when the allowlist does not parse (YAML error, not an allowlist): nothing was compared. */
  unparsable?: string;
  /** Set when the firewall's side cannot be linted (its rules written as an allowlist are over the linter's size
   * limit), with why: nothing was compared. */
  firewallUnreadable?: string;
  /** No extra, missing or requirements, and both sides were read. */
  inSync: boolean;
}
