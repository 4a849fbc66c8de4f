/** OPNsense: a config.xml backup (System > Configuration > Backups) — its aliases (`<OPNsense><Firewall><Alias>`, or
 * `<aliases>` of older versions), its classic rules (`<filter><rule>`, pfSense's syntax) and its automation rules
 * (`<OPNsense><Firewall><Filter><rules>`) — or the JSON that `allowlist export --target opnsense` writes (its aliases
 * file and its rules file, one after the other in one file). Pass rules in on the LAN interface are outbound, on the
 * WAN interface inbound (defaults `lan` and `wan`, as the export's). User documentation: docs/import.md. */
import type { ImportedRule, ImportProblem, ImportReader, ImportResult, ReadOptions } from '../types';
import { Aliases, filterRule, legacyAliases, xmlRuleFields, type Alias, type FilterRuleFields, type ServicePorts, type SideFields } from './pf-config';
import { child, childText, parseXml, XmlError, type XmlElement } from './xml';

/** The service names OPNsense takes for a port, and their ports: the "well known services" of its PortField model
 * (opnsense/core, src/opnsense/mvc/app/models/OPNsense/Base/FieldTypes/PortField.php), which it stores lower-case. */
const OPNSENSE_SERVICES: ServicePorts = new Map(
  Object.entries({
    'afs3-fileserver': 7000, aol: 5190, auth: 113, 'avt-profile-1': 5004, cvsup: 5999, domain: 53, 'domain-s': 853, ftp: 21, hbci: 3000, http: 80,
    https: 443, igmpv3lite: 465, imap: 143, imaps: 993, 'ipsec-msft': 10000, 'ipsec-nat-t': 4500, isakmp: 500, l2f: 1701, ldap: 389, ldaps: 636,
    'microsoft-ds': 445, 'ms-streaming': 1755, 'ms-wbt-server': 3389, msnp: 1863, 'nat-stun-port': 3478, 'netbios-dgm': 138, 'netbios-ns': 137,
    'netbios-ssn': 139, nntp: 119, ntp: 123, openvpn: 1194, pop3: 110, pop3s: 995, pptp: 1723, radius: 1812, 'radius-acct': 1813, rfb: 5900, sip: 5060,
    'sip-tls': 5061, smtp: 25, snmp: 161, snmptrap: 162, ssh: 22, submission: 587, submissions: 465, telnet: 23, teredo: 3544, tftp: 69, urd: 465, wins: 1512,
  }),
);

const NO_ALIASES_HINT = 'concatenate both files the export writes: cat opnsense-aliases.json opnsense-filter-rules.json > opnsense.json';

/** An alias of the MVC model: `content` holds one entry a line; `enabled` 0 disables it. */
function modelAlias(field: (name: string) => string | undefined, line: number): Alias {
  return { type: field('type') ?? '', entries: (field('content') ?? '').split(/\r?\n/).map((entry) => entry.trim()).filter(Boolean), line, enabled: field('enabled') !== '0' };
}

/** The interface networks a rule can name (`lan` for LAN net, `wanip` for the WAN address, `opt2`, `(self)`), besides
 * the LAN interface the options name; other names are aliases. */
const INTERFACE_NETWORK = /^(?:(?:lan|wan|opt\d+)(?:ip)?|\(self\))$/;

/** `source_net` or `destination_net` of an automation rule: `any`, or a comma-separated list of aliases, addresses
 * and interface networks. */
function modelSide(net: string | undefined, inverted: string | undefined, port: string | undefined, invertedBy: string, lan: string): SideFields {
  const values = (net ?? '').split(',').map((value) => value.trim()).filter(Boolean);
  const named = values.filter((value) => value !== 'any');
  const isNetwork = (value: string) => value === lan || INTERFACE_NETWORK.test(value);
  return {
    ...(inverted === '1' ? { not: invertedBy } : {}),
    any: named.length < values.length || values.length === 0,
    networks: named.filter(isNetwork),
    addresses: named.filter((value) => !isNetwork(value)),
    port: port || undefined,
  };
}

/** An automation rule (the filter API's fields, as config.xml stores them and the export's request bodies hold them). */
function modelRuleFields(field: (name: string) => string | undefined, line: number, ids: string[], options: ReadOptions): FilterRuleFields {
  const lan = options.lanInterface ?? 'lan';
  const iface = field('interface') ?? '';
  return {
    kind: 'OPNsense automation rule',
    line,
    description: field('description') ?? '',
    ids,
    disabled: field('enabled') === '0',
    // Without an interface the rule applies to all of them, as a floating rule does.
    floating: iface === '',
    action: field('action') ?? '',
    interface: iface,
    interfaceNot: field('interfacenot') === '1',
    direction: field('direction') || 'in',
    protocol: field('protocol') || undefined,
    family: field('ipprotocol') || 'inet',
    source: modelSide(field('source_net'), field('source_not'), field('source_port'), 'source_not', lan),
    destination: modelSide(field('destination_net'), field('destination_not'), field('destination_port'), 'destination_not', lan),
    schedule: field('sched') || undefined,
  };
}

