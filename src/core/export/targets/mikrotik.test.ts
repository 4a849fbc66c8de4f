import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { lintText } from '../../lint';
import { exportRules } from '../rules';
import type { RenderContext } from '../types';
import { assertGolden, CONTOSO, EDGE, exportFile } from './golden.test-helpers';
import { mikrotik, routerOsString } from './mikrotik';

/** One RouterOS command per line: quotes closed, `[ ]` balanced, no line continuation, and no `$` that RouterOS would
 * expand (inside or outside a string). Returns the line's quoted strings, unescaped. */
function checkLine(line: string): string[] {
  const strings: string[] = [];
  let depth = 0;
  for (let index = 0; index < line.length; index++) {
    const character = line[index];
    if (character === '$') assert.fail(`unescaped $ outside a string: ${line}`);
    if (character === '[') depth++;
    if (character === ']') depth--;
    if (character !== '"') continue;
    let value = '';
    for (index++; line[index] !== '"'; index++) {
      assert.ok(index < line.length, `unclosed string: ${line}`);
      if (line[index] === '$') assert.fail(`unescaped $ in a string: ${line}`);
      if (line[index] !== '\\') {
        value += line[index];
        continue;
      }
      const escaped = line[++index];
      if (/[0-9A-F]/.test(escaped)) value += String.fromCharCode(parseInt(line.slice(index, ++index + 1), 16));
      else value += escaped;
    }
    strings.push(value);
  }
  assert.equal(depth, 0, `unbalanced brackets: ${line}`);
  assert.ok(!line.endsWith('\\'), `line continuation: ${line}`);
  return strings;
}

/** Every line parses, and every address list a filter rule matches is filled by an address-list or DNS entry. */
function checkScript(script: string): void {
  const filled = new Set<string>();
  const used: string[] = [];
  let menu = '';
  for (const line of script.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    checkLine(line);
    if (line.startsWith('/')) {
      if (line.includes(' remove ')) assert.match(line, /^\/(ip|ipv6) (firewall (filter|address-list)|dns static) remove \[find where comment~"\^allowlist:"\]$/);
      else menu = line;
      continue;
    }
    assert.match(line, /^add /, `a command in ${menu}`);
    assert.match(line, / comment="allowlist: /, 'every entry carries the marker a re-run removes');
    const family = menu.startsWith('/ipv6') ? 'ipv6' : 'ip';
    const list = line.match(/ (?:list|address-list)=(\S+)/)?.[1];
    if (list && (menu.endsWith('address-list') || menu === '/ip dns static')) filled.add(`${family} ${list}`);
    for (const [, name] of line.matchAll(/ (?:src|dst)-address-list=(\S+)/g)) used.push(`${family} ${name}`);
  }
  for (const list of used) assert.ok(filled.has(list), `address list ${list} is used but never filled`);
}

test('mikrotik: golden output for the bundled example and the edge cases (UPDATE_GOLDEN=1 rewrites)', () => {
  assertGolden(mikrotik, 'contoso', exportFile(CONTOSO, mikrotik));
  assertGolden(mikrotik, 'edge', exportFile(EDGE, mikrotik));
});

test('mikrotik: one command a line, quotes and brackets balanced, no $ expanded, every matched list filled', () => {
  for (const path of [CONTOSO, EDGE]) checkScript(exportFile(path, mikrotik, { lanInterface: 'my "lan"', wanInterface: 'w$an' }).files[0].text);
});

test('mikrotik: RouterOS strings escape quotes, backslashes, $, ? and every byte outside printable ASCII', () => {
  const hostile = 'a "b" \\ $x [c] ? \n\t\u202e é';
  const quoted = routerOsString(hostile);
  assert.equal(quoted, '"a \\"b\\" \\\\ \\$x [c] \\? \\0A\\09\\E2\\80\\AE \\C3\\A9"');
  const [value] = checkLine(`add comment=${quoted}`);
  assert.equal(Buffer.from(value, 'latin1').toString('utf8'), hostile, 'the escapes decode to the original text');
});

test('mikrotik: idempotent (removes its own entries first), default deny last, wildcards through DNS FWD entries', () => {
  const result = exportFile(EDGE, mikrotik);
  const script = result.files[0].text;
  const lines = script.split('\n');
  const firstAdd = lines.findIndex((line) => line.startsWith('add '));
  const removes = lines.slice(0, firstAdd).filter((line) => line.includes(' remove '));
  assert.equal(removes.length, 5, 'filter, address-list (IPv4 and IPv6) and DNS static entries are removed before adding');
  assert.match(script, /add type=FWD name="cdn\.example\.com" match-subdomain=yes address-list=web_and_wildcards-dst forward-to=/);
  assert.match(script, /dst-address-list=web_and_wildcards-dst protocol=tcp dst-port=80,443,2001-2500/);
  assert.match(script, /clients must use this router as their DNS resolver/);
  for (const family of ['/ip firewall filter', '/ipv6 firewall filter']) {
    const block = script.slice(script.indexOf(`${family}\n`)).split('\n').slice(1);
    const rules = block.slice(0, block.findIndex((line) => !line.startsWith('add ')));
    assert.match(rules[0], /connection-state=established,related/);
    assert.deepEqual(rules.slice(-2).map((line) => line.match(/action=(\w+)/)?.[1]), ['drop', 'drop'], `${family} ends in the default deny`);
  }
  assert.match(script, /protocol=tcp dst-port=5000-5001 [^\n]*\n[^\n]*protocol=udp dst-port=5000-5001/, 'any protocol with ports is a TCP and a UDP rule');
  const unfaithful = result.warnings.filter((warning) => warning.kind === 'unfaithful').map((warning) => warning.rule);
  assert.deepEqual(unfaithful, ['v6-only-from-v4-to', 'vendor-api']);
});

test('mikrotik: deterministic, and list names do not depend on the order of the rules', () => {
  assert.equal(exportFile(EDGE, mikrotik).files[0].text, exportFile(EDGE, mikrotik).files[0].text);
  const rules = exportRules(lintText(readFileSync(EDGE, 'utf8'), { fileName: EDGE }).model, '2026-12-02');
  const context: RenderContext = { options: { sourceName: 'x', today: '2026-12-02' }, warn: () => {} };
  const lists = (ordered: typeof rules) => [...new Set(mikrotik.render(ordered, context)[0].text.match(/ list=\S+ address=\S+/g))].sort();
  assert.deepEqual(lists([...rules].reverse()), lists(rules));
});
