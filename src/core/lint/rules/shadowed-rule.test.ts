import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Linter, lintText } from '../engine';
import { covers } from './shadowed-rule';
import { applyFix, findingsOf, lintYaml, rangeText, TEST_TODAY } from '../testing';

test('shadowed-rule: a rule fully covered by an earlier one is reported at its name, naming the earlier rule', () => {
  const text = [
    'allowlist: 1',
    'outbound:',
    '  - name: web',
    '    to: "*.example.com"',
    '    ports: [80, 443]',
    '    protocol: any',
    '  - name: api   # added later',
    '    to: [api.example.com, "*.cdn.example.com"]',
    '    ports: 443',
    '  - name: other',
    '    to: example.org',
    '    ports: 443',
    '',
  ].join('\n');
  const [finding, ...rest] = findingsOf(text, 'shadowed-rule');
  assert.equal(rest.length, 0);
  assert.equal(finding.severity, 'warning');
  assert.equal(rangeText(text, finding), 'api');
  assert.equal(finding.range.start, text.indexOf('api   #'));
  assert.equal(finding.subject, 'outbound:api:shadowed');
  assert.equal(
    finding.message,
    '"api" is shadowed by the earlier rule "web" (outbound rule 1), which already allows all its addresses, ports and protocol: this rule has no effect. Remove it, or narrow "web" if this rule was meant to be the only one.',
  );
  const fixed = applyFix(text, finding.fixes![0]);
  assert.equal(fixed, text.replace('  - name: api   # added later\n    to: [api.example.com, "*.cdn.example.com"]\n    ports: 443\n', ''));
  assert.deepEqual(lintYaml(fixed).findings.filter((f) => ['yaml-syntax', 'schema', 'shadowed-rule'].includes(f.ruleId)), []);
});

test('shadowed-rule: duplicates are shadowed; `from`, ports, protocol and direction must all be covered', () => {
  const text = [
    'allowlist: 1',
    'outbound:',
    '  - name: a',
    '    to: example.com',
    '    ports: 443',
    '  - name: a-copy',
    '    to: example.com',
    '    ports: 443',
    '  - name: more-ports',
    '    to: example.com',
    '    ports: [443, 8443]',
    '  - name: udp',
    '    to: example.com',
    '    ports: 443',
    '    protocol: udp',
    '  - name: narrow-from',
    '    from: 10.0.0.0/24',
    '    to: example.net',
    '    ports: 443',
    '  - name: wide-from',
    '    to: example.net',
    '    ports: 443',
    '  - name: narrower-from',
    '    from: 10.0.0.5',
    '    to: example.net',
    '    ports: 443',
    'inbound:',
    '  - name: in',
    '    from: 192.0.2.0/24',
    '    to: 10.0.0.20',
    '    ports: 443',
    '  - name: in-host',
    '    from: 192.0.2.7',
    '    to: 10.0.0.20',
    '    ports: 443',
    '  - name: in-other-host',
    '    from: 192.0.2.7',
    '    to: 10.0.0.21',
    '    ports: 443',
    '',
  ].join('\n');
  assert.deepEqual(
    findingsOf(text, 'shadowed-rule').map((f) => [rangeText(text, f), f.message.match(/earlier rule (\S+)/)![1]]),
    [
      ['a-copy', '"a"'],
      ['narrower-from', '"narrow-from"'],
      ['in-host', '"in"'],
    ],
  );
});

test('shadowed-rule: a temporary earlier rule does not shadow a permanent or longer-lived one', () => {
  const text = [
    'allowlist: 1',
    'outbound:',
    '  - name: temp',
    '    to: any',
    '    ports: any',
    '    expires: 2027-01-31',
    '  - name: permanent',
    '    to: example.com',
    '    ports: 443',
    '  - name: shorter',
    '    to: example.com',
    '    ports: 443',
    '    expires: 2026-12-31',
    '',
  ].join('\n');
  assert.deepEqual(findingsOf(text, 'shadowed-rule').map((f) => rangeText(text, f)), ['shorter']);
});

test('shadowed-rule: rules that overlap only partly pass', () => {
  const text = 'allowlist: 1\noutbound:\n  - name: a\n    to: [a.example.com, b.example.com]\n    ports: 443\n  - name: b\n    to: [b.example.com, c.example.com]\n    ports: 443\n';
  assert.deepEqual(findingsOf(text, 'shadowed-rule'), []);
});

