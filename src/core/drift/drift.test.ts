import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateAllowlist } from '../../../test/generate';
import { exportAllowlist, targetById } from '../export';
import { readerById } from '../import';
import { defaultCatalogSet, lintText } from '../lint';
import { driftOf } from './drift';
import { formatDrift } from './format';
import type { DriftReport } from './types';

const CONTOSO = readFileSync(join(__dirname, '../../../examples/contoso.allowlist.yaml'), 'utf8');
const TODAY = '2026-12-02';

/** A site that meets every Helpdesk Buttons requirement (self-hosted ticket system), with a group of sources, a port
 * range and a network, so that each kind of edit on the box has something to change. */
const SITE = `allowlist: 1
vendors:
  helpdesk-buttons: { ticket-system: self-hosted }
outbound:
  - name: hdb-api
    vendor: helpdesk-buttons
    to: [flu1pjyrr2.execute-api.us-east-1.amazonaws.com, e4rz8vlrg0.execute-api.us-east-1.amazonaws.com]
    ports: 443
  - name: hdb-uploads
    vendor: helpdesk-buttons
    to: hdb-stuff.s3.amazonaws.com
    ports: 443
  - name: hdb-techconnect
    vendor: helpdesk-buttons
    to: connect.helpdeskbuttons.com
    ports: [443, "2001-2500"]
  - name: backup
    from: [10.20.0.10, 10.20.0.15]
    to: 203.0.113.40
    ports: 443
  - name: voip
    to: 198.51.100.0/24
    ports: "10000-20000"
    protocol: udp
inbound:
  - name: hdb-ticket-api
    vendor: helpdesk-buttons
    from: [34.202.14.153, 3.209.57.193]
    to: 10.20.0.15
    ports: 443
`;

function exported(text: string, target: string): string {
  const result = exportAllowlist(lintText(text, { fileName: 'site.allowlist.yaml' }).model, targetById(target)!, { today: TODAY, sourceName: 'site.allowlist.yaml' });
  assert.equal(result.files.length, 1, `${target} writes one file`);
  return result.files[0].text;
}

function drift(allowlist: string, config: string, platform: string): DriftReport {
  return driftOf(allowlist, config, readerById(platform)!, { allowlistName: 'site.allowlist.yaml', againstName: 'box.conf', today: TODAY });
}

/** `text` with `pattern` replaced, failing when the pattern is not there (an edit that changes nothing proves nothing). */
function edit(text: string, pattern: RegExp, replacement: string | ((...match: string[]) => string)): string {
  assert.match(text, pattern);
  return text.replace(pattern, replacement as string);
}

const lineOf = (text: string, needle: string): number => text.slice(0, text.indexOf(needle)).split('\n').length;
const kinds = (report: DriftReport) => ({ extra: report.extra.length, missing: report.missing.length, requirements: report.requirements.length });

for (const platform of ['fortigate', 'pfsense']) {
  test(`${platform}: the export of contoso, of the site and of generated allowlists is not drift`, () => {
    for (const text of [CONTOSO, SITE, generateAllowlist({ rules: 40, seed: 3, inboundShare: 0.3 }), generateAllowlist({ rules: 25, seed: 11 })]) {
      const report = drift(text, exported(text, platform), platform);
      assert.deepEqual(kinds(report), { extra: 0, missing: 0, requirements: 0 }, formatDrift(report, 'text'));
      assert.equal(report.inSync, true);
    }
  });
}

/** Why a real nft in a network namespace cannot be used here, or undefined where it can. */
function nftUnavailable(): string | undefined {
  if (process.getuid?.() !== 0) return 'not root: ip netns needs it';
  for (const tool of ['ip', 'nft']) if (spawnSync('which', [tool]).status !== 0) return `${tool} is not installed (Debian: apt-get install iproute2 nftables)`;
  return undefined;
}

