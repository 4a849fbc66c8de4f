import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cacheKey } from './hash';

test('cacheKey: 16 hex digits, stable, and different for texts that differ by one character or only in order', () => {
  const key = cacheKey('{"vendors":[["contoso",{}]]}');
  assert.match(key, /^[0-9a-f]{16}$/);
  assert.equal(cacheKey('{"vendors":[["contoso",{}]]}'), key);
  assert.notEqual(cacheKey('{"vendors":[["contosp",{}]]}'), key);
  assert.notEqual(cacheKey('ab'), cacheKey('ba'));
  assert.notEqual(cacheKey(''), cacheKey('\0'));
  // No collisions over many near-identical texts (what per-item cache keys look like).
  const keys = new Set(Array.from({ length: 100_000 }, (_, i) => cacheKey(`["2026-12-02",${i}]`)));
  assert.equal(keys.size, 100_000);
});
