/** The fleet report's model and renderers, on small allowlists linted with the built-in catalog. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultCatalogSet, lintText } from '../lint';
import { buildReport, CHART_MAX_SITES, type FleetReport, JOB_SUMMARY_LIMIT, renderHtml, renderJson, renderMarkdown, type ReportInput } from '.';

const TODAY = '2026-11-25';

const HDB_HOSTS = [
  'flu1pjyrr2.execute-api.us-east-1.amazonaws.com',
  'kdwq222yo3.execute-api.us-east-1.amazonaws.com',
  'e4rz8vlrg0.execute-api.us-east-1.amazonaws.com',
  'hdb-stuff.s3.amazonaws.com',
];

/** Every host Helpdesk Buttons needs with a cloud ticket system, except what `leaveOut` names. */
function hdbRules(leaveOut: { uploads?: boolean; sessionPorts?: boolean } = {}): string[] {
  const hosts = HDB_HOSTS.filter((host) => !(leaveOut.uploads && host.startsWith('hdb-stuff')));
  return [
    '  - name: hdb',
    '    vendor: helpdesk-buttons',
    `    to: [${hosts.join(', ')}]`,
    '    ports: 443',
    '  - name: hdb-techconnect',
    '    vendor: helpdesk-buttons',
    '    to: connect.helpdeskbuttons.com',
    `    ports: ${leaveOut.sessionPorts ? '443' : '[443, "2001-2500"]'}`,
  ];
}

const MET = ['allowlist: 1', 'site: Alpha Dental', 'vendors:', '  helpdesk-buttons: {}', 'outbound:', ...hdbRules(), '    expires: 2026-12-01', 'inbound:',
  '  - name: rdp-from-anywhere', '    from: 0.0.0.0/0', '    to: 10.0.0.5', '    ports: 3389',
  '  - name: partner-vpn', '    from: 10.0.0.0/8', '    to: 10.0.0.6', '    ports: 443',
  '  - name: web-v6', '    from: [2001:db8::1, "::/0"]', '    to: 10.0.0.7', '    ports: [80, 443]', '    expires: 2026-11-20', ''].join('\n');

const UNMET = ['allowlist: 1', 'site: Bravo Clinic', 'vendors:', '  helpdesk-buttons: {}', '  nobody-knows: {}', 'outbound:', ...hdbRules({ uploads: true, sessionPorts: true }),
  '  - name: today-only', '    to: example.com', '    ports: 443', '    expires: 2026-11-25',
  '  - name: next-month', '    to: example.org', '    ports: 443', '    expires: 2026-12-30', ''].join('\n');

const NO_VENDORS = ['allowlist: 1', 'outbound:', '  - name: web', '    to: example.com', '    ports: 443', '    expires: 2026-11-24', 'inbound:', '  - name: ssh', '    from: any', '    to: 10.0.0.9', '    ports: 22', ''].join('\n');

function input(file: string, text: string): ReportInput {
  const catalogs = defaultCatalogSet();
  const { model, findings } = lintText(text, { fileName: file, catalogs, today: TODAY });
  return { file, model, findings, catalogs };
}

function fleet(days?: number): FleetReport {
  return buildReport([input('sites/alpha.allowlist.yaml', MET), input('sites/bravo.allowlist.yaml', UNMET), input('sites/charlie.allowlist.yaml', NO_VENDORS)], { today: TODAY, days });
}

/** The 1-based line of the first line of `text` that contains `needle`. */
function lineOf(text: string, needle: string): number {
  return text.split('\n').findIndex((line) => line.includes(needle)) + 1;
}

test('sites: the site: name, else the file name; counts by severity; declared vendors', () => {
  const report = fleet();
  assert.deepEqual(
    report.sites.map((site) => [site.name, site.file, site.vendors]),
    [
      ['Alpha Dental', 'sites/alpha.allowlist.yaml', ['helpdesk-buttons']],
      ['Bravo Clinic', 'sites/bravo.allowlist.yaml', ['helpdesk-buttons', 'nobody-knows']],
      ['charlie', 'sites/charlie.allowlist.yaml', []],
    ],
  );
  const bravo = report.sites[1];
  assert.equal(bravo.findingsByRule['missing-endpoint'], 1);
  assert.equal(bravo.findingsByRule['missing-ports'], 1);
  assert.equal(bravo.errors, bravo.findings.filter((finding) => finding.severity === 'error').length);
  assert.equal(report.totals.sites, 3);
  assert.equal(report.totals.findings, report.sites.reduce((sum, site) => sum + site.findings.length, 0));
  assert.equal(report.totals.errors + report.totals.warnings + report.totals.infos, report.totals.findings);
});

