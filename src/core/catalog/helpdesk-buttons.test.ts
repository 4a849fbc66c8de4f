/** The built-in Helpdesk Buttons catalog against the vendor page it is built from (the shared seed copy
 * of https://docs.tier2tickets.com/content/general/firewall/): nothing missing, nothing added, quotes verbatim. */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { packageRoot } from '../common';
import { builtinCatalogs } from './builtin';
import type { Catalog, PortRangeSpec, Source } from './types';

const PAGE = 'https://docs.tier2tickets.com/content/general/firewall/';
const SEED = join(packageRoot(), '..', 'shared', 'seed', 'helpdesk-buttons-firewall.rst');

function seed(t: TestContext): string | undefined {
  if (existsSync(SEED)) return readFileSync(SEED, 'utf8');
  t.skip(`vendor seed not available at ${SEED} (../shared is absent)`);
  return undefined;
}

function catalog(): Catalog {
  const found = builtinCatalogs().find((c) => c.id === 'helpdesk-buttons');
  assert.ok(found, 'built-in catalog helpdesk-buttons');
  return found;
}

/** RST source to the words a reader sees: `\\` escapes undone, whitespace collapsed. */
function plain(text: string): string {
  return text.replace(/\\\\/g, '\\').replace(/\s+/g, ' ').trim();
}

/** Rows of the page's one grid table, as cell texts (continuation lines of a cell joined by a space). */
function gridRows(rst: string): string[][] {
  const rows: string[][] = [];
  let current: string[] | undefined;
  let inBody = false;
  for (const line of rst.split('\n')) {
    if (/^\+=+/.test(line)) {
      inBody = true;
    } else if (inBody && /^\+-+/.test(line)) {
      if (current) rows.push(current.map((cell) => cell.replace(/\s+/g, ' ').trim()));
      current = undefined;
    } else if (inBody && line.startsWith('|')) {
      const cells = line.split('|').slice(1, -1);
      current = current ? current.map((cell, i) => `${cell} ${cells[i]}`) : cells;
    } else if (inBody) {
      break;
    }
  }
  return rows;
}

function portsText(ports: PortRangeSpec[]): string {
  return ports.map((p) => (p.from === p.to ? String(p.from) : `${p.from}-${p.to}`)).join(', ');
}

test('every row of the outbound table is one endpoint, verbatim, and there are no others', (t) => {
  const rst = seed(t);
  if (!rst) return;
  const rows = gridRows(rst);
  assert.equal(rows.length, 6, 'the seed table has six roles');
  const endpoints = catalog().endpoints;
  for (const [role, host, ports] of rows) {
    const matches = endpoints.filter((e) => e.role === role && e.host === host && portsText(e.ports) === ports);
    assert.equal(matches.length, 1, `row "${role} | ${host} | ${ports}"`);
  }
  assert.equal(endpoints.length, rows.length, 'no endpoint the table lacks');
  assert.ok(endpoints.every((e) => e.protocol === 'tcp'), 'the page says "outbound TCP connections"');
});

test('endpoints are allowlisted by hostname, for the reason the page gives', (t) => {
  const rst = seed(t);
  if (!rst) return;
  for (const endpoint of catalog().endpoints) {
    assert.equal(endpoint.allowlistBy, 'hostname', endpoint.id);
    assert.ok(endpoint.allowlistByReason && plain(rst).includes(plain(endpoint.allowlistByReason)), `${endpoint.id}: reason verbatim`);
    assert.match(endpoint.allowlistByReason, /You must whitelist the hostname\.$/);
  }
});

test('only the gatekeeper depends on the ticket system being cloud-hosted', () => {
  const { endpoints, options } = catalog();
  assert.deepEqual(options.map((o) => [o.name, o.values, o.default]), [['ticket-system', ['cloud', 'self-hosted'], 'cloud']]);
  const conditional = endpoints.filter((e) => e.when);
  assert.deepEqual(conditional.map((e) => [e.role, e.when]), [['If not self-hosting; our gatekeeper', { 'ticket-system': 'cloud' }]]);
});

