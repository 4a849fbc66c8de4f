import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { lintText, rulesRefusal } from '../lint';
import { parseAllowlist } from '../parse';
import { escapeHtml } from '../common';
import {
  failedEndpointLines,
  loadProbeInputs,
  hasPortRange,
  isProbeViewMessage,
  lensScope,
  probeLogLine,
  probeMarkdown,
  probeOptionsFromSettings,
  PROBE_PANEL_TITLE,
  renderProbeHtml,
  ruleAtOffset,
  selectionAtOffset,
  selectScope,
  viewRows,
  type ProbeView,
} from './view';
import type { ProbeResult } from './types';

const FILE = [
  'allowlist: 1',
  'site: Test',
  'outbound:',
  '  - name: api',
  '    to: [a.example.com, 192.0.2.10]',
  '    ports: [443, "2001-2500"]',
  '  # between items',
  '  - to: 192.0.2.53',
  '    ports: 53',
  '    protocol: udp',
  'inbound:',
  '  - name: web',
  '    from: 198.51.100.0/24',
  '    to: 10.0.0.20',
  '    ports: 8443',
  '',
].join('\n');

const model = parseAllowlist(FILE).model;
const at = (needle: string, delta = 0) => FILE.indexOf(needle) + delta;

test('the rule at the cursor: anywhere in its item, including the indentation before its dash', () => {
  assert.equal(ruleAtOffset(model, at('name: api'))?.name?.value, 'api');
  assert.equal(ruleAtOffset(model, at('  - name: api'))?.name?.value, 'api', 'column 0 of the rule line');
  assert.equal(ruleAtOffset(model, at('"2001-2500"]', 12))?.name?.value, 'api', 'the end of the item');
  assert.equal(ruleAtOffset(model, at('protocol: udp'))?.index, 1);
  assert.equal(ruleAtOffset(model, at('  # between')), undefined, 'a comment between items');
  assert.equal(ruleAtOffset(model, at('site:')), undefined);
  assert.equal(ruleAtOffset(model, at('10.0.0.20'))?.name?.value, 'web');
});

test('on a destination the selection narrows to that host; elsewhere in the rule it takes every destination', () => {
  const host = selectionAtOffset(model, at('192.0.2.10', 3))!;
  assert.equal(host.label, 'rule api: 192.0.2.10');
  assert.deepEqual(host.scope, { rule: 'api', host: '192.0.2.10' });
  assert.deepEqual(host.targets.map((t) => t.host), ['192.0.2.10']);
  assert.deepEqual(host.targets[0].ports, [{ from: 443, to: 443 }, { from: 2001, to: 2500 }]);
  const rule = selectionAtOffset(model, at('ports: [443'))!;
  assert.equal(rule.label, 'rule api');
  assert.deepEqual(rule.targets.map((t) => t.host), ['a.example.com', '192.0.2.10']);
  assert.equal(selectionAtOffset(model, 0), undefined);
});

test('scopes: the whole file, a rule by name (unnamed rules by position), one destination; gone rules give nothing', () => {
  const all = selectScope(model, {})!;
  assert.equal(all.label, 'every endpoint');
  assert.deepEqual(all.targets.map((t) => t.rule), ['api', 'api', 'outbound #2', 'web']);
  assert.deepEqual(selectScope(model, { rule: 'outbound #2' })!.targets.map((t) => [t.rule, t.host, t.protocol]), [['outbound #2', '192.0.2.53', 'udp']]);
  const web = selectScope(model, { rule: 'web', sweep: true })!;
  assert.equal(web.label, 'rule web, every port');
  assert.equal(web.targets[0].direction, 'inbound');
  assert.deepEqual(web.targets[0].sources, ['198.51.100.0/24']);
  assert.deepEqual(selectScope(model, { rule: 'api', host: 'a.example.com' })!.targets.map((t) => t.host), ['a.example.com']);
  assert.equal(selectScope(model, { rule: 'api', host: 'gone.example' }), undefined);
  assert.equal(selectScope(model, { rule: 'nope' }), undefined);
  assert.equal(hasPortRange(model.outbound[0]), true);
  assert.equal(hasPortRange(model.outbound[1]), false);
});

