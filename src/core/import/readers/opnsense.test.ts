import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateAllowlist, seededRandom } from '../../../../test/generate';
import { exportAllowlist, targetById } from '../../export';
import { lintText } from '../../lint';
import { readerById, READERS } from '.';
import { opnsense } from './opnsense';
import { pfsenseFamilyRoundTrip } from './testing.test-helpers';

const testdata = join(__dirname, 'testdata', 'opnsense');
const fixture = readFileSync(join(testdata, 'config.xml'), 'utf8');
const legacy = readFileSync(join(testdata, 'legacy-config.xml'), 'utf8');
const CONTOSO = join(__dirname, '..', '..', '..', '..', 'examples', 'contoso.allowlist.yaml');
const lineOf = (text: string, needle: string) => text.slice(0, text.indexOf(needle)).split('\n').length;
/** The line of the classic rule (`0b6d…`) or automation rule (`5c9d…`) whose uuid ends in `suffix`. */
const classicLine = (suffix: string) => lineOf(fixture, `<rule uuid="0b6d2c2e-1111-4c6e-9f00-0000000000${suffix}">`);
const automationLine = (suffix: string) => lineOf(fixture, `<rule uuid="5c9d4e21-3333-4f2b-a100-0000000000${suffix}">`);

test('opnsense: registered as a reader, after pfsense', () => {
  assert.equal(readerById('opnsense')?.title, opnsense.title);
  assert.deepEqual(READERS.map((reader) => reader.id).slice(1, 3), ['pfsense', 'opnsense']);
});

test('opnsense: classic rules with nested host aliases, a network group, a port alias with a 1000:2000 range, IPv6, a 1000-2000 range and entities', () => {
  const { rules } = opnsense.read(fixture, {});
  assert.deepEqual(rules[0], {
    direction: 'outbound',
    name: 'vendor-web',
    description: 'vendor-web; ticket CHG-42',
    ticket: 'CHG-42',
    to: ['api.example.com', '198.51.100.7', '2001:db8::7', '192.0.2.80'],
    ports: [80, 443, '1000-2000'],
    protocol: 'tcp',
    line: classicLine('01'),
  });
  assert.deepEqual(rules[1], {
    direction: 'outbound',
    name: '"voice" & video <v6>',
    from: ['any'],
    to: ['2001:db8:53::/48'],
    ports: ['1000-2000'],
    protocol: 'udp',
    line: classicLine('02'),
  });
  // The network group's IPv6 network is left out: the rule is IPv4 only.
  assert.deepEqual(rules[2], {
    direction: 'inbound',
    name: 'partner-in',
    from: ['203.0.113.0/24', '198.51.100.0/24'],
    to: ['192.0.2.10'],
    ports: [443],
    protocol: 'any',
    line: classicLine('03'),
  });
});

test('opnsense: automation rules (<OPNsense><Firewall><Filter>): several destinations, TCP/UDP, a source port; a schedule', () => {
  const { rules, problems } = opnsense.read(fixture, {});
  assert.deepEqual(rules.slice(3), [
    {
      direction: 'outbound',
      name: 'api sync',
      description: 'api sync; ticket CHG-7',
      ticket: 'CHG-7',
      to: ['api.example.com', '198.51.100.7', '192.0.2.80', '198.51.100.0/24'],
      ports: ['1000-2000'],
      protocol: 'any',
      line: automationLine('01'),
    },
    { direction: 'inbound', name: 'mail in', from: ['any'], to: ['192.0.2.25'], ports: [25], protocol: 'tcp', line: automationLine('02') },
  ]);
  const partial = problems.filter((problem) => problem.kind === 'partial');
  assert.deepEqual(partial.map((problem) => problem.line), [classicLine('03'), automationLine('02')]);
  assert.match(partial[0].message, /OPNsense rule "partner-in": it applies only on the schedule "WorkHours"/);
  assert.match(partial[1].message, /OPNsense automation rule "mail in": its source port is left out/);
});

test('opnsense: block, disabled, floating, inverted, URL, GeoIP, looping, outgoing, excluding and disabled-alias rules are problems on their lines', () => {
  const { problems } = opnsense.read(fixture, {});
  const expect: [number, RegExp][] = [
    [classicLine('04'), /block rule: an allowlist only allows/],
    [classicLine('05'), /"old ssh": skipped, because it is disabled/],
    [classicLine('06'), /floating rule/],
    [classicLine('07'), /inverts a side \(<not\/>\)/],
    [classicLine('08'), /the alias Feed is a URL table/],
    [classicLine('09'), /the alias Countries is a GeoIP alias/],
    [classicLine('10'), /contains itself/],
    [classicLine('11'), /traffic leaving its interface \(direction out\)/],
    [classicLine('12'), /the entry "!192.0.2.21" excludes addresses/],
    [automationLine('03'), /inverts a side \(destination_not\)/],
    [automationLine('04'), /"rdp, switched off": skipped, because it is disabled/],
    [automationLine('05'), /the alias Old_servers is disabled/],
  ];
  const skipped = problems.filter((problem) => problem.kind === 'skipped');
  assert.equal(skipped.length, expect.length, JSON.stringify(skipped, null, 1));
  for (const [index, [line, message]] of expect.entries()) {
    assert.equal(skipped[index].line, line, skipped[index].message);
    assert.match(skipped[index].message, message);
  }
});