test('the matrix: met, unmet with the roles in the catalog\'s words and the line, unknown, not used', () => {
  const report = fleet();
  assert.deepEqual(report.vendors, [{ id: 'helpdesk-buttons', name: 'Helpdesk Buttons' }, { id: 'nobody-knows', name: 'nobody-knows' }]);
  const [alpha, bravo, charlie] = report.matrix;
  assert.deepEqual(alpha.cells.map((cell) => cell.status), ['met', 'not-used']);
  assert.equal(alpha.cells[0].line, lineOf(MET, 'helpdesk-buttons: {}'), 'a met cell opens the declaration');
  assert.deepEqual(bravo.cells.map((cell) => cell.status), ['unmet', 'unknown']);
  assert.deepEqual(bravo.cells[0].roles.sort(), ['establish TechConnect session', 'upload diagnostic data/Images']);
  assert.deepEqual(
    bravo.cells[0].unmet.map((unmet) => [unmet.ruleId, unmet.missing]).sort(),
    [
      ['missing-endpoint', 'hdb-stuff.s3.amazonaws.com (TCP 443) is not allowed by any outbound rule'],
      ['missing-ports', 'connect.helpdeskbuttons.com is not allowed on TCP 2001-2500'],
    ],
  );
  assert.equal(bravo.cells[0].line, Math.min(...bravo.cells[0].unmet.map((unmet) => unmet.line)));
  assert.deepEqual(charlie.cells.map((cell) => [cell.status, cell.line]), [['not-used', undefined], ['not-used', undefined]]);
});

test('findings by rule: counts, severities and the sites, most findings first', () => {
  const report = fleet();
  const totals = report.rules.map((rule) => rule.total);
  assert.deepEqual(totals, [...totals].sort((a, b) => b - a));
  const tooBroad = report.rules.find((rule) => rule.ruleId === 'inbound-too-broad')!;
  // Alpha: 0.0.0.0/0, 10.0.0.0/8 and ::/0; Charlie: any.
  assert.deepEqual(tooBroad.sites, [{ site: 'Alpha Dental', file: 'sites/alpha.allowlist.yaml', count: 3 }, { site: 'charlie', file: 'sites/charlie.allowlist.yaml', count: 1 }]);
  assert.equal(tooBroad.errors, 4);
});

test('inbound open to the internet: any and /0 (IPv4 and IPv6), not a merely broad network', () => {
  const report = fleet();
  assert.deepEqual(
    report.inboundOpen.map((open) => [open.site, open.rule, open.from, open.to, open.ports, open.line]),
    [
      ['Alpha Dental', 'rdp-from-anywhere', '0.0.0.0/0', ['10.0.0.5'], '3389', lineOf(MET, '0.0.0.0/0')],
      ['Alpha Dental', 'web-v6', '::/0', ['10.0.0.7'], '80, 443', lineOf(MET, '::/0')],
      ['charlie', 'ssh', 'any', ['10.0.0.9'], '22', lineOf(NO_VENDORS, 'from: any')],
    ],
  );
});

test('the calendar of expiries: expired and within --days of --today, soonest first, across sites', () => {
  const calendar = (days?: number) => fleet(days).expiries.map((expiry) => [expiry.date, expiry.daysLeft, expiry.expired, expiry.site, expiry.rule]);
  assert.deepEqual(calendar(), [
    ['2026-11-20', -5, true, 'Alpha Dental', 'web-v6'],
    ['2026-11-24', -1, true, 'charlie', 'web'],
    ['2026-11-25', 0, false, 'Bravo Clinic', 'today-only'],
    ['2026-12-01', 6, false, 'Alpha Dental', 'hdb-techconnect'],
  ]);
  assert.deepEqual(calendar(35).at(-1), ['2026-12-30', 35, false, 'Bravo Clinic', 'next-month']);
  assert.deepEqual(calendar(0).map((entry) => entry[0]), ['2026-11-20', '2026-11-24', '2026-11-25']);
  const line = fleet().expiries.find((expiry) => expiry.rule === 'today-only')!.line;
  assert.equal(line, lineOf(UNMET, 'expires: 2026-11-25'));
});

test('catalogs and other files are not sites', () => {
  const catalog = input('acme.catalog.yaml', 'catalog: 1\nvendor:\n  id: acme\n  name: Acme\nendpoints: []\n');
  assert.equal(catalog.model.kind, 'catalog');
  assert.equal(buildReport([catalog], { today: TODAY }).totals.sites, 0);
});

const HOSTILE = '<img src=x onerror=alert(1)>';

