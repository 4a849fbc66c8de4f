import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { lintText } from '../../lint';
import { exportChangeSet } from '../export';
import { exportRules } from '../rules';
import type { ExportRule, ExportWarning } from '../types';
import { fortigate } from './fortigate';
import { assertGolden, CLI_EDGE, CONTOSO, exportFile, exportText, modelOf, TODAY } from './golden.test-helpers';

/** A FortiOS script as a small parser reads it: `config`/`end` and `edit`/`next` nest, every line is one command
 * whose quoted strings close, and names are defined (by `edit` in an object table) before a policy uses them. */
interface Script {
  /** Table (`firewall address`) → names edited in it, in order. */
  defined: Map<string, string[]>;
  policies: Map<string, string[]>[];
}

const COMMAND = /^(config [a-z0-9 -]+|end|next|edit (\d+|"[A-Za-z0-9_.-]+")|set [a-z0-9-]+( ("[^"\\\n]*"|[^"\s\\]+))+)$/;
const BUILT_IN: Record<string, string[]> = { 'firewall address': ['all'], 'firewall address6': ['all'], 'firewall service custom': ['ALL'] };
const ADDRESS_TABLES = ['firewall address', 'firewall addrgrp'];
const ADDRESS6_TABLES = ['firewall address6', 'firewall addrgrp6'];

function parseScript(text: string): Script {
  assert.ok(text.endsWith('end\n'), 'the script ends with end and a line break');
  const defined = new Map<string, string[]>();
  const policies: Script['policies'] = [];
  const policyIds = new Set<number>();
  let table: string | undefined;
  let entry: Map<string, string[]> | undefined;
  for (const [index, raw] of text.slice(0, -1).split('\n').entries()) {
    const line = raw.trim();
    assert.match(line, COMMAND, `line ${index + 1} is one well-formed command: ${raw}`);
    const [verb] = line.split(' ');
    if (verb === 'config') {
      assert.equal(table, undefined, `line ${index + 1}: config inside config`);
      table = line.slice('config '.length);
    } else if (verb === 'end') {
      assert.ok(table && !entry, `line ${index + 1}: end without config, or inside edit`);
      table = undefined;
    } else if (verb === 'edit') {
      assert.ok(table && !entry, `line ${index + 1}: edit outside config, or inside edit`);
      entry = new Map();
      const key = line.slice('edit '.length);
      if (table === 'firewall policy') {
        const id = Number(key);
        assert.ok(id >= 1_000_000_000 && id < 1_050_000_000, `policy id ${key} in the allowlist's range`);
        assert.ok(!policyIds.has(id), `policy id ${key} used once`);
        policyIds.add(id);
        policies.push(entry);
      } else {
        const name = key.slice(1, -1);
        assert.ok(name.length <= 79, `name within 79 characters: ${name}`);
        defined.set(table, [...(defined.get(table) ?? []), name]);
      }
    } else if (verb === 'next') {
      assert.ok(entry, `line ${index + 1}: next without edit`);
      entry = undefined;
    } else {
      assert.ok(entry, `line ${index + 1}: set outside edit`);
      const [, key, ...values] = line.match(/"[^"]*"|\S+/g)!;
      entry.set(key, values.map((value) => value.replace(/^"(.*)"$/, '$1')));
    }
  }
  assert.equal(table, undefined, 'every config ends');
  return { defined, policies };
}

/** Every name a policy or group uses is defined earlier (FortiOS refuses unknown names), in the right table. */
function assertReferencesDefined(script: Script): void {
  const names = (tables: string[]) => new Set(tables.flatMap((table) => [...(BUILT_IN[table] ?? []), ...(script.defined.get(table) ?? [])]));
  for (const [table, members] of [['firewall addrgrp', 'firewall address'], ['firewall addrgrp6', 'firewall address6']]) {
    assert.ok(!script.defined.has(table) || script.defined.has(members), `${table} comes with ${members}`);
  }
  const v4 = names(ADDRESS_TABLES);
  const v6 = names(ADDRESS6_TABLES);
  const services = names(['firewall service custom']);
  assert.ok(script.policies.length > 0);
  for (const policy of script.policies) {
    for (const key of ['srcintf', 'dstintf', 'action', 'schedule', 'service', 'logtraffic', 'comments']) assert.ok(policy.has(key), `policy sets ${key}`);
    assert.ok(policy.has('srcaddr') || policy.has('srcaddr6'));
    assert.equal(policy.has('srcaddr'), policy.has('dstaddr'), 'IPv4 sources come with IPv4 destinations');
    assert.equal(policy.has('srcaddr6'), policy.has('dstaddr6'), 'IPv6 sources come with IPv6 destinations');
    for (const key of ['srcaddr', 'dstaddr']) for (const name of policy.get(key) ?? []) assert.ok(v4.has(name), `${key} ${name} is defined`);
    for (const key of ['srcaddr6', 'dstaddr6']) for (const name of policy.get(key) ?? []) assert.ok(v6.has(name), `${key} ${name} is defined`);
    for (const name of policy.get('service')!) assert.ok(services.has(name), `service ${name} is defined`);
  }
}

