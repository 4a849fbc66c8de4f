/** The scanner's fast route (lexed-item.ts) against `parseDocument`: rule items built from the characters where a
 * hand-written YAML scanner goes wrong (quotes, comments, tabs, CRLF, trailing spaces, `: ` inside values, flow
 * lists with odd spacing, keys and values YAML reads as other than strings) give exactly the model and findings of
 * the whole-document parse. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { isMap, isScalar, isSeq, parseDocument } from 'yaml';
import { lexFlowItem, lexHeader, lexItem } from './lexed-item';
import { parseAllowlist, parseWhole, type ParsedFile } from './parse';
import { RULE_SECTIONS, scanLayout, sectionHeadEnd } from './layout';
import { lintText } from '../lint';

/** Values as written after `key: `: plain, quoted, numbers and words of the core schema, and the characters that
 * end, split or change a scalar. */
const SCALARS = [
  'a.example.com',
  'api',
  'Zürich office (2nd floor)',
  'a: b',
  'a:b',
  'a:',
  'x:y:',
  'http://a.example/x',
  '2001:db8::1',
  'a #b',
  'a#b',
  'a, b',
  'a]',
  '[x] y',
  "it's",
  '"quoted"',
  '"a: b # c"',
  '"back\\"slash"',
  '""',
  "'single'",
  "'it''s'",
  "''",
  "'a\"b'",
  '"unclosed',
  "'unclosed",
  '443',
  '0443',
  '1234567890',
  '0x1F',
  '0o17',
  '1e3',
  '443.0',
  '.5',
  '+1',
  '-1',
  '1_000',
  '~',
  'null',
  'Null',
  'NULL',
  'yes',
  'no',
  'on',
  'true',
  'False',
  '.inf',
  '-.inf',
  '.NaN',
  '*.example.com',
  '"*.example.com"',
  '&a x',
  '!str x',
  '%x',
  '@x',
  '`x`',
  '|',
  '>-',
  '? x',
  '- x',
  ':x',
  'a\tb',
  '\ta',
  'a\u0085b',
  'a\u2028b',
  'a\ufeffb',
  'a\u0007b',
  'tcp',
  'UDP',
  '2027-01-31',
  '"2001-2500"',
  'any',
];
const LIST_GAPS = [', ', ',', ' , ', ' ,', ',  ', ',\t'];
const KEYS = ['name', 'description', 'vendor', 'ticket', 'owner', 'to', 'from', 'ports', 'protocol', 'expires', 'null', 'true', 'Name', 'x-y', 'a.b', '"name"', "'to'", 'name ', '1'];
const LINE_ENDS = ['\n', '\n', '\n', '  \n', '\r\n', ' # c\n', '\t\n', '\r', '\n\n', '\n  # c\n'];

const scalarArb = fc.constantFrom(...SCALARS);
const flowListArb = fc
  .tuple(fc.array(fc.tuple(scalarArb, fc.constantFrom(...LIST_GAPS)), { maxLength: 3 }), fc.constantFrom('', ' ', '  '), fc.constantFrom('', ' ', ','))
  .map(([items, open, close]) => `[${open}${items.map(([scalar, gap], at) => (at === 0 ? scalar : gap + scalar)).join('')}${close}]`);
/** A value: inline after `key: `, or a block list under `key:` (its lines' indentation relative to the key's). */
const valueArb = fc.oneof(
  { weight: 5, arbitrary: scalarArb.map((scalar) => ({ inline: scalar })) },
  { weight: 2, arbitrary: flowListArb.map((list) => ({ inline: list })) },
  { weight: 2, arbitrary: fc.tuple(fc.array(scalarArb, { minLength: 0, maxLength: 3 }), fc.constantFrom(2, 2, 2, 0, 1, 4), fc.nat(4).map((n) => n === 0)).map(([items, indent, ragged]) => ({ items, indent, ragged })) },
);
/** Keys the schema takes with any string (or, for `ports`, any integer): an item of them reaches the scanner's model. */
const STRING_KEYS = ['name', 'to', 'ports', 'description', 'owner', 'ticket', 'vendor', 'from'];
const entryArb = fc.record({
  key: fc.oneof({ weight: 8, arbitrary: fc.constantFrom(...STRING_KEYS) }, { weight: 1, arbitrary: fc.constantFrom(...KEYS) }),
  value: valueArb,
  gap: fc.constantFrom(' ', ' ', ' ', '  ', '', '\t'),
  end: fc.oneof({ weight: 4, arbitrary: fc.constant('\n') }, { weight: 3, arbitrary: fc.constantFrom(...LINE_ENDS) }),
  indent: fc.constantFrom(0, 0, 0, 0, 0, 0, 1, -1),
});
type Entry = typeof entryArb extends fc.Arbitrary<infer T> ? T : never;
const plainEntry = (key: string, value: string): Entry => ({ key, value: { inline: value }, gap: ' ', end: '\n', indent: 0 });
/** Mostly a usable item: name, to and ports (which the schema needs), each replaced by a generated entry of that
 * key, then the other generated entries (a repeated odd key stays repeated). */