test('a Probe lens\'s arguments: the rule, and a sweep only for { sweep: true }', () => {
  assert.deepEqual(lensScope('api', undefined), { rule: 'api' });
  assert.deepEqual(lensScope('api', null), { rule: 'api' });
  assert.deepEqual(lensScope('api', { sweep: 'yes' }), { rule: 'api' });
  assert.deepEqual(lensScope('api', { sweep: true }), { rule: 'api', sweep: true });
});

test('settings: defaults, bad values fall back, http.proxy with http.noProxy becomes the engine proxy', () => {
  assert.deepEqual(probeOptionsFromSettings({}), { timeoutMs: 3000, concurrency: 64, sweep: false });
  assert.deepEqual(probeOptionsFromSettings({ timeoutMs: -5, concurrency: 'x', sweep: 'yes' }), { timeoutMs: 3000, concurrency: 64, sweep: false });
  assert.deepEqual(probeOptionsFromSettings({ timeoutMs: 500.7, concurrency: 8, sweep: true, httpProxy: '  ' }), {
    timeoutMs: 500,
    concurrency: 8,
    sweep: true,
  });
  assert.deepEqual(probeOptionsFromSettings({ httpProxy: 'proxy.corp:3128', noProxy: ['localhost', '', '.corp.example'] }).proxy, {
    url: 'http://proxy.corp:3128',
    noProxy: 'localhost,.corp.example',
  });
  assert.deepEqual(probeOptionsFromSettings({ httpProxy: 'http://u:p@proxy:8080', noProxy: [] }).proxy, { url: 'http://u:p@proxy:8080' });
});

function result(partial: Partial<ProbeResult>): ProbeResult {
  return {
    rule: 'r',
    direction: 'outbound',
    host: 'h.example',
    address: '192.0.2.1',
    port: 443,
    protocol: 'tcp',
    state: 'open',
    ms: 12.4,
    detail: '',
    advice: '',
    via: 'direct',
    required: true,
    ...partial,
  };
}

const results = [
  result({ rule: 'ok', state: 'open' }),
  result({ rule: 'dual', address: '192.0.2.2', state: 'open' }),
  result({ rule: 'dual', address: '2001:db8::2', state: 'unreachable' }),
  result({ rule: 'down', state: 'filtered', advice: 'allow it in the firewall' }),
  result({ rule: 'optional', state: 'closed', required: false }),
  result({ rule: 'nx', port: 0, state: 'dns-error', detail: 'NXDOMAIN' }),
  result({
    rule: 'inspected',
    tls: { subject: 'CN=h', issuer: 'FortiGate CA', validTo: '2030-01-01', publicRoot: false, inspectionSuspected: true, sniFilteringSuspected: false },
  }),
];

test('rows: failed endpoints first (suspected TLS inspection fails too), then warnings (other address up, optional), stable within each', () => {
  const rows = viewRows(results);
  assert.deepEqual(
    rows.map((r) => [r.result.rule, r.status]),
    [
      ['down', 'failed'],
      ['nx', 'failed'],
      ['inspected', 'failed'],
      ['dual', 'warning'],
      ['optional', 'warning'],
      ['ok', 'ok'],
      ['dual', 'ok'],
    ],
  );
});

const view: ProbeView = {
  file: 'site.allowlist.yaml',
  scope: 'every endpoint',
  results,
  startedAt: '2025-01-02T03:04:05.000Z',
  ms: 321,
  options: { timeoutMs: 3000, concurrency: 64, sweep: false, proxy: { url: 'http://user:secret@proxy:3128' } },
};

