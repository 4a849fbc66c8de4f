import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { lintText } from '../../lint';
import { exportRules } from '../rules';
import type { ExportResult, RenderContext } from '../types';
import { assertGolden, CONTOSO, EDGE, exportFile } from './golden.test-helpers';
import { opnsense } from './opnsense';

interface Alias {
  enabled: string;
  name: string;
  type: string;
  content: string;
  description: string;
}
interface Rule {
  interface: string;
  protocol: string;
  source_net: string;
  destination_net: string;
  destination_port: string;
  description: string;
}

function parsed(result: ExportResult): { aliases: Record<string, Alias>; rules: Rule[] } {
  const file = (name: string) => result.files.find((candidate) => candidate.name === name)!.text;
  const aliases = (JSON.parse(file('opnsense-aliases.json')) as { aliases: { alias: Record<string, Alias> } }).aliases.alias;
  const rules = (JSON.parse(file('opnsense-filter-rules.json')) as { requests: { rule: Rule }[] }).requests.map((request) => request.rule);
  return { aliases, rules };
}

/** Every alias a rule references exists with the right kind, and every name is within OPNsense's limits. */
function checkReferences({ aliases, rules }: ReturnType<typeof parsed>, interfaces: string[]): void {
  const byName = new Map(Object.values(aliases).map((alias) => [alias.name, alias]));
  for (const [key, alias] of Object.entries(aliases)) {
    assert.equal(key, alias.name);
    assert.match(alias.name, /^[A-Za-z0-9_]{1,31}$/);
    assert.ok(['host', 'network', 'port'].includes(alias.type), alias.type);
  }
  for (const rule of rules) {
    for (const net of [rule.source_net, rule.destination_net]) {
      if (net !== 'any' && !interfaces.includes(net)) assert.notEqual(byName.get(net)?.type ?? 'missing', 'port', `${net} is an address alias`);
      if (net !== 'any' && !interfaces.includes(net)) assert.ok(byName.has(net), `undefined alias ${net}`);
    }
    if (rule.destination_port !== '' && !/^\d+$/.test(rule.destination_port)) assert.equal(byName.get(rule.destination_port)?.type, 'port', `port alias ${rule.destination_port}`);
    assert.ok(interfaces.includes(rule.interface));
  }
}

test('opnsense: golden output for the bundled example and the edge cases (UPDATE_GOLDEN=1 rewrites)', () => {
  assertGolden(opnsense, 'contoso', exportFile(CONTOSO, opnsense));
  assertGolden(opnsense, 'edge', exportFile(EDGE, opnsense));
});

test('opnsense: both files parse as JSON in the import and API shapes, and every referenced alias exists', () => {
  checkReferences(parsed(exportFile(CONTOSO, opnsense)), ['lan', 'wan']);
  const edge = parsed(exportFile(EDGE, opnsense, { lanInterface: 'opt1', wanInterface: 'wan2' }));
  checkReferences(edge, ['opt1', 'wan2']);
  assert.equal(edge.aliases.web_and_wildcards_ports.content, '80\n443\n2001:2500', 'port ranges with a colon');
  assert.deepEqual(
    edge.rules.map((rule) => rule.protocol),
    ['TCP', 'UDP', 'TCP/UDP', 'any', 'TCP', 'TCP', 'TCP', 'TCP', 'TCP'],
  );
  const hostile = edge.rules.find((rule) => rule.description.startsWith('hostile'))!;
  assert.ok(!/[\u0000-\u001f\u202e]/.test(hostile.description), 'no control or bidi characters reach the firewall');
  assert.match(hostile.description, /x\\nnext line\\ttab \\u202e/);
});

test('opnsense: wildcards warn and are left out; a rule with nothing expressible leaves no aliases behind', () => {
  const result = exportFile(EDGE, opnsense);
  const { aliases } = parsed(result);
  assert.ok(!JSON.stringify(aliases).includes('cdn.example.com'));
  assert.ok(!Object.keys(aliases).some((name) => name.startsWith('wildcard_only') || name.startsWith('v6_only')));
  const wildcardRules = new Set(result.warnings.filter((warning) => warning.message.includes('Unbound')).map((warning) => warning.rule));
  assert.deepEqual([...wildcardRules].sort(), ['vendor-api', 'web and wildcards', 'wildcard-only']);
});

test('opnsense: deterministic, and alias names do not depend on the order of the rules', () => {
  assert.deepEqual(exportFile(EDGE, opnsense), exportFile(EDGE, opnsense));
  const rules = exportRules(lintText(readFileSync(EDGE, 'utf8'), { fileName: EDGE }).model, '2026-12-02');
  const context: RenderContext = { options: { sourceName: 'x', today: '2026-12-02' }, warn: () => {} };
  const names = (ordered: typeof rules) => Object.keys(JSON.parse(opnsense.render(ordered, context)[0].text).aliases.alias).sort();
  assert.deepEqual(names([...rules].reverse()), names(rules));
});
