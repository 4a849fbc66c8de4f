/** The proof of nftables change sets (`allowlist export --since`): in a network namespace this test creates, the
 * full export of version A is loaded and the change set A→B applied; in a fresh namespace the full export of B is
 * loaded; the two rulesets (`nft -j list ruleset`) must be equal but for handles, the order in which sets and
 * chains were declared, and the order of set elements. Rules are added, changed (ports, addresses, host names),
 * removed and renamed, for both hooks and both ways (B→A too), and from a file that did not exist. */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { exportAllowlist, exportChangeSet, targetById } from '../../src/core/export';
import { lintText } from '../../src/core/lint';

const VERSION_A = `allowlist: 1
outbound:
  - name: app
    to: [app.example.test, 203.0.113.10]
    ports: 443
  - name: mail
    to: 203.0.113.25
    ports: [25, 587]
  - name: old-name
    to: 2001:db8::5
    ports: 22
  - name: gone
    to: "*.gone.example.test"
    protocol: udp
    ports: 53
  - name: steady
    from: 192.0.2.0/28
    to: steady.example.test
    ports: 8443
`;

/** app: ports and addresses changed; mail: an address added; old-name renamed; gone removed; steady kept; new and an
 * inbound rule added (in the output hook, the first inbound rule brings the input chain). */