test('inbound sources are exactly the two static IPs of the page, for self-hosted ticket systems', (t) => {
  const rst = seed(t);
  if (!rst) return;
  const section = rst.slice(rst.indexOf('Inbound Ticket System Settings'), rst.indexOf('Outbound Client Software Settings'));
  const seedIps = [...section.matchAll(/^- (\d+\.\d+\.\d+\.\d+)\s*$/gm)].map((m) => m[1]);
  assert.deepEqual(seedIps, ['34.202.14.153', '3.209.57.193']);
  const sources = catalog().inboundSources;
  assert.deepEqual(sources.map((s) => s.address), seedIps);
  for (const source of sources) {
    assert.deepEqual(source.when, { 'ticket-system': 'self-hosted' });
    assert.ok(plain(rst).includes(source.role), `role "${source.role}" quotes the page`);
    assert.equal(source.ports, undefined, 'the page names no port');
  }
});

test('the exclusion is the real folder; the page spelling is kept as seen', (t) => {
  const rst = seed(t);
  if (!rst) return;
  const [exclusion, ...others] = catalog().exclusions;
  assert.equal(others.length, 0);
  assert.equal(exclusion.path, 'C:\\Program Files (x86)\\Helpdesk Button');
  assert.equal(exclusion.platform, 'windows');
  assert.equal(exclusion.recommended, true);
  const seedSpelling = /\((C:\\.*?Helpdesk Button)\)/.exec(plain(rst))?.[1];
  assert.equal(seedSpelling, 'C:\\Program Files(x86)\\Helpdesk Button');
  assert.deepEqual(exclusion.seenSpellings, [seedSpelling]);
  assert.ok(exclusion.note?.includes(seedSpelling), 'the note says which spelling the page uses');
});

test('product problems and advice are the page text, verbatim', (t) => {
  const rst = seed(t);
  if (!rst) return;
  const products = catalog().products;
  assert.deepEqual(products.map((p) => p.product), ['webroot', 'adguard']);
  for (const product of products) {
    assert.ok(plain(rst).includes(plain(product.problem)), `${product.product} problem`);
    if (product.advice) assert.ok(plain(rst).includes(plain(product.advice)), `${product.product} advice`);
  }
  const webroot = products[0];
  assert.equal(webroot.problem, 'Webroot will blank most programs from taking screenshots.');
  assert.match(webroot.advice ?? '', /without confirmation if you recieve popups/, 'the page spelling is kept');
  const seedLink = /<(https:\/\/docs\.webroot\.com\/[^>]+)>/.exec(rst)?.[1];
  assert.ok(seedLink);
  assert.deepEqual(webroot.links, [seedLink]);
});

test('every entry names its source: the page, a heading anchor of it, and a verbatim quote', (t) => {
  const rst = seed(t);
  if (!rst) return;
  // Sphinx ids of the headings: a heading line followed by an underline of punctuation.
  const lines = rst.split('\n');
  const anchors = lines
    .filter((line, i) => line.trim() !== '' && /^([=\-^~"'`#*+])\1{3,}\s*$/.test(lines[i + 1] ?? ''))
    .map((heading) => heading.trim().toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, ''));
  assert.ok(anchors.includes('anti-virus-and-antimalware-compatibility'));
  const c = catalog();
  const sources: [string, Source | undefined][] = [
    ...c.options.map((o): [string, Source | undefined] => [`option ${o.name}`, o.source]),
    ...[...c.endpoints, ...c.inboundSources, ...c.exclusions].map((e): [string, Source] => [e.id, e.source]),
    ...c.products.map((p): [string, Source] => [`product ${p.product}`, p.source]),
  ];
  for (const [what, source] of sources) {
    assert.ok(source, `${what} has a source`);
    assert.ok(source.url.startsWith(`${PAGE}#`), `${what}: ${source.url}`);
    assert.ok(anchors.includes(source.url.slice(PAGE.length + 1)), `${what}: anchor of a heading`);
    assert.ok(source.quote && plain(rst).includes(plain(source.quote)), `${what}: quote verbatim`);
  }
});