test('nftables: the export of contoso and of generated allowlists, loaded into a real nft, is not drift; the host names it cannot hold are a note', { skip: nftUnavailable() ?? false }, (t) => {
  const namespace = `allowlist-drift-core-${process.pid}`;
  const dir = mkdtempSync(join(tmpdir(), 'allowlist-drift-'));
  const added = spawnSync('ip', ['netns', 'add', namespace], { encoding: 'utf8' });
  assert.equal(added.status, 0, added.stderr);
  t.after(() => {
    spawnSync('ip', ['netns', 'delete', namespace]);
    rmSync(dir, { recursive: true, force: true });
  });
  const interfaces = { lanInterface: 'lan0', wanInterface: 'wan0' };
  for (const text of [CONTOSO, SITE, generateAllowlist({ rules: 40, seed: 3, inboundShare: 0.3 }), generateAllowlist({ rules: 25, seed: 11 })]) {
    const result = exportAllowlist(lintText(text, { fileName: 'site.allowlist.yaml' }).model, targetById('nftables')!, { today: TODAY, sourceName: 'site.allowlist.yaml', ...interfaces });
    const path = join(dir, 'allowlist.nft');
    writeFileSync(path, `flush ruleset\n${result.files.find((file) => file.name === 'allowlist.nft')!.text}`);
    const load = spawnSync('ip', ['netns', 'exec', namespace, 'nft', '-f', path], { encoding: 'utf8' });
    assert.equal(load.status, 0, load.stderr);
    const listed = spawnSync('ip', ['netns', 'exec', namespace, 'nft', '-j', 'list', 'ruleset'], { encoding: 'utf8' });
    assert.equal(listed.status, 0, listed.stderr);
    const report = driftOf(text, listed.stdout, readerById('nftables')!, { allowlistName: 'site.allowlist.yaml', againstName: 'nft', today: TODAY, ...interfaces });
    assert.deepEqual(kinds(report), { extra: 0, missing: 0, requirements: 0 }, formatDrift(report, 'text'));
    assert.ok(report.notes.some((note) => note.startsWith('host names of the allowlist not compared, since an nftables ruleset holds addresses only')), report.notes.join('\n'));
  }
});