test('the HTML: title, one row per result in view order with data-state, coloured states, buttons', () => {
  const html = renderProbeHtml(view, { nonce: 'N0nce', cspSource: 'vscode-resource:' });
  assert.match(html, new RegExp(`<title>${PROBE_PANEL_TITLE}</title>`));
  const states = [...html.matchAll(/<tr class="(\w+)(?: has-note)?" data-state="([\w-]+)" data-status="(\w+)" data-rule="([^"]*)"/g)].map((m) => [m[4], m[2], m[1]]);
  assert.deepEqual(states, [
    ['down', 'filtered', 'failed'],
    ['nx', 'dns-error', 'failed'],
    ['inspected', 'open', 'failed'],
    ['dual', 'unreachable', 'warning'],
    ['optional', 'closed', 'warning'],
    ['ok', 'open', 'ok'],
    ['dual', 'open', 'ok'],
  ]);
  assert.match(html, /<span class="state bad">filtered<\/span>/);
  assert.match(html, /<tr class="failed has-note" data-state="filtered"[^]*?<\/tr>\n<tr class="note failed"><td colspan="7"><span class="advice">allow it in the firewall<\/span><\/td><\/tr>/, 'advice in a note row under its result');
  assert.match(html, /<tr class="note failed"><td colspan="7"><span class="detail">NXDOMAIN<\/span>/);
  assert.match(html, /<span class="state good">open<\/span>/);
  assert.match(html, /FortiGate CA \(inspection\?\)/);
  assert.match(html, /<td class="num" data-label="ms">12<\/td>/, 'milliseconds rounded');
  assert.match(html, /id="summary">3 required endpoints not reachable \(7 probes, 321 ms\)</);
  assert.match(html, /<button[^>]*data-message="copyMarkdown"[^>]*>Copy as Markdown<\/button>/);
  assert.match(html, /<button[^>]*data-message="rerun"[^>]*>Re-run<\/button>/);
  assert.match(html, /postMessage\(\{ type: message, ...data \}\)/);
  assert.doesNotMatch(html, /secret/, 'proxy credentials are not shown');
  assert.match(html, /proxy http:\/\/proxy:3128/);
});

test('the panel summary counts suspected TLS inspection as a failure and lists each failed endpoint with its advice', () => {
  const inspected = result({
    rule: 'hdb-api',
    advice: 'TLS is intercepted (issuer "FortiGate CA"): exempt h.example from TLS inspection',
    tls: { subject: 'CN=h', issuer: 'FortiGate CA', validTo: '2030-01-01', publicRoot: false, inspectionSuspected: true, sniFilteringSuspected: false },
  });
  const only = renderProbeHtml({ ...view, results: [result({ rule: 'ok' }), inspected] }, { nonce: 'n', cspSource: 'x' });
  assert.match(only, /<span class="summary failed" id="summary">1 required endpoint not reachable \(2 probes, 321 ms\)<\/span>/);
  assert.doesNotMatch(only, /all required endpoints reachable/);
  assert.match(
    only,
    /<ul class="failed-endpoints" id="failed-endpoints"><li><span class="endpoint">hdb-api h\.example:443<\/span>: <span class="reason">TLS inspection suspected<\/span>: <span class="advice">TLS is intercepted \(issuer &quot;FortiGate CA&quot;\): exempt h\.example from TLS inspection<\/span><\/li><\/ul>/,
  );
  assert.deepEqual(failedEndpointLines({ ...view, results: [inspected] }), ['hdb-api h.example:443: TLS inspection suspected: TLS is intercepted (issuer "FortiGate CA"): exempt h.example from TLS inspection']);
  assert.doesNotMatch(renderProbeHtml({ ...view, results: [result({ rule: 'ok' })] }, { nonce: 'n', cspSource: 'x' }), /id="failed-endpoints"/);
});

test('the panel lists a swept range that failed alike as one range, not one item per port', () => {
  const swept = Array.from({ length: 51 }, (_, i) =>
    result({ rule: 'sweep', host: '192.0.2.1', port: 7000 + i, state: 'filtered', advice: `a firewall drops traffic to 192.0.2.1:${7000 + i}` }),
  );
  const html = renderProbeHtml({ ...view, results: swept }, { nonce: 'n', cspSource: 'x' });
  assert.match(html, /<ul class="failed-endpoints" id="failed-endpoints"><li><span class="endpoint">sweep 192\.0\.2\.1:7000-7050<\/span>: <span class="reason">filtered<\/span>: <span class="advice">a firewall drops traffic to 192\.0\.2\.1:7000-7050<\/span><\/li><\/ul>/);
  assert.deepEqual(failedEndpointLines({ ...view, results: swept }), ['sweep 192.0.2.1:7000-7050: filtered: a firewall drops traffic to 192.0.2.1:7000-7050']);
});