const skipped = (line: number, message: string): ImportProblem => ({ line, kind: 'skipped', message: `OPNsense: ${message}` });

function readConfigXml(text: string, options: ReadOptions): ImportResult {
  let root: XmlElement;
  try {
    root = parseXml(text);
  } catch (error) {
    if (error instanceof XmlError) return { rules: [], problems: [skipped(error.line, `config.xml is not well-formed XML: ${error.message}`)] };
    throw error;
  }
  if (root.name !== 'opnsense') return { rules: [], problems: [skipped(root.line, `the root element is <${root.name}>, not <opnsense>: not an OPNsense config.xml${root.name === 'pfsense' ? ' (read it with --from pfsense)' : ''}`)] };
  const firewall = child(child(root, 'OPNsense'), 'Firewall');
  const modelAliases = child(child(firewall, 'Alias'), 'aliases')?.children.filter((each) => each.name === 'alias') ?? [];
  const aliases = new Aliases([
    ...legacyAliases(child(root, 'aliases')),
    ...modelAliases.flatMap((element): [string, Alias][] => {
      const name = childText(element, 'name');
      return name ? [[name, modelAlias((field) => childText(element, field), element.line)]] : [];
    }),
  ]);
  const rules: ImportedRule[] = [];
  const problems: ImportProblem[] = [];
  const keep = (rule: ImportedRule | undefined) => void (rule && rules.push(rule));
  const filter = child(root, 'filter');
  for (const element of filter?.children.filter((each) => each.name === 'rule') ?? []) {
    const ids = [childText(element, 'tracker'), element.attributes.uuid].filter((id): id is string => !!id);
    keep(filterRule(xmlRuleFields(element, 'OPNsense rule', ids), aliases, options, problems, OPNSENSE_SERVICES));
  }
  const automation = child(child(firewall, 'Filter'), 'rules');
  for (const element of automation?.children.filter((each) => each.name === 'rule') ?? []) {
    const ids = element.attributes.uuid ? [element.attributes.uuid] : [];
    keep(filterRule(modelRuleFields((field) => childText(element, field), element.line, ids, options), aliases, options, problems, OPNSENSE_SERVICES));
  }
  if (!filter && !automation) problems.push(skipped(root.line, 'the file has neither a <filter> section nor automation rules (<OPNsense><Firewall><Filter>): no rules to read'));
  return { rules, problems };
}

interface JsonDocument {
  value: unknown;
  line: number;
  /** The line where each object or array starts, by its path (`/requests/0`), down to PATH_DEPTH levels. */
  lines: Map<string, number>;
}

/** The aliases file's alias objects are 4 levels deep: `/aliases/alias/<key>`. */
const PATH_DEPTH = 4;

/** The JSON documents of a text that holds one or more one after another (the export's two files concatenated), each
 * with the lines of its objects and arrays, which JSON.parse does not give. One linear pass and no recursion. */
function jsonDocuments(text: string): JsonDocument[] | { line: number; message: string } {
  const documents: JsonDocument[] = [];
  const frames: { array: boolean; path: string | undefined; key: string; index: number; expectKey: boolean }[] = [];
  let line = 1;
  let start = 0;
  let startLine = 1;
  let lines = new Map<string, number>();
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    const frame = frames[frames.length - 1];
    if (char === '\n') line++;
    else if (frame === undefined && char !== '{' && char !== '[' && !/\s/.test(char)) return { line, message: `"${char}" outside a JSON object or array` };
    else if (char === '"') {
      const begin = i;
      for (i++; i < text.length && text[i] !== '"'; i++) {
        if (text[i] === '\\') i++;
        else if (text[i] === '\n') line++;
      }
      if (!frame.array && frame.expectKey && frame.path !== undefined) {
        try {
          frame.key = JSON.parse(text.slice(begin, i + 1)) as string;
        } catch {
          frame.key = text.slice(begin + 1, i);
        }
      }
    } else if (char === '{' || char === '[') {
      if (frame === undefined) {
        start = i;
        startLine = line;
        lines = new Map();
      }
      const path = frame === undefined ? '' : frame.path === undefined || frames.length >= PATH_DEPTH ? undefined : `${frame.path}/${frame.array ? frame.index : frame.key}`;
      if (path !== undefined) lines.set(path, line);
      frames.push({ array: char === '[', path, key: '', index: 0, expectKey: char === '{' });
    } else if (char === '}' || char === ']') {
      frames.pop();
      if (frames.length === 0) {
        try {
          documents.push({ value: JSON.parse(text.slice(start, i + 1)), line: startLine, lines });
        } catch (error) {
          return { line: startLine, message: (error as Error).message };
        }
      }
    } else if (char === ',') {
      if (frame.array) frame.index++;
      else frame.expectKey = true;
    } else if (char === ':') frame.expectKey = false;
  }
  if (frames.length) return { line: startLine, message: 'the text ends inside a JSON object or array (truncated?)' };
  return documents;
}

type JsonObject = Record<string, unknown>;
const isObject = (value: unknown): value is JsonObject => typeof value === 'object' && value !== null && !Array.isArray(value);