const itemArb = fc.tuple(fc.constantFrom('- ', '- ', '-  ', '-\t'), fc.array(entryArb, { minLength: 1, maxLength: 5 }), fc.nat(9)).map(([dash, generated, usable]) => {
  const keyColumn = 2 + dash.length;
  const entries = usable > 0 ? [plainEntry('name', 'r'), plainEntry('to', 'a.example.com'), plainEntry('ports', '443')] : [];
  for (const entry of generated) {
    const same = entries.findIndex((other) => other.key === entry.key && STRING_KEYS.includes(entry.key));
    if (same === -1) entries.push(entry);
    else entries[same] = entry;
  }
  const lines = entries.map((entry, at) => {
    const lead = at === 0 ? `  ${dash}` : ' '.repeat(keyColumn + entry.indent);
    const value = entry.value;
    if ('inline' in value) return `${lead}${entry.key}:${entry.gap}${value.inline}${entry.end}`;
    const items = value.items.map((item, index) => `${' '.repeat(keyColumn + value.indent + (value.ragged && index === 1 ? 1 : 0))}- ${item}${entry.end}`);
    // (Not a comment line after a key without a value: the whole document's parse then ends the item after the
    // comment, a chunk's parse before it; neither is the scanner's.)
    return `${lead}${entry.key}:${entry.end.includes('#') ? '\n' : entry.end}${items.join('')}`;
  });
  return lines.join('');
});
const flowItemArb = fc
  .tuple(
    fc.array(fc.tuple(fc.constantFrom('description', 'from', 'ticket', 'x', 'ports', 'null', '"to"'), fc.oneof(scalarArb, flowListArb), fc.constantFrom(', ', ',', ' , ', ',  ')), { maxLength: 2 }),
    fc.constantFrom('', ' '),
    fc.constantFrom(': ', ': ', ':', ':  '),
  )
  .map(([entries, pad, colon]) => `{${pad}name: f, to: b.example, ports: 443${entries.map(([key, value, gap]) => `${gap}${key}${colon}${value}`).join('')}${pad}}`);

/** Every range in a rule made absolute (chunked rules are relative to their chunk, whole-document ones to their item). */
function absoluteRules(file: ParsedFile): unknown[] {
  const shifted = (value: unknown, by: number): unknown => {
    if (Array.isArray(value)) return value.map((item) => shifted(item, by));
    if (value === null || typeof value !== 'object') return value;
    const object = value as Record<string, unknown>;
    if (typeof object.start === 'number' && typeof object.end === 'number' && Object.keys(object).length === 2) return { start: object.start + by, end: object.end + by };
    return Object.fromEntries(Object.entries(object).map(([key, field]) => [key, key === 'value' && 'keys' in object ? field : shifted(field, by)]));
  };
  return [...file.model.outbound, ...file.model.inbound].map((rule) => ({ ...(shifted(rule, rule.offset) as object), offset: undefined }));
}

/** The chunked parse's rules and findings are the whole-document parse's (where the whole document has a syntax
 * error, the chunked parse confines it to its item, and must report it too). */
function assertSameAsWholeDocument(text: string): void {
  const options = { fileName: 'a.allowlist.yaml', today: '2026-06-01' };
  const findings = lintText(text, options).findings;
  const wholeFindings = lintText(text, { ...options, wholeDocument: true }).findings;
  const syntaxError = (list: typeof findings): boolean => list.some((finding) => finding.ruleId === 'yaml-syntax' && finding.severity === 'error');
  if (syntaxError(wholeFindings)) {
    assert.ok(syntaxError(findings), JSON.stringify(text));
    return;
  }
  // As JSON: a finding of `parseDocument`'s may carry `fixes: undefined` on one route and none on the other.
  assert.deepEqual(JSON.parse(JSON.stringify(findings)), JSON.parse(JSON.stringify(wholeFindings)), JSON.stringify(text));
  const chunked = parseAllowlist(text, options);
  const whole = parseWhole(text, options.fileName);
  assert.deepEqual(absoluteRules(chunked), absoluteRules(whole), JSON.stringify(text));
  assert.deepEqual({ ...chunked.model, outbound: [], inbound: [] }, { ...whole.model, outbound: [], inbound: [] }, JSON.stringify(text));
}

