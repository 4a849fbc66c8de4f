/** `allowlist drift` through the built CLI (dist/cli.js): usage errors, the platform told from the file, exit codes,
 * the three formats, nft unavailable, and the live ruleset of a network namespace this test creates. What counts as
 * drift is tested beside the engine (src/core/drift). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fortigateLargeGroup } from '../generate';
import { builtCliSkip, run, runBuilt, tempTree } from './helpers';

const skip = builtCliSkip;
const CONTOSO_PATH = resolve(__dirname, '../../examples/contoso.allowlist.yaml');
const CONTOSO = readFileSync(CONTOSO_PATH, 'utf8');
const TODAY = '2026-11-25';
const cli = runBuilt;

/** A folder with contoso and its FortiGate export, written by the CLI itself. */
function withExport(): { dir: string; cleanup: () => void; box: string } {
  const tree = tempTree({ 'site.allowlist.yaml': CONTOSO });
  const exported = cli(tree.dir, ['export', 'site.allowlist.yaml', '--target', 'fortigate', '-o', 'box.conf', '--today', TODAY]);
  assert.equal(exported.status, 0, exported.stderr);
  return { ...tree, box: readFileSync(join(tree.dir, 'box.conf'), 'utf8') };
}

test('drift: usage errors exit 2 with a message', { skip }, () => {
  const { dir, cleanup } = withExport();
  try {
    const cases: [string[], RegExp][] = [
      [['drift'], /drift needs an ALLOWLIST file/],
      [['drift', 'site.allowlist.yaml'], /drift needs --against CONFIG/],
      [['drift', 'site.allowlist.yaml', '--against', 'box.conf', '--from', 'fortigat'], /unknown --from fortigat; did you mean fortigate\?/],
      [['drift', 'site.allowlist.yaml', '--against', 'box.conf', '--format', 'sarif'], /unknown --format sarif; expected text, markdown, json/],
      [['drift', 'site.allowlist.yaml', '--against', 'nft', '--from', 'pfsense'], /--against nft reads an nftables ruleset; it takes no --from pfsense/],
      [['drift', 'site.allowlist.yaml', '--against', 'nope.conf'], /cannot read nope\.conf: /],
      [['drift', 'site.allowlist.yaml', '--against', 'site.allowlist.yaml'], /cannot tell which firewall site\.allowlist\.yaml is from; give --from fortigate\|pfsense\|opnsense\|nftables/],
      [['drift', 'site.allowlist.yaml', '--against', 'box.conf', '--today', '2026-13-01'], /--today must be a date/],
    ];
    for (const [args, message] of cases) {
      const result = cli(dir, args);
      assert.equal(result.status, 2, `${args.join(' ')}: ${result.stderr}`);
      assert.match(result.stderr, message);
      assert.equal(result.stdout, '');
    }
    writeFileSync(join(dir, 'broken.allowlist.yaml'), 'allowlist: [1\n');
    const broken = cli(dir, ['drift', 'broken.allowlist.yaml', '--against', 'box.conf']);
    assert.equal(broken.status, 2);
    assert.match(broken.stderr, /^allowlist: error: cannot compare broken\.allowlist\.yaml: it does not parse \(YAML error at line \d+: /m);
  } finally {
    cleanup();
  }
});

test('drift: a configuration whose policies, groups expanded, are over the linter\'s limit is exit 2 saying so, not "in sync" with its backdoor unseen', async () => {
  const { dir, cleanup } = tempTree({ 'site.allowlist.yaml': 'allowlist: 1\noutbound: []\n', 'box.conf': fortigateLargeGroup() });
  try {
    const result = await run(dir, ['drift', 'site.allowlist.yaml', '--against', 'box.conf', '--from', 'fortigate', '--lan-interface', 'internal', '--wan-interface', 'wan1']);
    assert.equal(result.code, 2, result.stdout);
    assert.match(result.stderr, /cannot compare site\.allowlist\.yaml with box\.conf, which could not be read: its policies written as an allowlist \(groups expanded in each policy\) are 5\.\d MB, over the linter's limit of 5\.0 MB/);
    assert.equal(result.stdout, '');
  } finally {
    cleanup();
  }
});

test('drift: the export of contoso is in sync (exit 0), the platform told from the file on stderr', { skip }, () => {
  const { dir, cleanup } = withExport();
  try {
    const result = cli(dir, ['drift', 'site.allowlist.yaml', '--against', 'box.conf', '--today', TODAY]);
    assert.equal(result.status, 0, result.stdout);
    assert.match(result.stderr, /^allowlist: reading box\.conf as fortigate \(FortiGate/m);
    assert.match(result.stdout, /^site\.allowlist\.yaml against box\.conf \(fortigate\): in sync/);
    const named = cli(dir, ['drift', 'site.allowlist.yaml', '--against', 'box.conf', '--from', 'fortigate', '--today', TODAY]);
    assert.equal(named.status, 0);
    assert.doesNotMatch(named.stderr, /reading box\.conf as/);
    // The wrong platform named: said on stderr, and nothing of the configuration is read (all missing).
    const wrong = cli(dir, ['drift', 'site.allowlist.yaml', '--against', 'box.conf', '--from', 'pfsense', '--today', TODAY]);
    assert.equal(wrong.status, 1);
    assert.match(wrong.stderr, /^allowlist: warning: box\.conf looks like a fortigate configuration; reading it as pfsense \(--from\)$/m);
  } finally {
    cleanup();
  }
});

test('drift: a FortiGate export of a rule to 0.0.0.0/0 (IPv4 only) and ::/0 is in sync, not read back as any', { skip }, () => {
  const { dir, cleanup } = tempTree({ 'site.allowlist.yaml': 'allowlist: 1\noutbound:\n  - name: v4\n    to: 0.0.0.0/0\n    ports: 443\n  - name: v6\n    to: "::/0"\n    ports: 80\n' });
  try {
    assert.equal(cli(dir, ['export', 'site.allowlist.yaml', '--target', 'fortigate', '-o', 'box.conf', '--today', TODAY]).status, 0);
    const result = cli(dir, ['drift', 'site.allowlist.yaml', '--against', 'box.conf', '--from', 'fortigate', '--today', TODAY]);
    assert.equal(result.status, 0, result.stdout);
  } finally {
    cleanup();
  }
});

test('drift: a port changed on the box is exit 1, one extra and one missing line with CONFIG:LINE and ALLOWLIST:LINE; JSON and Markdown', { skip }, () => {
  const { dir, cleanup, box } = withExport();
  try {
    const edited = box.replace('set udp-portrange 123', 'set udp-portrange 124');
    assert.notEqual(edited, box);
    writeFileSync(join(dir, 'box.conf'), edited);
    const policyLine = edited.split('\n').findIndex((line, index, lines) => /^\s+edit \d+$/.test(line) && lines.slice(index, index + 12).some((next) => next.includes('"ntp_svc"'))) + 1;
    const ruleLine = CONTOSO.split('\n').indexOf('  - name: ntp') + 1;
    const text = cli(dir, ['drift', 'site.allowlist.yaml', '--against', 'box.conf', '--today', TODAY]);
    assert.equal(text.status, 1, text.stderr);
    const entries = text.stdout.split('\n').filter((line) => /^ {2}\S+:\d+: (extra|missing|requirement-unmet) /.test(line));
    assert.deepEqual(entries, [
      `  box.conf:${policyLine}: extra outbound from 10.20.0.10 to time.windows.com on UDP 124: policy ntp`,
      `  site.allowlist.yaml:${ruleLine}: missing outbound from 10.20.0.10 to time.windows.com on UDP 123: rule ntp`,
    ]);

    const json = cli(dir, ['drift', 'site.allowlist.yaml', '--against', 'box.conf', '--format', 'json', '--today', TODAY]);
    assert.equal(json.status, 1);
    const report = JSON.parse(json.stdout);
    assert.equal(report.inSync, false);
    assert.deepEqual(report.extra.map((entry: { firewallPolicies: unknown }) => entry.firewallPolicies), [[{ name: 'ntp', line: policyLine }]]);
    assert.deepEqual(report.missing.map((entry: { allowlistRules: unknown; ports: unknown; protocol: string }) => [entry.allowlistRules, entry.ports, entry.protocol]), [[[{ name: 'ntp', line: ruleLine }], [{ from: 123, to: 123 }], 'udp']]);
    assert.deepEqual(report.requirements, []);

    const markdown = cli(dir, ['drift', 'site.allowlist.yaml', '--against', 'box.conf', '--format', 'markdown', '--today', TODAY]);
    assert.equal(markdown.status, 1);
    assert.match(markdown.stdout, /^### Drift: site\.allowlist\.yaml against box\.conf \(fortigate\)\n\n⚠ 1 extra, 1 missing, 0 vendor requirements unmet\n/);
    assert.match(markdown.stdout, new RegExp(`^\\| outbound from 10\\.20\\.0\\.10 to time\\.windows\\.com on UDP 123 \\| — \\| ntp \\(site\\.allowlist\\.yaml:${ruleLine}\\) \\|$`, 'm'));
  } finally {
    cleanup();
  }
});

test('drift --against nft: nft not installed is exit 2 with what to do', { skip }, () => {
  const { dir, cleanup } = withExport();
  try {
    const result = cli(dir, ['drift', 'site.allowlist.yaml', '--against', 'nft'], { env: { PATH: join(dir, 'no-such-folder') } });
    assert.equal(result.status, 2);
    assert.match(result.stderr, /^allowlist: error: --against nft: nft is not installed \(or not on PATH\); install nftables, or save the ruleset/m);
  } finally {
    cleanup();
  }
});

/** Why the live ruleset cannot be tried here, or undefined where it can. */
function liveUnavailable(): string | undefined {
  if (builtCliSkip) return builtCliSkip;
  if (process.getuid?.() !== 0) return 'not root: ip netns needs it';
  for (const tool of ['ip', 'nft']) if (spawnSync('which', [tool]).status !== 0) return `${tool} is not installed (Debian: apt-get install iproute2 nftables)`;
  if (spawnSync('unshare', ['-n', 'true']).status !== 0) return 'cannot create a network namespace here (needs CAP_SYS_ADMIN and CAP_NET_ADMIN)';
  return undefined;
}

test('drift --against nft: the live ruleset of a namespace with contoso loaded is in sync; one set element deleted is one missing entry; without CAP_NET_ADMIN exit 2', { skip: liveUnavailable() ?? false }, (t) => {
  const namespace = `allowlist-drift-${process.pid}`;
  const { dir, cleanup } = tempTree({ 'site.allowlist.yaml': CONTOSO });
  t.after(() => {
    spawnSync('ip', ['netns', 'delete', namespace]);
    cleanup();
  });
  const interfaces = ['--lan-interface', 'lan0', '--wan-interface', 'wan0'];
  const exported = cli(dir, ['export', 'site.allowlist.yaml', '--target', 'nftables', '--out', 'nft', '--today', TODAY, ...interfaces]);
  assert.equal(exported.status, 0, exported.stderr);
  const added = spawnSync('ip', ['netns', 'add', namespace], { encoding: 'utf8' });
  assert.equal(added.status, 0, added.stderr);
  const inside = ['ip', 'netns', 'exec', namespace];
  const load = spawnSync('ip', ['netns', 'exec', namespace, 'nft', '-f', join(dir, 'nft/allowlist.nft')], { encoding: 'utf8' });
  assert.equal(load.status, 0, load.stderr);

  const drift = (format: string) => cli(dir, ['drift', 'site.allowlist.yaml', '--against', 'nft', '--format', format, '--today', TODAY, ...interfaces], { prefix: inside });
  const synced = drift('json');
  assert.equal(synced.status, 0, synced.stdout + synced.stderr);
  const before = JSON.parse(synced.stdout);
  assert.equal(before.against, 'nft');
  assert.equal(before.platform, 'nftables');
  // The host names live in dnsmasq's sets, not in the ruleset: said, not reported missing.
  assert.ok(before.notes.some((note: string) => note.startsWith('host names of the allowlist not compared')), before.notes.join('\n'));

  const deleted = spawnSync('ip', ['netns', 'exec', namespace, 'nft', 'delete', 'element', 'inet', 'allowlist', 'hdb_ticket_api_to4', '{ 10.20.0.15 }'], { encoding: 'utf8' });
  assert.equal(deleted.status, 0, deleted.stderr);
  const drifted = drift('json');
  assert.equal(drifted.status, 1, drifted.stderr);
  const after = JSON.parse(drifted.stdout);
  assert.deepEqual(after.extra, []);
  assert.equal(after.missing.length, 1);
  const [missing] = after.missing;
  assert.deepEqual([missing.direction, missing.from.label, missing.to.label, missing.protocol, missing.ports], ['inbound', 'any', '10.20.0.15', 'tcp', [{ from: 443, to: 443 }]]);
  assert.deepEqual(missing.allowlistRules.map((rule: { name: string }) => rule.name), ['hdb-ticket-api']);
  // The vendor's inbound requirement is unmet on the box now, in the catalog's words.
  assert.deepEqual(after.requirements.map((requirement: { ruleId: string; roles: string[] }) => [requirement.ruleId, requirement.roles]), [['inbound-missing-source', ['inbound API requests to your ticket system']]]);

  // Without root's capabilities nft may not read the ruleset.
  if (spawnSync('which', ['setpriv']).status === 0) {
    chmodSync(dir, 0o755); // the unprivileged user reads the allowlist: only nft is refused
    const unprivileged = cli(dir, ['drift', 'site.allowlist.yaml', '--against', 'nft'], { prefix: [...inside, 'setpriv', '--reuid=65534', '--regid=65534', '--clear-groups', '--inh-caps=-all', '--bounding-set=-all'] });
    assert.equal(unprivileged.status, 2, unprivileged.stdout);
    assert.match(unprivileged.stderr, /^allowlist: error: --against nft: nft may not read the ruleset \(.*\): run as root or with CAP_NET_ADMIN$/m);
  } else t.diagnostic('setpriv is not installed: the unprivileged run is not tried');
});

test("drift --against nft: contoso's export with the defaults (forward hook, no interfaces) loaded is in sync: the inbound rule's comment tells its direction", { skip: liveUnavailable() ?? false }, (t) => {
  const namespace = `allowlist-drift-defaults-${process.pid}`;
  const { dir, cleanup } = tempTree({ 'site.allowlist.yaml': CONTOSO });
  t.after(() => {
    spawnSync('ip', ['netns', 'delete', namespace]);
    cleanup();
  });
  const exported = cli(dir, ['export', 'site.allowlist.yaml', '--target', 'nftables', '--out', 'nft', '--today', TODAY]);
  assert.equal(exported.status, 0, exported.stderr);
  assert.equal(spawnSync('ip', ['netns', 'add', namespace]).status, 0);
  const inside = ['ip', 'netns', 'exec', namespace];
  const load = spawnSync('ip', [...inside.slice(1), 'nft', '-f', join(dir, 'nft/allowlist.nft')], { encoding: 'utf8' });
  assert.equal(load.status, 0, load.stderr);
  const synced = cli(dir, ['drift', 'site.allowlist.yaml', '--against', 'nft', '--format', 'json', '--today', TODAY], { prefix: inside });
  assert.equal(synced.status, 0, synced.stdout + synced.stderr);
  const report = JSON.parse(synced.stdout);
  assert.deepEqual([report.extra, report.missing, report.requirements], [[], [], []]);
});
