import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseAllowlist } from './parse';
import {
  escapeHtml,
  hasPortRange,
  isProbeViewMessage,
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
} from './probe-view';
import type { ProbeResult } from './probe/types';

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

test('rows: failed endpoints first, then warnings (other address up, optional, TLS inspection), stable within each', () => {
  const rows = viewRows(results);
  assert.deepEqual(
    rows.map((r) => [r.result.rule, r.status]),
    [
      ['down', 'failed'],
      ['nx', 'failed'],
      ['dual', 'warning'],
      ['optional', 'warning'],
      ['inspected', 'warning'],
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
    ['dual', 'unreachable', 'warning'],
    ['optional', 'closed', 'warning'],
    ['inspected', 'open', 'warning'],
    ['ok', 'open', 'ok'],
    ['dual', 'open', 'ok'],
  ]);
  assert.match(html, /<span class="state bad">filtered<\/span>/);
  assert.match(html, /<tr class="failed has-note" data-state="filtered"[^]*?<\/tr>\n<tr class="note failed"><td colspan="7"><span class="advice">allow it in the firewall<\/span><\/td><\/tr>/, 'advice in a note row under its result');
  assert.match(html, /<tr class="note failed"><td colspan="7"><span class="detail">NXDOMAIN<\/span>/);
  assert.match(html, /<span class="state good">open<\/span>/);
  assert.match(html, /FortiGate CA \(inspection\?\)/);
  assert.match(html, /<td class="num">12<\/td>/, 'milliseconds rounded');
  assert.match(html, /id="summary">2 required endpoints not reachable \(7 probes, 321 ms\)</);
  assert.match(html, /<button[^>]*data-message="copyMarkdown"[^>]*>Copy as Markdown<\/button>/);
  assert.match(html, /<button[^>]*data-message="rerun"[^>]*>Re-run<\/button>/);
  assert.match(html, /postMessage\(\{ type: button\.dataset\.message \}\)/);
  assert.doesNotMatch(html, /secret/, 'proxy credentials are not shown');
  assert.match(html, /proxy http:\/\/proxy:3128/);
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
  assert.match(lines[0], /^\*\*Allowlist probe\*\* of `site.allowlist.yaml` \(every endpoint\), 2025-01-02T03:04:05.000Z: 2 required endpoints not reachable/);
  assert.match(lines[2], /^\| rule \| host \|/);
  assert.match(lines[4], /^\| down \|/, 'failed rows first');
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
