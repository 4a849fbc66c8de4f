import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateAllowlist, seededRandom } from '../../../../test/generate';
import { exportAllowlist, exportRules, type ExportEndpoints, type ExportRule, targetById } from '../../export';
import { lintText } from '../../lint';
import type { ImportedRule, ImportResult } from '../types';
import { fortigate } from './fortigate';

const FIXTURE = readFileSync(join(__dirname, 'testdata/fortigate/branch.conf'), 'utf8');
const CONTOSO = join(__dirname, '../../../../examples/contoso.allowlist.yaml');
const TODAY = '2026-12-02';

const byName = (result: ImportResult, name: string) => result.rules.find((rule) => rule.name === name);
const problemsAt = (result: ImportResult, line: number) => result.problems.filter((problem) => problem.line === line);
const policyLine = (id: number) => FIXTURE.split('\n').indexOf(`    edit ${id}`) + 1;

test('addresses: nested groups, fqdn and wildcards (type fqdn and wildcard-fqdn), ranges to the networks covering them exactly; geography is a problem', () => {
  const result = fortigate.read(FIXTURE, {});
  const rule = byName(result, 'Vendor cloud');
  assert.deepEqual(rule, {
    direction: 'outbound',
    name: 'Vendor cloud',
    description: 'Vendor cloud; ticket CHG-1001 "urgent" C:\\temp',
    ticket: 'CHG-1001 "urgent" C:\\temp',
    to: ['api.vendor.example', '*.vendor.example', '198.51.100.10/31', '198.51.100.12/30', '198.51.100.16/31', '*.legacy.example'],
    ports: [443, '2001-2500'],
    protocol: 'tcp',
    line: policyLine(1),
  });
  const messages = problemsAt(result, policyLine(1)).map((problem) => `${problem.kind}: ${problem.message}`);
  assert.ok(messages.some((message) => /^partial: .*"Blocked countries".*geography.*KP/.test(message)), messages.join('\n'));
  assert.ok(messages.some((message) => /^partial: .*source ports 1024-65535 of "2001-2500:1024-65535"/.test(message)), messages.join('\n'));
});

test('quoted names with escaped quotes, a subnet written /len, IPv6 prefix and range, the ALL service', () => {
  const rule = byName(fortigate.read(FIXTURE, {}), 'Backups');
  assert.deepEqual(rule?.to, ['203.0.113.10', '192.0.2.0/24', '198.51.100.64/26', '2001:db8:10::/48', '2001:db8::1', '2001:db8::2']);
  assert.equal(rule?.from, undefined, 'srcaddr6 "all": the whole site');
  assert.equal(rule?.ports, 'any');
  assert.equal(rule?.protocol, 'any');
});

test('services: the same ports on TCP and UDP are one rule of protocol any; different ones a rule per protocol; ICMP and schedules are problems', () => {
  const result = fortigate.read(FIXTURE, {});
  assert.deepEqual(byName(result, 'DNS out'), { direction: 'outbound', name: 'DNS out', from: ['10.10.0.0/24'], to: ['any'], ports: [53], protocol: 'any', line: policyLine(3) });
  assert.deepEqual(byName(result, 'Voice-tcp')?.ports, [443, '2001-2500', 8080]);
  assert.deepEqual(byName(result, 'Voice-udp')?.ports, ['5060-5061']);
  assert.equal(byName(result, 'Voice'), undefined);
  const messages = problemsAt(result, policyLine(4)).map((problem) => problem.message).join('\n');
  assert.match(messages, /schedule "business-hours"/);
  assert.match(messages, /"PING".*protocol ICMP/);
  assert.match(messages, /source ports 5000 of "8080:5000"/);
});

test('deny and disabled policies, and a policy whose direction cannot be told, are skipped with a problem; unset removes a setting', () => {
  const result = fortigate.read(FIXTURE, {});
  for (const [id, pattern] of [[5, /no deny rules/], [6, /disabled/], [8, /direction cannot be told.*"dmz"/]] as const) {
    const problems = problemsAt(result, policyLine(id));
    assert.equal(problems.length, 1, `policy ${id}`);
    assert.equal(problems[0].kind, 'skipped');
    assert.match(problems[0].message, pattern);
  }
  assert.equal(result.rules.filter((rule) => rule.line === policyLine(5) || rule.line === policyLine(6) || rule.line === policyLine(8)).length, 0);
  const portal = byName(result, 'Portal in');
  assert.equal(portal?.direction, 'inbound');
  assert.deepEqual(portal?.from, ['10.10.0.0/24'], 'the group loop is followed once');
  const portalProblems = problemsAt(result, policyLine(7));
  assert.equal(portalProblems.length, 1, 'the unset schedule is "always" again');
  assert.match(portalProblems[0].message, /"loop a" contains itself/);
});