test('an item ending in a key without a value and a comment line gives the findings of the whole-document parse', () => {
  // `yaml` ends the whole document's item in the next item's indentation; its chunk ends at the line break.
  for (const ending of ['    from:\n    ports:\n      # c\n', '  # c\n    description:\n      # c\n', '      # c\n    to:\n# c\n\n']) {
    assertSameAsWholeDocument(`allowlist: 1\noutbound:\n  - name: a\n${ending}  - name: z\n    to: 192.0.2.3\n    ports: 1\n`);
  }
});

test('scanner: block items read by the scanner give the model and findings of the whole-document parse', () => {
  let scanned = 0;
  let items = 0;
  fc.assert(
    fc.property(fc.array(itemArb, { minLength: 1, maxLength: 3 }), (generated) => {
      const text = `allowlist: 1\noutbound:\n${generated.join('')}inbound:\n- name: in\n  from: 10.0.0.1\n  ports: 22\n`;
      for (const section of scanLayout(text) ?? []) {
        for (const chunk of section.items ?? []) {
          items++;
          if (lexItem(text.slice(chunk.start, chunk.end))) scanned++;
        }
      }
      assertSameAsWholeDocument(text);
    }),
    { seed: 16, numRuns: 1500 },
  );
  // Both routes must be well exercised: the scanner's, and its bail-outs to `parseDocument`.
  assert.ok(scanned > items * 0.25 && scanned < items * 0.9, `the scanner read ${scanned} of ${items} items`);
});

test('scanner: flow items read by the scanner give the model and findings of the whole-document parse', () => {
  let scanned = 0;
  fc.assert(
    fc.property(fc.array(flowItemArb, { minLength: 1, maxLength: 3 }), (generated) => {
      const text = `allowlist: 1\noutbound: [${generated.join(', ')}]\n`;
      for (const chunk of scanLayout(text)?.[1]?.items ?? []) if (lexFlowItem(text.slice(chunk.start, chunk.end))) scanned++;
      assertSameAsWholeDocument(text);
    }),
    { seed: 17, numRuns: 800 },
  );
  assert.ok(scanned > 100, `the scanner read only ${scanned} flow items`);
});

test('scanner: what it reads and where it leaves the item to parseDocument', () => {
  const item = lexItem('  - name: a b  \r\n    to: [x.example ,"y", \'it\'\'s\' ]\n    ports:\n      - 443\n      - "80"\n');
  assert.deepEqual(item, {
    start: 4,
    end: 88,
    entries: [
      { key: { value: 'name', start: 4, end: 8 }, value: { value: 'a b', start: 10, end: 13 } },
      {
        key: { value: 'to', start: 21, end: 23 },
        value: { flow: true, start: 25, end: 51, items: [{ value: 'x.example', start: 26, end: 35 }, { value: 'y', start: 37, end: 40 }, { value: "it's", start: 42, end: 49 }] },
      },
      { key: { value: 'ports', start: 56, end: 61 }, value: { flow: false, start: 69, end: 87, items: [{ value: 443, start: 71, end: 74 }, { value: '80', start: 83, end: 87 }] } },
    ],
  });
  for (const bail of ['- a: 0x1F\n', '- a: 1e3\n', '- a: 443.0\n', '- a: ~\n', '- a: yes # c\n', '- a: b: c\n', '- a: "\\t"\n', '- a:\tb\n', '- null: x\n', '- a: x\n\n', '- a: *x\n', '- a: b\r  c: d\n']) {
    assert.equal(lexItem(bail), undefined, JSON.stringify(bail));
  }
  assert.equal(lexItem('- a: yes\n')?.entries[0].value.start, 5);
  assert.equal(lexFlowItem('{a: [b ,c], d: e}')?.end, 17);
  assert.equal(lexFlowItem('{a: [b: c]}'), undefined);
});