/** A field of an alias or rule object as text; objects and arrays are not what the export writes. */
function jsonFields(object: JsonObject): { field: (name: string) => string | undefined; notText: string[] } {
  const notText = Object.keys(object).filter((key) => typeof object[key] === 'object' && object[key] !== null);
  const field = (name: string) => {
    const value = object[name];
    return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : typeof value === 'boolean' ? (value ? '1' : '0') : undefined;
  };
  return { field, notText };
}

function readExportJson(text: string, options: ReadOptions): ImportResult {
  const documents = jsonDocuments(text);
  if (!Array.isArray(documents)) return { rules: [], problems: [skipped(documents.line, `not the JSON that allowlist export --target opnsense writes: ${documents.message}`)] };
  const problems: ImportProblem[] = [];
  const aliasList: [string, Alias][] = [];
  const requests: { request: unknown; line: number }[] = [];
  for (const document of documents) {
    const aliasMap = isObject(document.value) && isObject(document.value.aliases) ? document.value.aliases.alias : undefined;
    const requestList = isObject(document.value) ? document.value.requests : undefined;
    if (!isObject(aliasMap) && !Array.isArray(requestList)) {
      problems.push(skipped(document.line, 'a JSON document that is neither the export\'s aliases ({"aliases": {"alias": {…}}}) nor its rules ({"requests": [{"rule": {…}}]})'));
      continue;
    }
    for (const [key, alias] of Object.entries(isObject(aliasMap) ? aliasMap : {})) {
      const line = document.lines.get(`/aliases/alias/${key}`) ?? document.line;
      const { field, notText } = isObject(alias) ? jsonFields(alias) : { field: () => undefined, notText: [] };
      const name = field('name') ?? key;
      if (!isObject(alias) || notText.length) problems.push(skipped(line, `the alias ${JSON.stringify(name)} is not an object of text fields as the export writes it: not read`));
      else aliasList.push([name, modelAlias(field, line)]);
    }
    for (const [index, request] of (Array.isArray(requestList) ? requestList : []).entries()) requests.push({ request, line: document.lines.get(`/requests/${index}`) ?? document.line });
  }
  const aliases = new Aliases(aliasList);
  const rules: ImportedRule[] = [];
  for (const { request, line } of requests) {
    const body = isObject(request) && isObject(request.rule) ? request.rule : undefined;
    const { field, notText } = body ? jsonFields(body) : { field: () => undefined, notText: [] };
    if (!body || notText.length) {
      problems.push(skipped(line, `a request that is not {"rule": {…}} with text fields${notText.length ? ` (${notText.join(', ')} are not text)` : ''}: not read`));
      continue;
    }
    const rule = filterRule(modelRuleFields(field, line, [], options), aliases, options, problems, OPNSENSE_SERVICES);
    if (rule) rules.push(rule);
  }
  if (requests.length === 0) problems.push(skipped(1, `the file has no rules ("requests"): ${NO_ALIASES_HINT}`));
  else if (aliasList.length === 0 && problems.some((problem) => /which is not defined/.test(problem.message))) problems.push(skipped(1, `rules name aliases, but the file has none: ${NO_ALIASES_HINT}`));
  return { rules, problems };
}

function read(text: string, options: ReadOptions): ImportResult {
  // The export's files are JSON objects; config.xml starts with `<?xml` or its root element.
  return /^\uFEFF?\s*\{/.test(text) ? readExportJson(text, options) : readConfigXml(text, options);
}

export const opnsense: ImportReader = {
  id: 'opnsense',
  title: 'OPNsense (config.xml, or the export\'s aliases and rules JSON)',
  placesNotHeld: { kinds: ['wildcard'], what: 'wildcards', why: 'OPNsense host aliases hold exact host names only' },
  sources: [
    { title: 'OPNsense: Backups (System > Configuration > Backups: config.xml)', url: 'https://docs.opnsense.org/manual/backups.html' },
    { title: 'OPNsense: Aliases (types, one entry a line, port ranges with a colon, nesting, Export / Import)', url: 'https://docs.opnsense.org/manual/aliases.html' },
    { title: 'OPNsense: Rules (action, interface, direction, TCP/IP version, protocol, invert, floating rules)', url: 'https://docs.opnsense.org/manual/firewall.html' },
    { title: 'OPNsense API: Firewall (filter add_rule, alias export and import)', url: 'https://docs.opnsense.org/development/api/core/firewall.html' },
    { title: 'OPNsense core: Alias model (config.xml <OPNsense><Firewall><Alias>)', url: 'https://github.com/opnsense/core/blob/master/src/opnsense/mvc/app/models/OPNsense/Firewall/Alias.xml' },
    { title: 'OPNsense core: Filter model (automation rule fields)', url: 'https://github.com/opnsense/core/blob/master/src/opnsense/mvc/app/models/OPNsense/Firewall/Filter.xml' },
    { title: 'OPNsense core: PortField (port numbers, ranges and well-known service names)', url: 'https://github.com/opnsense/core/blob/master/src/opnsense/mvc/app/models/OPNsense/Base/FieldTypes/PortField.php' },
  ],
  read,
};
