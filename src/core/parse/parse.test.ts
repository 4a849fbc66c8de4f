import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { scanLayout } from './layout';
import { parseAllowlist, parseWhole, type ItemCache } from './parse';
import { absolute, recordedSplice } from './model';
import { applyFix, Linter, lintText } from '../lint';

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
      fields: [rule.description?.value, rule.vendor?.value, rule.from?.addresses.map((a) => a.text), rule.protocol.value, rule.ticket?.value, rule.owner?.value, rule.expires?.value, rule.expires?.date],
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
  const range = absolute(parsed.rules[0], finding.range);
  assert.equal(text.slice(range.start, range.end), '*.example.com');
  assert.equal(finding.fixes![0].edits[0].newText, '"*.example.com"');
  assert.equal(parsed.model.outbound[0].to!.addresses[0].kind, 'wildcard');
});

test('parse: aliases across items fall back to the whole document and resolve', () => {
  const text = 'allowlist: 1\noutbound:\n  - name: a\n    to: example.com\n    ports: &web [80, 443]\n  - name: b\n    to: example.org\n    ports: *web\n';
  const parsed = parseAllowlist(text);
  assert.ok(parsed.wholeDocumentReason);
  const aliased = parsed.model.outbound[1];
  assert.deepEqual([aliased.name?.value, aliased.to?.addresses.map((a) => a.text), aliased.ports?.spans.map((s) => [s.from, s.to])], ['b', ['example.org'], [[80, 80], [443, 443]]]);
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

test('parse: a rule or a rule list written as an alias is that rule again, at the alias', () => {
  const item = 'allowlist: 1\noutbound:\n  - &r\n    name: a\n    from: 10.0.0.0/8\n    to: any\n    ports: any\ninbound:\n  - *r\n';
  const list = 'allowlist: 1\noutbound: &o\n  - name: a\n    from: 10.0.0.0/8\n    to: any\n    ports: any\ninbound: *o\n';
  for (const [text, alias] of [[item, '*r'], [list, '*o']]) {
    const parsed = parseAllowlist(text);
    const [rule] = parsed.model.inbound;
    assert.equal(parsed.model.inbound.length, 1, text);
    assert.deepEqual([rule.direction, rule.name?.value, rule.from?.addresses[0].text, rule.to?.addresses[0].kind, rule.ports?.any], ['inbound', 'a', '10.0.0.0/8', 'any', true]);
    // Every range of the aliased rule is the alias: its text (the anchor's) is elsewhere.
    for (const range of [rule.range, rule.name!.range, rule.from!.addresses[0].range, rule.ports!.range]) assert.equal(text.slice(absolute(rule, range).start, absolute(rule, range).end), alias);
    assert.deepEqual(parsed.aliasedItems?.map((range) => text.slice(range.start, range.end)), [alias]);
  }
});

test('lint: an aliased rule is linted as the rule it stands for, and no fix edits its alias', () => {
  const text = 'allowlist: 1\noutbound:\n  - &r\n    name: a\n    from: 10.0.0.5/24\n    to: any\n    ports: any\ninbound:\n  - *r\n';
  const findings = lintText(text, { fileName: 'site.allowlist.yaml' }).findings.filter((finding) => finding.ruleId === 'invalid-address');
  assert.deepEqual(
    findings.map((finding) => [text.slice(finding.range.start, finding.range.end), finding.fixes !== undefined]),
    [
      ['10.0.0.5/24', true],
      ['*r', false],
    ],
  );
});

test('lint: an alias without its anchor is reported once, inside a rule item or outside one', () => {
  for (const text of ['allowlist: 1\noutbound:\n  - name: a\n    to: *nope\n    ports: 443\n', 'allowlist: 1\nsite: *nope\noutbound: []\n']) {
    const findings = lintText(text, { fileName: 'site.allowlist.yaml' }).findings.filter((finding) => /no anchor/.test(finding.message));
    assert.deepEqual(findings.map((finding) => text.slice(finding.range.start, finding.range.end)), ['*nope'], text);
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

// ---------------------------------------------------------------------------------------------
// Flow sequences of rule items (`outbound: [{...}, {...}]`): cut into one chunk per item.

const FLOW = [
  'allowlist: 1',
  'outbound: [{name: a, to: "x, ]}.example.com", owner: \'C:\\\', ports: 443}, {name: b, description: \'it\'\'s [not, a] list\', to: [b.example.com, "c\\", }"], ports: [80, 443]},',
  '  # a comment between items, with [brackets], {braces}, "quotes and, commas',
  '  {name: d, to: d.example, ports: 1}, {name: e, to: e.example, ports: 2},',
  '  {name: c,  # a comment inside an item: ], }',
  '    description: it\'s plain, to: d#e.example.com, ports: "2001-2500"}',
  ']  # after the sequence',
  '# a comment line',
  'inbound: [ {name: in, from: 198.51.100.7, to: 10.0.0.2, ports: 22} ]',
  '',
].join('\n');
const FLOW_OPTIONS = { fileName: 'flow.allowlist.yaml', today: '2026-06-01' };

test('layout: a flow sequence of mappings is cut into one chunk per `{...}` item, whatever its quotes, comments and lines', () => {
  const [, outbound, inbound] = scanLayout(FLOW)!;
  assert.equal(FLOW[outbound.flowStart!], '[');
  assert.deepEqual(
    outbound.items!.map((chunk) => FLOW.slice(chunk.start, chunk.end)),
    [
      '{name: a, to: "x, ]}.example.com", owner: \'C:\\\', ports: 443}',
      '{name: b, description: \'it\'\'s [not, a] list\', to: [b.example.com, "c\\", }"], ports: [80, 443]}',
      '{name: d, to: d.example, ports: 1}',
      '{name: e, to: e.example, ports: 2}',
      '{name: c,  # a comment inside an item: ], }\n    description: it\'s plain, to: d#e.example.com, ports: "2001-2500"}',
    ],
  );
  assert.deepEqual(inbound.items!.map((chunk) => FLOW.slice(chunk.start, chunk.end)), ['{name: in, from: 198.51.100.7, to: 10.0.0.2, ports: 22}']);
});

/** The rules as the rules see them, at absolute positions. */
function ruleView(file: ReturnType<typeof parseAllowlist>) {
  return [...file.model.outbound, ...file.model.inbound].map((rule) => ({
    offset: rule.offset,
    range: absolute(rule, rule.range),
    keys: Object.fromEntries(Object.entries(rule.keys).map(([key, range]) => [key, absolute(rule, range)])),
    name: rule.name && [rule.name.value, absolute(rule, rule.name.range)],
    description: rule.description && [rule.description.value, absolute(rule, rule.description.range)],
    to: rule.to?.addresses.map((a) => [a.text, absolute(rule, a.range)]),
    ports: rule.ports && [absolute(rule, rule.ports.range), rule.ports.spans.map((s) => [s.text, absolute(rule, s.range)])],
    fields: [rule.vendor?.value, rule.from?.addresses.map((a) => [a.text, absolute(rule, a.range)]), rule.protocol.value, rule.ticket?.value, rule.owner?.value, rule.expires && [rule.expires.value, rule.expires.date]],
  }));
}

test('parse: flow items are parsed one by one, into the model and findings of the whole-document parse', () => {
  const chunked = parseAllowlist(FLOW);
  assert.equal(chunked.wholeDocumentReason, undefined);
  assert.deepEqual(ruleView(chunked), ruleView(parseWhole(FLOW)));
  assert.deepEqual(
    chunked.model.outbound.map((rule) => rule.description?.value),
    [undefined, "it's [not, a] list", undefined, undefined, "it's plain"],
  );
  const bad = FLOW.replace('ports: 443}', 'ports: 99999, colour: red}').replace('to: 10.0.0.2', 'to: 10.0.0.256');
  const findings = lintText(bad, FLOW_OPTIONS).findings;
  assert.deepEqual(findings, lintText(bad, { ...FLOW_OPTIONS, wholeDocument: true }).findings);
  const at = (ruleId: string) => findings.filter((f) => f.ruleId === ruleId).map((f) => bad.slice(f.range.start, f.range.end));
  assert.ok(at('schema').includes('colour'), JSON.stringify(findings));
  assert.ok(at('invalid-address').includes('10.0.0.256'), JSON.stringify(findings));
});

test('layout: a flow sequence the scan is unsure of is parsed whole with its section, as the whole document reads it', () => {
  const cases: Record<string, string> = {
    anchor: '[&a {name: a, to: a.example, ports: 443}, *a]',
    'anchor inside': '[{name: a, to: &h a.example, ports: 443}, {name: b, to: *h, ports: 443}]',
    tag: '[!!map {name: a, to: a.example, ports: 443}]',
    'complex key': '[{? name: a, to: a.example, ports: 443}]',
    'plain scalar item': '[a.example, {name: a, to: a.example, ports: 443}]',
    'nested sequence item': '[[{name: a, to: a.example, ports: 443}]]',
    'text after the ]': '[{name: a, to: a.example, ports: 443}] extra',
    'an indented line after the ]': '[{name: a, to: a.example, ports: 443}]\n  extra',
    unclosed: '[{name: a, to: a.example, ports: 443}',
    'unclosed item': '[{name: a, to: a.example, ports: 443]',
    'mismatched brackets': '[{name: a, to: [a.example}, ports: 443]]',
    'empty item': '[{name: a, to: a.example, ports: 443}, , {name: b, to: b.example, ports: 443}]',
    'trailing comma': '[{name: a, to: a.example, ports: 443},]',
    empty: '[]',
    'a line at column 0': '[{name: a, to: a.example,\nports: 443}]',
    'a comment right after a comma': '[{name: a, to: a.example, ports: 443},# no space\n  {name: b, to: b.example, ports: 443}]',
    'a comment right after a comma in an item': '[{name: a,#c}, {name: b, to: b.example, ports: 443}]',
    'a tab': '[{name: a,\tto: a.example, ports: 443}]',
    'a quote over two lines': '[{name: a, to: "a.\n  example", ports: 443}]',
    'an unclosed quote': '[{name: a, to: "a.example, ports: 443}]',
    'a quote right after a colon': '[{name: a, to:"a.example", ports: 443}]',
    'a pair instead of a mapping': '[name: a, {name: b, to: b.example, ports: 443}]',
  };
  const syntaxError = (findings: ReturnType<typeof lintText>['findings']) => findings.some((f) => f.ruleId === 'yaml-syntax' && f.severity === 'error');
  for (const [label, value] of Object.entries(cases)) {
    const text = `allowlist: 1\noutbound: ${value}\n`;
    const outbound = scanLayout(text)?.find((section) => section.key === 'outbound');
    assert.equal(outbound?.items, undefined, label);
    assert.equal(outbound?.flowStart, undefined, label);
    const chunked = lintText(text, FLOW_OPTIONS).findings;
    const whole = lintText(text, { ...FLOW_OPTIONS, wholeDocument: true }).findings;
    // As in the fuzz tests: a syntax error the scan leaves to a section is confined to it, so only its report must agree.
    if (syntaxError(whole)) assert.ok(syntaxError(chunked), label);
    else assert.deepEqual(chunked, whole, label);
  }
});

test('parse: a syntax error inside a flow item sends the file to the whole-document parse', () => {
  const text = 'allowlist: 1\noutbound: [{name: a, to: a.example, ports: 443}, {name: b, name: c, to: b.example, ports: 443}]\n';
  assert.equal(scanLayout(text)![1].items!.length, 2);
  const parsed = parseAllowlist(text);
  assert.ok(parsed.wholeDocumentReason);
  assert.deepEqual(ruleView(parsed), ruleView(parseWhole(text)));
  assert.ok(parsed.findings.some((f) => f.ruleId === 'yaml-syntax'));
});

test('parse: an edit in a flow sequence re-parses only the item it touched, and a re-lint after edits in or before it equals a fresh lint', () => {
  const cache: ItemCache = new Map();
  const first = parseAllowlist(FLOW, { cache });
  const edited = FLOW.replace('to: d#e.example.com', 'to: d#f.example.com');
  const second = parseAllowlist(edited, { cache: new Map(), previous: cache, memo: first.memo });
  assert.equal(second.items[0].rule.to, first.items[0].rule.to);
  assert.equal(second.items[5].rule.to, first.items[5].rule.to);
  assert.notEqual(second.items[4].rule.to, first.items[4].rule.to);
  assert.equal(second.items[4].rule.to!.addresses[0].text, 'd#f.example.com');
  // Edits within one indented line that change how the sequence is cut: a quote, a comma, a bracket, a comment, a
  // comma deleted between two items.
  const linter = new Linter();
  linter.lint(FLOW, FLOW_OPTIONS);
  for (const line of [FLOW.indexOf('  {name: d'), FLOW.indexOf('    description: it')]) {
    for (let at = line; at < FLOW.indexOf('\n', line); at++) {
      for (const char of ['"', ',', ']', '{', ' #', '']) {
        const text = FLOW.slice(0, at) + char + FLOW.slice(at + 1);
        assert.deepEqual(linter.lint(text, FLOW_OPTIONS).findings, lintText(text, FLOW_OPTIONS).findings, JSON.stringify(text.slice(line, line + 90)));
      }
    }
  }
  // Edits before the sequence that move it: the last layout is reused, moved.
  const moved = FLOW.replace('allowlist: 1\n', 'allowlist: 1\nsite:\n  Contoso clinic\n');
  const at = moved.indexOf('clinic');
  for (const text of [moved.slice(0, at) + moved.slice(at + 1), moved.slice(0, at) + 'the ' + moved.slice(at)]) {
    linter.lint(moved, FLOW_OPTIONS);
    assert.deepEqual(linter.lint(text, FLOW_OPTIONS).findings, lintText(text, FLOW_OPTIONS).findings);
  }
});

test('parse: a misspelt key is one schema finding with a fix that renames it', () => {
  const text = 'allowlist: 1\noutbound:\n  - name: web\n    to: example.com\n    prots: 443\n';
  for (const wholeDocument of [false, true]) {
    const findings = lintText(text, { wholeDocument }).findings.filter((finding) => finding.ruleId === 'schema');
    assert.deepEqual(findings.map((finding) => finding.message), ['unknown key "prots"; did you mean ports?']);
    const [rename] = findings[0].fixes!;
    assert.equal(rename.title, 'Rename to ports');
    assert.equal(applyFix(text, rename), text.replace('prots', 'ports'));
  }
});

test('parse: a re-parse records how each rule list was made from the last one (the rules kept at both ends), and only for that one', () => {
  const items = Array.from({ length: 5 }, (_, at) => `  - name: r${at}\n    to: h${at}.example.com\n    ports: 443\n`);
  const text = `allowlist: 1\noutbound:\n${items.join('')}inbound:\n${items.join('')}`;
  const first = parseAllowlist(text);
  // One character typed into the third outbound rule: the two before it and the two after it (moved) are kept.
  const edited = text.replace('h2.example.com\n    ports: 443', 'h2.example.com\n    ports: 4443');
  const second = parseAllowlist(edited, { memo: first.memo });
  assert.deepEqual(recordedSplice(second.model.outbound, first.model.outbound), { prefix: 2, suffix: 2 });
  assert.deepEqual(recordedSplice(second.model.inbound, first.model.inbound), { prefix: 5, suffix: 0 });
  // A rule inserted at the start of the inbound list: the last list is kept at the end, but for its first rule, whose
  // text begins as the new rule's does (in the edited span: found by its text, and counted as replaced).
  const third = parseAllowlist(edited.replace('inbound:\n', `inbound:\n${items[4]}`), { memo: second.memo });
  assert.deepEqual(recordedSplice(third.model.inbound, second.model.inbound), { prefix: 0, suffix: 4 });
  assert.equal(recordedSplice(third.model.inbound, first.model.inbound), undefined);
});

test('parse: the recorded splices do not keep the rule lists of earlier parses alive', async () => {
  setFlagsFromString('--expose-gc');
  const collect = runInNewContext('gc') as () => void;
  const items = Array.from({ length: 5 }, (_, at) => `  - name: r${at}\n    to: h${at}.example.com\n    ports: 443\n`);
  const text = `allowlist: 1\noutbound:\n${items.join('')}`;
  let memo = parseAllowlist(text).memo;
  const firstList = new WeakRef(memo!.lists[0].rules);
  for (let edit = 1; edit <= 4; edit++) memo = parseAllowlist(text.replace('h2.example.com', `h2${'x'.repeat(edit)}.example.com`), { memo }).memo;
  // A WeakRef holds its target to the end of the current job.
  await new Promise((resolve) => setImmediate(resolve));
  collect();
  assert.equal(firstList.deref(), undefined);
  assert.equal(memo!.lists[0].rules.length, 5);
});