test('opnsense: interface names from the options; policies filter by name, description or uuid', () => {
  const swapped = opnsense.read(fixture, { lanInterface: 'wan', wanInterface: 'lan', policies: ['partner-in', '5c9d4e21-3333-4f2b-a100-000000000002', 'vendor-web; ticket CHG-42'] });
  assert.deepEqual(swapped.rules.map((rule) => [rule.name, rule.direction]), [['partner-in', 'outbound'], ['mail in', 'outbound']]);
  // vendor-web's source is the LAN network ("lan"), which is no longer the LAN interface's.
  assert.deepEqual(swapped.problems.map((problem) => [problem.line, problem.kind]), [[classicLine('01'), 'skipped'], [classicLine('03'), 'partial'], [automationLine('02'), 'partial']]);
  assert.match(swapped.problems[0].message, /the network "lan", which is not the LAN interface's/);
  const opt1 = opnsense.read(fixture, { lanInterface: 'opt1', policies: ['vendor-web'] });
  assert.match(opt1.problems[0].message, /interface "lan" is neither the LAN \(opt1\) nor the WAN \(wan\) interface/);
});

test('opnsense: an older config.xml keeps its aliases in <aliases>, entries separated by spaces', () => {
  assert.deepEqual(opnsense.read(legacy, {}), {
    rules: [{ direction: 'inbound', name: 'web in', from: ['any'], to: ['192.0.2.10', '192.0.2.11', '192.0.2.12'], ports: [80, 443, '8000-8080'], protocol: 'tcp', line: lineOf(legacy, '<rule>') }],
    problems: [],
  });
});

test('opnsense: a pfSense config.xml, a file without rules and a rule every interface but one are told apart', () => {
  assert.match(opnsense.read('<pfsense><filter/></pfsense>', {}).problems[0].message, /not <opnsense>.*--from pfsense/);
  assert.match(opnsense.read('<opnsense><system/></opnsense>', {}).problems[0].message, /neither a <filter> section nor automation rules/);
  const everyButLan = '<opnsense><OPNsense><Firewall><Filter><rules><rule><interface>lan</interface><interfacenot>1</interfacenot><protocol>TCP</protocol><destination_net>any</destination_net><destination_port>443</destination_port><description>x</description></rule></rules></Filter></Firewall></OPNsense></opnsense>';
  assert.match(opnsense.read(everyButLan, {}).problems[0].message, /every interface but "lan", so its direction cannot be told/);
  // An automation rule without an interface applies to all of them.
  assert.match(opnsense.read(everyButLan.replace('<interface>lan</interface><interfacenot>1</interfacenot>', ''), {}).problems[0].message, /floating rule/);
});

test("opnsense: a port given as one of OPNsense's well-known service names is its port; another name is a problem", () => {
  const automation = (ports: string, aliases = '') =>
    `<opnsense><OPNsense><Firewall><Alias><aliases>${aliases}</aliases></Alias><Filter><rules><rule><interface>lan</interface><protocol>TCP</protocol><destination_net>192.0.2.1</destination_net><destination_port>${ports}</destination_port><description>web</description></rule></rules></Filter></Firewall></OPNsense></opnsense>`;
  assert.deepEqual(opnsense.read(automation('https'), {}).rules.map((rule) => rule.ports), [[443]]);
  assert.deepEqual(opnsense.read(automation('HTTPS'), {}).rules.map((rule) => rule.ports), [[443]]);
  const alias = '<alias><name>mail_ports</name><type>port</type><enabled>1</enabled><content>smtp\nsubmission\n993</content></alias>';
  assert.deepEqual(opnsense.read(automation('mail_ports', alias), {}).rules.map((rule) => rule.ports), [[25, 587, 993]]);
  const unknown = opnsense.read(automation('gopher'), {});
  assert.deepEqual(unknown.rules, []);
  assert.match(unknown.problems[0].message, /the port "gopher" is not a port or range/);
});

// ---- The export's JSON: its aliases file and its rules file, one after the other in one file.

function exportFiles(text: string, fileName: string) {
  return exportAllowlist(lintText(text, { fileName }).model, targetById('opnsense')!, { sourceName: fileName, today: '2026-01-01' }).files;
}

test('opnsense: round trip of examples/contoso.allowlist.yaml through the opnsense export (aliases file, then rules file)', () => {
  const compared = pfsenseFamilyRoundTrip(opnsense, readFileSync(CONTOSO, 'utf8'), 'contoso.allowlist.yaml', (files) => files.map((file) => file.text).join(''));
  assert.ok(compared > 5, `${compared}`);
});

test('opnsense: round trip of generated allowlists through the opnsense export, the two files in either order', () => {
  for (const seed of [1, 2, 3]) {
    const text = generateAllowlist({ rules: 60, seed, inboundShare: 0.2 });
    const aliasesFirst = pfsenseFamilyRoundTrip(opnsense, text, `generated-${seed}.allowlist.yaml`, (files) => files.map((file) => file.text).join(''));
    const rulesFirst = pfsenseFamilyRoundTrip(opnsense, text, `generated-${seed}.allowlist.yaml`, (files) => files.map((file) => file.text).reverse().join('\n'));
    assert.ok(aliasesFirst > 30 && rulesFirst === aliasesFirst, `${aliasesFirst} ${rulesFirst}`);
  }
});

test('opnsense: the export JSON: each rule on the line of its request; the rules file alone says the aliases are missing', () => {
  const files = exportFiles(readFileSync(CONTOSO, 'utf8'), 'contoso.allowlist.yaml');
  const rulesFile = files.find((file) => file.name === 'opnsense-filter-rules.json')!.text;
  const both = files.map((file) => file.text).join('');
  const lines = both.split('\n');
  const { rules } = opnsense.read(both, {});
  assert.ok(rules.length > 5);
  for (const rule of rules) {
    assert.equal(lines[rule.line - 1].trim(), '{', `${rule.name}: line ${rule.line}`);
    const description = lines.slice(rule.line).find((line) => line.includes('"description"'))!;
    assert.ok(description.includes(JSON.stringify(rule.name).slice(1, -1)), `${rule.name}: ${description}`);
  }
  const alone = opnsense.read(rulesFile, {});
  assert.ok(alone.problems.some((problem) => /rules name aliases, but the file has none: concatenate both files/.test(problem.message)));
  assert.ok(alone.problems.some((problem) => /which is not defined/.test(problem.message)));
  const aliasesAlone = opnsense.read(files[0].text, {});
  assert.deepEqual(aliasesAlone.rules, []);
  assert.match(aliasesAlone.problems[0].message, /no rules \("requests"\)/);
});

test('opnsense: JSON that is not the export\'s is one problem on its line, never a throw', () => {
  const cases: [string, number, RegExp][] = [
    ['{"aliases": {"alias": {}}}\n\n{"something": 1}', 3, /neither the export's aliases/],
    ['{"requests": [\n{"rule": {"interface": {"lan": 1}}}]}', 2, /interface are not text/],
    ['{"requests": [{"rule": {}}]}\n]', 2, /outside a JSON object/],
    ['{"requests": [\n{"rule": ', 1, /truncated/],
    ['{"requests": [}', 1, /truncated/],
    ['{"a": 1,}', 1, /JSON/],
  ];
  for (const [text, line, message] of cases) {
    const { rules, problems } = opnsense.read(text, {});
    assert.deepEqual(rules, [], text);
    assert.equal(problems[0]?.line, line, text);
    assert.match(problems[0].message, message, text);
  }
});

test('opnsense: garbage, truncated configs and exports, and deep nesting give results or problems, never a throw', () => {
  const random = seededRandom(11);
  for (let round = 0; round < 200; round++) {
    const bytes = (round % 2 ? '{' : '') + Array.from({ length: 1 + Math.floor(random() * 200) }, () => String.fromCharCode(Math.floor(random() * 256))).join('');
    const result = opnsense.read(bytes, {});
    assert.ok(Array.isArray(result.rules) && Array.isArray(result.problems));
  }
  const exported = exportFiles(readFileSync(CONTOSO, 'utf8'), 'contoso.allowlist.yaml').map((file) => file.text).join('');
  for (const text of [fixture, exported]) {
    for (let cut = 0; cut < text.length; cut += 89) {
      const result = opnsense.read(text.slice(0, cut), {});
      assert.ok(result.rules.length > 0 || result.problems.length > 0, `cut at ${cut}`);
    }
  }
  const deep = 200_000;
  assert.equal(opnsense.read(`{"requests": ${'['.repeat(deep)}${']'.repeat(deep)}}`, {}).problems.length, 1);
  assert.equal(opnsense.read(`<opnsense>${'<a>'.repeat(deep)}${'</a>'.repeat(deep)}</opnsense>`, {}).problems.length, 1);
  const aliases = Array.from({ length: 5_000 }, (_, index) => `<alias><enabled>1</enabled><name>A${index}</name><type>host</type><content>A${index + 1}\nA${index + 1}</content></alias>`);
  const chain = `<opnsense><filter><rule><type>pass</type><interface>lan</interface><destination><address>A0</address></destination></rule></filter><OPNsense><Firewall><Alias><aliases>${aliases.join('')}</aliases></Alias></Firewall></OPNsense></opnsense>`;
  assert.match(opnsense.read(chain, {}).problems[0].message, /nested more than 100 deep/);
});
