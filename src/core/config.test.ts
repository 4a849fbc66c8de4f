import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError, parseConfig } from './config';

test('config: severities and rule options are read', () => {
  const config = parseConfig('rules:\n  shadowed-rule: error\n  expires-soon: { severity: warning, days: 30 }\n  inbound-too-broad: { max-ipv4-prefix: 24 }\n', '/x/.allowlistrc.yaml');
  assert.deepEqual(config.rules['shadowed-rule'], { severity: 'error', options: {} });
  assert.deepEqual(config.rules['expires-soon'], { severity: 'warning', options: { days: 30 } });
  assert.deepEqual(config.rules['inbound-too-broad'], { severity: undefined, options: { 'max-ipv4-prefix': 24 } });
});

test('config: a mistake is an error naming it, never silently ignored', () => {
  const cases: [string, RegExp][] = [
    ['rules:\n  no-such-rule: off\n', /unknown rule "no-such-rule"/],
    ['rules:\n  shadowed-rul: error\n', /unknown rule "shadowed-rul"/],
    ['rules:\n  expires-soon: { dayz: 3 }\n', /rule expires-soon: unknown option "dayz"; its options are days/],
    ['rules:\n  shadowed-rule: { days: 3 }\n', /rule shadowed-rule: unknown option "days"; it has no options, only a severity/],
    ['rules:\n  expires-soon: { days: -1 }\n', /rule expires-soon: days must be a whole number from 0 to 3650/],
    ['rules:\n  inbound-too-broad: { max-ipv4-prefix: "24" }\n', /max-ipv4-prefix must be a whole number from 0 to 32/],
    ['rules:\n  inbound-too-broad: { max-ipv6-prefix: 129 }\n', /max-ipv6-prefix must be a whole number from 0 to 128/],
    ['rules:\n  expires-soon: loud\n', /severity must be error, warning, info or off, not "loud"/],
    ['rulez: {}\n', /unknown key "rulez"/],
    // Option names that every object has (found by the CLI fuzz run, test/robustness/fuzz-cli.test.ts).
    ['rules:\n  expires-soon: { constructor: 5 }\n', /rule expires-soon: unknown option "constructor"; its options are days/],
    ['rules:\n  shadowed-rule: { toString: 5 }\n', /rule shadowed-rule: unknown option "toString"; it has no options/],
    ['rules:\n  expires-soon: { __proto__: 5 }\n', /rule expires-soon: unknown option "__proto__"/],
    // Nesting deep enough to exhaust the YAML parser's stack is said in the user's terms, not the engine's.
    [`rules: ${'['.repeat(20_000)}${']'.repeat(20_000)}\n`, /^\.allowlistrc\.yaml: not valid YAML: it is nested too deeply$/],
  ];
  for (const [text, message] of cases) {
    assert.throws(() => parseConfig(text, '.allowlistrc.yaml'), (error: unknown) => error instanceof ConfigError && message.test(error.message), text);
  }
});
