import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, parseConfig } from './config';
import { findConfigFile, loadConfigFile, loadConfigFor } from './config-file';

test('config: severities and rule options are read', () => {
  const config = parseConfig('rules:\n  shadowed-rule: error\n  expires-soon: { severity: warning, days: 30 }\n  inbound-too-broad: { max-ipv4-prefix: 24 }\n', '/x/.allowlistrc.yaml');
  assert.deepEqual(config.rules['shadowed-rule'], { severity: 'error', options: {} });
  assert.deepEqual(config.rules['expires-soon'], { severity: 'warning', options: { days: 30 } });
  assert.deepEqual(config.rules['inbound-too-broad'], { severity: undefined, options: { 'max-ipv4-prefix': 24 } });
});

test('config: an on/off option reads true and false, and 1 and 0 as the first release documented it', () => {
  for (const [written, read] of [['true', true], ['false', false], ['1', true], ['0', false]] as const) {
    const config = parseConfig(`rules:\n  missing-endpoint: { include-optional: ${written} }\n`, '.allowlistrc.yaml');
    assert.deepEqual(config.rules['missing-endpoint'].options, { 'include-optional': read }, written);
  }
});

test('config: a mistake is an error naming it, never silently ignored', () => {
  const cases: [string, RegExp][] = [
    ['rules:\n  no-such-rule: off\n', /unknown rule "no-such-rule"/],
    ['rules:\n  shadowed-rul: error\n', /unknown rule "shadowed-rul"; did you mean shadowed-rule\?/],
    ['rules:\n  expires-soon: { dayz: 3 }\n', /rule expires-soon: unknown option "dayz"; did you mean days\?/],
    ['rules:\n  shadowed-rule: { days: 3 }\n', /rule shadowed-rule: unknown option "days"; it has no options, only a severity/],
    ['rules:\n  expires-soon: { days: -1 }\n', /rule expires-soon: days must be a whole number from 0 to 3650/],
    ['rules:\n  inbound-too-broad: { max-ipv4-prefix: "24" }\n', /max-ipv4-prefix must be a whole number from 0 to 32/],
    ['rules:\n  inbound-too-broad: { max-ipv6-prefix: 129 }\n', /max-ipv6-prefix must be a whole number from 0 to 128/],
    ['rules:\n  missing-endpoint: { include-optional: 2 }\n', /rule missing-endpoint: include-optional must be true or false$/],
    ['rules:\n  missing-endpoint: { include-optional: "yes" }\n', /include-optional must be true or false$/],
    ['rules:\n  expires-soon: loud\n', /severity must be error, warning, info or off, not "loud"/],
    ['rulez: {}\n', /unknown key "rulez"; did you mean rules\?/],
    ['colors: {}\n', /unknown key "colors"; expected rules, catalogs/],
    // Option names that every object has (found by the CLI fuzz run, test/robustness/fuzz-cli.test.ts).
    ['rules:\n  expires-soon: { constructor: 5 }\n', /rule expires-soon: unknown option "constructor"; its options are days/],
    ['rules:\n  shadowed-rule: { toString: 5 }\n', /rule shadowed-rule: unknown option "toString"; it has no options/],
    ['rules:\n  expires-soon: { __proto__: 5 }\n', /rule expires-soon: unknown option "__proto__"/],
    // Nesting deep enough to exhaust the YAML parser's stack is said in the user's terms, not the engine's.
    [`rules: ${'['.repeat(20_000)}${']'.repeat(20_000)}\n`, /^\.allowlistrc\.yaml(:\d+:\d+)?: not valid YAML: it is nested too deeply$/],
  ];
  for (const [text, message] of cases) {
    assert.throws(() => parseConfig(text, '.allowlistrc.yaml'), (error: unknown) => error instanceof ConfigError && message.test(error.message), text);
  }
});

