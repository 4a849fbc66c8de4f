import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ipaddr from 'ipaddr.js';
import { generateAllowlist, seededRandom } from '../../../../test/generate';
import { exportAllowlist, type ExportOptions, type ExportRule, type ExportTarget, targetById } from '../../export';
import { driftOf, formatDrift } from '../../drift';
import { lintText } from '../../lint';
import type { ImportedRule, ReadOptions } from '../types';
import { nftables as nftablesReader } from './nftables';

const TESTDATA = join(__dirname, 'testdata/nftables');
const CONTOSO = join(__dirname, '../../../../examples/contoso.allowlist.yaml');
const NAMESPACE = `allowlist-import-${process.pid}`;

/** Why a real nft cannot be used here, or undefined where it can: the fixtures are what nft itself prints. */
function nftUnavailable(): string | undefined {
  if (process.getuid?.() !== 0) return 'not root: ip netns needs it';
  const version = spawnSync('nft', ['--version'], { encoding: 'utf8' });
  if (version.status !== 0) return 'nft is not installed (Debian: apt-get install nftables)';
  return undefined;
}
const unavailable = nftUnavailable();
let dir = '';

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'allowlist-import-nft-'));
  if (!unavailable) {
    const added = spawnSync('ip', ['netns', 'add', NAMESPACE], { encoding: 'utf8' });
    assert.equal(added.status, 0, added.stderr);
  }
});

after(() => {
  if (!unavailable) spawnSync('ip', ['netns', 'delete', NAMESPACE]);
  rmSync(dir, { recursive: true, force: true });
});

/** Loads `ruleset` (nft -f syntax) into the test's namespace, alone, and returns what `nft -j list ruleset` prints. */
function nftJson(ruleset: string): string {
  const path = join(dir, 'rules.nft');
  writeFileSync(path, `flush ruleset\n${ruleset}`);
  const load = spawnSync('ip', ['netns', 'exec', NAMESPACE, 'nft', '-f', path], { encoding: 'utf8' });
  assert.equal(load.status, 0, load.stderr);
  const list = spawnSync('ip', ['netns', 'exec', NAMESPACE, 'nft', '-j', 'list', 'ruleset'], { encoding: 'utf8' });
  assert.equal(list.status, 0, list.stderr);
  return list.stdout;
}

