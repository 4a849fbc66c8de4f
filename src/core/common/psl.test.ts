import { test } from 'node:test';
import assert from 'node:assert/strict';
import { domainToASCII } from 'node:url';
import { domainToAscii } from './psl';
import { pslRules } from './psl-rules';

test("domainToAscii (URL Standard, runs in a browser) gives node:url's domainToASCII for every rule of the Public Suffix List", () => {
  const names = pslRules()
    .map((rule) => rule.replace(/^[!]|^\*\./, '').toLowerCase())
    .filter((name) => !/^[\x00-\x7f]*$/.test(name));
  assert.ok(names.length > 300, `${names.length} internationalised rules`);
  for (const name of names) assert.equal(domainToAscii(name), domainToASCII(name) || undefined, name);
  for (const invalid of ['xn--a', 'a..b', 'exa mple.com', '']) assert.equal(domainToAscii(invalid), domainToASCII(invalid) || undefined, JSON.stringify(invalid));
});
