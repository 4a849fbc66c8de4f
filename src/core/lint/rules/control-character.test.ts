import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseConfig } from '../config';
import { lintText } from '../engine';
import { applyFix, findingsOf, rangeText } from '../testing';

const RULE = 'control-character';

test('control-character: YAML escapes in a double-quoted name are reported by code point, with a fix that removes them', () => {
  const text = [
    'allowlist: 1',
    'outbound:',
    '  - name: "evil\\e[1A\\r\\e[2K\\e[32mexamples look fine\\e[0m\\e]0;PWNED-TITLE\\a"',
    '    to: example.com',
    '    ports: 443',
    '',
  ].join('\n');
  const [finding, ...rest] = findingsOf(text, RULE);
  assert.equal(rest.length, 0);
  assert.equal(finding.severity, 'error');
  assert.equal(rangeText(text, finding), '"evil\\e[1A\\r\\e[2K\\e[32mexamples look fine\\e[0m\\e]0;PWNED-TITLE\\a"');
  assert.match(finding.message, /^name contains U\+001B \(escape\), U\+000D \(carriage return\), U\+0007 \(bell\): /);
  // The message names the characters; it never carries them.
  assert.doesNotMatch(finding.message, /[\u0000-\u001f]/);
  const fixed = applyFix(text, finding.fixes![0]);
  assert.match(fixed, /name: "evil\[1A\[2K\[32mexamples look fine\[0m\]0;PWNED-TITLE"/);
  assert.deepEqual(findingsOf(fixed, RULE), []);
});

test('control-character: bidirectional overrides and invisible characters in addresses, ports, keys and header values', () => {
  const text = [
    'allowlist: 1',
    'site: "Riverside\\u202e office"',
    'vendors:',
    '  helpdesk-buttons: { ticket-system: "cloud\\u200b" }',
    'endpoint-protection:',
    '  products: ["webroot\\u2066"]',
    '  exclusions:',
    '    - path: "C:\\\\Tools\\u00ad"',
    'outbound:',
    '  - name: api',
    '    to: ["ok.example.com", "bad\\u202ehost.example.com"]',
    '    ports: ["443\\u200e"]',
    '    "own\\u200fer": noc',
    '',
  ].join('\n');
  const findings = findingsOf(text, RULE);
  assert.deepEqual(
    findings.map((finding) => [rangeText(text, finding), finding.message.split(':')[0]]),
    [
      ['"Riverside\\u202e office"', 'site contains U+202E (right-to-left override)'],
      ['"cloud\\u200b"', 'the option "ticket-system" contains U+200B (zero-width space)'],
      ['"webroot\\u2066"', 'a product contains U+2066 (left-to-right isolate)'],
      ['"C:\\\\Tools\\u00ad"', 'an exclusion path contains U+00AD (soft hyphen)'],
      ['"bad\\u202ehost.example.com"', 'to contains U+202E (right-to-left override)'],
      ['"443\\u200e"', 'ports contains U+200E (left-to-right mark)'],
      ['"own\\u200fer"', 'a key contains U+200F (right-to-left mark)'],
    ],
  );
});

test('control-character: raw characters (not only escapes) are found, and tabs and line breaks are allowed in descriptions only', () => {
  const text = [
    'allowlist: 1',
    'description: "two\\tcolumns\\nand lines, with a joiner: \u200d"',
    'outbound:',
    '  - name: "tab\\there"',
    '    description: |',
    '      first line',
    '      second\tline',
    '    to: caf\u202ee.example.com',
    '    ports: 443',
    '',
  ].join('\n');
  assert.deepEqual(
    findingsOf(text, RULE).map((finding) => [rangeText(text, finding), finding.message.split(':')[0]]),
    [
      ['"tab\\there"', 'name contains U+0009 (tab)'],
      ['caf\u202ee.example.com', 'to contains U+202E (right-to-left override)'],
    ],
  );
  // A CR in a description is still reported: it overwrites the terminal's line.
  assert.equal(findingsOf('allowlist: 1\ndescription: "fine\\rforged"\n', RULE).length, 1);
});

test('control-character: clean files, accented names and emoji with joiners in descriptions pass', () => {
  const text = 'allowlist: 1\nsite: Zürich – Büro\noutbound:\n  - name: café-api\n    description: "team 👩\u200d💻 owns it"\n    to: example.com\n    ports: 443\n';
  assert.deepEqual(findingsOf(text, RULE), []);
});

test('control-character: catalogs are checked too, keys and values, prose leniently', () => {
  const catalog = [
    'catalog: 1',
    'vendor: { id: acme, name: "Acme\\e]0;title\\a", description: "line one\\nline two" }',
    'endpoints:',
    '  - id: api',
    '    role: the API',
    '    host: "api\\u202e.acme.example"',
    '    ports: [443]',
    '    allowlist-by: hostname',
    '    source: { url: "https://acme.example/docs" }',
    '',
  ].join('\n');
  const findings = lintText(catalog, { fileName: 'acme.catalog.yaml' }).findings.filter((finding) => finding.ruleId === RULE);
  assert.deepEqual(
    findings.map((finding) => [catalog.slice(finding.range.start, finding.range.end), finding.message.split(':')[0]]),
    [
      ['"Acme\\e]0;title\\a"', 'the value of "name" contains U+001B (escape), U+0007 (bell)'],
      ['"api\\u202e.acme.example"', 'the value of "host" contains U+202E (right-to-left override)'],
    ],
  );
  assert.ok(findings.every((finding) => finding.severity === 'error'));
  // The config can turn it off like any rule.
  const off = lintText(catalog, { fileName: 'acme.catalog.yaml', config: parseConfig(`rules:\n  ${RULE}: off\n`) });
  assert.equal(off.findings.filter((finding) => finding.ruleId === RULE).length, 0);
});

test('control-character: each field of a rule item is checked on its own (the quick pass before the full one misses none)', () => {
  // One unsafe field per file: a field the quick pass (`ruleHasUnsafe`) forgot would go unreported.
  const fields: [string, string][] = [
    ['name', '    name: "a\\u200bb"'],
    ['vendor', '    vendor: "helpdesk\\u200b-buttons"'],
    ['ticket', '    ticket: "T-1\\u200b"'],
    ['owner', '    owner: "ops\\u200b"'],
    ['expires', '    expires: "2030-01-01\\u200b"'],
    ['description', '    description: "text\\u200b"'],
    ['from', '    from: "10.0.0.1\\u200b"'],
    ['to', '    to: "example.com\\u200b"'],
    ['ports', '    ports: ["443\\u200b"]'],
    ['a key', '    "own\\u200ber": x'],
  ];
  for (const [what, line] of fields) {
    const base = ['    to: example.com', '    ports: 443'].filter((other) => other.split(':')[0] !== line.split(':')[0]);
    const text = ['allowlist: 1', 'outbound:', '  - to_be_replaced', ...base, ''].join('\n').replace('  - to_be_replaced', `  - ${line.trim()}`);
    const messages = findingsOf(text, RULE).map((finding) => finding.message);
    assert.equal(messages.length, 1, `${what}: ${messages.join('; ')}`);
    assert.match(messages[0], new RegExp(`^${what} contains U\\+200B \\(zero-width space\\)`), what);
  }
});
