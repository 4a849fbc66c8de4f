// What the probe engine is asked to test for an allowlist: the vendor's published inbound sources and
// the hostnames a bare IP is checked against (the built-in Helpdesk Buttons catalog).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { emptyConfig, type LintConfig, lintText } from '../../src/core/lint';
import { parseAllowlist } from '../../src/core/parse';
import { describeRulesRefusal, rulesRefusal } from '../../src/core/lint';
import { probeTargets } from '../../src/core/probe';

const HDB_HOSTS = [
  'flu1pjyrr2.execute-api.us-east-1.amazonaws.com',
  'kdwq222yo3.execute-api.us-east-1.amazonaws.com',
  'e4rz8vlrg0.execute-api.us-east-1.amazonaws.com',
  'hdb-stuff.s3.amazonaws.com',
  'connect.helpdeskbuttons.com',
];

function targets(lines: string[]) {
  const { model } = parseAllowlist(['allowlist: 1', ...lines, ''].join('\n'), { fileName: 't.allowlist.yaml' });
  return new Map(probeTargets(model).map((t) => [`${t.rule} ${t.host}`, t]));
}

test('an inbound rule for a vendor names the sources its catalog publishes, not the rule\'s own `from`', () => {
  const byRule = targets([
    'vendors:',
    '  helpdesk-buttons: { ticket-system: self-hosted }',
    'inbound:',
    '  - name: ticket-api',
    '    vendor: helpdesk-buttons',
    '    from: any',
    '    to: 10.20.0.15',
    '    ports: 443',
    '  - name: own-sources',
    '    from: [198.51.100.0/24]',
    '    to: ticket.example.com',
    '    ports: 443',
    '  - name: wide',
    '    vendor: helpdesk-buttons',
    '    from: any',
    '    to: any',
    '    ports: 443',
  ]);
  const api = byRule.get('ticket-api 10.20.0.15')!;
  assert.equal(api.direction, 'inbound');
  assert.deepEqual(api.sources, ['34.202.14.153', '3.209.57.193']);
  assert.equal(api.sourcesOf, 'Helpdesk Buttons');
  const own = byRule.get('own-sources ticket.example.com')!;
  assert.deepEqual(own.sources, ['198.51.100.0/24']);
  assert.equal(own.sourcesOf, undefined);
  assert.ok(byRule.has('wide any'), '`to: any` becomes a target the engine reports as not testable');
});

test('the catalog\'s sources are named even where the site\'s options do not call for them', () => {
  // ticket-system defaults to cloud, where the catalog lists the sources only for self-hosted.
  const byRule = targets(['inbound:', '  - name: api', '    vendor: helpdesk-buttons', '    from: any', '    to: 10.20.0.15', '    ports: 443']);
  assert.deepEqual(byRule.get('api 10.20.0.15')!.sources, ['34.202.14.153', '3.209.57.193']);
});

test('a bare IP in an outbound rule is checked against its vendor\'s hostnames, or the declared vendors\' without a vendor', () => {
  const declared = targets([
    'vendors:',
    '  helpdesk-buttons: {}',
    'outbound:',
    '  - name: by-vendor',
    '    vendor: helpdesk-buttons',
    '    to: [192.0.2.10, 192.0.2.11/32, connect.helpdeskbuttons.com, 192.0.2.0/24]',
    '    ports: 443',
    '  - name: no-vendor',
    '    to: 2001:db8::10',
    '    ports: 443',
  ]);
  assert.deepEqual(declared.get('by-vendor 192.0.2.10')!.pinningHosts?.sort(), [...HDB_HOSTS].sort());
  assert.deepEqual(declared.get('by-vendor 192.0.2.11')!.pinningHosts?.sort(), [...HDB_HOSTS].sort(), 'a one-address CIDR is a bare IP');
  assert.equal(declared.get('by-vendor connect.helpdeskbuttons.com')!.pinningHosts, undefined, 'a hostname is not pinned');
  assert.equal(declared.get('by-vendor 192.0.2.0/24')!.pinningHosts, undefined);
  assert.deepEqual(declared.get('no-vendor 2001:db8::10')!.pinningHosts?.sort(), [...HDB_HOSTS].sort());

  const undeclared = targets(['outbound:', '  - name: plain', '    to: 192.0.2.10', '    ports: 443', '  - name: other', '    vendor: nobody', '    to: 192.0.2.12', '    ports: 443']);
  assert.equal(undeclared.get('plain 192.0.2.10')!.pinningHosts, undefined, 'no vendor and none declared: nothing to compare with');
  assert.equal(undeclared.get('other 192.0.2.12')!.pinningHosts, undefined, 'an unknown vendor has no hostnames');
});

test('rulesRefusal: errors of yaml-syntax, schema, invalid-address or invalid-port refuse; warnings and other rules do not', () => {
  const lint = (lines: string[], config?: LintConfig) =>
    lintText(['allowlist: 1', 'outbound:', ...lines, ''].join('\n'), { fileName: 't.allowlist.yaml', config });
  const refused = rulesRefusal(lint(['  - name: a', '    to: 192.0.2.1', '    ports: "99999"', '  - name: b', '    to: 192.0.2.2', '    speed: 443']));
  assert.equal(refused?.kind, 'unreliable');
  assert.deepEqual(refused?.kind === 'unreliable' && refused.findings.map((f) => f.ruleId).sort(), ['invalid-port', 'schema', 'schema']);
  assert.equal(describeRulesRefusal('t.yaml', refused!, 'probe', 'run `allowlist lint t.yaml`'), 't.yaml has 3 errors that make its rules unreliable; run `allowlist lint t.yaml`');

  // An expired rule and a YAML warning (an unknown tag) leave the rules readable.
  assert.equal(rulesRefusal(lint(['  - name: a', '    to: !custom 192.0.2.1', '    ports: 443', '    expires: 2001-01-01'])), undefined);
  // A severity the config lowers is the user's call, as `allowlist lint` then reports no error either.
  const lowered = { ...emptyConfig(), rules: { schema: { severity: 'warning' as const, options: {} } } };
  assert.equal(rulesRefusal(lint(['  - to: 192.0.2.1', '    ports: 443'], lowered)), undefined);
  assert.equal(rulesRefusal(lintText('hello: 1\n', { fileName: 'x.yaml' }))?.kind, 'not-allowlist');
});