test('--lan-interface/--wan-interface and --policy', () => {
  const dmz = fortigate.read(FIXTURE, { lanInterface: 'dmz', policies: ['DMZ', '3'] });
  assert.deepEqual(dmz.rules.map((rule) => rule.name), ['DMZ']);
  assert.ok(dmz.problems.some((problem) => problem.line === policyLine(3) && /direction cannot be told/.test(problem.message)));
});

test('a multi-VDOM backup: the objects of each VDOM and policies apart, ids and names used again; no policies is a problem', () => {
  const vdom = (name: string, subnet: string) =>
    `    edit ${name}\n        config firewall address\n            edit "server"\n                set subnet ${subnet} 255.255.255.255\n            next\n        end\n        config firewall policy\n            edit 1\n                set name "${name}-out"\n                set srcintf "internal"\n                set dstintf "wan1"\n                set action accept\n                set srcaddr "all"\n                set dstaddr "server"\n                set service "ALL"\n            next\n        end\n    next\n`;
  const text = `config vdom\n    edit root\n    next\n    edit branch\n    next\nend\nconfig global\nend\nconfig vdom\n${vdom('root', '192.0.2.1')}${vdom('branch', '192.0.2.2')}end\n`;
  const result = fortigate.read(text, {});
  assert.deepEqual(result.rules.map((rule) => `${rule.name} ${rule.to.join(' ')}`), ['root-out 192.0.2.1', 'branch-out 192.0.2.2']);
  assert.deepEqual(result.problems, []);
  const empty = fortigate.read('#config-version=FGT60F-7.2.5\nconfig system global\n    set hostname "fw"\nend\n', {});
  assert.deepEqual(empty.rules, []);
  assert.match(empty.problems[0].message, /nothing to import/);
});

test('a truncated configuration is a problem; garbage, truncations and random bytes never throw', () => {
  const cut = FIXTURE.slice(0, FIXTURE.indexOf('    edit 4'));
  const result = fortigate.read(cut, {});
  assert.ok(result.problems.some((problem) => /truncated/.test(problem.message)));
  assert.ok(byName(result, 'DNS out'));
  const random = seededRandom(7);
  const alphabet = 'config edit set next end "\\\'#\n firewall policy address addrgrp member srcaddr 0123456789.:/-';
  for (let round = 0; round < 200; round++) {
    const bytes = Array.from({ length: 1 + Math.floor(random() * 400) }, () => (random() < 0.5 ? String.fromCharCode(Math.floor(random() * 256)) : alphabet[Math.floor(random() * alphabet.length)])).join('');
    assert.doesNotThrow(() => fortigate.read(bytes, {}));
  }
  for (let end = 0; end < FIXTURE.length; end += 97) assert.doesNotThrow(() => fortigate.read(FIXTURE.slice(0, end), {}));
});

test('nested groups that double at every level, and one too wide, stay bounded with a problem', () => {
  const levels = Array.from({ length: 60 }, (_, level) => `    edit "g${level}"\n        set member "g${level + 1}" "g${level + 1}"\n    next\n`).join('');
  const wide = `    edit "wide"\n        set member ${Array.from({ length: 10_050 }, (_, index) => `"h${index}"`).join(' ')}\n    next\n`;
  const hosts = Array.from({ length: 10_050 }, (_, index) => `    edit "h${index}"\n        set subnet 10.${index >> 8}.${index & 255}.0 255.255.255.0\n    next\n`).join('');
  const text = `config firewall address\n    edit "g60"\n        set subnet 192.0.2.1 255.255.255.255\n    next\n${hosts}end\nconfig firewall addrgrp\n${levels}${wide}end\nconfig firewall policy\n    edit 1\n        set srcintf "internal"\n        set dstintf "wan1"\n        set action accept\n        set srcaddr "g0"\n        set dstaddr "wide"\n        set service "ALL"\n    next\nend\n`;
  const result = fortigate.read(text, {});
  assert.deepEqual(result.rules[0].from, ['192.0.2.1']);
  assert.equal(result.rules[0].to.length, 10_000);
  assert.ok(result.problems.some((problem) => /"wide".*more than 10000/.test(problem.message)));
});

test('groups nested 20,000 deep are a problem, not a stack overflow', () => {
  const chain = Array.from({ length: 20_000 }, (_, level) => `    edit "d${level}"\n        set member "d${level + 1}"\n    next\n`).join('');
  const text = `config firewall address\n    edit "d20000"\n        set subnet 192.0.2.1 255.255.255.255\n    next\nend\nconfig firewall addrgrp\n${chain}end\nconfig firewall policy\n    edit 1\n        set srcintf "internal"\n        set dstintf "wan1"\n        set action accept\n        set srcaddr "all"\n        set dstaddr "d0"\n        set service "ALL"\n    next\nend\n`;
  const result = fortigate.read(text, {});
  assert.ok(result.problems.some((problem) => /nested more than 100 deep/.test(problem.message)), result.problems.map((problem) => problem.message).join('\n'));
});

