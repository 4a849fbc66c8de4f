import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { lintText } from '../../lint';
import { exportRules } from '../rules';
import type { ExportRule, RenderContext } from '../types';
import { assertGolden, CONTOSO, EDGE, exportFile } from './golden.test-helpers';
import { aliasEntries, pfsense } from './pfsense';

const xmllint = spawnSync('xmllint', ['--version']).error ? undefined : 'xmllint';

function checkWellFormed(xml: string, t: { skip(message: string): void }): void {
  if (!xmllint) return t.skip('xmllint is not installed (Debian: libxml2-utils)');
  const run = spawnSync(xmllint, ['--noout', '-'], { input: xml, encoding: 'utf8' });
  assert.equal(run.status, 0, `xmllint: ${run.stderr}`);
}

/** Every alias a rule references is defined, and every alias name is within pfSense's limits. */
function checkAliases(xml: string): void {
  const defined = [...xml.matchAll(/<alias>\s*<name>([^<]*)<\/name>\s*<type>(\w+)<\/type>/g)].map((match) => ({ name: match[1], type: match[2] }));
  for (const { name } of defined) assert.match(name, /^(?!\d+$)[A-Za-z0-9_]{1,31}$/, `alias name ${name}`);
  assert.equal(new Set(defined.map((alias) => alias.name)).size, defined.length, 'alias names are unique');
  const ofType = (types: string[]) => new Set(defined.filter((alias) => types.includes(alias.type)).map((alias) => alias.name));
  const addresses = ofType(['host', 'network']);
  const ports = ofType(['port']);
  for (const rule of xml.match(/<rule>[\s\S]*?<\/rule>/g) ?? []) {
    for (const [, name] of rule.matchAll(/<address>([^<]*)<\/address>/g)) assert.ok(addresses.has(name), `rule references undefined address alias ${name}`);
    for (const [, port] of rule.matchAll(/<port>([^<]*)<\/port>/g)) assert.ok(/^\d+$/.test(port) || ports.has(port), `rule references undefined port alias ${port}`);
    assert.match(rule, /<type>pass<\/type>/);
  }
}

const xmlOf = (path: string) => exportFile(path, pfsense).files[0].text;

test('pfsense: golden output for the bundled example and the edge cases (UPDATE_GOLDEN=1 rewrites)', () => {
  assertGolden(pfsense, 'contoso', exportFile(CONTOSO, pfsense));
  assertGolden(pfsense, 'edge', exportFile(EDGE, pfsense, { lanInterface: 'opt1', wanInterface: 'wan2' }));
});

test('pfsense: the output is well-formed XML and every referenced alias is defined, within the name limits', (t) => {
  for (const path of [CONTOSO, EDGE]) {
    const xml = xmlOf(path);
    checkAliases(xml);
    checkWellFormed(xml, t);
  }
});

test('pfsense: hostile rule names and tickets stay character data (no markup, no control characters)', (t) => {
  const xml = xmlOf(EDGE);
  checkWellFormed(xml, t);
  const hostile = xml.match(/<descr>(hostile[^<]*)<\/descr>/)?.[1];
  assert.ok(hostile, 'the hostile rule has a description');
  assert.ok(!/[\u0000-\u001f"<>]/.test(hostile), hostile);
  assert.match(hostile, /&lt;b&gt;&amp;amp;&lt;\/b&gt;/);
  assert.match(hostile, /x\\nnext line\\ttab \\u202e/, 'line breaks, tabs and bidi overrides are written as escapes');
  assert.ok(!xml.includes('<b>'));
});

test('pfsense: port lists and ranges become port aliases with a colon; interfaces from the options; wildcards warn', () => {
  const result = exportFile(EDGE, pfsense, { lanInterface: 'opt1', wanInterface: 'wan2' });
  const xml = result.files[0].text;
  assert.match(xml, /<name>web_and_wildcards_ports<\/name>\s*<type>port<\/type>\s*<address>80 443 2001:2500<\/address>/);
  assert.match(xml, /<interface>opt1<\/interface>[\s\S]*<source><network>opt1<\/network><\/source>/);
  assert.match(xml, /<interface>wan2<\/interface>/);
  assert.match(xml, /<protocol>tcp\/udp<\/protocol>/, 'any protocol with ports is tcp/udp');
  const wildcardRules = new Set(result.warnings.filter((warning) => warning.message.includes('no *.example.com')).map((warning) => warning.rule));
  assert.deepEqual([...wildcardRules].sort(), ['vendor-api', 'web and wildcards', 'wildcard-only']);
  assert.ok(!xml.includes('cdn.example.com'), 'wildcards are left out');
  const leftOut = result.warnings.filter((warning) => /^(pfSense: the rule is left out|left out)/.test(warning.message)).map((warning) => warning.rule);
  assert.deepEqual(leftOut, ['wildcard-only', 'v6-only-from-v4-to']);
  assert.ok(!xml.includes('wildcard-only') && !xml.includes('v6_only'), 'a rule left out leaves no aliases behind');
});

test('pfsense: deterministic, and alias names do not depend on the order of the rules', () => {
  assert.equal(xmlOf(EDGE), xmlOf(EDGE));
  const model = lintText(readFileSync(EDGE, 'utf8'), { fileName: EDGE }).model;
  const rules = exportRules(model, '2026-12-02');
  const context: RenderContext = { options: { sourceName: 'x', today: '2026-12-02' }, warn: () => {} };
  const aliasesByRule = (ordered: ExportRule[]) => {
    const xml = pfsense.render(ordered, context)[0].text;
    return [...xml.matchAll(/<alias>\s*<name>([^<]*)<\/name>[\s\S]*?<descr>([^;<]*)/g)].map((match) => `${match[2]} -> ${match[1]}`).sort();
  };
  assert.deepEqual(aliasesByRule([...rules].reverse()), aliasesByRule(rules));
});

test('pfsense: a side mixing a network and hosts is one network alias, each host as /32 or /128; hosts only, a host alias', () => {
  const side = { any: false, hosts: ['a.example.com'], wildcards: [], ipv4: ['192.0.2.0/24', '198.51.100.7'], ipv6: ['2001:db8::5'] };
  assert.deepEqual(aliasEntries(side), { entries: ['a.example.com', '192.0.2.0/24', '198.51.100.7/32', '2001:db8::5/128'], network: true });
  assert.deepEqual(aliasEntries({ ...side, ipv4: ['198.51.100.7'] }), { entries: ['a.example.com', '198.51.100.7', '2001:db8::5'], network: false });
});
