import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lintText } from '../lint';
import { exportAllowlist, exportChangeSet, exportRules, objectNames, ruleComment, TARGETS, type Capabilities, type ExportTarget } from '.';

const ALL: Capabilities = { fqdn: true, wildcardFqdn: true, portRanges: true, ipv6: true, udp: true, inbound: true, inboundFqdn: true, comments: true };

/** A target that lists what it was given, so the tests see exactly what the framework hands to render. */
function listing(capabilities: Partial<Capabilities> = {}, limits: ExportTarget['limits'] = {}): ExportTarget {
  return {
    id: 'listing',
    title: 'Listing',
    capabilities: { ...ALL, ...capabilities },
    limits,
    sources: [],
    output: 'single',
    render: (rules, context) => [{ name: 'out.txt', text: rules.map((rule) => `${rule.name}@${rule.line} ${context.options.sourceName}`).join('\n') }],
  };
}

const FILE = `allowlist: 1
site: test
outbound:
  - name: web
    to: [b.example.com, a.example.com, a.example.com, "*.cdn.example.com"]
    ports: [443, 80, "8000-8010", 81]
  - name: dns
    to: [192.0.2.53, "2001:db8::/32"]
    ports: 53
    protocol: udp
  - name: old
    from: 10.0.0.0/24
    to: any
    ports: any
    protocol: any
    ticket: CHG-1
    owner: noc@example.test
    expires: 2020-01-01
inbound:
  - name: api
    from: [push.vendor.example, 198.51.100.7]
    to: 10.0.0.20
    ports: 443
`;

const model = () => lintText(FILE, { fileName: 'site.allowlist.yaml' }).model;

test('exportRules: each side sorted by kind, addresses unique and sorted, ports merged, a missing from is the whole site', () => {
  const [web, dns, old, api] = exportRules(model(), '2026-12-02');
  assert.deepEqual(web.to, { any: false, hosts: ['a.example.com', 'b.example.com'], wildcards: ['cdn.example.com'], ipv4: [], ipv6: [] });
  assert.equal(web.from.any, true);
  assert.deepEqual(web.ports, [{ from: 80, to: 81 }, { from: 443, to: 443 }, { from: 8000, to: 8010 }]);
  assert.deepEqual([dns.to.ipv4, dns.to.ipv6, dns.protocol], [['192.0.2.53'], ['2001:db8::/32'], 'udp']);
  assert.deepEqual([old.to.any, old.ports, old.from.ipv4, old.expired, old.line], [true, 'any', ['10.0.0.0/24'], true, 11]);
  assert.deepEqual([api.direction, api.from.hosts, api.from.ipv4, api.to.ipv4, api.line], ['inbound', ['push.vendor.example'], ['198.51.100.7'], ['10.0.0.20'], 20]);
  assert.equal(ruleComment(old), 'old; ticket CHG-1; owner noc@example.test; expires 2020-01-01');
  assert.equal(ruleComment(old, 10), 'old; tick…');
});

test('export: one warning per rule and missing capability, in the platform\'s words, by line; expired rules noted', () => {
  const target = listing({ wildcardFqdn: false, portRanges: false, inboundFqdn: false }, { wildcardFqdn: 'no wildcards here', portRanges: 'no ranges here' });
  const result = exportAllowlist(model(), target, { today: '2026-12-02', sourceName: 'site.allowlist.yaml' });
  assert.deepEqual(
    result.warnings.map((warning) => `${warning.line} ${warning.rule} ${warning.kind}: ${warning.message}`),
    [
      '4 web unfaithful: no wildcards here',
      '4 web unfaithful: no ranges here',
      '11 old note: expired on 2020-01-01 and exported all the same: remove it, or export with --skip-expired',
      '20 api unfaithful: Listing cannot express inboundFqdn',
    ],
  );
  assert.equal(result.files[0].text, 'web@4 site.allowlist.yaml\ndns@7 site.allowlist.yaml\nold@11 site.allowlist.yaml\napi@20 site.allowlist.yaml');
});

test('export: --skip-expired leaves expired rules out, with a note', () => {
  const result = exportAllowlist(model(), listing(), { today: '2026-12-02', skipExpired: true });
  assert.ok(!result.files[0].text.includes('old@'));
  assert.deepEqual(result.warnings, [{ rule: 'old', line: 11, kind: 'note', message: 'expired on 2020-01-01: left out (--skip-expired)' }]);
  assert.equal(exportAllowlist(model(), listing(), { today: '2019-12-31' }).warnings.length, 0, 'not expired yet');
});