/** A rule's reach as (direction, from, to, protocol, ports) strings, one per address pair and port span. */
function reach(direction: string, from: string[], to: string[], protocol: string, ports: string[]): string[] {
  return from.flatMap((source) => to.flatMap((destination) => ports.map((port) => `${direction} ${source} > ${destination} ${protocol}/${port}`))).sort();
}

/** What the FortiOS policy of an exported rule allows: addresses of an IP version found on both sides (FortiOS pairs
 * IPv4 with IPv4 and IPv6 with IPv6; names are IPv4 address objects), `any` where a side has no condition. */
function exportedReach(rule: ExportRule): string[] {
  const family = (side: ExportEndpoints, version: 4 | 6) => (version === 4 ? [...side.hosts, ...side.wildcards.map((base) => `*.${base}`), ...side.ipv4] : side.ipv6);
  const versions = ([4, 6] as const).filter((version) => (rule.from.any || family(rule.from, version).length > 0) && (rule.to.any || family(rule.to, version).length > 0));
  if (versions.length === 0) return [];
  const side = (endpoints: ExportEndpoints, whole: string) => (endpoints.any ? [whole] : versions.flatMap((version) => family(endpoints, version)));
  const ports = rule.ports === 'any' ? ['any'] : rule.ports.map(({ from, to }) => `${from}-${to}`);
  return reach(rule.direction, side(rule.from, rule.direction === 'outbound' ? 'site' : 'any'), side(rule.to, 'any'), rule.protocol, ports);
}

function importedReach(rule: ImportedRule): string[] {
  const ports = rule.ports === 'any' ? ['any'] : rule.ports.map((port) => (typeof port === 'number' ? `${port}-${port}` : port));
  return reach(rule.direction, rule.from ?? ['site'], rule.to, rule.protocol, ports);
}

function assertRoundTrip(text: string, fileName: string): number {
  const model = lintText(text, { fileName }).model;
  const script = exportAllowlist(model, targetById('fortigate')!, { today: TODAY }).files[0].text;
  const result = fortigate.read(script, {});
  assert.deepEqual(result.problems, [], 'the export reads back without problems');
  const imported = new Map<string, string[]>();
  // The export writes the rule's name first in the policy's comments, and the reader names the rule from it.
  for (const rule of result.rules) imported.set(rule.name, [...(imported.get(rule.name) ?? []), ...importedReach(rule)].sort());
  let compared = 0;
  for (const rule of exportRules(model, TODAY)) {
    const expected = exportedReach(rule);
    assert.deepEqual(imported.get(rule.name) ?? [], expected, `rule ${rule.name} (line ${rule.line})`);
    if (expected.length > 0) compared++;
  }
  assert.equal(imported.size, result.rules.length);
  return compared;
}

test('round trip: the export of contoso reads back to the same reach, rule by rule', () => {
  assert.ok(assertRoundTrip(readFileSync(CONTOSO, 'utf8'), 'contoso.allowlist.yaml') > 5);
});

test('round trip: generated allowlists (outbound and inbound, ranges, UDP) read back to the same reach', () => {
  for (const seed of [1, 2, 3]) assert.ok(assertRoundTrip(generateAllowlist({ rules: 60, seed, inboundShare: 0.3 }), `generated-${seed}.allowlist.yaml`) > 40);
});

test('an iprange or subnet over the whole family is its /0 (an address object holds no IPv6 address), but `all` is any; a range of another family than its table is a problem', () => {
  const policy = (address: string) => `config firewall policy\n    edit 1\n        set srcintf "internal"\n        set dstintf "wan1"\n        set action accept\n        set srcaddr "all"\n        set dstaddr "${address}"\n        set service "ALL"\n    next\nend\n`;
  const range = (start: string, end: string) => `config firewall address\n    edit "r"\n        set type iprange\n        set start-ip ${start}\n        set end-ip ${end}\n    next\nend\n${policy('r')}`;
  assert.deepEqual(fortigate.read(range('0.0.0.0', '255.255.255.255'), {}).rules[0]?.to, ['0.0.0.0/0']);
  const subnet = (name: string) => `config firewall address\n    edit "${name}"\n        set subnet 0.0.0.0 0.0.0.0\n    next\nend\n${policy(name)}`;
  assert.deepEqual(fortigate.read(subnet('r'), {}).rules[0]?.to, ['0.0.0.0/0']);
  assert.deepEqual(fortigate.read(subnet('all'), {}).rules[0]?.to, ['any']);
  assert.deepEqual(fortigate.read(range('100.64.0.0', '100.127.255.255'), {}).rules[0]?.to, ['100.64.0.0/10']);
  const other = fortigate.read(range('2001:db8::1', '2001:db8::2'), {});
  assert.ok(other.problems.some((problem) => problem.message.includes('start-ip')), JSON.stringify(other.problems));
});
