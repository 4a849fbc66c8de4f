import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { lintText } from '../../lint';
import { exportRules } from '../rules';
import type { ExportRule, ExportWarning } from '../types';
import { paloalto } from './paloalto';
import { assertGolden, CLI_EDGE, CONTOSO, exportFile, exportText, TODAY } from './golden.test-helpers';

/** A security rule as the parser below reads it. */
interface SecurityRule {
  name: string;
  from: string;
  to: string;
  source: string[];
  destination: string[];
  service: string[];
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,62}$/;
const DESCRIPTION = / description "[^"\\\n]*"$/;
const LIST = String.raw`(\[( [A-Za-z0-9_-]+)+ \]|[A-Za-z0-9_-]+)`;
const ADDRESS = /^set address (\S+) (fqdn [a-z0-9.-]+|ip-netmask [0-9a-f.:/]+) description "[^"\\\n]*"$/;
const GROUP = /^set address-group (\S+) static \[((?: \S+)+) \] description "[^"\\\n]*"$/;
const SERVICE = /^set service (\S+) protocol (tcp|udp) port ([0-9]+(?:-[0-9]+)?(?:,[0-9]+(?:-[0-9]+)?)*) description "[^"\\\n]*"$/;
const RULE = new RegExp(
  String.raw`^set rulebase security rules (\S+) from (\S+) to (\S+) source ${LIST} destination ${LIST} service ${LIST} application any action allow description "[^"\\\n]*"$`,
);

/** Parses the set commands, checking that each is one well-formed command with names within PAN-OS limits and that
 * every name a group or rule uses is defined by an earlier line. */
