/** The Microsoft 365 endpoint feed as a catalog. The feed is the JSON of the "Microsoft 365 IP Address and URL web
 * service" (https://learn.microsoft.com/en-us/microsoft-365/enterprise/microsoft-365-ip-web-service, "Endpoints web
 * method"): `https://endpoints.office.com/endpoints/worldwide?clientrequestid=GUID` returns an array of endpoint
 * sets, each with an immutable `id`, a `serviceArea` (Exchange, SharePoint, Skype, Common) and its display name,
 * `urls` and `ips` (each omitted when blank), `tcpPorts` / `udpPorts` ("80,443", "3478-3481"; omitted when blank),
 * a `category` (Optimize, Allow, Default), `expressRoute`, `required` and `notes` (for optional sets, what stops
 * working without them). The endpoints themselves carry no version: the "version web method" gives it. */
import { Document, isPair, isScalar, isSeq, visit } from 'yaml';
import { quoted, visible } from '../common';
import { catalogHostProblem, MAX_CATALOG_SIZE } from '../catalog';

export const M365_SERVICE_AREAS = ['Exchange', 'SharePoint', 'Skype', 'Common'] as const;
export const M365_CATEGORIES = ['Optimize', 'Allow', 'Default'] as const;

export const M365_VENDOR_ID = 'microsoft-365';
const FEED_URL = 'https://endpoints.office.com/endpoints/worldwide';
const DOCS_URL = 'https://learn.microsoft.com/en-us/microsoft-365/enterprise/microsoft-365-ip-web-service';
/** The schema's host pattern: a name, optionally under a leading `*.`; other wildcards have no catalog form. */
const CATALOG_HOST = /^(\*\.)?[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)+$/;

export interface M365Options {
  /** Service areas to keep (any case); absent: all. */
  serviceAreas?: string[];
  /** Categories to keep (any case); absent: all. */
  categories?: string[];
  /** Leave out the sets the feed marks `required: false`. */
  requiredOnly?: boolean;
  /** The feed's version (from the version web method), written into each entry's source. */
  version?: string;
  /** The downloaded file's name: the version's stand-in when none is given. */
  fileName: string;
}

/** An endpoint set, or a part of one, that is not in the catalog, and why. */
export interface FeedProblem {
  setId: number;
  /** What was left out: a set that lists only IP networks, another whole set, one URL, or one protocol's ports. */
  kind: 'ip-only-set' | 'set' | 'url' | 'ports';
  message: string;
}

export interface FeedImport {
  /** The catalog (`catalog: 1` YAML). */
  text: string;
  endpoints: number;
  /** Endpoint sets of the feed, and how many of them the filters kept. */
  sets: number;
  kept: number;
  problems: FeedProblem[];
}

/** The feed is not what the web service returns (not JSON, another shape), or nothing of it can be a catalog: the
 * message says what is wrong; `problems` are those of the sets it read. */
export class FeedError extends Error {
  constructor(
    message: string,
    readonly problems: FeedProblem[] = [],
  ) {
    super(message);
  }
}

interface EndpointSet {
  id: number;
  serviceArea: string;
  serviceAreaDisplayName?: string;
  urls: string[];
  ips: string[];
  tcpPorts?: string;
  udpPorts?: string;
  category: string;
  required: boolean;
  notes?: string;
}

