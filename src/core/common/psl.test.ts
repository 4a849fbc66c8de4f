import { test } from 'node:test';
import assert from 'node:assert/strict';
import { asciiRules, pslRules, readPslPackageRules } from './psl-rules';
import { isPublicSuffix, publicSuffixesUnder } from './psl';

test('the rules the engine reads are the psl package’s, lower case, an internationalised name in its ASCII form', () => {
  const shipped = pslRules();
  const raw = readPslPackageRules();
  // What the build wrote is what the package's rules convert to (a bundle without the file converts them itself).
  assert.deepEqual(asciiRules(raw), shipped);
  assert.ok(raw.length > 9000, `${raw.length} rules in the package`);
  assert.equal(shipped.length, raw.length, 'none dropped: every rule of today’s list has an ASCII form');
  assert.deepEqual(
    shipped.filter((rule) => /[^\x00-\x7f]|[A-Z]/.test(rule)),
    [],
  );
  // In the list's order, one for one: ASCII rules as they are, the others converted (`公司.cn` is xn--55qx5d.cn).
  const international = raw.flatMap((rule, at) => (/^[\x00-\x7f]*$/.test(rule) ? (assert.equal(shipped[at], rule.toLowerCase()), []) : [[rule, shipped[at]]]));
  assert.ok(international.length > 300, `${international.length} internationalised rules`);
  assert.deepEqual(international.find(([rule]) => rule === '公司.cn'), ['公司.cn', 'xn--55qx5d.cn']);
  for (const [rule, ascii] of international) assert.match(ascii, /(^|\.)xn--/, `${rule} -> ${ascii}`);
});

test('an internationalised suffix is found in its ASCII form, and under its parent', () => {
  assert.equal(isPublicSuffix('xn--55qx5d.cn'), true);
  assert.equal(isPublicSuffix('example.xn--55qx5d.cn'), false);
  assert.ok(publicSuffixesUnder('cn').includes('xn--55qx5d.cn'));
});