test('shadowed-rule: removing the last item keeps the file valid', () => {
  const text = 'allowlist: 1\noutbound:\n  - name: a\n    to: example.com\n    ports: 443\n  - name: b\n    to: example.com\n    ports: 443';
  const [finding] = findingsOf(text, 'shadowed-rule');
  const fixed = applyFix(text, finding.fixes![0]);
  assert.equal(fixed, 'allowlist: 1\noutbound:\n  - name: a\n    to: example.com\n    ports: 443\n');
  assert.deepEqual(lintYaml(fixed).findings.filter((f) => ['yaml-syntax', 'schema', 'shadowed-rule'].includes(f.ruleId)), []);
});

// How fast shadowed-rule is on large and worst-case files is measured by the benchmark (BENCHMARKS.md), not here.
test('shadowed-rule: 10,000 rules under a wildcard on other ports shadow nothing', () => {
  const lines = ['allowlist: 1', 'outbound:', '  - name: all-web', '    to: "*.example.com"', '    ports: 443'];
  for (let i = 0; i < 10_000; i++) lines.push(`  - name: r${i}`, `    to: h${i}.example.${i % 2 ? 'com' : 'org'}`, `    ports: ${1000 + (i % 50)}`);
  const text = `${lines.join('\n')}\n`;
  assert.deepEqual(findingsOf(text, 'shadowed-rule'), []);
});

test('shadowed-rule: in a CRLF file the fix removes the item lines with their CRLF', () => {
  const text = 'allowlist: 1\r\noutbound:\r\n  - name: a\r\n    to: example.com\r\n    ports: 443\r\n  - name: b\r\n    to: example.com\r\n    ports: 443\r\n  - name: c\r\n    to: example.org\r\n    ports: 443\r\n';
  const [finding] = findingsOf(text, 'shadowed-rule');
  assert.equal(applyFix(text, finding.fixes![0]), 'allowlist: 1\r\noutbound:\r\n  - name: a\r\n    to: example.com\r\n    ports: 443\r\n  - name: c\r\n    to: example.org\r\n    ports: 443\r\n');
});

test('shadowed-rule: re-linting after rule items are moved, copied, deleted or changed finds what a fresh lint finds', () => {
  // A small pool of addresses and ports, so that many rules shadow each other.
  const TO = ['a.example.com', 'b.example.com', '"*.example.com"', 'any', '10.0.0.1', '10.0.0.0/24', '10.0.0.0/8', '[a.example.com, 10.0.0.1]'];
  const PORTS = ['443', '[80, 443]', 'any', '"1-1024"'];
  const itemArb = fc.record({ to: fc.nat(TO.length - 1), ports: fc.nat(PORTS.length - 1), udp: fc.boolean() });
  const itemText = (item: { to: number; ports: number; udp: boolean }, at: number): string =>
    `  - name: r${at}\n    to: ${TO[item.to]}\n    ports: ${PORTS[item.ports]}\n${item.udp ? '    protocol: any\n' : ''}`;
  const editArb = fc.record({ kind: fc.constantFrom('move', 'copy', 'delete', 'change'), from: fc.nat(), to: fc.nat(), item: itemArb });
  fc.assert(
    fc.property(fc.array(itemArb, { minLength: 1, maxLength: 30 }), fc.array(editArb, { minLength: 1, maxLength: 6 }), (start, edits) => {
      // Items keep their text (and name) when moved or copied: their parses are reused.
      let items = start.map((item, at) => itemText(item, at));
      const textOf = (list: string[]) => `allowlist: 1\noutbound:\n${list.join('')}`;
      const linter = new Linter();
      linter.lint(textOf(items), { today: TEST_TODAY });
      edits.forEach((edit, step) => {
        const from = edit.from % items.length;
        const to = edit.to % (items.length + 1);
        if (edit.kind === 'move' || edit.kind === 'copy') {
          const moved = items[from];
          if (edit.kind === 'move') items = items.filter((_, at) => at !== from);
          items.splice(Math.min(to, items.length), 0, moved);
        } else if (edit.kind === 'delete' && items.length > 1) {
          items = items.filter((_, at) => at !== from);
        } else {
          items[from] = itemText(edit.item, 100 + step);
        }
        const text = textOf(items);
        assert.deepEqual(linter.lint(text, { today: TEST_TODAY }).findings, lintText(text, { today: TEST_TODAY }).findings);
      });
    }),
    { seed: 3, numRuns: 300 },
  );
});

