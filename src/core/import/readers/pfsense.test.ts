import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateAllowlist, seededRandom } from '../../../../test/generate';
import { readerById } from '.';
import { pfsense } from './pfsense';
import { pfsenseFamilyRoundTrip } from './testing.test-helpers';
import { parseXml, XmlError } from './xml';

const fixture = readFileSync(join(__dirname, 'testdata', 'pfsense', 'config.xml'), 'utf8');
const lineOf = (text: string, needle: string) => text.slice(0, text.indexOf(needle)).split('\n').length;
/** The line of the <rule> whose tracker is given. */
const ruleLine = (tracker: string) => lineOf(fixture, `<tracker>${tracker}</tracker>`) - 1;

test('pfsense: registered as a reader', () => {
  assert.equal(readerById('pfsense')?.title, pfsense.title);
});

test('pfsense: pass rules with nested host/network aliases, a port alias with a range, CDATA and entities', () => {
  const { rules } = pfsense.read(fixture, {});
  assert.deepEqual(rules[0], {
    direction: 'outbound',
    name: 'vendor-web',
    description: 'vendor-web; ticket CHG-42',
    ticket: 'CHG-42',
    to: ['203.0.113.0/24', 'api.example.com', '198.51.100.7', '2001:db8::7'],
    ports: [80, 443, '2001-2500'],
    protocol: 'tcp',
    line: ruleLine('1700000001'),
  });
  assert.deepEqual(rules[1], {
    direction: 'outbound',
    name: '"voice" & video <v6>',
    from: ['any'],
    to: ['2001:db8:53::/48'],
    ports: ['2001-2500'],
    protocol: 'udp',
    line: ruleLine('1700000002'),
  });
  assert.deepEqual(rules[2], {
    direction: 'inbound',
    name: 'partner-in',
    from: ['198.51.100.0/24'],
    to: ['192.0.2.10'],
    ports: [443],
    protocol: 'any',
    line: ruleLine('1700000003'),
  });
  assert.equal(rules.length, 3);
});

test('pfsense: block, disabled, floating, ICMP, inverted, cyclic-alias and other-interface rules are problems on their lines', () => {
  const { problems } = pfsense.read(fixture, {});
  const expect: [string, RegExp][] = [
    ['1700000004', /block rule: an allowlist only allows, it has no deny rules/],
    ['1700000005', /disabled/],
    ['1700000006', /floating rule/],
    ['1700000007', /protocol "icmp" is not TCP or UDP/],
    ['1700000008', /<not\/>/],
    ['1700000009', /contains itself/],
    ['1700000010', /interface "opt1" is neither the LAN \(lan\) nor the WAN \(wan\)/],
  ];
  assert.equal(problems.length, expect.length, JSON.stringify(problems, null, 1));
  for (const [index, [tracker, message]] of expect.entries()) {
    assert.equal(problems[index].line, ruleLine(tracker));
    assert.equal(problems[index].kind, 'skipped');
    assert.match(problems[index].message, message);
  }
});

test('pfsense: interface names from the options; policies filter by description or tracker', () => {
  const opt1 = pfsense.read(fixture, { lanInterface: 'opt1', policies: ['dmz web', '1700000003'] });
  assert.deepEqual(opt1.rules.map((rule) => [rule.name, rule.direction]), [['partner-in', 'inbound'], ['dmz web', 'outbound']]);
  assert.deepEqual(opt1.problems.map((problem) => [problem.line, problem.kind]), [[ruleLine('1700000010'), 'partial']]);
  assert.match(opt1.problems[0].message, /IPv4 only, but "any" allows both/);
});

test('pfsense: URL table aliases, address-family-only any rules and source ports are reported', () => {
  const config = `<pfsense><aliases><alias><name>Feed</name><type>urltable</type><address></address></alias></aliases><filter>
<rule><type>pass</type><interface>lan</interface><protocol>tcp</protocol><source><any/></source><destination><address>Feed</address></destination><descr>feed</descr></rule>
<rule><type>pass</type><interface>lan</interface><ipprotocol>inet6</ipprotocol><protocol>tcp</protocol><source><any/><port>1024-65535</port></source><destination><any/><port>443</port></destination><descr>v6 web</descr></rule>
</filter></pfsense>`;
  const { rules, problems } = pfsense.read(config, {});
  assert.deepEqual(rules.map((rule) => rule.name), ['v6 web']);
  assert.deepEqual(problems.map((problem) => [problem.line, problem.kind]), [[2, 'skipped'], [3, 'partial'], [3, 'partial']]);
  assert.match(problems[0].message, /URL table/);
  assert.match(problems[1].message, /source port/);
  assert.match(problems[2].message, /IPv6 only/);
});

test('pfsense: a DOCTYPE with entities is refused, not expanded (billion laughs)', () => {
  const laughs = `<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>\n<pfsense><filter/></pfsense>`;
  const { rules, problems } = pfsense.read(laughs, {});
  assert.deepEqual(rules, []);
  assert.deepEqual(problems.map((problem) => problem.line), [2]);
  assert.match(problems[0].message, /DOCTYPE/);
  assert.throws(() => parseXml('<a>&lol;</a>'), XmlError);
});