test('HTML: a hostile site name, file, role or message is text, never markup or a link of its own', () => {
  const text = UNMET.replace('site: Bravo Clinic', `site: "${HOSTILE}"`);
  const report = buildReport([input('sites/<b>"x" onmouseover=alert(1).allowlist.yaml', text)], { today: TODAY });
  const html = renderHtml(report);
  assert.ok(!html.includes('<img'), 'no img element');
  assert.ok(!html.includes('<b>"x"'), 'no b element from the file name');
  assert.ok(html.includes('&lt;img src=x onerror=alert(1)&gt;'));
  const hrefs = [...html.matchAll(/href="([^"]*)"/g)].map((match) => match[1]);
  assert.ok(hrefs.length > 0);
  for (const href of hrefs) assert.match(href, /^sites\/%3Cb%3E%22x%22%20onmouseover%3Dalert\(1\)\.allowlist\.yaml(#L\d+)?$/);
  assert.doesNotMatch(html, /<script|<link|<img|@import|url\(|(?:src|href)="https?:/, 'nothing that would load anything');
});

test('HTML: links are relative and percent-encoded; a path cannot become a scheme', () => {
  const report = buildReport([input('javascript:alert(1).allowlist.yaml', MET)], { today: TODAY });
  const html = renderHtml(report);
  assert.ok(!html.includes('href="javascript:'));
  assert.match(html, /href="javascript%3Aalert\(1\)\.allowlist\.yaml#L\d+"/);
  const custom = renderHtml(report, { hrefOf: (file, line) => `../${file}?line=${line}` });
  assert.match(custom, /href="\.\.\/javascript:alert\(1\)\.allowlist\.yaml\?line=\d+"/);
  assert.match(custom, /href="\.\.\/javascript:alert\(1\)\.allowlist\.yaml\?line=undefined"/, 'a link to the whole file has no line');
});

test('HTML: with a style nonce, the policy allows that style element only, and nothing needs a style attribute', () => {
  const html = renderHtml(fleet(), { styleNonce: 'N0nce"><x' });
  assert.match(html, /<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'nonce-N0ncex'">/);
  assert.equal(html.match(/<style\b[^>]*>/g)?.join(), '<style nonce="N0ncex">');
  assert.doesNotMatch(html, /unsafe-inline|\sstyle="/);
  assert.doesNotMatch(renderHtml(fleet()), /\sstyle="/, 'the page without a nonce has none either');
});

test('HTML: one bar group per site, a matrix cell per site and vendor, a viewport, a CSP and no script', () => {
  const html = renderHtml(fleet());
  assert.equal(html.match(/<g class="site">/g)?.length, 3);
  assert.equal(html.match(/<td class="cell /g)?.length, 6);
  assert.match(html, /<meta name="viewport" content="width=device-width, initial-scale=1">/);
  assert.match(html, /<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">/);
  assert.doesNotMatch(html, /<script/);
});

test('HTML: the chart shows the sites with the most errors, at most CHART_MAX_SITES, and says so', () => {
  const inputs = Array.from({ length: CHART_MAX_SITES + 3 }, (_, index) => input(`s${index}.allowlist.yaml`, index === CHART_MAX_SITES + 2 ? UNMET : NO_VENDORS));
  const html = renderHtml(buildReport(inputs, { today: TODAY }));
  const groups = html.match(/<g class="site">.*?<\/g>/g)!;
  assert.equal(groups.length, CHART_MAX_SITES);
  assert.match(groups[0], /<title>Bravo Clinic: /, 'the site with the most errors first, though listed last');
  assert.match(html, new RegExp(`The ${CHART_MAX_SITES} sites of ${CHART_MAX_SITES + 3} with the most errors`));
  assert.equal(html.match(/<details>/g)!.length, CHART_MAX_SITES + 3, 'the tables list them all');
});

test('Markdown: escaped table cells, and cut at a line with a note past the size limit', () => {
  const text = UNMET.replace('site: Bravo Clinic', 'site: "A | B [x](http://evil.example) <img>"');
  const markdown = renderMarkdown(buildReport([input('sites/a|b.allowlist.yaml', text)], { today: TODAY }));
  assert.match(markdown, /A \\\| B \\\[x\\\]\(http:\/\/evil\.example\) \\<img\\>/);
  assert.match(markdown, /`sites\/a\\\|b\.allowlist\.yaml`/);
  assert.ok(markdown.length < JOB_SUMMARY_LIMIT);

  const full = renderMarkdown(fleet());
  const cut = renderMarkdown(fleet(), { maxBytes: 1500 });
  assert.ok(Buffer.byteLength(cut) <= 1500, `${Buffer.byteLength(cut)} bytes`);
  assert.match(cut, /\n> ✂️ \*\*Truncated\*\*: the report is longer than the 1 KiB a job summary may hold; \d+ of \d+ lines shown\./);
  const kept = cut.slice(0, cut.indexOf('\n> ✂️'));
  assert.ok(full.startsWith(kept), 'whole lines of the full report');
  assert.doesNotMatch(full, /Truncated/);
});

test('JSON: the model as it is, with the report version', () => {
  const report = fleet();
  assert.deepEqual(JSON.parse(renderJson(report)), JSON.parse(JSON.stringify(report)));
  assert.equal(JSON.parse(renderJson(report)).reportVersion, 1);
});
