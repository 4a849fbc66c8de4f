import assert from 'node:assert/strict';
import { test } from 'node:test';
import { lintText } from '../core/lint';
import { parseAllowlist } from '../core/parse';
import { probeLenses, SHOW_PROBLEMS_COMMAND } from './probe-lens';
import { CLIENT_PROBE_COMMAND } from './protocol';

const FILE = [
  'allowlist: 1',
  'outbound:',
  '  - name: api',
  '    to: [a.example.com, 192.0.2.10]',
  '    ports: [443, "2001-2500"]',
  '  - to: 192.0.2.53',
  '    ports: 53',
  '    protocol: udp',
  '    name: dns',
  '  - description: no name',
  '    to: 192.0.2.54',
  '    ports: 22',
  'inbound:',
  '- name: web',
  '  from: 198.51.100.0/24',
  '  to: 10.0.0.20',
  '  ports: 8443',
  '',
].join('\n');
const uri = 'file:///work/site.allowlist.yaml';
/** FILE's model with a lint without errors (its unnamed rule is a schema error unless the config lowers it). */
const withoutErrors = (text: string) => ({ model: parseAllowlist(text, { fileName: uri }).model, findings: [] });

test('one Probe lens per rule, on the line of its name, with [uri, rule name]', () => {
  const lenses = probeLenses(withoutErrors(FILE), uri).filter((l) => l.command?.title === 'Probe');
  assert.deepEqual(
    lenses.map((l) => [l.range.start.line, l.range.start.character, l.range.end.character, l.command?.command, l.command?.arguments]),
    [
      [2, 10, 13, CLIENT_PROBE_COMMAND, [uri, 'api']],
      [8, 10, 13, CLIENT_PROBE_COMMAND, [uri, 'dns']],
      [9, 4, 4, CLIENT_PROBE_COMMAND, [uri, 'outbound #3']],
      [13, 8, 11, CLIENT_PROBE_COMMAND, [uri, 'web']],
    ],
  );
});

test('rules with a port range get a sweep lens beside the Probe lens', () => {
  const lenses = probeLenses(withoutErrors(FILE), uri).filter((l) => l.command?.title !== 'Probe');
  assert.deepEqual(
    lenses.map((l) => [l.range.start.line, l.command?.title, l.command?.arguments]),
    [[2, 'Probe ports: sweep', [uri, 'api', { sweep: true }]]],
  );
});

test('no lenses for files that are not allowlists', () => {
  const catalog = 'catalog: 1\nvendor: x\n';
  assert.deepEqual(probeLenses(lintText(catalog, { fileName: 'file:///x.catalog.yaml' }), 'file:///x.catalog.yaml'), []);
});

test('a file with errors that make its rules unreliable: each rule\'s one lens says so and shows the problems, none probes', () => {
  const broken = FILE.replace('    ports: 53\n', '    prots: 53\n').replace('ports: 8443', 'ports: "eighty"');
  const lenses = probeLenses(lintText(broken, { fileName: uri }), uri);
  assert.equal(lenses.length, 4, 'one lens per rule');
  for (const lens of lenses) {
    assert.equal(lens.command.command, SHOW_PROBLEMS_COMMAND);
    assert.match(lens.command.title, /^Cannot probe: \d+ errors make the rules unreliable$/);
  }
});
