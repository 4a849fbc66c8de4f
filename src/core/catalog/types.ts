/** The in-memory form of a vendor catalog (`catalog: 1` YAML, shape in schemas/catalog.schema.json).
 * Every fact carries the source it came from: a catalog never states what its vendor did not publish. */
import type { Range } from '../common';

export interface Source {
  /** Where the vendor says it (a documentation URL, with an anchor where one exists). */
  url: string;
  /** The vendor's own words, verbatim, where a role or an advice is quoted. */
  quote?: string;
  /** Which entry of the source, where it is a list or a feed (e.g. "endpoint set 46, version 2025010100"). */
  entry?: string;
}

/** Conditions on the vendor's options, e.g. `{ "ticket-system": "cloud" }`: all must hold. */
export type When = Record<string, string>;

export interface PortRangeSpec {
  from: number;
  to: number;
}

export interface CatalogOption {
  name: string;
  description: string;
  values: string[];
  default: string;
  /** Per-value explanation, e.g. cloud: "Cloud-Hosted ticket system". */
  valueDescriptions?: Record<string, string>;
  source?: Source;
}

/** An outbound endpoint the vendor's software connects to. */
export interface CatalogEndpoint {
  /** Stable id within the catalog, e.g. "techconnect-session". */
  id: string;
  /** The vendor's role text, verbatim (e.g. "request slot for TechConnect"). */
  role: string;
  host: string;
  ports: PortRangeSpec[];
  protocol: 'tcp' | 'udp';
  /** `hostname`: must be allowlisted by name, never by IP (the vendor's addresses change). */
  allowlistBy: 'hostname' | 'address';
  /** Why it must be allowlisted that way, in the vendor's words. */
  allowlistByReason?: string;
  /** False where the vendor lists the endpoint as optional: the requirement rules skip it unless asked. */
  required: boolean;
  /** Ports besides 443 on which the endpoint speaks TLS, where the vendor says so (probes handshake on these and on 443). */
  tlsPorts?: number[];
  /** Needed only when these option values hold; absent = always needed. */
  when?: When;
  /** Human text for `when`, e.g. "only when not self-hosting the ticket system". */
  condition?: string;
  source: Source;
}

/** A source address the vendor's servers connect from (inbound to the customer). */
export interface CatalogInboundSource {
  id: string;
  /** IPv4/IPv6 address or CIDR. */
  address: string;
  role: string;
  /** Ports on the customer's side, where the vendor says (absent: the customer's own service port). */
  ports?: PortRangeSpec[];
  when?: When;
  condition?: string;
  source: Source;
}

export interface CatalogExclusion {
  id: string;
  /** The path as it really is on disk (e.g. with the space in "Program Files (x86)"). */
  path: string;
  platform: 'windows' | 'macos' | 'linux';
  role: string;
  /** Other spellings seen in the vendor's text, e.g. a typo that users copy; `exclusion-path` recognises them. */
  seenSpellings?: string[];
  note?: string;
  recommended: boolean;
  source: Source;
}

export interface CatalogProductAdvice {
  /** Product id as used in `endpoint-protection.products` (lower case, e.g. "webroot"). */
  product: string;
  name: string;
  /** What goes wrong, in the vendor's words. */
  problem: string;
  /** What to do about it, where the vendor says. */
  advice?: string;
  links?: string[];
  source: Source;
}

export interface Catalog {
  /** Vendor id, the key used under `vendors:` and in a rule's `vendor:`. */
  id: string;
  name: string;
  aliases: string[];
  description?: string;
  homepage?: string;
  options: CatalogOption[];
  endpoints: CatalogEndpoint[];
  inboundSources: CatalogInboundSource[];
  exclusions: CatalogExclusion[];
  products: CatalogProductAdvice[];
  /** Where the catalog was loaded from: "builtin:helpdesk-buttons" or a file path. */
  origin: string;
  /** Ranges of entries in the catalog file, for go-to-definition (keyed by entry id, and "vendor"). */
  locations?: Record<string, Range>;
}

/** All loaded catalogs, indexed for the lookups the rules and hovers make. */
export interface CatalogSet {
  catalogs: Catalog[];
  byVendor: Map<string, Catalog>;
  /** Lower-cased host -> endpoints of any catalog with that host. */
  endpointsByHost: Map<string, { catalog: Catalog; endpoint: CatalogEndpoint }[]>;
  /** Canonical address text -> inbound sources with that address. */
  sourcesByAddress: Map<string, { catalog: Catalog; source: CatalogInboundSource }[]>;
  /** Stable key of the set's content, part of the engine's cache keys. */
  key: string;
}
