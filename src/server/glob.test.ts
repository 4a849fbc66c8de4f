import { test } from 'node:test';
import assert from 'node:assert/strict';
import { globToRegExp } from './glob';

test('globs: the default patterns match allowlists and catalogs in any folder, not other YAML', () => {
  const allowlist = globToRegExp('**/*.allowlist.yaml');
  assert.ok(allowlist.test('/work/site/contoso.allowlist.yaml'));
  assert.ok(allowlist.test('contoso.allowlist.yaml'));
  assert.ok(!allowlist.test('/work/site/contoso.yaml'));
  assert.ok(!allowlist.test('/work/site/contoso.allowlist.yaml.bak'));
  assert.ok(globToRegExp('*.catalog.{yaml,yml}').test('/a/b/x.catalog.yml'));
  assert.ok(globToRegExp('firewall/**/*.yaml').test('/repo/firewall/sites/a.yaml'));
  assert.ok(!globToRegExp('firewall/*.yaml').test('/repo/firewall/sites/a.yaml'));
  assert.ok(globToRegExp('site-?.yaml').test('/x/site-1.yaml'));
});