/** The catalog of the endpoint sets in `json` that pass the filters. Throws FeedError when `json` is not the feed. */
export function m365Catalog(json: string, options: M365Options): FeedImport {
  const sets = readFeed(json);
  const areas = options.serviceAreas?.map((area) => area.toLowerCase());
  const categories = options.categories?.map((category) => category.toLowerCase());
  const kept = sets.filter(
    (set) =>
      (!areas || areas.includes(set.serviceArea.toLowerCase())) &&
      (!categories || categories.includes(set.category.toLowerCase())) &&
      (set.required || !options.requiredOnly),
  );
  // Shown, not trusted: a file name may hold line breaks, which would end the header's comment.
  const fileName = visible(options.fileName);
  const version = options.version ? `version ${visible(options.version)}` : `from ${fileName}`;
  const problems: FeedProblem[] = [];
  const endpoints: Record<string, unknown>[] = [];
  // The endpoints' JSON length, near their YAML's: a feed far too large for a catalog is refused before it is written
  // out (80 MB of YAML takes a minute).
  let estimatedSize = 0;
  const ids = new Set<string>();
  for (const set of kept) {
    const where = `${set.serviceArea}, ${set.category}`;
    if (set.urls.length === 0) {
      const what = set.ips.length > 0 ? `only IP networks (${set.ips.length}), and a catalog names the hosts a vendor's software connects to` : 'no URLs';
      problems.push({ setId: set.id, kind: set.ips.length > 0 ? 'ip-only-set' : 'set', message: `is not imported (${where}): it lists ${what}` });
      continue;
    }
    const hosts = [...new Set(set.urls.map((url) => url.trim().toLowerCase()))].filter((host) => {
      // As the catalog's own check reads a host (a name an allowlist can write), then the schema's pattern.
      const problem = catalogHostProblem(host) ?? (CATALOG_HOST.test(host) ? undefined : 'a catalog host is a name of two labels or more, or a wildcard as its first label only (*.example.com)');
      if (problem === undefined) return true;
      problems.push({ setId: set.id, kind: 'url', message: `${quoted(host)} (${where}) is not imported: ${problem}` });
      return false;
    });
    const ports = (['tcp', 'udp'] as const).flatMap((protocol) => {
      const text = protocol === 'tcp' ? set.tcpPorts : set.udpPorts;
      if (text === undefined || text.trim() === '') return [];
      const parsed = portList(text);
      if (typeof parsed === 'string') {
        problems.push({ setId: set.id, kind: 'ports', message: `its ${protocol}Ports ${quoted(text)} (${where}) are not imported: ${parsed}` });
        return [];
      }
      return [{ protocol, ports: parsed }];
    });
    if (ports.length === 0 && hosts.length > 0) {
      problems.push({ setId: set.id, kind: 'set', message: `is not imported (${where}): it lists no TCP or UDP ports` });
      continue;
    }
    for (const host of hosts) {
      for (const { protocol, ports: list } of ports) {
        const id = uniqueId(`${set.serviceArea}-${set.id}-${host.replace(/^\*\./, 'wildcard.')}-${protocol}`, ids);
        const endpoint = {
          id,
          // The feed's words, with control and bidirectional characters shown as escapes (a catalog may not hold them).
          role: visible(set.notes?.trim() || set.serviceAreaDisplayName?.trim() || set.serviceArea.trim() || 'Microsoft 365'),
          host,
          ports: list,
          ...(protocol === 'udp' ? { protocol } : {}),
          // Sets that publish addresses may be allowed by them; the others only by name.
          'allowlist-by': set.ips.length > 0 ? 'address' : 'hostname',
          ...(set.required ? {} : { required: false }),
          source: { url: FEED_URL, entry: `endpoint set ${set.id} (${visible(where)}), ${version}` },
        };
        endpoints.push(endpoint);
        estimatedSize += JSON.stringify(endpoint).length;
      }
    }
  }
  if (endpoints.length === 0) throw new FeedError(kept.length === 0 ? `no endpoint set of the feed's ${sets.length} passes the filters` : `none of the ${kept.length} endpoint sets that pass the filters has a host a catalog can name (each is named above)`, problems);

  const tooLarge = (size: number) =>
    new FeedError(`the catalog would have ${endpoints.length} endpoints (${Math.ceil(size / 1024)} KB), more than a catalog may hold (${MAX_CATALOG_SIZE / 1024} KB): choose fewer with --service-area or --category`);
  if (estimatedSize > 2 * MAX_CATALOG_SIZE) throw tooLarge(estimatedSize);

  const catalog = {
    catalog: 1,
    vendor: {
      id: M365_VENDOR_ID,
      name: 'Microsoft 365',
      aliases: ['Office 365'],
      description: `The Microsoft 365 endpoint feed (endpoints/worldwide), ${version}${filterText(options)}.`,
      homepage: DOCS_URL,
    },
    endpoints,
  };
  const header =
    `# Microsoft 365 endpoints, made by \`allowlist catalog import --from m365\` from ${fileName}` +
    `${options.version ? ` (feed ${version})` : ' (feed version not given: --version)'}.\n` +
    `# The feed: the Microsoft 365 IP Address and URL web service, ${DOCS_URL}\n` +
    `# Re-import a newer feed rather than editing this file by hand.\n`;
  const text = header + catalogYaml(catalog);
  if (text.length > MAX_CATALOG_SIZE) throw tooLarge(text.length);
  return { text, endpoints: endpoints.length, sets: sets.length, kept: kept.length, problems };
}

/** The catalog as YAML: no anchors (sets share port lists), port lists on one line. */
function catalogYaml(catalog: object): string {
  const doc = new Document(catalog, { aliasDuplicateObjects: false });
  visit(doc, {
    Pair(_, pair) {
      if (isPair(pair) && isScalar(pair.key) && pair.key.value === 'ports' && isSeq(pair.value)) pair.value.flow = true;
    },
  });
  return doc.toString({ lineWidth: 0 });
}

