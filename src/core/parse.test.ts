import { test } from 'node:test';
import assert from 'node:assert/strict';
import { scanLayout } from './layout';
import { parseAllowlist, parseWhole, type ItemCache } from './parse';
import { absolute } from './model';

const FILE = [
  '# a comment before everything',
  'allowlist: 1',
  'site: Contoso',
  'vendors:',
  '  helpdesk-buttons: { ticket-system: cloud }',
  'outbound:',
  '  - name: api',
  '    to: [a.example.com, "*.b.example.com"]',
  '    ports: [443, "2001-2500"]',
  '  # between items',
  '  - name: dns',
  '    to: 192.0.2.53',
  '    ports: 53',
  '    protocol: udp',
  'inbound:',
  '- name: web',
  '  from: 198.51.100.0/24',
  '  to: 10.0.0.20',
  '  ports: 443',
  '  expires: 2027-01-31',
  '',
].join('\n');

test('layout: sections and one chunk per rule item, whatever the sequence indentation', () => {
  const sections = scanLayout(FILE)!;
  assert.deepEqual(sections.map((s) => s.key), ['allowlist', 'site', 'vendors', 'outbound', 'inbound']);
  const outbound = sections[3].items!.map((c) => FILE.slice(c.start, c.end));
  assert.equal(outbound.length, 2);
  assert.ok(outbound[0].startsWith('  - name: api'));
  assert.ok(outbound[1].startsWith('  - name: dns'));
  assert.equal(sections[4].items!.length, 1);
});

test('layout: document markers, duplicate keys and flow style at the top are left to the whole-document parse', () => {
  assert.equal(scanLayout('allowlist: 1\n---\nallowlist: 1\n'), undefined);
  assert.equal(scanLayout('allowlist: 1\nallowlist: 2\n'), undefined);
  assert.equal(scanLayout('{allowlist: 1}\n'), undefined);
  assert.equal(scanLayout('outbound:\n  - name: a\n - name: b\n'), undefined);
});

test('parse: the model has exact ranges for names, addresses, ports, protocol and expiry', () => {
  const { model, findings } = parseAllowlist(FILE);
  assert.deepEqual(findings, []);
  assert.equal(model.kind, 'allowlist');
  assert.equal(model.site?.value, 'Contoso');
  assert.deepEqual(model.vendors.map((v) => [v.id, v.options['ticket-system'].value]), [['helpdesk-buttons', 'cloud']]);
  const [api, dns] = model.outbound;
  const text = (rule: typeof api, range: { start: number; end: number }) => FILE.slice(absolute(rule, range).start, absolute(rule, range).end);
  assert.equal(text(api, api.name!.range), 'api');
  assert.deepEqual(api.to!.addresses.map((a) => [a.kind, text(api, a.range)]), [['hostname', 'a.example.com'], ['wildcard', '"*.b.example.com"']]);
  assert.deepEqual(api.ports!.spans.map((s) => [s.from, s.to, text(api, s.range)]), [[443, 443, '443'], [2001, 2500, '"2001-2500"']]);
  assert.equal(dns.protocol.value, 'udp');
  assert.equal(text(dns, dns.protocol.range!), 'udp');
  const [web] = model.inbound;
  assert.equal(web.from!.addresses[0].network?.canonical, '198.51.100.0/24');
  assert.equal(web.expires?.date, '2027-01-31');
  assert.equal(text(web, web.expires!.range), '2027-01-31');
});

test('parse: the chunked model equals the whole-document model, rule by rule', () => {
  const chunked = parseAllowlist(FILE);
  const whole = parseWhole(FILE);
  const view = (file: typeof chunked) =>
    [...file.model.outbound, ...file.model.inbound].map((rule) => ({
      name: rule.name?.value,
      to: rule.to?.addresses.map((a) => [a.text, absolute(rule, a.range).start]),
      ports: rule.ports?.spans.map((s) => [s.text, absolute(rule, s.range).start]),
      value: rule.value,
    }));
  assert.deepEqual(view(chunked), view(whole));
});