test('pfsense: the wildcards its aliases cannot hold are a note, not missing', () => {
  const report = drift(CONTOSO, exported(CONTOSO, 'pfsense'), 'pfsense');
  assert.ok(report.notes.some((note) => /^wildcards of the allowlist not compared, since pfSense aliases hold exact host names only: m365-web \(\*\.office\.com/.test(note)), report.notes.join('\n'));
  // Contoso's own TechConnect gap is the allowlist's finding, not drift.
  assert.ok(report.notes.some((note) => /allowlist fails too.*"establish TechConnect session"/.test(note)), report.notes.join('\n'));
});

test('fortigate: a policy added on the box is one extra entry, naming the policy and its line', () => {
  const box = exported(SITE, 'fortigate');
  const added = edit(
    box,
    /\nend\n(?![\s\S]*\nend\n)/,
    `\n    edit 4242\n        set name "late-night"\n        set srcintf "internal"\n        set dstintf "wan1"\n        set srcaddr "all"\n        set dstaddr "backup_203.0.113.40"\n        set action accept\n        set schedule "always"\n        set service "voip_svc"\n    next\nend\n`,
  );
  const report = drift(SITE, added, 'fortigate');
  assert.deepEqual(kinds(report), { extra: 1, missing: 0, requirements: 0 }, formatDrift(report, 'text'));
  const [extra] = report.extra;
  assert.equal(extra.kind, 'extra');
  assert.equal(extra.direction, 'outbound');
  assert.equal(extra.to.label, '203.0.113.40');
  assert.equal(extra.protocol, 'udp');
  assert.deepEqual(extra.ports, [{ from: 10000, to: 20000 }]);
  assert.deepEqual(extra.firewallPolicies, [{ name: 'late-night', line: lineOf(added, 'edit 4242') }]);
  assert.deepEqual(extra.allowlistRules, []);
  assert.equal(report.inSync, false);
});

test('fortigate: two policies of the same name map back to their own lines (the writer makes the names unique)', () => {
  const box = exported(SITE, 'fortigate');
  const policy = (id: number, address: string) =>
    `    edit ${id}\n        set name "same"\n        set srcintf "internal"\n        set dstintf "wan1"\n        set srcaddr "all"\n        set dstaddr "${address}"\n        set action accept\n        set schedule "always"\n        set service "voip_svc"\n    next\n`;
  const added = edit(box, /\nend\n(?![\s\S]*\nend\n)/, `\n${policy(4242, 'backup_203.0.113.40')}${policy(4343, 'hdb-ticket-api_10.20.0.15')}end\n`);
  const report = drift(SITE, added, 'fortigate');
  assert.deepEqual(
    report.extra.map((extra) => [extra.to.label, extra.firewallPolicies]),
    [
      ['203.0.113.40', [{ name: 'same', line: lineOf(added, 'edit 4242') }]],
      ['10.20.0.15', [{ name: 'same', line: lineOf(added, 'edit 4343') }]],
    ],
  );
});

test('fortigate: an address removed from a group is one missing entry, naming the allowlist rule and its line', () => {
  const box = exported(SITE, 'fortigate');
  const removed = edit(box, /(set member "backup_10\.20\.0\.10") "backup_10\.20\.0\.15"/, '$1');
  const report = drift(SITE, removed, 'fortigate');
  assert.deepEqual(kinds(report), { extra: 0, missing: 1, requirements: 0 }, formatDrift(report, 'text'));
  const [missing] = report.missing;
  assert.equal(missing.kind, 'missing');
  assert.equal(missing.from.label, '10.20.0.15');
  assert.equal(missing.to.label, '203.0.113.40');
  assert.deepEqual(missing.allowlistRules, [{ name: 'backup', line: lineOf(SITE, 'name: backup') }]);
  assert.deepEqual(missing.firewallPolicies, []);
});

test('fortigate: a port range narrowed on the box is one missing entry with the ports no longer allowed', () => {
  const box = exported(SITE, 'fortigate');
  const narrowed = edit(box, /set udp-portrange 10000-20000/, 'set udp-portrange 10000-15000');
  const report = drift(SITE, narrowed, 'fortigate');
  assert.deepEqual(kinds(report), { extra: 0, missing: 1, requirements: 0 }, formatDrift(report, 'text'));
  const [missing] = report.missing;
  assert.deepEqual(missing.ports, [{ from: 15001, to: 20000 }]);
  assert.equal(missing.protocol, 'udp');
  assert.deepEqual(missing.allowlistRules.map((rule) => rule.name), ['voip']);
  // The policy that still allows part of it, by its line in the configuration.
  assert.deepEqual(missing.firewallPolicies.map((policy) => policy.name), ['voip']);
  assert.equal(missing.firewallPolicies[0].line, narrowed.split('\n').findIndex((line, index, lines) => /^\s+edit \d+$/.test(line) && lines.slice(index, index + 12).some((next) => next.includes('"voip_svc"'))) + 1);
});

test('a vendor requirement the box fails is reported with the catalog role text verbatim', () => {
  const box = exported(SITE, 'fortigate');
  const narrowed = edit(box, /set tcp-portrange 443 2001-2500/, 'set tcp-portrange 443');
  const report = drift(SITE, narrowed, 'fortigate');
  assert.deepEqual(kinds(report), { extra: 0, missing: 1, requirements: 1 }, formatDrift(report, 'text'));
  const [requirement] = report.requirements;
  const catalog = defaultCatalogSet().byVendor.get('helpdesk-buttons')!;
  const role = catalog.endpoints.find((endpoint) => endpoint.host === 'connect.helpdeskbuttons.com' && endpoint.ports.some((port) => port.from === 2001))!.role;
  assert.equal(requirement.ruleId, 'missing-ports');
  assert.equal(requirement.vendor, 'helpdesk-buttons');
  assert.deepEqual(requirement.roles, [role]);
  assert.equal(requirement.target, 'connect.helpdeskbuttons.com');
  assert.ok(requirement.summary.includes(`"${role}"`), requirement.summary);
  assert.deepEqual(requirement.allowlistRules, [{ name: 'hdb-techconnect', line: lineOf(SITE, 'name: hdb-techconnect') }]);
});

test('an inbound vendor source the box no longer admits is a requirement, in the vendor words', () => {
  const box = exported(SITE, 'fortigate');
  const dropped = edit(box, /set member "hdb-ticket-api_3\.209\.57\.193" ("hdb-ticket-api_34\.202\.14\.153")/, 'set member $1');
  const report = drift(SITE, dropped, 'fortigate');
  assert.deepEqual(kinds(report), { extra: 0, missing: 1, requirements: 1 }, formatDrift(report, 'text'));
  assert.equal(report.requirements[0].ruleId, 'inbound-missing-source');
  assert.equal(report.requirements[0].target, '3.209.57.193');
  assert.deepEqual(report.requirements[0].roles, ['inbound API requests to your ticket system']);
});

test('fortigate: reordered policies, a renamed address object and a group split into inline addresses are not drift', () => {
  const box = exported(SITE, 'fortigate');
  // Reordering: the last policy first.
  const policies = /(config firewall policy\n)([\s\S]*?)(end\n)/.exec(box)!;
  const blocks = policies[2].split(/(?=    edit \d+\n)/);
  const reordered = box.replace(policies[0], policies[1] + [blocks[blocks.length - 1], ...blocks.slice(0, -1)].join('') + policies[3]);
  assert.notEqual(reordered, box);
  // Renaming an address object everywhere it is named.
  const renamed = box.split('"backup_203.0.113.40"').join('"vault server"');
  assert.notEqual(renamed, box);
  // The group's members inline in the policy.
  const inline = edit(box, /set srcaddr "backup_src"/, 'set srcaddr "backup_10.20.0.10" "backup_10.20.0.15"');
  for (const text of [reordered, renamed, inline]) {
    const report = drift(SITE, text, 'fortigate');
    assert.deepEqual(kinds(report), { extra: 0, missing: 0, requirements: 0 }, formatDrift(report, 'text'));
  }
});

test('pfsense: a rule added, an alias member removed, a port range narrowed: one entry each, of the right kind', () => {
  const box = exported(SITE, 'pfsense');
  const firstRule = /\n(\s*)<rule>[\s\S]*?<\/rule>/.exec(box)!;
  const added = box.replace(
    firstRule[0],
    `${firstRule[0]}\n${firstRule[1]}<rule><type>pass</type><interface>lan</interface><ipprotocol>inet</ipprotocol><protocol>tcp</protocol><source><network>lan</network></source><destination><address>192.0.2.99</address><port>22</port></destination><descr>late-night</descr></rule>`,
  );
  const addedReport = drift(SITE, added, 'pfsense');
  assert.deepEqual(kinds(addedReport), { extra: 1, missing: 0, requirements: 0 }, formatDrift(addedReport, 'text'));
  assert.equal(addedReport.extra[0].to.label, '192.0.2.99');
  assert.deepEqual(addedReport.extra[0].firewallPolicies, [{ name: 'late-night', line: lineOf(added, '<descr>late-night</descr>') }]);

  const removed = edit(box, /<address>10\.20\.0\.10 10\.20\.0\.15<\/address>/, '<address>10.20.0.10</address>');
  const removedReport = drift(SITE, removed, 'pfsense');
  assert.deepEqual(kinds(removedReport), { extra: 0, missing: 1, requirements: 0 }, formatDrift(removedReport, 'text'));
  assert.equal(removedReport.missing[0].from.label, '10.20.0.15');

  const narrowed = edit(box, /10000:20000/, '10000:15000');
  const narrowedReport = drift(SITE, narrowed, 'pfsense');
  assert.deepEqual(kinds(narrowedReport), { extra: 0, missing: 1, requirements: 0 }, formatDrift(narrowedReport, 'text'));
  assert.deepEqual(narrowedReport.missing[0].ports, [{ from: 15001, to: 20000 }]);
});

test('a configuration a reader cannot make sense of: its problems are not compared, the allowlist is missing, nothing throws', () => {
  for (const platform of ['fortigate', 'pfsense', 'nftables']) {
    for (const config of ['', '\u0000\u00ff<<{{"', '{"nftables": [{"rule": 5}]}', '<pfsense><filter><rule>', 'config firewall policy\n    edit 1\n']) {
      const report = drift(SITE, config, platform);
      assert.equal(report.extra.length, 0, `${platform}: ${JSON.stringify(config)}`);
      assert.ok(report.missing.length > 0, `${platform}: ${JSON.stringify(config)}`);
      assert.equal(report.inSync, false);
    }
  }
});

test('an allowlist that does not parse is reported, nothing compared', () => {
  const report = drift('allowlist: [1\n', exported(SITE, 'fortigate'), 'fortigate');
  assert.match(report.unparsable ?? '', /^YAML error at line/);
  assert.equal(report.inSync, false);
  assert.deepEqual(kinds(report), { extra: 0, missing: 0, requirements: 0 });
});

test('formats: text lines name CONFIG:LINE and ALLOWLIST:LINE; JSON has the three arrays; Markdown is a summary', () => {
  const box = exported(SITE, 'fortigate');
  const narrowed = edit(box, /set udp-portrange 10000-20000/, 'set udp-portrange 10000-15000');
  const report = drift(SITE, narrowed, 'fortigate');
  const text = formatDrift(report, 'text');
  assert.match(text, new RegExp(`^  site\\.allowlist\\.yaml:${lineOf(SITE, 'name: voip')}: missing outbound to 198\\.51\\.100\\.0/24 on UDP 15001-20000: rule voip; allows part of it: policy voip \\(box\\.conf:\\d+\\)$`, 'm'));
  const json = JSON.parse(formatDrift(report, 'json'));
  assert.deepEqual(Object.keys(json).filter((key) => Array.isArray(json[key])), ['extra', 'missing', 'requirements', 'notCompared', 'notes']);
  assert.equal(json.missing[0].allowlistRules[0].name, 'voip');
  const markdown = formatDrift(report, 'markdown');
  assert.match(markdown, /^### Drift: site\.allowlist\.yaml against box\.conf \(fortigate\)/);
  assert.match(markdown, /\| outbound to 198\.51\.100\.0/);
});