test('objectNames: within limits, unique, stable whatever the order, and the same name for the same rule', () => {
  const limits = { maxLength: 12, invalid: /[^A-Za-z0-9_-]/, replacement: '_' };
  const wanted = ['web', 'hdb api', 'hdb/api', 'a-very-long-rule-name', 'a-very-long-rule-name-2', '9lives', 'web'];
  const names = objectNames(wanted, limits);
  assert.equal(names[0], 'web');
  assert.equal(names[6], 'web', 'a repeated name gets the same object name');
  assert.equal(names[5], '9lives');
  assert.equal(new Set(names).size, 6);
  for (const name of names) assert.ok(name.length <= 12 && /^[A-Za-z0-9_-]+$/.test(name), name);
  assert.match(names[1], /^hdb_a-[0-9a-f]{6}$/, 'two rules that clean to one name both get a hash');
  assert.notEqual(names[1], names[2]);
  const reordered = objectNames([...wanted].reverse(), limits).reverse();
  assert.deepEqual(reordered, names);
  assert.deepEqual(objectNames(['9lives', 'Web'], { ...limits, letterFirst: 'r', lowerCase: true }), ['r9lives', 'web']);
  const noHyphen = { maxLength: 12, invalid: /[^A-Za-z0-9_]/, replacement: '_' };
  assert.match(objectNames(['a-very-long-rule-name'], noHyphen)[0], /^a_ver_[0-9a-f]{6}$/, 'the hash joins with the replacement where `-` is invalid');
});

test('every target: a limit text for each capability it lacks, sources for docs/export.md, a unique id', () => {
  assert.ok(TARGETS.length >= 7, `${TARGETS.length} targets`);
  assert.equal(new Set(TARGETS.map((target) => target.id)).size, TARGETS.length);
  for (const target of TARGETS) {
    for (const [capability, has] of Object.entries(target.capabilities)) {
      if (!has && capability !== 'comments') assert.ok(target.limits[capability as keyof Capabilities]?.trim(), `${target.id}: a limit text for ${capability}`);
    }
    assert.ok(target.sources.length > 0 && target.sources.every((source) => /^https:\/\//.test(source.url)), `${target.id}: sources`);
  }
});

test('exportChangeSet: warnings are those of the file now; the earlier version renders through a context that drops them', () => {
  const target: ExportTarget = {
    ...listing(),
    changeSet: (before, after, context) => {
      for (const rule of before) context.beforeContext.warn(rule, `before: ${rule.name}`);
      for (const rule of after) context.warn(rule, `after: ${rule.name}`);
      assert.equal(context.beforeContext.options, context.options, 'the earlier version is rendered with the same options');
      return [{ name: 'changes.txt', text: '' }];
    },
  };
  const earlier = lintText(FILE.replace('name: dns', 'name: dns-old'), { fileName: 'site.allowlist.yaml' }).model;
  const result = exportChangeSet(earlier, model(), target, 'HEAD', { today: '2026-12-02' });
  assert.deepEqual(result.warnings.filter((warning) => warning.message.startsWith('before')), []);
  assert.ok(result.warnings.some((warning) => warning.message === 'after: dns'));
  assert.deepEqual(result.changes, { added: ['dns'], changed: [], removed: ['dns-old'] });
});

test('export: a rule whose sides have no address family in common matches nothing: every target leaves it out, with one warning', () => {
  const text = 'allowlist: 1\noutbound:\n  - name: v4-to-v6\n    from: 10.0.0.0/24\n    to: "2001:db8::10"\n    ports: 443\n  - name: kept\n    from: 10.0.0.0/24\n    to: [192.0.2.10, "2001:db8::10", mixed.example.com]\n    ports: 443\n';
  const model = lintText(text, { fileName: 'site.allowlist.yaml' }).model;
  for (const target of TARGETS) {
    const result = exportAllowlist(model, target, { today: '2026-06-01' });
    const warnings = result.warnings.filter((warning) => warning.rule === 'v4-to-v6');
    assert.deepEqual(
      warnings.map((warning) => [warning.kind, warning.message]),
      [['unfaithful', 'left out: its sides have no address family in common (IPv4 addresses on one side, IPv6 on the other), so no packet can match it']],
      target.id,
    );
    const written = result.files.map((file) => file.text).join('\n');
    assert.ok(!/v4.to.v6/.test(written), `${target.id} writes nothing of it`);
    assert.ok(/kept/.test(written), `${target.id} writes the other rule`);
  }
});
