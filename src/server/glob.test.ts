import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileGlob } from './glob';

test('globs: the default patterns match allowlists and catalogs in any folder, not other YAML', () => {
  const allowlist = compileGlob('**/*.allowlist.yaml');
  assert.ok(allowlist('/work/site/contoso.allowlist.yaml'));
  assert.ok(allowlist('contoso.allowlist.yaml'));
  assert.ok(!allowlist('/work/site/contoso.yaml'));
  assert.ok(!allowlist('/work/site/contoso.allowlist.yaml.bak'));
  assert.ok(compileGlob('*.catalog.{yaml,yml}')('/a/b/x.catalog.yml'));
  assert.ok(compileGlob('firewall/**/*.yaml')('/repo/firewall/sites/a.yaml'));
  assert.ok(!compileGlob('firewall/*.yaml')('/repo/firewall/sites/a.yaml'));
  assert.ok(compileGlob('site-?.yaml')('/x/site-1.yaml'));
});

test('globs: *, ?, **, classes and braces as VS Code reads them, ignoring case', () => {
  const cases: Array<[string, string, boolean]> = [
    ['*.yaml', '/a/B.YAML', true],
    ['*.yaml', '/a/b.yaml/c', false],
    ['a/*.yaml', '/x/a/b/c.yaml', false],
    ['a/**/c.yaml', '/x/a/c.yaml', true],
    ['a/**/c.yaml', '/x/a/b/b/c.yaml', true],
    ['a/**/c.yaml', '/x/ab/c.yaml', false],
    ['a/**', '/x/a/b/c', true],
    ['/x/**/*.yaml', '/x/y.yaml', true],
    ['site-?.yaml', '/x/site-12.yaml', false],
    ['site?.yaml', '/x/site/.yaml', false],
    ['site-[0-9].yaml', '/x/site-7.yaml', true],
    ['site-[0-9].yaml', '/x/site-a.yaml', false],
    ['site-[!0-9].yaml', '/x/site-a.yaml', true],
    ['site-[!0-9].yaml', '/x/site-7.yaml', false],
    ['site-[!0-9].yaml', '/x/site-/.yaml', false],
    ['site-[a-c].yaml', '/x/SITE-B.yaml', true],
    ['[]]x', '/]x', true],
    ['{firewall/**/*.yaml,*.fw}', '/r/firewall/a/b.yaml', true],
    ['{firewall/**/*.yaml,*.fw}', '/r/rules.fw', true],
    ['{firewall/**/*.yaml,*.fw}', '/r/rules.yaml', false],
    ['*.{a,{b,c}}', '/r/x.c', true],
    ['*.{a,}', '/r/x.', true],
    // an opening bracket or brace without its closing one is a plain character
    ['[x.yaml', '/r/[x.yaml', true],
    ['{x.yaml', '/r/{x.yaml', true],
    ['x}.yaml', '/r/x}.yaml', true],
  ];
  for (const [glob, path, expected] of cases) assert.equal(compileGlob(glob)(path), expected, `${glob} on ${path}`);
});

// A backtracking regular expression tries every way to split the path between the `**`s: this
// pattern on this path did not finish (a time-out fails the test instead of hanging the suite).
test('globs: a pattern with many ** on a long path answers at once', { timeout: 30_000 }, () => {
  const glob = compileGlob('**a**a**a**c');
  const path = `/${'a/'.repeat(2_500)}b`;
  assert.equal(glob(path), false);
  assert.equal(glob(`${path}ac`), true);
});
