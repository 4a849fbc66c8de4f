/** The vocabulary of `allowlist import`: what a reader makes of a firewall's configuration, before it is written as an
 * allowlist. Readers are pure: the configuration's text in, rules and the problems of what could not be mapped out. */
import type { Direction, Protocol } from '../parse';

/** One rule of the allowlist to write, from one policy or filter rule of the configuration. */
export interface ImportedRule {
  direction: Direction;
  /** From the policy's name or id; made unique in the file by the writer. */
  name: string;
  description?: string;
  /** A ticket or change reference the configuration carries (a comment that names one). */
  ticket?: string;
  /** Addresses as an allowlist writes them: a host name, `*.example.com`, an IP address, a CIDR network, or `any`.
   * Absent `from` on an outbound rule means the whole site. */
  from?: string[];
  to: string[];
  /** Ports and ranges (`443`, `2001-2500`), or `any`. */
  ports: (number | string)[] | 'any';
  protocol: Protocol;
  /** 1-based line of the policy in the configuration, for messages and the rule's comment. */
  line: number;
}

/** Something in the configuration a reader could not map, or mapped only in part: never dropped silently. */
export interface ImportProblem {
  /** 1-based line in the configuration. */
  line: number;
  message: string;
  /** `skipped`: nothing of it is in the allowlist; `partial`: the rule is there, narrower or wider than the policy. */
  kind: 'skipped' | 'partial';
}

export interface ImportResult {
  rules: ImportedRule[];
  problems: ImportProblem[];
}

export interface ReadOptions {
  /** Interfaces or zones facing the site's clients and the internet, as the export takes them; they tell outbound
   * from inbound policies where the configuration names interfaces. */
  lanInterface?: string;
  wanInterface?: string;
  /** Only these policies (by name or id); default all. */
  policies?: string[];
}

/** One reader, one per file under readers/ (as one export target per file). */
export interface ImportReader {
  id: string;
  /** "FortiGate (FortiOS configuration or `show` output)". */
  title: string;
  /** Where the syntax it reads is documented, for docs/import.md. */
  sources: { title: string; url: string }[];
  read(text: string, options: ReadOptions): ImportResult;
  /** Kinds of addresses the platform's configuration cannot hold (they live elsewhere, or the platform has no way to
   * write them): drift does not compare an allowlist's reach to them, and says why. */
  placesNotHeld?: { kinds: ('hostname' | 'wildcard')[]; what: string; why: string };
}
