import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readerById } from './readers';

const POLICY = (id: number, name: string, destination: string) =>
  `    edit ${id}\n        set name "${name}"\n        set srcintf "internal"\n        set dstintf "wan1"\n        set srcaddr "all"\n        set dstaddr "${destination}"\n        set action accept\n        set schedule "always"\n        set service "ALL"\n    next\n`;
const CONFIG = [
  'config firewall address',
  '    edit "odd"\n        set type fqdn\n        set fqdn "my_host,evil.com"\n    next',
  '    edit "ok"\n        set type fqdn\n        set fqdn "good.example.com"\n    next',
  'end',
  'config firewall addrgrp',
  '    edit "both"\n        set member "odd" "ok"\n    next',
  'end',
  `config firewall policy\n${POLICY(7, 'sneaky', 'odd')}${POLICY(8, 'half', 'both')}end`,
  '',
].join('\n');

test('import: an address the allowlist cannot hold is a problem, never written: the rule keeps the rest, or is left out', () => {
  const result = readerById('fortigate')!.read(CONFIG, {});
  assert.deepEqual(
    result.rules.map((rule) => [rule.name, rule.to]),
    [['half', ['good.example.com']]],
  );
  assert.deepEqual(
    result.problems.map((problem) => [problem.kind, problem.message]),
    [
      ['skipped', '"sneaky": "my_host,evil.com" is not a host name, wildcard, IP address or network an allowlist can hold, and nothing else is on that side: the policy is left out'],
      ['partial', '"half": "my_host,evil.com" is not a host name, wildcard, IP address or network an allowlist can hold: left out of the rule, which allows less than the policy'],
    ],
  );
});
