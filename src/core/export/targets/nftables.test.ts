import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ExportOptions, ExportResult } from '..';
import { assertGolden, exportText, TESTDATA } from './golden.test-helpers';
import { nftables, nftString } from './nftables';

const ROOT = join(__dirname, '..', '..', '..', '..');
const CONTOSO = join(ROOT, 'examples', 'contoso.allowlist.yaml');
const EDGE = join(TESTDATA, 'nftables', 'edge-cases.allowlist.yaml');

function exportFile(path: string, options: ExportOptions = {}, text = readFileSync(path, 'utf8')): ExportResult {
  return exportText(text, nftables, { sourceName: path.slice(ROOT.length + 1), ...options });
}

const file = (result: ExportResult, name: string) => result.files.find((candidate) => candidate.name === name)!.text;

const CASES: { golden: string; path: string; options?: ExportOptions }[] = [
  { golden: 'contoso', path: CONTOSO },
  { golden: 'edge-cases', path: EDGE },
  { golden: 'edge-cases-output', path: EDGE, options: { hook: 'output' } },
  { golden: 'edge-cases-interfaces', path: EDGE, options: { lanInterface: 'lan0', wanInterface: 'wan"0' } },
];

// Golden files (the warnings too): UPDATE_GOLDEN=1 rewrites them after an intended change; review the diff.
for (const { golden, path, options } of CASES) {
  test(`nftables golden: ${golden}`, () => assertGolden(nftables, golden, exportFile(path, options)));
}

