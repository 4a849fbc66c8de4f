/** The Microsoft 365 feed as a catalog, from testdata/m365-worldwide.json: a fixture written from the documented format
 * of the IP Address and URL web service's endpoints web method
 * (https://learn.microsoft.com/en-us/microsoft-365/enterprise/microsoft-365-ip-web-service). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildCatalogSet, builtinCatalogs, type Catalog, parseCatalog } from '../catalog';
import { catalogSymbols, explain, type OutlineSymbol } from '../language';
import { lintText } from '../lint';
import { FeedError, m365Catalog, type M365Options } from '.';

const FEED = readFileSync(join(__dirname, 'testdata', 'm365-worldwide.json'), 'utf8');
const BASE: M365Options = { fileName: 'm365-worldwide.json', version: '2025010100' };

function imported(options: Partial<M365Options> = {}): { catalog: Catalog; problems: string[]; text: string } {
  const result = m365Catalog(FEED, { ...BASE, ...options });
  const parsed = parseCatalog(result.text, 'm365.catalog.yaml');
  assert.deepEqual(parsed.findings, []);
  return { catalog: parsed.catalog!, problems: result.problems.map((problem) => `${problem.setId} ${problem.kind}: ${problem.message}`), text: result.text };
}

test('m365: one endpoint per URL and protocol, with the feed ports, lists and ranges', () => {
  const { catalog } = imported();
  assert.equal(catalog.id, 'microsoft-365');
  assert.equal(catalog.name, 'Microsoft 365');
  const teams = catalog.endpoints.filter((endpoint) => endpoint.host === 'teams.microsoft.com');
  assert.deepEqual(
    teams.map((endpoint) => [endpoint.id, endpoint.protocol, endpoint.ports]),
    [
      ['skype-12-teams-microsoft-com-tcp', 'tcp', [{ from: 443, to: 443 }]],
      ['skype-12-teams-microsoft-com-udp', 'udp', [{ from: 3478, to: 3478 }, { from: 3479, to: 3479 }, { from: 3480, to: 3480 }, { from: 3481, to: 3481 }]],
    ],
  );
  const mail = catalog.endpoints.find((endpoint) => endpoint.id === 'exchange-1-outlook-office-com-tcp')!;
  assert.deepEqual(mail.ports, [{ from: 80, to: 80 }, { from: 443, to: 443 }]);
  // The same URL in two sets is two endpoints, one per set.
  assert.deepEqual(
    catalog.endpoints.filter((endpoint) => endpoint.host === 'outlook.office365.com').map((endpoint) => endpoint.id),
    ['exchange-1-outlook-office365-com-tcp', 'exchange-2-outlook-office365-com-tcp'],
  );
  assert.equal(catalog.endpoints.length, 22);
});

test('m365: a port range stays a range', () => {
  const feed = JSON.stringify([{ id: 7, serviceArea: 'Skype', urls: ['media.example.com'], udpPorts: '3478-3481, 50000', category: 'Allow', required: true }]);
  const result = m365Catalog(feed, BASE);
  assert.match(result.text, /ports: \[ 3478-3481, 50000 \]/);
  assert.deepEqual(parseCatalog(result.text, 'x.catalog.yaml').catalog!.endpoints[0].ports, [{ from: 3478, to: 3481 }, { from: 50000, to: 50000 }]);
});

test('m365: a URL that is no host name an allowlist can write (an IP address, a 64-character label, *.com) is reported, not imported', () => {
  const urls = ['192.0.2.10', `${'a'.repeat(64)}.example.com`, '*.com', 'ok.example.com'];
  const result = m365Catalog(JSON.stringify([{ id: 3, serviceArea: 'Common', urls, tcpPorts: '443', category: 'Allow', required: true }]), BASE);
  assert.deepEqual(parseCatalog(result.text, 'x.catalog.yaml').catalog!.endpoints.map((endpoint) => endpoint.host), ['ok.example.com']);
  assert.deepEqual(
    result.problems.map((problem) => problem.message.replace(/ \(Common, Allow\) is not imported: /, ': ').replace(/(valid host name).*/, '$1')),
    ['"192.0.2.10": it is an IP address, not a host name: missing-endpoint would ask every site for a rule to it by name, which no rule can give', `"${'a'.repeat(64)}.example.com": it is not a valid host name`, '"*.com": a wildcard needs two labels or more after "*." (*.example.com)'],
  );
});