const render = (path: string, options = {}) => exportFile(path, fortigate, options);
const scriptOf = (result: { files: { text: string }[] }) => result.files[0].text;

test('fortigate: golden output for the bundled example and the edge cases', () => {
  assertGolden(fortigate, 'contoso', render(CONTOSO));
  assertGolden(fortigate, 'edge', render(CLI_EDGE));
});

test('fortigate: config/end and edit/next balance, one command a line, every referenced object defined first', () => {
  for (const path of [CONTOSO, CLI_EDGE]) assertReferencesDefined(parseScript(scriptOf(render(path))));
});

test('fortigate: objects by kind, groups for sides of more than one address, services with port ranges', () => {
  const script = parseScript(scriptOf(render(CLI_EDGE)));
  const policy = script.policies[0];
  assert.deepEqual(policy.get('srcaddr'), ['all']);
  assert.deepEqual(policy.get('dstaddr'), ['web-and-cdn_dst']);
  assert.deepEqual(policy.get('dstaddr6'), ['web-and-cdn_2001_db8___32']);
  const text = scriptOf(render(CLI_EDGE));
  assert.match(text, /edit "web-and-cdn__\.cdn\.example\.com"\n {8}set type fqdn\n {8}set fqdn "\*\.cdn\.example\.com"/);
  assert.match(text, /set subnet 192\.0\.2\.0 255\.255\.255\.0\n/);
  assert.match(text, /set ip6 2001:db8::53\/128\n/);
  assert.match(text, /set member "web-and-cdn_a\.example\.com" "web-and-cdn__\.cdn\.example\.com" "web-and-cdn_192\.0\.2\.0_24"\n/);
  assert.match(text, /edit "web-and-cdn_svc"\n {8}set tcp-portrange 443 2001-2500\n/);
  assert.match(text, /edit "dns_svc"\n {8}set tcp-portrange 53\n {8}set udp-portrange 53\n/);
  assert.match(text, /set srcaddr "everything-from-the-server_10\.0\.0\.20"\n {8}set dstaddr "all"\n {8}set action accept\n {8}set schedule "always"\n {8}set service "ALL"\n/);
});

