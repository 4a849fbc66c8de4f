import { test } from 'node:test';
import assert from 'node:assert/strict';
import { markedKind } from './marker';

test('marker: `allowlist: 1` and `catalog: 1` at the top level mark our files, after comments and a modeline too', () => {
  assert.equal(markedKind('allowlist: 1\nsite: x\n'), 'allowlist');
  assert.equal(markedKind('# yaml-language-server: $schema=x.json\n# a comment\nallowlist: 1 # v1\n'), 'allowlist');
  assert.equal(markedKind('"allowlist": "1"\n'), 'allowlist');
  assert.equal(markedKind('catalog: 1\nvendor:\n  id: acme\n'), 'catalog');
  // A wrong version is still ours, so that the schema can say what is wrong with it.
  assert.equal(markedKind('allowlist: 2\n'), 'allowlist');
});

test('marker: other tools\' YAML with the same keys is not ours', () => {
  // pnpm-workspace.yaml
  assert.equal(markedKind('packages:\n  - apps/*\ncatalog:\n  react: ^18.2.0\n'), undefined);
  assert.equal(markedKind('allowlist: [alice, bob]\n'), undefined);
  assert.equal(markedKind('allowlist:\n  - alice\n'), undefined);
  assert.equal(markedKind('allowlist: true\n'), undefined);
  // Not at the top level.
  assert.equal(markedKind('settings:\n  allowlist: 1\n'), undefined);
  assert.equal(markedKind('name: x\n'), undefined);
});