/** The named sets `allowlist.nft` defines, with their type and flags. */
function definedSets(nft: string): Map<string, { type: string; flags: string }> {
  const sets = new Map<string, { type: string; flags: string }>();
  for (const match of nft.matchAll(/^\tset (\S+) \{\n\t\ttype (\S+)\n\t\tflags (\w+)/gm)) sets.set(match[1], { type: match[2], flags: match[3] });
  return sets;
}

for (const { golden, path, options } of CASES) {
  test(`nftables structure: ${golden}: sets defined before use, dnsmasq fills timeout sets of its family, quotes balanced, a rule for each rule`, () => {
    const result = exportFile(path, options);
    const nft = file(result, 'allowlist.nft');
    const dnsmasq = file(result, 'dnsmasq-allowlist.conf');
    assert.match(nft, /^#!\/usr\/sbin\/nft -f\n(#.*\n)*table inet allowlist \{\}\ndelete table inet allowlist\ntable inet allowlist \{\n/, 'replaces the table atomically');
    assert.equal((nft.match(/\{/g) ?? []).length, (nft.match(/\}/g) ?? []).length, 'braces balance');
    const sets = definedSets(nft);
    for (const [, name] of nft.matchAll(/[sd]addr @([\w-]+)/g)) assert.ok(sets.has(name), `@${name} is defined`);
    for (const line of dnsmasq.split('\n').filter((l) => l && !l.startsWith('#'))) {
      const match = /^nftset=\/([a-z0-9_.-]+)\/((?:[46]#inet#allowlist#[\w-]+,?)+)$/.exec(line);
      assert.ok(match, `dnsmasq line: ${line}`);
      for (const spec of match[2].split(',')) {
        const [family, , , set] = spec.split('#');
        assert.deepEqual(sets.get(set), { type: family === '4' ? 'ipv4_addr' : 'ipv6_addr', flags: 'timeout' }, spec);
      }
    }
    for (const line of nft.split('\n')) {
      if (line.startsWith('#')) continue;
      assert.equal((line.match(/"/g) ?? []).length % 2, 0, `quotes balance: ${line}`);
      for (const [, comment] of line.matchAll(/comment "([^"]*)"/g)) assert.ok(Buffer.byteLength(comment) <= 128, comment);
    }
    const hook = options?.hook ?? 'forward';
    assert.match(nft, new RegExp(`\\tchain ${hook} \\{\\n\\t\\ttype filter hook ${hook} priority filter; policy drop;\\n\\t\\tct state established,related accept\\n`));
    // Every rule leaves at least one accept statement, except those whose sources are host names only.
    for (const name of readFileSync(path, 'utf8').matchAll(/^ {2}- name: (.*)$/gm)) {
      const plain = name[1].startsWith('"') ? JSON.parse(name[1]) : name[1];
      if (plain === 'vendor-by-name-only' || plain === 'from-a-site-host-by-name') continue;
      const comments = [plain, `inbound; ${plain}`].map((comment) => `accept comment ${nftString(comment).slice(0, -1)}`);
      assert.ok(comments.some((comment) => nft.includes(comment)), `a rule for ${plain}`);
    }
  });
}

test('nftables: nft -c accepts every output (in a user and network namespace of its own, the host untouched)', (t) => {
  const trial = spawnSync('unshare', ['-rn', 'nft', '--version'], { encoding: 'utf8' });
  if (trial.status !== 0) return t.skip(`cannot run nft in a new namespace here: ${(trial.stderr || trial.error?.message || 'unshare -rn failed').trim()} (Debian: apt-get install nftables)`);
  const dir = mkdtempSync(join(tmpdir(), 'allowlist-nft-'));
  try {
    for (const { golden, path, options } of CASES) {
      const target = join(dir, `${golden}.nft`);
      writeFileSync(target, file(exportFile(path, options), 'allowlist.nft'));
      const check = spawnSync('unshare', ['-rn', 'nft', '-c', '-f', target], { encoding: 'utf8' });
      assert.equal(check.status, 0, `${golden}: ${check.stderr}`);
    }
    // Loading twice in one namespace: the second load replaces the first (no duplicate chains or errors).
    const edge = join(dir, 'edge-cases.nft');
    const twice = spawnSync('unshare', ['-rn', 'sh', '-c', `nft -f "${edge}" && nft -f "${edge}" && nft list ruleset`], { encoding: 'utf8' });
    assert.equal(twice.status, 0, twice.stderr);
    assert.equal(twice.stdout.match(/chain forward/g)?.length, 1);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('nftables: dnsmasq --test accepts every fragment, also beside a main configuration that sets its own TTLs', (t) => {
  if (spawnSync('dnsmasq', ['--version']).status !== 0) return t.skip('dnsmasq is not installed (Debian: apt-get install dnsmasq-base)');
  const dir = mkdtempSync(join(tmpdir(), 'allowlist-dnsmasq-'));
  try {
    const main = join(dir, 'dnsmasq.conf');
    for (const { golden, path, options } of CASES) {
      const fragment = join(dir, `${golden}.conf`);
      writeFileSync(fragment, file(exportFile(path, options), 'dnsmasq-allowlist.conf'));
      writeFileSync(main, `max-ttl=300\nmax-cache-ttl=300\nconf-file=${fragment}\n`);
      const check = spawnSync('dnsmasq', ['--test', `--conf-file=${main}`], { encoding: 'utf8' });
      assert.equal(check.status, 0, `${golden}: ${check.stderr}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('nftables: ports and protocols: ranges in one set, any protocol as tcp and udp, any port as no port match', () => {
  const nft = file(exportFile(EDGE), 'allowlist.nft');
  assert.match(nft, /ip daddr @web_and_cdn_to4 tcp dport \{ 80, 443, 2001-2500 \} accept/);
  assert.match(nft, /ip daddr @any_protocol_ports_names4 tcp dport \{ 500, 4500 \} accept/);
  assert.match(nft, /ip daddr @any_protocol_ports_names4 udp dport \{ 500, 4500 \} accept/);
  assert.match(nft, /\tip saddr @anything_to_backup_from4 accept comment/, 'protocol any, ports any: every protocol');
  assert.match(nft, /ip daddr @tcp_any_port_to4 meta l4proto tcp accept/);
  assert.match(nft, /ip saddr @dns_udp_from4 ip daddr @dns_udp_to4 udp dport 53 accept/);
  assert.match(nft, /ip6 saddr @dns_udp_from6 ip6 daddr @dns_udp_to6 udp dport 53 accept/);
  for (const line of nft.split('\n')) assert.ok(!(/\bip (s|d)addr/.test(line) && /\bip6 (s|d)addr/.test(line)), `no rule mixes families: ${line}`);
  assert.match(nft, /ip saddr @vendor_api_from4 ip daddr @vendor_api_to4 tcp dport 443 accept/, 'inbound by source and destination');
  assert.doesNotMatch(nft, /vendor_by_name_only\S* .*accept/, 'an inbound rule from host names only is left out');
});

test('nftables: warnings name what dnsmasq admits beyond the rule, and no more', () => {
  const byRule = new Map<string, string[]>();
  for (const warning of exportFile(EDGE).warnings) byRule.set(warning.rule, [...(byRule.get(warning.rule) ?? []), warning.message]);
  assert.match(byRule.get('web-and-cdn')!.join('\n'), /exported \*\.example\.test as \/example\.test\/, which also admits example\.test itself/);
  assert.ok(!byRule.get('web-and-cdn')!.some((message) => message.includes('app.example.test')), 'a host under the rule\'s own wildcard adds nothing');
  assert.match(byRule.get('any-protocol-ports')!.join('\n'), /also admits every name under vpn\.example\.test/);
  assert.equal(byRule.get('exact-host-and-its-wildcard'), undefined, 'a host and its own wildcard are exactly /name/');
  assert.match(byRule.get('vendor-api')!.join('\n'), /host-name sources of this inbound rule are left out/);
  assert.match(byRule.get('vendor-to-name')!.join('\n'), /fill their set only when a client resolves them/);
  const ownTimeouts = exportFile(EDGE, { hook: 'output' }).warnings.length;
  assert.equal(ownTimeouts, exportFile(EDGE).warnings.length, 'the hook changes no warning');
});

test('nftables: an outbound rule to any without `from`, in the forward hook without interfaces, is an unfaithful warning naming --lan-interface; scoped by the LAN interface with it', () => {
  const text = `allowlist: 1
outbound:
  - name: web
    to: any
    ports: [80, 443]
  - name: backup
    from: 192.0.2.10
    to: any
    ports: 443
  - name: api
    to: api.example.test
    ports: 443
  - name: everything-written-as-networks
    to: [0.0.0.0/0, "::/0"]
    ports: 443
  - name: private
    to: [10.0.0.0/8, 198.51.100.0/24]
    ports: 443
  - name: vendor-networks
    to: [198.51.100.0/24, "2001:db8::/32"]
    ports: 443
`;
  const inboundWarnings = (options: ExportOptions) => exportFile('web.allowlist.yaml', options, text).warnings.filter((warning) => /--lan-interface/.test(warning.message));
  const unscoped = inboundWarnings({});
  assert.deepEqual(
    unscoped.map((warning) => [warning.rule, warning.kind]),
    [['web', 'unfaithful'], ['everything-written-as-networks', 'unfaithful'], ['private', 'unfaithful']],
  );
  assert.match(unscoped[1].message, /to the hosts behind the router in 0\.0\.0\.0\/0, ::\/0 \(inbound\)/);
  assert.match(unscoped[2].message, /to the hosts behind the router in 10\.0\.0\.0\/8 \(inbound\)/);
  assert.match(unscoped[0].message, /also admits connections from the internet to every host behind the router \(inbound\) on its ports; pass --lan-interface NAME/);
  assert.deepEqual(inboundWarnings({ lanInterface: 'lan0' }), []);
  assert.match(file(exportFile('web.allowlist.yaml', { lanInterface: 'lan0' }, text), 'allowlist.nft'), /^\t\tiifname "lan0" tcp dport \{ 80, 443 \} accept comment "web"$/m);
  assert.deepEqual(inboundWarnings({ wanInterface: 'wan0' }), [], 'oifname: only traffic to the internet');
  assert.deepEqual(inboundWarnings({ hook: 'output' }), [], "the output hook sees only the host's own traffic");
});

test('nftables: dnsmasq picks one line per name, so a name under another rule\'s wildcard fills both rules\' sets', () => {
  const dnsmasq = file(exportFile(EDGE), 'dnsmasq-allowlist.conf');
  const line = dnsmasq.split('\n').find((l) => l.startsWith('nftset=/vpn.example.test/'))!;
  assert.equal(line, 'nftset=/vpn.example.test/4#inet#allowlist#any_protocol_ports_names4,4#inet#allowlist#web_and_cdn_names4,6#inet#allowlist#any_protocol_ports_names6,6#inet#allowlist#web_and_cdn_names6');
  assert.equal(dnsmasq.split('\n').filter((l) => l.startsWith('nftset=/example.test/')).length, 1);
  assert.ok(!dnsmasq.includes('*'), 'no wildcard form: dnsmasq fills nothing for /*.name/');
});

test('nftables: hostile rule names and comments cannot leave their string, in nft or in dnsmasq', () => {
  assert.equal(nftString('a "b" \\ c\nd\u202e'), '"a \'b\' \\ c\\nd\\u202e"');
  const long = nftString('é'.repeat(200));
  assert.ok(Buffer.byteLength(long) <= 130 && long.endsWith('…"'), long);
  const text = `allowlist: 1
outbound:
  - name: "x\\" accept comment \\"\\n\\tchain evil { type filter hook input priority 0; policy accept; }"
    to: a.example.test
    ports: 443
    ticket: "}\\n}\\ntable ip evil {"
`;
  const result = exportFile(join(ROOT, 'hostile\nname.allowlist.yaml'), {}, text);
  const nft = file(result, 'allowlist.nft');
  assert.ok(!/chain evil|table ip evil/.test(nft.split('\n').filter((l) => !l.includes('comment "')).join('\n')), nft);
  assert.deepEqual(nft.match(/^\tchain \S+/gm), ['\tchain rule_x__accept_comment____chain_evil___b1fe50', '\tchain forward'], 'only the generated chains');
  assert.ok(nft.split('\n').every((line) => line === '' || /^(#|\t|table |delete |\})/.test(line)), 'each line one of the shapes nft is written in');
  const dnsmasq = file(result, 'dnsmasq-allowlist.conf');
  assert.ok(dnsmasq.split('\n').every((line) => line === '' || /^(#|nftset=\/a\.example\.test\/)/.test(line)), dnsmasq);
});

test('nftables: deterministic, and set names do not depend on the order of the rules', () => {
  const first = exportFile(EDGE);
  assert.deepEqual(exportFile(EDGE), first);
  const text = readFileSync(EDGE, 'utf8');
  const [head, outbound] = text.split('outbound:\n');
  const [outboundRules, inbound] = outbound.split('inbound:\n');
  const items = outboundRules.split(/(?=^ {2}- name:)/m);
  const reordered = `${head}outbound:\n${[...items].reverse().join('')}inbound:\n${inbound}`;
  assert.notEqual(reordered, text);
  const sets = (result: ExportResult) => [...definedSets(file(result, 'allowlist.nft')).keys()].sort();
  assert.deepEqual(sets(exportFile(EDGE, {}, reordered)), sets(first));
  assert.equal(file(exportFile(EDGE, {}, reordered), 'dnsmasq-allowlist.conf'), file(first, 'dnsmasq-allowlist.conf'), 'the dnsmasq lines are sorted by name');
});

test('nftables: --skip-expired leaves the expired rule and its sets out', () => {
  const nft = file(exportFile(EDGE, { skipExpired: true }), 'allowlist.nft');
  assert.ok(!nft.includes('anything_to_backup'));
});