/** Whether the shadowed-rule findings of random rules drawn from the pools are those of comparing every pair. */
function assertSameAsPairwise(pools: { to: string[]; from: (string | undefined)[]; ports: string[]; protocol: (string | undefined)[]; expires: (string | undefined)[] }, rules: { min: number; max: number }, numRuns: number): void {
  const pick = (pool: unknown[]) => fc.nat(pool.length - 1);
  const itemArb = fc.record({ to: pick(pools.to), from: pick(pools.from), ports: pick(pools.ports), protocol: pick(pools.protocol), expires: pick(pools.expires) });
  fc.assert(
    fc.property(fc.array(itemArb, { minLength: rules.min, maxLength: rules.max }), (items) => {
      const lines = ['allowlist: 1', 'outbound:'];
      items.forEach((item, at) => {
        lines.push(`  - name: r${at}`, `    to: ${pools.to[item.to]}`, `    ports: ${pools.ports[item.ports]}`);
        if (pools.from[item.from] !== undefined) lines.push(`    from: ${pools.from[item.from]}`);
        if (pools.protocol[item.protocol] !== undefined) lines.push(`    protocol: ${pools.protocol[item.protocol]}`);
        if (pools.expires[item.expires] !== undefined) lines.push(`    expires: ${pools.expires[item.expires]}`);
      });
      const result = lintYaml(`${lines.join('\n')}\n`);
      const found = result.findings.filter((f) => f.ruleId === 'shadowed-rule').map((f) => f.message.match(/^"(r\d+)".*\(outbound rule (\d+)\)/)!.slice(1).join(' by '));
      const rules = result.model.outbound;
      const expected: string[] = [];
      rules.forEach((rule, at) => {
        if (!rule.to?.addresses.length || rule.to.addresses.some((address) => address.kind === 'invalid')) return;
        const shadow = rules.slice(0, at).find((earlier) => earlier.to && covers(earlier, rule));
        if (shadow) expected.push(`${rule.name!.value} by ${shadow.index + 1}`);
      });
      assert.deepEqual(found, expected);
    }),
    { seed: 7, numRuns },
  );
}

test('shadowed-rule: the indexed search finds, for every rule, the earliest earlier rule that covers it, as comparing every pair does', () => {
  // Small pools with many near misses: nested networks and names, sources, port ranges across block boundaries, protocols, expiry dates.
  const protocol = [undefined, 'tcp', 'udp', 'any'];
  const expires = [undefined, '2027-01-31', '2027-06-30', 'soon'];
  assertSameAsPairwise(
    {
      to: ['a.example.com', 'b.example.com', '"*.example.com"', 'any', '10.0.0.1', '10.0.0.0/24', '10.0.0.0/8', '"2001:db8::1"', '"2001:db8::/32"', '[a.example.com, 10.0.0.1]', '[b.example.com, "*.example.com"]'],
      from: [undefined, 'any', '10.1.0.5', '10.1.0.0/16', '[10.1.0.5, 10.2.0.5]', '"2001:db8::/48"', '[]', 'not_valid!'],
      ports: ['443', '[80, 443]', 'any', '"1-1024"', '"440-450"', '"255-256"', '"256-511"', '"1-65535"', '[255, 256]', '0', '[]'],
      protocol,
      expires,
    },
    { min: 5, max: 60 },
    200,
  );
  // Many rules sharing a few values: long lists under one key, split by source, ports and protocol.
  assertSameAsPairwise({ to: ['a.example.com', '"*.example.com"'], from: [undefined, 'any', '10.1.0.5', '10.1.0.0/16'], ports: ['443', '[80, 443]', '"1-65535"'], protocol, expires }, { min: 200, max: 300 }, 40);
});

test('shadowed-rule: many rules to one host from distinct sources, none covering another, and the few that are covered', () => {
  const lines = ['allowlist: 1', 'outbound:'];
  for (let i = 0; i < 2000; i++) lines.push(`  - name: r${i}`, `    from: 10.0.${i >> 8}.${i & 255}`, '    to: api.example.com', '    ports: 443');
  lines.push('  - name: subnet', '    from: 10.0.0.0/24', '    to: api.example.com', '    ports: [443, 8443]');
  lines.push('  - name: covered-host', '    from: 10.0.7.9', '    to: api.example.com', '    ports: 443');
  lines.push('  - name: covered-by-subnet', '    from: 10.0.0.0/25', '    to: api.example.com', '    ports: 8443');
  lines.push('  - name: other-port', '    from: 10.0.3.3', '    to: api.example.com', '    ports: 8443');
  const text = `${lines.join('\n')}\n`;
  assert.deepEqual(
    findingsOf(text, 'shadowed-rule').map((f) => `${rangeText(text, f)} by ${f.message.match(/earlier rule (\S+)/)![1]}`),
    ['covered-host by "r1801"', 'covered-by-subnet by "subnet"'],
  );
});