test('config: an error names the line and column of what is wrong, YAML syntax errors too', () => {
  const cases: [string, string][] = [
    ['rules:\n  expires-soon: warning\n  shadowed-rul: error\n', '.allowlistrc.yaml:3:3: unknown rule "shadowed-rul"; did you mean shadowed-rule?'],
    ['rules:\n  expires-soon: loud\n', '.allowlistrc.yaml:2:17: rule expires-soon: severity must be error, warning, info or off, not "loud"'],
    ['rules:\n  expires-soon: { days: 3, dayz: 4 }\n', '.allowlistrc.yaml:2:28: rule expires-soon: unknown option "dayz"; did you mean days?'],
    ['catalogs:\n  - ok.yaml\n  - 7\n', '.allowlistrc.yaml:3:5: `catalogs` must be a list of paths'],
    ['# settings\nrulez: {}\n', '.allowlistrc.yaml:2:1: unknown key "rulez"; did you mean rules?'],
  ];
  for (const [text, message] of cases) {
    assert.throws(() => parseConfig(text, '.allowlistrc.yaml'), (error: unknown) => error instanceof ConfigError && error.message === message, text);
  }
  assert.throws(() => parseConfig('rules:\n  expires-soon: [warning\n', '.allowlistrc.yaml'), (error: unknown) => error instanceof ConfigError && /^\.allowlistrc\.yaml:\d+:\d+: not valid YAML: /.test(error.message));
  // Settings are not text the user typed as is: no position there.
  assert.throws(() => parseConfig('{"rules":{"shadowed-rul":"error"}}', 'settings: allowlist.rules', { positions: false }), (error: unknown) => error instanceof ConfigError && error.message === 'settings: allowlist.rules: unknown rule "shadowed-rul"; did you mean shadowed-rule?');
});

test('config: an alias reads as the value it names', () => {
  const config = parseConfig('rules:\n  shadowed-rule: &loud error\n  expires-soon: { severity: *loud, days: 3 }\ncatalogs: extra.yaml\n', '/x/.allowlistrc.yaml');
  assert.deepEqual(config.rules['expires-soon'], { severity: 'error', options: { days: 3 } });
  assert.deepEqual(config.catalogs, ['/x/extra.yaml']);
});

test('config: an error keeps its reason and range apart from the message, for the editor', () => {
  assert.throws(
    () => parseConfig('rules:\n  shadowed-rul: error\n', '/x/.allowlistrc.yaml'),
    (error: unknown) =>
      error instanceof ConfigError &&
      error.reason === 'unknown rule "shadowed-rul"; did you mean shadowed-rule?' &&
      error.path === '/x/.allowlistrc.yaml' &&
      JSON.stringify(error.range) === JSON.stringify({ start: { line: 1, character: 2 }, end: { line: 1, character: 14 } }),
  );
});

test('config: a config file is decoded as allowlists are (UTF-16 read, binary and bad UTF-8 named with their place)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'config-encoding-'));
  try {
    const write = (bytes: Buffer): string => {
      const path = join(dir, '.allowlistrc.yaml');
      writeFileSync(path, bytes);
      return path;
    };
    const utf16 = write(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('rules:\n  shadowed-rule: off\n', 'utf16le')]));
    assert.deepEqual(loadConfigFile(utf16).rules['shadowed-rule'], { severity: 'off', options: {} });
    const latin1 = write(Buffer.from('rules:\n  # caf\u00e9\n', 'latin1'));
    assert.throws(() => loadConfigFile(latin1), (error: unknown) => error instanceof ConfigError && error.message === `${latin1}:2:8: the file is not valid UTF-8 (byte 0xe9 at byte offset 14); save it as UTF-8`);
    const binary = write(Buffer.from([0x72, 0x00]));
    assert.throws(() => loadConfigFile(binary), (error: unknown) => error instanceof ConfigError && error.message === `${binary}:1:1: the file is binary (it contains NUL bytes), not YAML`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('config: a config file that is there but cannot be read (a dangling or looping link) is an error, not no config', () => {
  const dir = mkdtempSync(join(tmpdir(), 'config-link-'));
  try {
    mkdirSync(join(dir, 'site'));
    const config = join(dir, '.allowlistrc.yaml');
    for (const target of ['missing.yaml', '.allowlistrc.yaml']) {
      rmSync(config, { force: true });
      symlinkSync(target, config);
      assert.equal(findConfigFile(join(dir, 'site')), config);
      assert.throws(() => loadConfigFor(join(dir, 'site')), (error: unknown) => error instanceof ConfigError && error.message.startsWith(`cannot read config ${config}: `));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