test('pfsense: the XML reader keeps lines, decodes references and rejects what is not well-formed', () => {
  const root = parseXml('<?xml version="1.0"?>\n<!-- c -->\n<a x="1 &amp; 2">\n <b>&#65;&#x42;<![CDATA[<&>]]></b>\n</a>');
  assert.equal(root.attributes.x, '1 & 2');
  assert.equal(root.children[0].line, 4);
  assert.equal(root.children[0].text, 'AB<&>');
  for (const [bad, line] of [['<a>\n<b></a>', 2], ['<a>\n\n<b>', 3], ['<a>x & y</a>', 1], ['<a></a><b/>', 1], ['text', 1], ['<a x=1/>', 1]] as const) {
    assert.throws(() => parseXml(bad), (error: unknown) => error instanceof XmlError && error.line === line, bad);
  }
});

test('pfsense: garbage, truncated configs and deep or wide alias nesting give results or problems, never a throw', () => {
  const random = seededRandom(7);
  for (let round = 0; round < 200; round++) {
    const bytes = Array.from({ length: 1 + Math.floor(random() * 200) }, () => String.fromCharCode(Math.floor(random() * 256))).join('');
    const result = pfsense.read(bytes, {});
    assert.ok(Array.isArray(result.rules) && Array.isArray(result.problems));
  }
  for (let cut = 0; cut < fixture.length; cut += 97) {
    const result = pfsense.read(fixture.slice(0, cut), {});
    assert.ok(result.rules.length > 0 || result.problems.length > 0, `cut at ${cut}`);
  }
  // Aliases each holding the next one twice: 2^depth paths, each alias expanded once.
  const nested = (depth: number) => {
    const aliases = Array.from({ length: depth }, (_, index) => `<alias><name>A${index}</name><type>host</type><address>${index === depth - 1 ? '192.0.2.1' : `A${index + 1} A${index + 1} 10.0.${index % 250}.${index % 200}`}</address></alias>`);
    return `<pfsense><aliases>${aliases.join('\n')}</aliases><filter><rule><type>pass</type><interface>lan</interface><protocol>tcp</protocol><destination><address>A0</address><port>443</port></destination></rule></filter></pfsense>`;
  };
  const { rules } = pfsense.read(nested(100), {});
  assert.equal(rules.length, 1);
  assert.ok(rules[0].to.includes('192.0.2.1'));
  assert.match(pfsense.read(nested(50_000), {}).problems[0].message, /nested more than 100 deep/);
  const wide = `<pfsense><aliases><alias><name>Big</name><type>network</type><address>${Array.from({ length: 10_001 }, (_, index) => `10.${index >> 8}.${index & 255}.0/32`).join(' ')}</address></alias></aliases><filter><rule><type>pass</type><interface>lan</interface><destination><address>Big</address></destination></rule></filter></pfsense>`;
  assert.match(pfsense.read(wide, {}).problems[0].message, /more than 10000 entries/);
});

// ---- Round trip: the pfsense export of an allowlist reads back to the same reach.

const roundTrip = (text: string, fileName: string) => pfsenseFamilyRoundTrip(pfsense, text, fileName, (files) => files[0].text);

test('pfsense: round trip of examples/contoso.allowlist.yaml through the pfsense export', () => {
  const path = join(__dirname, '..', '..', '..', '..', 'examples', 'contoso.allowlist.yaml');
  assert.ok(roundTrip(readFileSync(path, 'utf8'), 'contoso.allowlist.yaml') > 5);
});

test('pfsense: round trip of generated allowlists through the pfsense export', () => {
  for (const seed of [1, 2, 3]) assert.ok(roundTrip(generateAllowlist({ rules: 60, seed, inboundShare: 0.2 }), `generated-${seed}.allowlist.yaml`) > 30);
});

test('pfsense: an alias in an IPv4-only rule reads as its host names and IPv4 entries (pfSense matches only those)', () => {
  const config = `<pfsense><aliases><alias><name>Mixed</name><type>host</type><address>api.example.com 198.51.100.7 2001:db8::7</address></alias></aliases>
<filter><rule><type>pass</type><interface>lan</interface><ipprotocol>inet</ipprotocol><protocol>tcp</protocol><source><network>lan</network></source><destination><address>Mixed</address><port>443</port></destination><descr>mixed</descr></rule></filter></pfsense>`;
  assert.deepEqual(pfsense.read(config, {}).rules[0].to, ['api.example.com', '198.51.100.7']);
  const undefinedAlias = pfsense.read(config.replace('<address>Mixed</address>', '<address>Missing_alias</address>'), {});
  assert.deepEqual(undefinedAlias.rules, []);
  assert.match(undefinedAlias.problems[0].message, /the alias "Missing_alias", which is not defined/);
});
