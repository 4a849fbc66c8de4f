import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { sha256Hex } from './sha256.browser';

test('sha256 in the browser bundles: the digests of Node’s crypto, across block boundaries and for non-ASCII text', () => {
  const texts = ['', 'abc', 'a'.repeat(55), 'a'.repeat(56), 'a'.repeat(64), 'b'.repeat(119), 'c'.repeat(1000), 'Zürich ✓ 🔥\nrule', 'crm.example.com\n443'];
  for (const text of texts) assert.equal(sha256Hex(text), createHash('sha256').update(text).digest('hex'), JSON.stringify(text.slice(0, 20)));
});