function parseCommands(text: string): SecurityRule[] {
  assert.ok(text.endsWith('\n'));
  const addresses = new Set<string>();
  const services = new Set<string>();
  const rules: SecurityRule[] = [];
  const members = (list: string) => list.replace(/^\[ | \]$/g, '').split(' ');
  for (const [index, line] of text.slice(0, -1).split('\n').entries()) {
    assert.match(line, DESCRIPTION, `line ${index + 1} ends in one closed description: ${line}`);
    assert.equal((line.match(/"/g) ?? []).length, 2, `line ${index + 1}: quotes balanced`);
    let match: RegExpMatchArray | null;
    if ((match = line.match(ADDRESS))) {
      assert.match(match[1], NAME);
      addresses.add(match[1]);
    } else if ((match = line.match(GROUP))) {
      assert.match(match[1], NAME);
      for (const member of match[2].trim().split(' ')) assert.ok(addresses.has(member), `group member ${member} is defined`);
      addresses.add(match[1]);
    } else if ((match = line.match(SERVICE))) {
      assert.match(match[1], NAME);
      services.add(match[1]);
    } else if ((match = line.match(RULE))) {
      const [, name, from, to, source, , destination, , service] = match;
      assert.match(name, NAME);
      const rule = { name, from, to, source: members(source), destination: members(destination), service: members(service) };
      for (const address of [...rule.source, ...rule.destination]) assert.ok(address === 'any' || addresses.has(address), `address ${address} is defined`);
      for (const used of rule.service) assert.ok(used === 'any' || services.has(used), `service ${used} is defined`);
      rules.push(rule);
    } else {
      assert.fail(`line ${index + 1} is not a set command this export writes: ${line}`);
    }
  }
  return rules;
}

const render = (path: string, options = {}) => exportFile(path, paloalto, options);
const commandsOf = (result: { files: { text: string }[] }) => result.files[0].text;

test('paloalto: golden output for the bundled example and the edge cases', () => {
  assertGolden(paloalto, 'contoso', render(CONTOSO));
  assertGolden(paloalto, 'edge', render(CLI_EDGE));
});

test('paloalto: each line one well-formed set command, names within limits, every referenced name defined first', () => {
  assert.equal(parseCommands(commandsOf(render(CONTOSO))).length, 9);
  assert.equal(parseCommands(commandsOf(render(CLI_EDGE))).length, 9, 'every rule but the one with only wildcards and the one with no address family in common');
});

test('paloalto: addresses by kind, groups for sides of more than one address, a service per protocol', () => {
  const text = commandsOf(render(CLI_EDGE));
  assert.match(text, /^set address web-and-cdn_a_example_com fqdn a\.example\.com description /m);
  assert.match(text, /^set address web-and-cdn_2001_db8___32 ip-netmask 2001:db8::\/32 description /m);
  assert.match(text, /^set service web-and-cdn_tcp protocol tcp port 443,2001-2500 description /m);
  const rules = new Map(parseCommands(text).map((rule) => [rule.name, rule]));
  assert.deepEqual(rules.get('web-and-cdn')!.destination, ['web-and-cdn_dst']);
  assert.deepEqual(rules.get('dns')!.service, ['dns_tcp', 'dns_udp']);
  assert.deepEqual([rules.get('everything-from-the-server')!.destination, rules.get('everything-from-the-server')!.service], [['any'], ['any']]);
  assert.ok(!text.includes('*'), 'no wildcard reaches an FQDN object');
});

test('paloalto: a host named as a rule\'s own objects (dst, tcp) gets an address object of its own, not the group', () => {
  const text = commandsOf(exportText('allowlist: 1\noutbound:\n  - name: r\n    to: [dst, tcp, example.com]\n    ports: 443\n', paloalto));
  const members = /^set address-group r_dst static \[ (.+) \] /m.exec(text)?.[1].split(' ');
  assert.equal(members?.length, 3, text);
  assert.ok(!members!.includes('r_dst'), 'the group is not its own member');
  for (const member of members!) assert.match(text, new RegExp(`^set address ${member} fqdn `, 'm'));
});

test('paloalto: zones from the options, swapped for inbound rules; trust and untrust by default', () => {
  const rules = parseCommands(commandsOf(render(CLI_EDGE, { lanInterface: 'inside', wanInterface: 'outside' })));
  for (const rule of rules) {
    const inbound = ['vendor-api', 'any-to-web'].includes(rule.name);
    assert.deepEqual([rule.from, rule.to], inbound ? ['outside', 'inside'] : ['inside', 'outside'], rule.name);
  }
  assert.deepEqual([parseCommands(commandsOf(render(CLI_EDGE)))[0].from, parseCommands(commandsOf(render(CLI_EDGE)))[0].to], ['trust', 'untrust']);
});

test('paloalto: a warning for each rule with a wildcard (the platform limit and the workaround), notes for inbound rules', () => {
  const warnings = render(CLI_EDGE).warnings;
  const of = (rule: string) => warnings.filter((warning) => warning.rule === rule);
  const says = (list: ExportWarning[], pattern: RegExp, kind: ExportWarning['kind']) => assert.ok(list.some((warning) => pattern.test(warning.message) && warning.kind === kind), `${pattern} ${kind} in ${JSON.stringify(list)}`);
  for (const rule of ['web-and-cdn', 'only-wildcards', 'vendor-api']) says(of(rule), /take no wildcards.*custom URL category/, 'unfaithful');
  says(of('only-wildcards'), /no security rule written/, 'unfaithful');
  for (const rule of ['vendor-api', 'any-to-web']) says(of(rule), /destination NAT/, 'note');
  assert.equal(of('dns').length + of('ntp-udp').length, 0, 'rules it expresses as written get no warning');
});

test('paloalto: same bytes twice; names do not depend on the order of the rules', () => {
  assert.equal(commandsOf(render(CLI_EDGE)), commandsOf(render(CLI_EDGE)));
  const rules = exportRules(lintText(readFileSync(CLI_EDGE, 'utf8'), { fileName: 'edge.allowlist.yaml' }).model, TODAY);
  const renderRules = (list: ExportRule[]) => paloalto.render(list, { options: { today: TODAY, sourceName: 'edge' }, warn: () => undefined })[0].text;
  const names = (text: string) => text.split('\n').map((line) => line.split(' ').slice(0, 5).join(' ')).sort();
  assert.deepEqual(names(renderRules([...rules].reverse())), names(renderRules(rules)));
});

test('paloalto: a hostile rule name or ticket cannot end a string or add a command', () => {
  const file = (name: string, ticket: string) =>
    `allowlist: 1\nsite: t\noutbound:\n  - name: ${JSON.stringify(name)}\n    to: [a.example.com, 192.0.2.1]\n    ports: 443\n    ticket: ${JSON.stringify(ticket)}\n`;
  const plain = commandsOf(exportText(file('plain', 'T1'), paloalto));
  for (const hostile of ['x" \\\nset deviceconfig system hostname evil\n"', 'a\\"; commit\r\n', '-lead', 'tab\there\u001b[2K?']) {
    const text = commandsOf(exportText(file(hostile, hostile), paloalto));
    assert.equal(text.split('\n').length, plain.split('\n').length, `same line count for ${JSON.stringify(hostile)}`);
    assert.equal(parseCommands(text).length, 1);
  }
});