test('m365: wildcards at the start are kept; other wildcards and IP-only sets are reported, never dropped silently', () => {
  const { catalog, problems } = imported();
  assert.ok(catalog.endpoints.some((endpoint) => endpoint.host === '*.outlook.com'));
  assert.ok(!catalog.endpoints.some((endpoint) => endpoint.host.includes('autodiscover')));
  assert.deepEqual(problems, [
    '8 url: "autodiscover.*.onmicrosoft.com" (Exchange, Default) is not imported: it is not a valid host name: a wildcard may only be the whole first label, as in *.example.com',
    "9 ip-only-set: is not imported (Exchange, Allow): it lists only IP networks (2), and a catalog names the hosts a vendor's software connects to",
    "11 ip-only-set: is not imported (Skype, Optimize): it lists only IP networks (1), and a catalog names the hosts a vendor's software connects to",
  ]);
});

test('m365: notes are the role (else the service area name), required: false sets are optional, the set and version are the source', () => {
  const { catalog } = imported();
  const smtp = catalog.endpoints.find((endpoint) => endpoint.host === 'smtp.office365.com')!;
  assert.equal(smtp.role, 'Mail clients that use IMAP4, POP3 or SMTP AUTH need these; Outlook itself does not.');
  assert.equal(smtp.required, false);
  assert.deepEqual(smtp.source, { url: 'https://endpoints.office.com/endpoints/worldwide', entry: 'endpoint set 2 (Exchange, Allow), version 2025010100' });
  const sharepoint = catalog.endpoints.find((endpoint) => endpoint.host === '*.sharepoint.com')!;
  assert.equal(sharepoint.role, 'SharePoint Online and OneDrive for Business');
  assert.equal(sharepoint.required, true);
  // Sets that publish addresses may be allowed by them; URL-only sets by name.
  assert.equal(sharepoint.allowlistBy, 'address');
  assert.equal(catalog.endpoints.find((endpoint) => endpoint.host === '*.wns.windows.com')!.allowlistBy, 'hostname');
});