test('parse: an edit re-parses only the chunk it touched', () => {
  const cache: ItemCache = new Map();
  const first = parseAllowlist(FILE, { cache });
  const edited = FILE.replace('192.0.2.53', '192.0.2.54');
  const nextCache: ItemCache = new Map();
  const second = parseAllowlist(edited, { cache: nextCache, previous: cache });
  // Unchanged items reuse the same parsed objects; the edited one is new.
  assert.equal(second.items[0].rule.to, first.items[0].rule.to);
  assert.notEqual(second.items[1].rule.to, first.items[1].rule.to);
  assert.equal(second.items[1].rule.to!.addresses[0].text, '192.0.2.54');
});

test('parse: an unquoted wildcard is a yaml-syntax finding with a fix, and still read as a wildcard', () => {
  const text = 'allowlist: 1\noutbound:\n  - name: cdn\n    to: *.example.com\n    ports: 443\n';
  const parsed = parseAllowlist(text);
  const finding = parsed.items[0].findings.find((f) => f.ruleId === 'yaml-syntax')!;
  const range = absolute(parsed.items[0].rule, finding.range);
  assert.equal(text.slice(range.start, range.end), '*.example.com');
  assert.equal(finding.fixes![0].edits[0].newText, '"*.example.com"');
  assert.equal(parsed.model.outbound[0].to!.addresses[0].kind, 'wildcard');
});

test('parse: aliases across items fall back to the whole document and resolve', () => {
  const text = 'allowlist: 1\noutbound:\n  - name: a\n    to: example.com\n    ports: &web [80, 443]\n  - name: b\n    to: example.org\n    ports: *web\n';
  const parsed = parseAllowlist(text);
  assert.ok(parsed.wholeDocumentReason);
  assert.deepEqual(parsed.model.outbound[1].value, { name: 'b', to: 'example.org', ports: [80, 443] });
});

test('parse: aliased values are read into the model the rules visit, at the alias', () => {
  const text = [
    'allowlist: 1',
    'outbound:',
    '  - name: a',
    '    from: &any any',
    '    vendor: &v acme',
    '    to: &hosts [a.example.com, "*.example.org"]',
    '    ports: &web [80, "8000-8080"]',
    '  - name: b',
    '    vendor: *v',
    '    to: *hosts',
    '    ports: *web',
    '  - name: c',
    '    from: [*any]',
    '    to: c.example.com',
    '    ports: 443',
    '',
  ].join('\n');
  for (const parsed of [parseAllowlist(text), parseWhole(text)]) {
    const [, b, c] = parsed.model.outbound;
    const at = (rule: (typeof parsed.model.outbound)[number], range: { start: number; end: number }) => text.slice(absolute(rule, range).start, absolute(rule, range).end);
    assert.equal(b.vendor?.value, 'acme');
    assert.deepEqual(b.to?.addresses.map((address) => [address.kind, address.host, at(b, address.range)]), [
      ['hostname', 'a.example.com', '*hosts'],
      ['wildcard', 'example.org', '*hosts'],
    ]);
    assert.deepEqual(b.ports?.spans.map((span) => [span.from, span.to, at(b, span.range)]), [
      [80, 80, '*web'],
      [8000, 8080, '*web'],
    ]);
    assert.equal(at(b, b.ports!.range), '*web');
    assert.deepEqual(c.from?.addresses.map((address) => [address.kind, at(c, address.range)]), [['any', '*any']]);
  }
});

test('parse: syntax errors are reported inside the file, never thrown', () => {
  for (const text of ['allowlist: 1\noutbound:\n  - name: "open\n', '\u0000\u0001binary', 'a: [1, 2\n', '- just\n- a list\n', '', 'allowlist: 1\noutbound: {']) {
    const parsed = parseAllowlist(text);
    for (const finding of parsed.findings) {
      assert.ok(finding.range.start >= 0 && finding.range.end <= text.length, `${JSON.stringify(text)}: ${finding.message}`);
    }
  }
});