/** A node's value, ranges and style, for comparing the scanner's header nodes with `parseDocument`'s. */
function nodeView(node: unknown): unknown {
  if (isScalar(node)) return { value: node.value, range: node.range };
  if (isMap(node)) return { flow: Boolean(node.flow), range: node.range, pairs: node.items.map((pair) => [nodeView(pair.key), nodeView(pair.value)]) };
  if (isSeq(node)) return { flow: Boolean(node.flow), range: node.range, items: node.items.map(nodeView) };
  return node;
}

const HEADER_ENDS = ['\n', '\n', '\n', '\r\n', '  \n', ' # c\n', '\n\n'];
const headerEndArb = fc.constantFrom(...HEADER_ENDS);
const blockScalarArb = fc
  .tuple(fc.constantFrom('>-', '>', '|', '|-', '>+', '>2', '>- # c'), fc.array(fc.tuple(fc.constantFrom('a b,', 'c: d', '# e', 'f  ', '', 'g\th', "'q'"), fc.constantFrom(2, 2, 2, 3)), { minLength: 1, maxLength: 3 }), fc.boolean())
  .map(([indicator, lines, same]) => `description: ${indicator}\n${lines.map(([line, indent]) => `${' '.repeat(same ? 2 : indent)}${line}\n`).join('')}`);
const vendorValueArb = fc.constantFrom('', ' {}', ' { ticket-system: cloud }', ' {ticket-system: self-hosted,x: y}', ' { a: 1 }', '\n    ticket-system: cloud', '\n    ticket-system:', ' ~', ' [a]', ' { a: b: c }', ' {a: [b]}', ' {}  ');
const vendorsArb = fc
  .array(fc.tuple(fc.constantFrom('helpdesk-buttons', 'a', 'x-y', 'null', '"q"', 'a'), vendorValueArb, headerEndArb), { minLength: 1, maxLength: 3 })
  .map((entries) => `vendors:\n${entries.map(([id, value, end]) => `  ${id}:${value}${end}`).join('')}`);
const exclusionArb = fc
  .tuple(scalarArb, fc.option(flowListArb), fc.constantFrom('    ', '  ', '      '))
  .map(([path, products, indent]) => `${indent}- path: ${path}\n${products === null ? '' : `${indent}  products: ${products}\n`}`);
const endpointArb = fc
  .tuple(fc.oneof(flowListArb, fc.array(scalarArb, { minLength: 1, maxLength: 2 }).map((items) => `\n${items.map((item) => `    - ${item}`).join('\n')}`)), fc.array(exclusionArb, { maxLength: 2 }))
  .map(([products, exclusions]) => `endpoint-protection:\n  products: ${products}\n${exclusions.length ? `  exclusions:\n${exclusions.join('')}` : ''}`);
const headerArb = fc
  .tuple(fc.constantFrom('1', '2', '"1"', '1.0', '~'), scalarArb, fc.oneof(blockScalarArb, scalarArb.map((scalar) => `description: ${scalar}\n`)), vendorsArb, endpointArb, headerEndArb, fc.constantFrom('outbound:', 'outbound:  ', 'outbound: # c'))
  .map(([version, site, description, vendors, endpoint, end, outbound]) => `allowlist: ${version}${end}site: ${site}\n${description}${vendors}${endpoint}${outbound}\n  - name: r\n    to: a.example.com\n    ports: 443\n`);

test('scanner: section heads read by the scanner are the nodes parseDocument composes, and the file the whole document', () => {
  let scanned = 0;
  let heads = 0;
  fc.assert(
    fc.property(headerArb, (text) => {
      for (const section of scanLayout(text) ?? []) {
        const head = text.slice(section.start, sectionHeadEnd(section));
        const pair = lexHeader(head, (RULE_SECTIONS as readonly string[]).includes(section.key));
        heads++;
        if (!pair) continue;
        scanned++;
        const doc = parseDocument(head);
        assert.deepEqual([doc.errors, doc.warnings], [[], []], JSON.stringify(head));
        const parsed = isMap(doc.contents) ? doc.contents.items[0] : undefined;
        assert.deepEqual(nodeView(pair.key), nodeView(parsed?.key), JSON.stringify(head));
        assert.deepEqual(nodeView(pair.value), nodeView(parsed?.value), JSON.stringify(head));
      }
      assertSameAsWholeDocument(text);
    }),
    { seed: 18, numRuns: 600 },
  );
  assert.ok(scanned > heads * 0.3 && scanned < heads * 0.95, `the scanner read ${scanned} of ${heads} section heads`);
});