test('m365: without --version the file is named instead', () => {
  const { catalog, text } = imported({ version: undefined });
  assert.equal(catalog.endpoints[0].source.entry, 'endpoint set 1 (Exchange, Optimize), from m365-worldwide.json');
  assert.match(text, /^# .* from m365-worldwide\.json \(feed version not given: --version\)\.$/m);
});

test('m365: filters by service area, category and required, in any case', () => {
  const exchange = imported({ serviceAreas: ['exchange'] }).catalog;
  assert.deepEqual([...new Set(exchange.endpoints.map((endpoint) => endpoint.id.split('-')[0]))], ['exchange']);
  const optimize = imported({ categories: ['OPTIMIZE'] }).catalog;
  assert.deepEqual(optimize.endpoints.map((endpoint) => endpoint.host), ['outlook.office.com', 'outlook.office365.com', '*.sharepoint.com']);
  const required = imported({ requiredOnly: true }).catalog;
  assert.ok(required.endpoints.length > 0);
  assert.ok(required.endpoints.every((endpoint) => endpoint.required));
  assert.throws(() => m365Catalog(FEED, { ...BASE, serviceAreas: ['Yammer'] }), /no endpoint set of the feed's 13 passes the filters/);
});

test('m365: the catalog lints clean as a catalog file', () => {
  const { text } = imported();
  assert.deepEqual(lintText(text, { fileName: 'microsoft-365.catalog.yaml', today: '2026-11-25' }).findings, []);
});

function findingsOf(text: string, ruleId: string, options: Parameters<typeof lintText>[1]) {
  return lintText(text, { fileName: 'site.allowlist.yaml', today: '2026-11-25', ...options }).findings.filter((finding) => finding.ruleId === ruleId);
}

/** An allowlist declaring microsoft-365, with the catalog imported from the fixture loaded beside the built-in ones. */
function lintWithM365(allowlist: string, includeOptional?: boolean) {
  const catalogs = buildCatalogSet([...builtinCatalogs(), imported().catalog]);
  const config = includeOptional === undefined ? undefined : { rules: { 'missing-endpoint': { options: { 'include-optional': includeOptional } } }, catalogs: [] };
  return { endpoint: findingsOf(allowlist, 'missing-endpoint', { catalogs, config }), ports: findingsOf(allowlist, 'missing-ports', { catalogs, config }) };
}

/** Every required host of the fixture's catalog, each by its own rule on its ports; `leaveOut` hosts are not allowed. */
function m365Allowlist(leaveOut: string[] = [], extra = ''): string {
  const { catalog } = imported();
  const rules = catalog.endpoints
    .filter((endpoint) => endpoint.required && !leaveOut.includes(endpoint.host))
    .map((endpoint) => `  - name: ${endpoint.id}\n    vendor: microsoft-365\n    to: ${JSON.stringify(endpoint.host)}\n    ports: [${endpoint.ports.map((p) => (p.from === p.to ? p.from : `"${p.from}-${p.to}"`)).join(', ')}]\n    protocol: ${endpoint.protocol}`);
  return ['allowlist: 1', 'vendors:', '  microsoft-365: {}', 'outbound:', ...rules, extra].join('\n');
}

test('m365: an allowlist without the Exchange Online endpoints gets a missing-endpoint finding naming them', () => {
  assert.deepEqual(lintWithM365(m365Allowlist()).endpoint, []);
  const { endpoint } = lintWithM365(m365Allowlist(['outlook.office.com']));
  assert.equal(endpoint.length, 1);
  assert.match(endpoint[0].message, /^Microsoft 365 needs outlook\.office\.com on TCP 80, 443 for "Exchange Online", but no outbound rule allows that host/);
});

test('m365: optional endpoints are required only with include-optional: true, and say so', () => {
  assert.deepEqual(lintWithM365(m365Allowlist(), false).endpoint, []);
  const asked = lintWithM365(m365Allowlist(), true).endpoint;
  assert.ok(asked.some((finding) => finding.subject === 'vendor:microsoft-365:host:smtp.office365.com'));
  assert.match(asked.find((finding) => finding.subject === 'vendor:microsoft-365:host:smtp.office365.com')!.message, /need these; Outlook itself does not\." \(optional\)/);
  // missing-ports follows the same option: outlook.office365.com is allowed on 80, 443, not on the optional set's 143, 587, ….
  assert.deepEqual(lintWithM365(m365Allowlist()).ports, []);
  assert.match(lintWithM365(m365Allowlist(), true).ports[0].message, /allows outlook\.office365\.com but not on 143, 587, 993, 995/);
});

test('m365: input that is not the feed is a FeedError naming what is wrong', () => {
  const cases: [string, RegExp][] = [
    ['', /^not JSON/],
    ['\u0000\u00ff garbage', /^not JSON/],
    ['{"instance":"Worldwide","latest":"2025010100"}', /found an object with keys "instance, latest": this is the version web method's answer/],
    ['[{"id":1,"endpointSetId":1,"disposition":"Change"}]', /item 1 is a change \(the changes web method's answer\)/],
    ['"hello"', /found the string "hello"/],
    ['[1]', /item 1: expected an endpoint set \(an object\), found the number 1/],
    ['[{"id":"1","serviceArea":"Exchange","category":"Allow","required":true}]', /item 1: id is the string "1"; expected a whole number/],
    ['[{"id":1,"serviceArea":"Exchange","category":"Allow","required":"yes"}]', /item 1 \(endpoint set 1\): required is the string "yes"; expected true or false/],
    ['[{"id":1,"serviceArea":"Exchange","category":"Sometimes","required":true}]', /category is the string "Sometimes"; expected Optimize, Allow, Default/],
    ['[{"id":1,"serviceArea":"Exchange","category":"Allow","required":true,"urls":"a.com"}]', /urls is the string "a.com"; expected an array of strings/],
    ['[{"id":1,"category":"Allow","required":true}]', /serviceArea is missing; expected a string/],
    [`${'['.repeat(200_000)}${']'.repeat(200_000)}`, /item 1: expected an endpoint set \(an object\), found an array of 1/],
    ['[]', /no endpoint set of the feed's 0 passes the filters/],
  ];
  for (const [json, expected] of cases) assert.throws(() => m365Catalog(json, BASE), (error: unknown) => error instanceof FeedError && expected.test(error.message), json.slice(0, 80));
});

test('m365: bad ports are reported per set; a feed too large for a catalog is refused, not written', () => {
  const feed = JSON.stringify([
    { id: 1, serviceArea: 'Common', urls: ['a.example.com'], tcpPorts: '443,99999', udpPorts: '53', category: 'Allow', required: true },
    { id: 2, serviceArea: 'Common', urls: ['b.example.com'], category: 'Allow', required: true },
  ]);
  const result = m365Catalog(feed, BASE);
  assert.deepEqual(result.problems.map((problem) => `${problem.setId} ${problem.kind}: ${problem.message}`), [
    '1 ports: its tcpPorts "443,99999" (Common, Allow) are not imported: "99999" is not a port (1-65535) or a range A-B',
    '2 set: is not imported (Common, Allow): it lists no TCP or UDP ports',
  ]);
  assert.equal(result.endpoints, 1);

  const urls = Array.from({ length: 20_000 }, (_, i) => `host${i}.example.com`);
  const huge = JSON.stringify([{ id: 1, serviceArea: 'Common', urls, tcpPorts: '443', category: 'Allow', required: true }]);
  assert.throws(() => m365Catalog(huge, BASE), /the catalog would have 20000 endpoints \(\d+ KB\), more than a catalog may hold \(1024 KB\): choose fewer with --service-area or --category/);
});

test('m365: hovers and explain say which entries are optional, and from which endpoint set', () => {
  const catalogs = buildCatalogSet([...builtinCatalogs(), imported().catalog]);
  const optional = explain('smtp.office365.com', catalogs).markdown;
  assert.match(optional, /TCP 143, 587, 993, 995 \(optional\)/);
  assert.match(optional, /endpoint set 2 \(Exchange, Allow\), version 2025010100/);
  assert.doesNotMatch(explain('outlook.office.com', catalogs).markdown, /optional/);
});

test('m365: the catalog outline marks optional endpoints', () => {
  const all = (symbols: OutlineSymbol[]): OutlineSymbol[] => symbols.flatMap((symbol) => [symbol, ...all(symbol.children)]);
  const symbols = all(catalogSymbols(imported().text));
  assert.equal(symbols.find((symbol) => symbol.name === 'exchange-2-smtp-office365-com-tcp')?.detail, 'smtp.office365.com: 143, 587, 993, 995 (optional)');
  assert.equal(symbols.find((symbol) => symbol.name === 'exchange-1-outlook-office-com-tcp')?.detail, 'outlook.office.com: 80, 443');
});

/** A deterministic pseudo-random sequence (mulberry32), so that a failure names a seed that reproduces it. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ODD_VALUES: unknown[] = [null, true, 0, -1, 1e309, '', ' ', '\u0000', '\u202e', 'a\nb', '*', '*.', '..', '80-', '0', '65536', '443,,80', [], {}, ['\u0007x.com'], ['x.com\n'], 'é.example.com'];

/** The fixture with one field of one set replaced, removed or added, or its text cut short. */
function mutated(next: () => number): string {
  const sets = JSON.parse(FEED) as Record<string, unknown>[];
  const pick = <T>(list: T[]): T => list[Math.floor(next() * list.length)];
  const set = pick(sets);
  const field = pick(['id', 'serviceArea', 'serviceAreaDisplayName', 'urls', 'ips', 'tcpPorts', 'udpPorts', 'category', 'required', 'notes', 'extra']);
  const choice = next();
  if (choice < 0.15) delete set[field];
  else if (choice < 0.3) return JSON.stringify(sets).slice(0, Math.floor(next() * FEED.length));
  else if (choice < 0.45 && Array.isArray(set.urls)) set.urls = [...(set.urls as string[]), pick(ODD_VALUES)];
  else set[field] = pick(ODD_VALUES);
  return JSON.stringify(sets);
}

test('m365: mutated feeds give a catalog that lints clean or a FeedError, never another exception', () => {
  for (let seed = 1; seed <= 400; seed++) {
    const json = mutated(random(seed));
    let result;
    try {
      result = m365Catalog(json, BASE);
    } catch (error) {
      assert.ok(error instanceof FeedError, `seed ${seed}: ${(error as Error).stack}`);
      continue;
    }
    const findings = lintText(result.text, { fileName: 'microsoft-365.catalog.yaml', today: '2026-11-25' }).findings;
    assert.deepEqual(findings.map((finding) => `${finding.ruleId}: ${finding.message}`), [], `seed ${seed}`);
  }
});