test('nftables import: the hand-written ruleset: sets, ranges, intervals, anonymous sets, jumps; drop, mark, NAT and policy accept are problems', (t) => {
  if (unavailable) return t.skip(unavailable);
  const json = nftJson(readFileSync(join(TESTDATA, 'handwritten.nft'), 'utf8'));
  // Pretty-printed, so that each problem's line tells which element it is about.
  const pretty = JSON.stringify(JSON.parse(json), null, 2);
  const { rules, problems } = nftablesReader.read(pretty, {});
  const byName = new Map(rules.map((rule) => [rule.name, rule]));
  assert.deepEqual(byName.get('partners-web'), {
    direction: 'outbound',
    name: 'partners-web',
    to: ['198.51.100.0/24', '203.0.113.10/31', '203.0.113.12/30', '203.0.113.16/30', '203.0.113.20'],
    ports: [443, '8000-8100'],
    protocol: 'tcp',
    line: byName.get('partners-web')!.line,
  });
  assert.deepEqual(byName.get('dns')?.to, ['192.0.2.1', '192.0.2.64/26']);
  assert.deepEqual([byName.get('dns')?.protocol, byName.get('dns')?.ports], ['udp', [53]]);
  assert.deepEqual([byName.get('v6-tcp')?.to, byName.get('v6-tcp')?.protocol, byName.get('v6-tcp')?.ports], [['2001:db8::/32'], 'tcp', 'any']);
  assert.deepEqual([byName.get('ssh-lab')?.from, byName.get('ssh-lab')?.to, byName.get('ssh-lab')?.protocol, byName.get('ssh-lab')?.ports], [['10.0.0.5'], ['10.1.0.0/16'], 'any', [22]]);
  assert.deepEqual([byName.get('smtp-relay')?.to, byName.get('smtp-relay')?.ports], [['203.0.113.50'], [25]], 'the rule of the chain the hook chain jumps to');
  assert.deepEqual([byName.get('ip-proto')?.to, byName.get('ip-proto')?.protocol], [['192.0.2.7'], 'udp'], 'ip protocol, and log ignored');
  assert.equal(rules.length, 6, JSON.stringify(rules));
  const messages = problems.map((problem) => `${problem.kind} ${problem.message}`);
  const expect = (pattern: RegExp) => assert.ok(messages.some((message) => pattern.test(message)), `${pattern} in\n${messages.join('\n')}`);
  expect(/^skipped .*"blocked".*a drop rule/);
  expect(/^skipped .*"marked".*not imported, it matches on meta mark/);
  expect(/^skipped .*@cdn_names4, filled while the firewall runs/);
  expect(/^skipped chain "input" on hook input has policy accept/);
  expect(/^skipped chain "postrouting" \(type nat/);
  expect(/^skipped rule \d+ of chain "postrouting"/);
  expect(/^skipped .*"ssh-eth1".*interface eth1 on hook input/);
  assert.equal(problems.length, 7, messages.join('\n'));
  // Lines point into the pretty-printed JSON at the rule's element.
  const blocked = problems.find((problem) => problem.message.includes('"blocked"'))!;
  assert.match(pretty.split('\n').slice(blocked.line - 1, blocked.line + 6).join('\n'), /"rule"/);
});

test('nftables import: interfaces tell the direction in the forward hook; --policy filters by comment or handle', (t) => {
  if (unavailable) return t.skip(unavailable);
  const json = nftJson(`table inet f {
	chain forward {
		type filter hook forward priority filter; policy drop;
		iifname "lan0" oifname "wan0" ip daddr 192.0.2.1 tcp dport 443 accept comment "out"
		iifname "wan0" oifname "lan0" ip daddr 10.0.0.1 tcp dport 22 accept comment "in"
		iifname "dmz0" ip daddr 10.0.0.2 accept comment "unknown"
	}
}
`);
  const options: ReadOptions = { lanInterface: 'lan0', wanInterface: 'wan0' };
  const { rules, problems } = nftablesReader.read(json, options);
  assert.deepEqual(rules.map((rule) => [rule.name, rule.direction]), [['out', 'outbound'], ['in', 'inbound']]);
  // Without interfaces, a rule is outbound unless its comment is the export's and says inbound; interfaces win.
  const bare = nftJson(`table inet f {
	chain forward {
		type filter hook forward priority filter; policy drop;
		ip daddr 192.0.2.1 tcp dport 443 accept comment "plain"
		ip daddr 10.0.0.1 tcp dport 22 accept comment "marked; inbound; ticket T-1"
		ip daddr 10.0.0.3 tcp dport 22 accept comment "inbound"
		iifname "lan0" oifname "wan0" ip daddr 192.0.2.2 tcp dport 443 accept comment "wired; inbound"
	}
}
`);
  assert.deepEqual(
    nftablesReader.read(bare, options).rules.map((rule) => [rule.name, rule.direction, rule.ticket]),
    [['plain', 'outbound', undefined], ['marked', 'inbound', 'T-1'], ['inbound', 'outbound', undefined], ['wired', 'outbound', undefined]],
  );
  assert.equal(problems.length, 1);
  assert.match(problems[0].message, /"unknown".*direction cannot be told/);
  assert.deepEqual(nftablesReader.read(json, { ...options, policies: ['in'] }).rules.map((rule) => rule.name), ['in']);
});

test("nftables import: the export's direction marker survives free text that says inbound and nft's 128-byte cut of comments", (t) => {
  if (unavailable) return t.skip(unavailable);
  const long = `vendor-${'x'.repeat(140)}`;
  const text = `allowlist: 1
outbound:
  - name: change
    ticket: "CHG-1; inbound"
    to: 192.0.2.1
    ports: 443
  - name: "web; inbound"
    to: 192.0.2.2
    ports: 443
  - name: "inbound; web"
    to: 192.0.2.3
    ports: 443
inbound:
  - name: ${long}
    from: 198.51.100.7
    to: 10.0.0.1
    ports: 22
`;
  const ruleset = exportAllowlist(lintText(text, { fileName: 'site.allowlist.yaml' }).model, nftables, { today: '2026-12-02' }).files.find((file) => file.name === 'allowlist.nft')!.text;
  const read = nftablesReader.read(nftJson(ruleset), {}).rules;
  assert.deepEqual(
    read.map((rule) => [rule.name, rule.direction, rule.ticket]),
    [
      ['change', 'outbound', 'CHG-1'],
      ['web', 'outbound', undefined],
      ['inbound', 'outbound', undefined],
      [read[3].name, 'inbound', undefined],
    ],
  );
  assert.ok(long.startsWith(read[3].name.slice(0, -1)) && read[3].name.endsWith('…'), 'the name is what was cut, not the marker');
});

test('nftables import and drift: a host-name set that dnsmasq has filled is still filled at run time, not static destinations', (t) => {
  if (unavailable) return t.skip(unavailable);
  const text = 'allowlist: 1\noutbound:\n  - name: app\n    to: app.example.test\n    ports: 443\n  - name: backup\n    to: 192.0.2.40\n    ports: 443\n';
  const ruleset = exportAllowlist(lintText(text, { fileName: 'site.allowlist.yaml' }).model, nftables, { today: '2026-12-02' }).files.find((file) => file.name === 'allowlist.nft')!.text;
  // As dnsmasq adds what it resolved: with the set's timeout.
  const json = nftJson(`${ruleset}add element inet allowlist app_names4 { 203.0.113.10 }\n`);
  assert.match(json, /203\.0\.113\.10/, 'the set has the element');
  const { rules, problems } = nftablesReader.read(json, {});
  assert.deepEqual(rules.map((rule) => [rule.name, rule.to]), [['backup', ['192.0.2.40']]]);
  assert.ok(problems.some((problem) => /the set @app_names4, filled while the firewall runs/.test(problem.message)), problems.map((problem) => problem.message).join('\n'));
  const report = driftOf(text, json, nftablesReader, { allowlistName: 'site.allowlist.yaml', againstName: 'nft', today: '2026-12-02' });
  assert.equal(report.inSync, true, formatDrift(report, 'text'));
});

test('nftables import and drift: a rule with sources of both families reads back as one rule, in sync with the allowlist', (t) => {
  if (unavailable) return t.skip(unavailable);
  const text = `allowlist: 1
outbound:
  - name: dns
    from: [10.0.0.0/24, "fd00::/64"]
    to: [198.51.100.53, "2001:db8::53"]
    ports: 53
    protocol: any
inbound:
  - name: vendor
    from: [198.51.100.7, "2001:db8:2::/48"]
    to: [10.0.0.20, "2001:db8:2::10"]
    ports: 443
`;
  const ruleset = exportAllowlist(lintText(text, { fileName: 'site.allowlist.yaml' }).model, nftables, { today: '2026-12-02' }).files.find((file) => file.name === 'allowlist.nft')!.text;
  const json = nftJson(ruleset);
  assert.deepEqual(
    nftablesReader.read(json, {}).rules.map((rule) => [rule.name, rule.direction, rule.protocol, rule.from, rule.to]),
    [
      ['dns', 'outbound', 'any', ['10.0.0.0/24', 'fd00::/64'], ['198.51.100.53', '2001:db8::53']],
      ['vendor', 'inbound', 'tcp', ['198.51.100.7', '2001:db8:2::/48'], ['10.0.0.20', '2001:db8:2::10']],
    ],
  );
  const report = driftOf(text, json, nftablesReader, { allowlistName: 'site.allowlist.yaml', againstName: 'nft', today: '2026-12-02' });
  assert.equal(report.inSync, true, formatDrift(report, 'text'));
});

test("nftables import and drift: the output hook's own DNS rule is the export's, not the allowlist's: a pristine export is in sync", (t) => {
  if (unavailable) return t.skip(unavailable);
  const text = readFileSync(CONTOSO, 'utf8');
  const ruleset = exportAllowlist(lintText(text, { fileName: 'site.allowlist.yaml' }).model, nftables, { today: '2026-12-02', hook: 'output' }).files.find((file) => file.name === 'allowlist.nft')!.text;
  const json = nftJson(ruleset);
  const { rules, problems } = nftablesReader.read(json, {});
  assert.ok(!rules.some((rule) => rule.name.startsWith('DNS')), rules.map((rule) => rule.name).join(', '));
  assert.equal(problems.filter((problem) => /the export's own rule letting this host's resolver ask its upstream servers/.test(problem.message)).length, 1);
  const report = driftOf(text, json, nftablesReader, { allowlistName: 'site.allowlist.yaml', againstName: 'nft', today: '2026-12-02' });
  assert.equal(report.inSync, true, formatDrift(report, 'text'));
});

/** Per rule name, the reach an IP-based rule allows: by direction, family and protocol (tcp/udp/any), the merged
 * intervals of sources, destinations and ports. Host names are left out: the ruleset does not hold them (they are
 * in dnsmasq's configuration and fill sets as clients resolve them). */
type Reach = Map<string, { from: Set<string>; to: Set<string>; ports: Set<string> }>;

function interval(address: string): [bigint, bigint, 4 | 6] {
  const [ip, prefix] = address.includes('/') ? ipaddr.parseCIDR(address) : [ipaddr.parse(address), address.includes(':') ? 128 : 32];
  const bits = ip.kind() === 'ipv4' ? 32 : 128;
  const value = ip.toByteArray().reduce((sum, byte) => (sum << 8n) | BigInt(byte), 0n);
  const size = 1n << BigInt(bits - prefix);
  const low = value & ~(size - 1n);
  return [low, low + size - 1n, bits === 32 ? 4 : 6];
}

function addReach(reach: Reach, key: string, from: string[], to: string[], ports: string[]): void {
  const entry = reach.get(key) ?? { from: new Set<string>(), to: new Set<string>(), ports: new Set<string>() };
  from.forEach((item) => entry.from.add(item));
  to.forEach((item) => entry.to.add(item));
  ports.forEach((item) => entry.ports.add(item));
  reach.set(key, entry);
}

/** Splits addresses into families as 1-wide points, merged later: nft merges adjacent intervals of a set. */
function byFamily(addresses: string[] | 'any'): Map<string, string[]> {
  const families = new Map<string, string[]>();
  if (addresses === 'any') return new Map([['any', ['any']]]);
  for (const address of addresses) {
    const [low, high, family] = interval(address);
    families.set(String(family), [...(families.get(String(family)) ?? []), `${low}-${high}`]);
  }
  return families;
}

function merged(spans: Set<string>): string {
  const list = [...spans].map((span) => (span === 'any' ? null : span.split('-').map(BigInt))).filter((span): span is bigint[] => span !== null);
  if (spans.has('any')) return 'any';
  list.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const out: bigint[][] = [];
  for (const [low, high = low] of list) {
    const last = out[out.length - 1];
    if (last && low <= last[1] + 1n) last[1] = high > last[1] ? high : last[1];
    else out.push([low, high]);
  }
  return out.map(([low, high]) => `${low}-${high}`).join(',');
}

function reachOf(entries: { name: string; direction: string; protocol: string; from: string[] | 'any'; to: string[] | 'any'; ports: string[] | 'any' }[]): Map<string, string> {
  const reach: Reach = new Map();
  for (const entry of entries) {
    const protocols = entry.protocol === 'any' && entry.ports !== 'any' ? ['tcp', 'udp'] : [entry.protocol];
    const from = byFamily(entry.from);
    const to = byFamily(entry.to);
    for (const [family, destinations] of to) {
      // A source of the other family never pairs with this destination; `any` pairs with both.
      const sources = from.get('any') ?? from.get(family) ?? (family === 'any' ? [...from.values()].flat() : undefined);
      if (!sources) continue;
      for (const protocol of protocols) addReach(reach, `${entry.name} ${entry.direction} ${protocol} ${family}`, sources, destinations, entry.ports === 'any' ? ['any'] : entry.ports);
    }
  }
  return new Map([...reach].map(([key, entry]) => [key, `from ${merged(entry.from)} to ${merged(entry.to)} ports ${merged(entry.ports)}`]));
}

function originalReach(rules: ExportRule[]): Map<string, string> {
  const addresses = (side: ExportRule['to']): string[] | 'any' => (side.any ? 'any' : [...side.ipv4, ...side.ipv6]);
  return reachOf(
    rules.map((rule) => ({
      name: rule.name,
      direction: rule.direction,
      protocol: rule.protocol,
      from: addresses(rule.from),
      to: addresses(rule.to),
      ports: rule.ports === 'any' ? 'any' : rule.ports.map((span) => `${span.from}-${span.to}`),
    })),
  );
}

function importedReach(rules: ImportedRule[]): Map<string, string> {
  return reachOf(
    rules.map((rule) => ({
      name: rule.name,
      direction: rule.direction,
      protocol: rule.protocol,
      from: rule.from === undefined || rule.from.includes('any') ? 'any' : rule.from,
      to: rule.to.includes('any') ? 'any' : rule.to,
      ports: rule.ports === 'any' ? 'any' : rule.ports.map((port) => (typeof port === 'number' ? `${port}-${port}` : port)),
    })),
  );
}

/** Export `text` with the nftables target, load it into a real nft, read its JSON back: the IP-based reach of every
 * rule must be the original's. Rules that reach host names are compared on their addresses only, and each host-name
 * set must come back as a problem. */
const nftables = targetById('nftables')!;

function roundTrip(text: string, options: ExportOptions, readOptions: ReadOptions): void {
  let exported: ExportRule[] = [];
  const capturing: ExportTarget = { ...nftables, render: (rules, context) => ((exported = rules), nftables.render(rules, context)) };
  const result = exportAllowlist(lintText(text, { fileName: 'site.allowlist.yaml' }).model, capturing, { today: '2026-12-02', sourceName: 'site.allowlist.yaml', ...options });
  const ruleset = result.files.find((file) => file.name === 'allowlist.nft')!.text;
  const { rules, problems } = nftablesReader.read(nftJson(ruleset), readOptions);
  // The output hook's own DNS rule, loopback and neighbour discovery: the export's, not the allowlist's.
  const ownProblem = (message: string) => /matches on (meta oif|meta iif|payload icmpv6 type)$|the export's own rule letting this host's resolver/.test(message);
  assert.ok(originalReach(exported).size > 0, 'IP-based rules to compare');
  assert.deepEqual(Object.fromEntries(importedReach(rules)), Object.fromEntries(originalReach(exported)));
  const nameSets = ruleset.match(/^\tset \S+_names[46] \{/gm)?.length ?? 0;
  const nameProblems = problems.filter((problem) => /_names[46], filled while the firewall runs/.test(problem.message));
  assert.ok(nameProblems.length >= nameSets, `a problem per host-name set (${nameSets}): ${problems.map((problem) => problem.message).join('\n')}`);
  assert.deepEqual(problems.filter((problem) => !nameProblems.includes(problem) && !ownProblem(problem.message)), [], 'no other problems');
}

test('nftables import: round trip of contoso and generated allowlists through a real nft (forward hook with and without interfaces, and output/input hooks)', (t) => {
  if (unavailable) return t.skip(unavailable);
  const texts = [readFileSync(CONTOSO, 'utf8'), generateAllowlist({ rules: 40, seed: 3, inboundShare: 0.3 }), generateAllowlist({ rules: 25, seed: 11 })];
  for (const text of texts) {
    roundTrip(text, { lanInterface: 'lan0', wanInterface: 'wan0' }, { lanInterface: 'lan0', wanInterface: 'wan0' });
    // The export's default: inbound rules say so in their comments only.
    roundTrip(text, {}, {});
    roundTrip(text, { hook: 'output' }, {});
  }
});

test('nftables import: random bytes and truncated JSON give problems, never a throw', (t) => {
  const random = seededRandom(7);
  const samples = ['', 'null', '[]', '{"nftables": 5}', '{"nftables": [1, {"rule": 2}, {"rule": {"expr": [null, {"match": 3}]}}]}'];
  for (let i = 0; i < 200; i++) samples.push(Buffer.from(Array.from({ length: 1 + Math.floor(random() * 300) }, () => Math.floor(random() * 256))).toString('latin1'));
  const complete = unavailable ? undefined : nftJson(readFileSync(join(TESTDATA, 'handwritten.nft'), 'utf8'));
  if (complete) for (let cut = 0; cut < complete.length; cut += 97) samples.push(complete.slice(0, cut));
  else t.diagnostic(`truncated nft output not tried: ${unavailable}`);
  for (const sample of samples) {
    const result = nftablesReader.read(sample, {});
    assert.ok(result.rules.length > 0 || result.problems.length > 0 || sample === '{"nftables": []}', `a result or problems for ${JSON.stringify(sample.slice(0, 60))}`);
  }
  // A structurally valid document with odd values: problems, not a throw.
  const odd = JSON.stringify({ nftables: [{ chain: { family: 'inet', table: 't', name: 'c', hook: 'forward', type: 'filter', policy: 'drop' } }, { rule: { family: 'inet', table: 't', chain: 'c', handle: 1, expr: [{ match: { op: '==', left: { payload: { protocol: 'ip', field: 'daddr' } }, right: { range: ['10.0.0.9', '10.0.0.1'] } } }, { accept: null }] } }] });
  assert.match(nftablesReader.read(odd, {}).problems[0].message, /address range/);
  // Port 0 is no port: alone it is a problem, a range from 0 starts at 1 (an allowlist rejects port 0).
  const dport = (right: unknown) => JSON.stringify({ nftables: [{ chain: { family: 'inet', table: 't', name: 'c', hook: 'forward', type: 'filter', policy: 'drop' } }, { rule: { family: 'inet', table: 't', chain: 'c', handle: 1, expr: [{ match: { op: '==', left: { payload: { protocol: 'tcp', field: 'dport' } }, right } }, { accept: null }] } }] });
  assert.match(nftablesReader.read(dport(0), {}).problems[0].message, /port value 0/);
  assert.deepEqual(nftablesReader.read(dport({ range: [0, 1023] }), {}).rules.map((rule) => rule.ports), [['1-1023']]);
  assert.match(nftablesReader.read(dport({ range: [0, 0] }), {}).problems[0].message, /port value/);
  // Nesting a recursive reader would overflow the stack on, and a set that names itself: problems.
  const nested = (depth: number) => `${'{"elem":{"val":'.repeat(depth)}"1.2.3.4"${'}}'.repeat(depth)}`;
  const chain = '{"chain":{"family":"inet","table":"t","name":"c","hook":"forward","type":"filter","policy":"drop"}}';
  const daddr = (right: string, handle: number) => `{"rule":{"family":"inet","table":"t","chain":"c","handle":${handle},"expr":[{"match":{"op":"==","left":{"payload":{"protocol":"ip","field":"daddr"}},"right":${right}}},{"accept":null}]}}`;
  const deep = `{"nftables":[{"set":{"family":"inet","table":"t","name":"s","elem":["@s"]}},${chain},${daddr(nested(100_000), 1)},${daddr('"@s"', 2)},{"table":{"name":${'['.repeat(100_000)}${']'.repeat(100_000)}}}]}`;
  assert.deepEqual(nftablesReader.read(deep, {}).problems.map((problem) => problem.message), ['rule 1 of chain "c": not imported, it matches on the address value {elem}', 'rule 2 of chain "c": not imported, it matches on the address value "@s"']);
});