test('the table wraps instead of scrolling sideways: no nowrap cells but numbers and states, labelled cells when narrow', () => {
  const html = renderProbeHtml(view, { nonce: 'n', cspSource: 'x' });
  assert.doesNotMatch(html, /\.table \{[^}]*overflow-x/);
  assert.match(html, /\btd \{ white-space: normal; overflow-wrap: anywhere; \}/);
  assert.match(html, /@media \(max-width: 600px\) \{[^]*thead \{ display: none; \}[^]*td\[data-label\]::before \{ content: attr\(data-label\)/);
  assert.match(html, /<td class="tls warn" data-label="TLS issuer"/);
});

test('the catalogs for a probe: built-in, then in a trusted workspace its catalogs and its config\'s, then allowlist.catalogs', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'probe-catalogs-'));
  try {
    const catalog = (id: string, name: string) =>
      ['catalog: 1', 'vendor:', `  id: ${id}`, `  name: ${name}`, 'endpoints:', '  - id: api', '    role: API', `    host: api.${id}.example`, '    ports: [443]', '    allowlist-by: hostname', '    source:', '      url: https://example.com/', ''].join('\n');
    mkdirSync(join(dir, 'ws', 'site'), { recursive: true });
    mkdirSync(join(dir, 'outside'), { recursive: true });
    writeFileSync(join(dir, 'ws', 'in-workspace.catalog.yaml'), catalog('inws', 'In Workspace'));
    writeFileSync(join(dir, 'ws', 'broken.catalog.yaml'), 'catalog: 1\nvendor: [no]\n');
    writeFileSync(join(dir, 'outside', 'from-config.catalog.yaml'), catalog('fromcfg', 'From Config'));
    writeFileSync(join(dir, 'outside', 'from-setting.catalog.yaml'), catalog('fromset', 'From Setting'));
    writeFileSync(join(dir, 'ws', 'site', '.allowlistrc.yaml'), `catalogs: [${JSON.stringify(join(dir, 'outside', 'from-config.catalog.yaml'))}]\n`);
    const sources = { filePath: join(dir, 'ws', 'site', 'a.allowlist.yaml'), workspaceFolder: join(dir, 'ws'), settingCatalogs: ['../outside/from-setting.catalog.yaml'] };
    const trusted = await loadProbeInputs({ ...sources, trusted: true });
    assert.deepEqual(trusted.catalogs.catalogs.map((c) => c.id), ['helpdesk-buttons', 'inws', 'fromcfg', 'fromset']);
    assert.equal(trusted.problems.length, 1);
    assert.match(trusted.problems[0], /broken\.catalog\.yaml left out/);
    const untrusted = await loadProbeInputs({ ...sources, trusted: false });
    assert.deepEqual(untrusted.catalogs.catalogs.map((c) => c.id), ['helpdesk-buttons', 'fromset'], 'untrusted: only the built-in catalogs and the user\'s setting');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the inputs for a probe carry the config (with allowlist.rules over it), so that what is refused agrees with the lint the editor shows', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'probe-config-'));
  try {
    writeFileSync(join(dir, '.allowlistrc.yaml'), 'rules:\n  invalid-port: off\n  expires-soon: { days: 10 }\n');
    const filePath = join(dir, 'a.allowlist.yaml');
    const text = 'allowlist: 1\noutbound:\n  - name: a\n    to: a.example.com\n    ports: [443, 99999]\n';
    const inputs = await loadProbeInputs({ filePath, trusted: false, settingRules: { 'expires-soon': 'info' } });
    assert.deepEqual(inputs.problems, []);
    assert.deepEqual(inputs.config.rules['expires-soon'], { severity: 'info', options: { days: 10 } });
    assert.equal(rulesRefusal(lintText(text, { fileName: filePath, catalogs: inputs.catalogs, config: inputs.config })), undefined, 'invalid-port is off in the config');
    assert.equal(rulesRefusal(lintText(text, { fileName: filePath, catalogs: inputs.catalogs }))?.kind, 'unreliable', 'without the config it is refused');

    writeFileSync(join(dir, '.allowlistrc.yaml'), 'rules:\n  invalid-prot: off\n');
    const broken = await loadProbeInputs({ filePath, trusted: true });
    assert.deepEqual(broken.config.rules, {});
    assert.match(broken.problems[0], /\.allowlistrc\.yaml:2:3: unknown rule "invalid-prot"; did you mean invalid-port\?/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the HTML has a strict CSP: nothing by default, scripts and styles only with the nonce, no inline handlers', () => {
  const html = renderProbeHtml(view, { nonce: 'N0nce', cspSource: 'vscode-resource:' });
  const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(html)![1];
  assert.match(csp, /default-src 'none'/);
  assert.match(csp, /script-src 'nonce-N0nce'/);
  assert.match(csp, /style-src 'nonce-N0nce'/);
  assert.doesNotMatch(csp, /unsafe/);
  for (const tag of html.match(/<(script|style)\b[^>]*>/g)!) assert.match(tag, /nonce="N0nce"/);
  assert.doesNotMatch(html, /\son[a-z]+=/i, 'no inline event handlers');
  assert.doesNotMatch(html, /\sstyle=/i, 'no inline style attributes (the CSP would block them)');
});

test('everything from the file or the network is escaped', () => {
  const evil = '<img src=x onerror="alert(1)">&\'';
  const html = renderProbeHtml(
    {
      ...view,
      file: evil,
      scope: evil,
      results: [
        result({
          rule: evil,
          host: evil,
          address: evil,
          detail: evil,
          advice: evil,
          state: 'closed',
          tls: { subject: evil, issuer: evil, validTo: evil, publicRoot: false, inspectionSuspected: false, sniFilteringSuspected: false, error: evil },
        }),
      ],
      pinned: [{ rule: evil, address: '192.0.2.1', hostnames: [evil], advice: evil }],
    },
    { nonce: 'n', cspSource: 'x' },
  );
  assert.doesNotMatch(html, /<img/);
  assert.doesNotMatch(html, /onerror="/);
  assert.ok(html.includes(escapeHtml(evil)));
  assert.equal(escapeHtml(`<a href="x">'&'</a>`), '&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
});

test('no run yet, a run without endpoints, and a cancelled run', () => {
  assert.match(renderProbeHtml(undefined, { nonce: 'n', cspSource: 'x' }), /No probe has run yet/);
  assert.match(renderProbeHtml({ ...view, results: [] }, { nonce: 'n', cspSource: 'x' }), /No endpoints to probe/);
  const cancelled = renderProbeHtml({ ...view, results: results.slice(0, 2), cancelled: true, total: 9 }, { nonce: 'n', cspSource: 'x' });
  assert.match(cancelled, /cancelled after 2 of 9 probes/);
});

test('Markdown for the clipboard: heading, the table in view order, pinned-address advice', () => {
  const md = probeMarkdown({ ...view, pinned: [{ rule: 'ip', address: '192.0.2.9', hostnames: ['api.example'], advice: 'allowlist api.example by hostname' }] });
  const lines = md.split('\n');
  assert.match(lines[0], /^\*\*Allowlist probe\*\* of `site.allowlist.yaml` \(every endpoint\), 2025-01-02T03:04:05.000Z: 3 required endpoints not reachable/);
  assert.deepEqual(lines.slice(2, 5), [
    '- down h.example:443: filtered: allow it in the firewall',
    '- nx h.example: dns-error: ',
    '- inspected h.example:443: TLS inspection suspected: ',
  ]);
  assert.match(lines[6], /^\| rule \| host \|/);
  assert.match(lines[8], /^\| down \|/, 'failed rows first');
  assert.match(md, /\n- allowlist api\.example by hostname\n$/);
});

test('log lines and webview messages', () => {
  assert.equal(
    probeLogLine(result({ rule: 'down', state: 'filtered', ms: 1500, detail: 'no answer, twice', advice: 'allow it' })),
    'down h.example 192.0.2.1:443 filtered 1500 ms - no answer, twice - allow it',
  );
  assert.equal(probeLogLine(result({ host: '192.0.2.1', via: 'proxy' })), 'r 192.0.2.1:443 via proxy open 12 ms');
  assert.equal(isProbeViewMessage({ type: 'rerun' }), true);
  assert.equal(isProbeViewMessage({ type: 'copyMarkdown' }), true);
  assert.equal(isProbeViewMessage({ type: 'other' }), false);
  assert.equal(isProbeViewMessage(null), false);
});

test('the panel does not call a run that probed nothing "all reachable"', () => {
  const nothing = renderProbeHtml({ ...view, results: [] }, { nonce: 'N0nce', cspSource: 'vscode-resource:' });
  assert.match(nothing, /<span class="summary" id="summary">nothing probed: no endpoint here can be tested \(0 probes, 321 ms\)<\/span>/);
});