function filterText(options: M365Options): string {
  const parts = [
    options.serviceAreas && `service areas ${options.serviceAreas.join(', ')}`,
    options.categories && `categories ${options.categories.join(', ')}`,
    options.requiredOnly && 'required sets only',
  ].filter((part): part is string => !!part);
  return parts.length ? `; ${parts.join('; ')}` : '';
}

/** A catalog id (lower case, digits, single dashes) from `text`, not yet in `taken`. */
function uniqueId(text: string, taken: Set<string>): string {
  const stem = text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
  let id = stem;
  for (let n = 2; taken.has(id); n++) id = `${stem}-${n}`;
  taken.add(id);
  return id;
}

/** "80,443,3478-3481" as catalog ports ([80, 443, "3478-3481"]), or what is wrong with it. */
function portList(text: string): (number | string)[] | string {
  const ports: (number | string)[] = [];
  for (const item of text.split(',').map((part) => part.trim())) {
    const match = /^(\d{1,5})(?:-(\d{1,5}))?$/.exec(item);
    const from = Number(match?.[1]);
    const to = match?.[2] === undefined ? from : Number(match[2]);
    if (!match || from < 1 || to > 65535 || from > to) return `${quoted(item)} is not a port (1-65535) or a range A-B`;
    ports.push(from === to ? from : `${from}-${to}`);
  }
  return ports;
}

/** The endpoint sets of the feed, checked field by field; FeedError names the first thing that is not the feed's shape. */
function readFeed(json: string): EndpointSet[] {
  let value: unknown;
  try {
    value = JSON.parse(json.replace(/^\uFEFF/, ''));
  } catch (error) {
    throw new FeedError(`not JSON (${(error as Error).message}); download the feed with https://endpoints.office.com/endpoints/worldwide?clientrequestid=GUID`);
  }
  if (!Array.isArray(value)) {
    const keys = value !== null && typeof value === 'object' ? Object.keys(value) : [];
    const hint = keys.includes('latest') ? ': this is the version web method\'s answer, not the endpoints' : '';
    throw new FeedError(`expected an array of endpoint sets (the JSON of endpoints/worldwide), found ${describe(value)}${hint}`);
  }
  return value.map((item, index) => endpointSet(item, index));
}

function endpointSet(item: unknown, index: number): EndpointSet {
  const at = `item ${index + 1}`;
  if (item === null || typeof item !== 'object' || Array.isArray(item)) throw new FeedError(`${at}: expected an endpoint set (an object), found ${describe(item)}`);
  const set = item as Record<string, unknown>;
  if ('endpointSetId' in set && 'disposition' in set) throw new FeedError(`${at} is a change (the changes web method's answer), not an endpoint set: download endpoints/worldwide`);
  const fail = (field: string, expected: string): never => {
    throw new FeedError(`${at}${typeof set.id === 'number' ? ` (endpoint set ${set.id})` : ''}: ${field} ${set[field] === undefined ? 'is missing' : `is ${describe(set[field])}`}; expected ${expected}`);
  };
  const string = (field: string, optional: boolean): string | undefined => {
    const value = set[field];
    if (typeof value === 'string' || (optional && value === undefined)) return value;
    return fail(field, optional ? 'a string, or nothing' : 'a string');
  };
  const strings = (field: string): string[] => {
    const value = set[field];
    if (value === undefined) return [];
    if (Array.isArray(value) && value.every((entry) => typeof entry === 'string')) return value;
    return fail(field, 'an array of strings, or nothing');
  };
  if (!Number.isSafeInteger(set.id)) fail('id', 'a whole number (the endpoint set id)');
  if (typeof set.required !== 'boolean') fail('required', 'true or false');
  const serviceArea = string('serviceArea', false)!;
  const category = string('category', false)!;
  if (!M365_CATEGORIES.some((known) => known.toLowerCase() === category.toLowerCase())) fail('category', M365_CATEGORIES.join(', '));
  return {
    id: set.id as number,
    serviceArea,
    serviceAreaDisplayName: string('serviceAreaDisplayName', true),
    urls: strings('urls'),
    ips: strings('ips'),
    tcpPorts: string('tcpPorts', true),
    udpPorts: string('udpPorts', true),
    category,
    required: set.required as boolean,
    notes: string('notes', true),
  };
}

/** What a JSON value is, for messages: "a string", "an object with keys a, b", "null". */
function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (typeof value === 'object') {
    const keys = Object.keys(value);
    return keys.length ? `an object with keys ${quoted(keys.slice(0, 5).join(', '))}${keys.length > 5 ? ', …' : ''}` : 'an empty object';
  }
  if (typeof value === 'string') return `the string ${quoted(value)}`;
  return `${typeof value === 'number' ? 'the number' : `the ${typeof value}`} ${String(value)}`;
}