const VERSION_B = `allowlist: 1
outbound:
  - name: steady
    from: 192.0.2.0/28
    to: steady.example.test
    ports: 8443
  - name: app
    to: [app.example.test, api.example.test, 203.0.113.11]
    ports: [443, 8000-8100]
  - name: mail
    to: [203.0.113.25, 203.0.113.26]
    ports: [25, 587]
  - name: new-name
    to: 2001:db8::5
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

const nftables = targetById('nftables')!;
const TODAY = '2026-12-02';
const model = (text: string) => lintText(text, { fileName: 'site.allowlist.yaml' }).model;

function missingTool(): string | undefined {
  if (process.getuid?.() !== 0) return 'needs root to create network namespaces (ip netns add)';
  for (const tool of ['ip', 'nft']) if (spawnSync('which', [tool]).status !== 0) return `${tool} is not installed (Debian: apt-get install iproute2 nftables)`;
  if (spawnSync('unshare', ['-n', 'true']).status !== 0) return 'cannot create a network namespace here (needs CAP_SYS_ADMIN and CAP_NET_ADMIN)';
  return undefined;
}

/** A ruleset with what does not change its meaning taken out: handles, the order sets and chains were declared in
 * (rules keep their order within their chain), the order of set elements. */
function normalised(json: string): unknown[] {
  const entries = (JSON.parse(json) as { nftables: Record<string, Record<string, unknown>>[] }).nftables.filter((entry) => !('metainfo' in entry));
  const clean = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(clean);
    if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).filter(([key]) => key !== 'handle').map(([key, inner]) => [key, clean(inner)]));
    return value;
  };
  return entries
    .map((entry, index) => {
      const [kind, body] = Object.entries(entry)[0];
      if (kind === 'set' && Array.isArray(body.elem)) body.elem = [...body.elem].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
      const owner = String(kind === 'rule' ? body.chain : body.name);
      return { sortKey: `${kind}\0${owner}\0${kind === 'rule' ? String(index).padStart(6, '0') : ''}`, entry: clean(entry) };
    })
    .sort((a, b) => (a.sortKey < b.sortKey ? -1 : a.sortKey > b.sortKey ? 1 : 0))
    .map(({ entry }) => entry);
}

const skip = missingTool();

test('nftables change sets: the export of A plus the change set A→B is the export of B, in a real kernel', { skip: skip ?? false }, (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'allowlist-changes-'));
  const namespaces: string[] = [];
  t.after(() => {
    for (const name of namespaces) spawnSync('ip', ['netns', 'del', name], { stdio: 'ignore' });
    rmSync(dir, { recursive: true, force: true });
  });
  let count = 0;
  /** A fresh namespace with each file loaded in turn by `nft -f`; its ruleset as JSON. */
  const rulesetAfter = (...texts: string[]): string => {
    const name = `al${process.pid}-changes-${count++}`;
    execFileSync('ip', ['netns', 'add', name]);
    namespaces.push(name);
    for (const [index, text] of texts.entries()) {
      const path = join(dir, `${name}-${index}.nft`);
      writeFileSync(path, text);
      const loaded = spawnSync('ip', ['netns', 'exec', name, 'nft', '-f', path], { encoding: 'utf8' });
      assert.equal(loaded.status, 0, `nft -f refused file ${index + 1}:\n${loaded.stderr}\n${text}`);
    }
    return execFileSync('ip', ['netns', 'exec', name, 'nft', '-j', 'list', 'ruleset'], { encoding: 'utf8' });
  };
  const full = (text: string, hook: 'forward' | 'output') => exportAllowlist(model(text), nftables, { today: TODAY, hook }).files.find((file) => file.name === 'allowlist.nft')!.text;

  for (const hook of ['forward', 'output'] as const) {
    for (const [from, to, label] of [
      [VERSION_A, VERSION_B, 'A→B'],
      [VERSION_B, VERSION_A, 'B→A'],
    ] as const) {
      const changes = exportChangeSet(model(from), model(to), nftables, 'HEAD', { today: TODAY, hook });
      const changeSet = changes.files.find((file) => file.name === 'allowlist-changes.nft')!.text;
      assert.doesNotMatch(changeSet, /delete table|flush ruleset/, 'the change set never replaces the table');
      assert.deepEqual(normalised(rulesetAfter(full(from, hook), changeSet)), normalised(rulesetAfter(full(to, hook))), `${hook}, ${label}:\n${changeSet}`);
      // The unchanged rule's chain and sets (its host names' addresses, filled by dnsmasq) are neither deleted nor redefined.
      assert.doesNotMatch(changeSet, /^(delete|flush) (set|chain) inet allowlist \S*steady|^\t(set|chain) \S*steady/m, `${hook}, ${label}: the unchanged rule is left alone`);
      assert.match(changeSet, /^\t\tjump rule_steady$/m, `${hook}, ${label}: the hook chain still jumps to it`);
    }
    // A file new since the revision: everything is added to an empty table.
    const fresh = exportChangeSet(undefined, model(VERSION_B), nftables, 'HEAD', { today: TODAY, hook }).files[0].text;
    assert.deepEqual(normalised(rulesetAfter(fresh)), normalised(rulesetAfter(full(VERSION_B, hook))), `${hook}, from nothing`);
    const emptyFile = 'allowlist: 1\n';
    const freshEmpty = exportChangeSet(undefined, model(emptyFile), nftables, 'HEAD', { today: TODAY, hook }).files[0].text;
    assert.deepEqual(normalised(rulesetAfter(freshEmpty)), normalised(rulesetAfter(full(emptyFile, hook))), `${hook}, a new file without rules`);
  }
});

test('nftables change sets: what changed, and nothing when nothing did', () => {
  const changes = exportChangeSet(model(VERSION_A), model(VERSION_B), nftables, 'main (abc1234)', { today: TODAY });
  assert.deepEqual(changes.changes, { added: ['new-name', 'added', 'vendor-push'], changed: ['app', 'mail'], removed: ['old-name', 'gone'] });
  const [nft, dnsmasq] = changes.files;
  assert.match(nft.text, /^# Rules added: "new-name", "added", "vendor-push"; changed: "app", "mail"; removed: "old-name", "gone"\.$/m);
  assert.match(nft.text, /^delete chain inet allowlist rule_gone$/m);
  assert.match(nft.text, /^delete set inet allowlist old_name_to6$/m);
  // The host names changed (api added, *.gone.example.test removed): the dnsmasq fragment comes whole.
  assert.equal(dnsmasq.name, 'dnsmasq-allowlist.conf');
  assert.equal(dnsmasq.text, exportAllowlist(model(VERSION_B), nftables, { today: TODAY }).files[1].text);
  assert.match(dnsmasq.text, /^nftset=\/api\.example\.test\//m);

  const none = exportChangeSet(model(VERSION_A), model(VERSION_A.replace('ports: 22', 'ports: [22]')), nftables, 'HEAD', { today: TODAY });
  assert.deepEqual(none.changes, { added: [], changed: [], removed: [] });
  assert.equal(none.files.length, 1, 'no dnsmasq fragment where it did not change');
  assert.match(none.files[0].text, /# Nothing to change\.\n$/);
  assert.doesNotMatch(none.files[0].text, /^(flush|delete|table)/m);
});