test('fortigate: a host named as a rule\'s own objects (dst, svc) gets an address object of its own, not the group', () => {
  const text = scriptOf(exportText('allowlist: 1\noutbound:\n  - name: r\n    to: [dst, svc, example.com]\n    ports: 443\n', fortigate));
  const members = /edit "r_dst"\n {8}set member ((?:"[^"]+" ?)+)\n/.exec(text)?.[1].split(' ');
  assert.equal(members?.length, 3, text);
  assert.ok(!members!.includes('"r_dst"'), 'the group is not its own member');
  for (const member of members!) assert.match(text, new RegExp(`config firewall address\\n(?:.*\\n)*? {4}edit ${member.replace(/\./g, '\\.')}\\n {8}set type fqdn\\n`));
});

test('fortigate: interfaces from the options, swapped for inbound rules; NAT only outbound', () => {
  const script = parseScript(scriptOf(render(CLI_EDGE, { lanInterface: 'port2', wanInterface: 'port1' })));
  const inbound = script.policies.filter((policy) => policy.get('srcintf')![0] === 'port1');
  assert.equal(inbound.length, 2);
  for (const policy of inbound) assert.deepEqual([policy.get('dstintf'), policy.has('nat')], [['port2'], false]);
  for (const policy of script.policies.filter((policy) => !inbound.includes(policy))) assert.deepEqual([policy.get('srcintf'), policy.get('dstintf'), policy.get('nat')], [['port2'], ['port1'], ['enable']]);
  const defaults = parseScript(scriptOf(render(CLI_EDGE))).policies[0];
  assert.deepEqual([defaults.get('srcintf'), defaults.get('dstintf')], [['internal'], ['wan1']]);
});

test('fortigate: a warning for each rule it cannot express as written, and notes for wildcards and inbound rules', () => {
  const warnings = render(CLI_EDGE).warnings;
  const of = (rule: string) => warnings.filter((warning) => warning.rule === rule);
  const says = (list: ExportWarning[], pattern: RegExp, kind: ExportWarning['kind']) => assert.ok(list.some((warning) => pattern.test(warning.message) && warning.kind === kind), `${pattern} ${kind} in ${JSON.stringify(list)}`);
  for (const rule of ['web-and-cdn', 'only-wildcards', 'vendor-api']) says(of(rule), /DNS over HTTPS/, 'note');
  for (const rule of ['vendor-api', 'any-to-web']) says(of(rule), /virtual IP/, 'note');
  says(of('vendor-api'), /wildcard source of an inbound policy/, 'unfaithful');
  says(of('v4-source-to-v6-only'), /left out: its sides have no address family in common/, 'unfaithful');
  says(of('old-migration'), /expired/, 'note');
  assert.equal(of('dns').length + of('ntp-udp').length + of('everything-from-the-server').length, 0, 'rules it expresses as written get no warning');
  const script = parseScript(scriptOf(render(CLI_EDGE)));
  assert.equal(script.policies.length, 10, 'one policy a rule, but for the one with no common IP version');
});

test('fortigate: same bytes twice; object names do not depend on the order of the rules', () => {
  assert.equal(scriptOf(render(CLI_EDGE)), scriptOf(render(CLI_EDGE)));
  const rules = exportRules(lintText(readFileSync(CLI_EDGE, 'utf8'), { fileName: 'edge.allowlist.yaml' }).model, TODAY);
  const renderRules = (list: ExportRule[]) => fortigate.render(list, { options: { today: TODAY, sourceName: 'edge' }, warn: () => undefined })[0].text;
  const definedNames = (text: string) => [...parseScript(text).defined.values()].flat().sort();
  assert.deepEqual(definedNames(renderRules([...rules].reverse())), definedNames(renderRules(rules)));
});

test('fortigate: a hostile rule name or ticket cannot end a string or add a command', () => {
  const file = (name: string, ticket: string) =>
    `allowlist: 1\nsite: t\noutbound:\n  - name: ${JSON.stringify(name)}\n    to: [a.example.com, 192.0.2.1]\n    ports: 443\n    ticket: ${JSON.stringify(ticket)}\n`;
  const plain = scriptOf(exportText(file('plain', 'T1'), fortigate));
  for (const hostile of ['x" \\\nend\nconfig system admin\nedit "evil', 'a\\"; next\r\nend', 'end', 'tab\there\u001b[2K?']) {
    const result = exportText(file(hostile, hostile), fortigate);
    const text = scriptOf(result);
    assert.equal(text.split('\n').length, plain.split('\n').length, `same line count for ${JSON.stringify(hostile)}`);
    assertReferencesDefined(parseScript(text));
    const noted = result.warnings.some((warning) => /quotes, backslashes and control characters/.test(warning.message));
    assert.equal(noted, /["\\\u0000-\u001f]/.test(hostile), `a note where the text had to change: ${JSON.stringify(hostile)}`);
  }
});

/** A FortiGate's configuration as far as the scripts touch it: table → entry key → setting → value, in order. */
type Config = Map<string, Map<string, Map<string, string>>>;
const REFERENCING = ['member', 'srcaddr', 'dstaddr', 'srcaddr6', 'dstaddr6', 'service'];

/** Applies a script the way FortiOS would, refusing what FortiOS refuses: a reference to an object that does not
 * exist, the deletion of an object still referenced, a deletion of what is not there. */
function applyScript(config: Config, text: string): Config {
  const refs = (value: string): string[] => value.match(/"[^"]*"/g) ?? [];
  const exists = (name: string) => ['"all"', '"ALL"'].includes(name) || [...config.values()].some((entries) => entries.has(name));
  let table: Map<string, Map<string, string>> | undefined;
  let entry: Map<string, string> | undefined;
  for (const line of text.split('\n').map((raw) => raw.trim())) {
    if (line === '' || line.startsWith('#')) continue;
    const [verb, ...rest] = line.split(' ');
    const argument = rest.join(' ');
    if (verb === 'config') table = config.get(argument) ?? config.set(argument, new Map()).get(argument);
    else if (verb === 'end') table = undefined;
    else if (verb === 'edit') entry = table!.get(argument) ?? table!.set(argument, new Map()).get(argument);
    else if (verb === 'next') entry = undefined;
    else if (verb === 'set') {
      const [name, ...values] = rest;
      if (REFERENCING.includes(name)) for (const ref of refs(values.join(' '))) assert.ok(exists(ref), `${line}: ${ref} exists`);
      entry!.set(name, values.join(' '));
    } else if (verb === 'unset') entry!.delete(argument);
    else if (verb === 'delete') {
      assert.ok(table!.has(argument), `${line}: it exists`);
      for (const entries of config.values()) {
        for (const [key, settings] of entries) {
          for (const [name, value] of settings) assert.ok(!(REFERENCING.includes(name) && refs(value).includes(argument)), `${line}: still used by ${key} (${name})`);
        }
      }
      table!.delete(argument);
    } else assert.fail(`unknown command: ${line}`);
  }
  for (const [path, entries] of config) if (entries.size === 0) config.delete(path);
  return config;
}

/** The id of the policy whose comments start with the rule's name. */
function policyIdOf(script: string, rule: string): string {
  let id = '';
  for (const line of script.split('\n')) {
    id = /^ {4}edit (\d+)$/.exec(line)?.[1] ?? id;
    if (line.startsWith(`        set comments "${rule}"`) || line.startsWith(`        set comments "${rule};`)) return id;
  }
  assert.fail(`no policy for ${rule}`);
}

/** As JSON with entries sorted by key: the configuration, whatever order it was built in. */
const configJson = (config: Config) =>
  JSON.stringify(
    [...config].sort(([a], [b]) => a.localeCompare(b)).map(([path, entries]) => [path, [...entries].sort(([a], [b]) => a.localeCompare(b)).map(([key, settings]) => [key, [...settings].sort()])]),
  );

const CHANGE_A = `allowlist: 1
outbound:
  - name: app
    to: app.example.com
    ports: 443
  - name: mail
    to: [203.0.113.25, 2001:db8::25]
    ports: [25, 587]
  - name: old-name
    to: 203.0.113.5
    ports: 22
  - name: gone
    to: [a.gone.example.com, b.gone.example.com]
    protocol: udp
    ports: 53
  - name: steady
    from: 192.0.2.0/28
    to: steady.example.com
    ports: 8443
`;
/** app: one address becomes a group of two, a port added; mail: loses its IPv6 side; old-name renamed; gone removed;
 * steady kept; two rules added, one inbound. */
const CHANGE_B = `allowlist: 1
outbound:
  - name: steady
    from: 192.0.2.0/28
    to: steady.example.com
    ports: 8443
  - name: app
    to: [app.example.com, 203.0.113.11]
    ports: [443, 8443]
  - name: mail
    to: 203.0.113.25
    ports: [25, 587]
  - name: new-name
    to: 203.0.113.5
    ports: 22
  - name: added
    to: 198.51.100.0/24
    protocol: any
inbound:
  - name: vendor-push
    from: 198.51.100.7
    to: 192.0.2.20
    ports: 8443
`;

test('fortigate change sets: the export of A plus the change set A→B configures what the export of B does', () => {
  const full = (text: string) => scriptOf(exportText(text, fortigate));
  const changeSet = (from: string | undefined, to: string) => exportChangeSet(from === undefined ? undefined : modelOf(from), modelOf(to), fortigate, 'HEAD', { today: TODAY }).files[0].text;
  for (const [from, to] of [
    [CHANGE_A, CHANGE_B],
    [CHANGE_B, CHANGE_A],
  ]) {
    const changes = changeSet(from, to);
    assert.equal(configJson(applyScript(applyScript(new Map(), full(from)), changes)), configJson(applyScript(new Map(), full(to))), changes);
    assert.ok(!changes.includes(`edit ${policyIdOf(full(to), 'steady')}`) && !changes.includes('"steady_'), `the unchanged rule is left alone:\n${changes}`);
  }
  assert.equal(configJson(applyScript(new Map(), changeSet(undefined, CHANGE_B))), configJson(applyScript(new Map(), full(CHANGE_B))), 'a file new since the revision');
  const none = changeSet(CHANGE_A, CHANGE_A.replace('ports: 22', 'ports: [22]'));
  assert.equal(none, '', 'nothing changed: no commands');
});

test('fortigate: policy ids are stable: the same for a rule whatever the other rules, so re-running updates', () => {
  const idOf = (text: string, rule: string) => policyIdOf(scriptOf(exportText(text, fortigate)), rule);
  assert.equal(idOf(CHANGE_A, 'steady'), idOf(CHANGE_B, 'steady'));
  assert.notEqual(idOf(CHANGE_A, 'steady'), idOf(CHANGE_A, 'app'));
  assert.equal(new Set(parseScript(scriptOf(exportText(CHANGE_B, fortigate))).policies).size, 6);
});
