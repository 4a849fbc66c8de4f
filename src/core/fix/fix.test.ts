import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lintText } from '../lint';
import { decodeText } from '../files';
import type { Finding } from '../common';
import { applyPreferredFixes, encodeLike, fixUntilStable, MAX_FIX_ROUNDS, unifiedDiff } from '.';

const lint = (text: string): Finding[] => lintText(text, { fileName: 'site.allowlist.yaml', today: '2026-11-25' }).findings;

const MISSPELT = 'allowlist: 1\noutbound:\n  - name: web\n    to: example.com\n    prots: 443\n';

/** A finding with one preferred fix of the given edits. */
function finding(ruleId: string, edits: { start: number; end: number; newText: string }[]): Finding {
  return {
    ruleId,
    severity: 'error',
    message: ruleId,
    range: { start: edits[0].start, end: edits[0].end },
    subject: ruleId,
    fixes: [
      { title: `not preferred ${ruleId}`, edits: [{ range: { start: 0, end: 0 }, newText: 'WRONG' }] },
      { title: `fix ${ruleId}`, edits: edits.map(({ start, end, newText }) => ({ range: { start, end }, newText })), preferred: true },
    ],
  };
}

test('fix: the schema rename `prots` -> `ports` is applied, and the re-lint finds nothing left', () => {
  const { text, applied, findings } = fixUntilStable(MISSPELT, lint);
  assert.equal(text, MISSPELT.replace('prots', 'ports'));
  assert.deepEqual(applied, [{ ruleId: 'schema', title: 'Rename to ports' }]);
  assert.deepEqual(findings, []);
});

test('fix: a declared vendor\'s missing endpoints are added round after round (their edits meet at one place), then it lints clean of them', () => {
  const text = 'allowlist: 1\nvendors:\n  helpdesk-buttons: { ticket-system: cloud }\noutbound:\n  - name: web\n    to: example.com\n    ports: 443\n';
  const first = applyPreferredFixes(text, lint(text));
  // Every missing-endpoint fix inserts after the last rule: one per round, the others wait for the re-lint.
  assert.equal(first.applied.filter((fix) => fix.ruleId === 'missing-endpoint').length, 1);
  const fixed = fixUntilStable(text, lint);
  assert.ok(fixed.applied.filter((fix) => fix.ruleId === 'missing-endpoint').length >= 2);
  assert.deepEqual(fixed.findings.filter((left) => left.ruleId === 'missing-endpoint'), []);
  assert.match(fixed.text, /to: connect\.helpdeskbuttons\.com/);
});

test('fix: overlapping and touching fixes wait for the next round; separate ones are applied together', () => {
  const text = 'abcdefghij';
  const { text: fixed, applied } = applyPreferredFixes(text, [
    finding('second', [{ start: 2, end: 5, newText: 'X' }]),
    finding('first', [{ start: 0, end: 3, newText: 'Y' }]),
    finding('touching', [{ start: 3, end: 3, newText: 'T' }]),
    finding('apart', [{ start: 8, end: 9, newText: 'Z' }]),
  ]);
  assert.equal(fixed, 'YdefghZj');
  assert.deepEqual(applied.map((fix) => fix.ruleId), ['first', 'apart']);
  // A fix whose own edits overlap is not applied at all; a fix with several separate edits is applied whole.
  const own = applyPreferredFixes(text, [finding('self', [{ start: 1, end: 4, newText: 'a' }, { start: 3, end: 6, newText: 'b' }]), finding('two', [{ start: 7, end: 8, newText: '7' }, { start: 9, end: 10, newText: '9' }])]);
  assert.equal(own.text, 'abcdefg7i9');
  // An edit outside the text (a stale finding) is never applied.
  assert.equal(applyPreferredFixes(text, [finding('stale', [{ start: 8, end: 40, newText: '' }])]).text, text);
});

test('fix: a CRLF file keeps CRLF line breaks, in new lines from any fix too', () => {
  const crlf = 'allowlist: 1\r\noutbound:\r\n  - name: web\r\n    to: example.com\r\n    ports: 443\r\n';
  const inserted = applyPreferredFixes(crlf, [finding('lines', [{ start: crlf.length, end: crlf.length, newText: '  - name: two\n    to: example.org\n' }])]);
  assert.equal(inserted.text, `${crlf}  - name: two\r\n    to: example.org\r\n`);
  const vendor = 'allowlist: 1\r\nvendors:\r\n  helpdesk-buttons: { ticket-system: cloud }\r\noutbound:\r\n  - name: web\r\n    to: example.com\r\n    prots: 443\r\n';
  const fixed = fixUntilStable(vendor, lint);
  assert.ok(fixed.applied.length > 2);
  assert.doesNotMatch(fixed.text, /[^\r]\n/, 'every line break is CRLF');
  assert.deepEqual(fixed.findings.filter((left) => left.fixes?.some((fix) => fix.preferred)), []);
});

test('fix: fixes that undo each other stop when a text comes back; fixes that never settle stop after MAX_FIX_ROUNDS rounds', () => {
  let lints = 0;
  const flip = (text: string): Finding[] => {
    lints++;
    return [finding('flip', [{ start: 0, end: 1, newText: text[0] === 'a' ? 'b' : 'a' }])];
  };
  const flipped = fixUntilStable('a', flip);
  assert.deepEqual([flipped.text, flipped.applied.length, lints], ['b', 1, 3]);
  const grow = (text: string): Finding[] => [finding('grow', [{ start: text.length, end: text.length, newText: 'x' }])];
  assert.equal(fixUntilStable('', grow).applied.length, MAX_FIX_ROUNDS);
});

test('fix: a round that breaks the file (more YAML or schema errors) is taken back; its other fixes are kept one by one', () => {
  // Fixing "a" breaks the file (a syntax error wherever an X is); fixing "b" does not.
  const broken = (text: string): Finding[] => [
    ...(text.includes('X') ? [{ ...finding('yaml-syntax', [{ start: 0, end: 0, newText: '' }]), fixes: undefined }] : []),
    ...(text.includes('a') ? [{ ...finding('breaks', [{ start: text.indexOf('a'), end: text.indexOf('a') + 1, newText: 'X' }]), severity: 'warning' as const }] : []),
    ...(text.includes('b') ? [finding('mends', [{ start: text.indexOf('b'), end: text.indexOf('b') + 1, newText: 'c' }])] : []),
  ];
  const result = fixUntilStable('ab', broken);
  assert.equal(result.text, 'ac');
  assert.deepEqual(result.applied.map((fix) => fix.ruleId), ['mends']);
  assert.deepEqual(result.findings.map((left) => left.ruleId), ['breaks']);
});

test('fix: missing-exclusion under an exclusions: or endpoint-protection: that is null, ~ or empty writes a list in its place, the comment kept', () => {
  for (const [head, value] of [
    ['endpoint-protection:\n  exclusions:', ' null   # to do'],
    ['endpoint-protection:\n  exclusions:', ' ~'],
    ['endpoint-protection:', ' ~'],
    ['endpoint-protection:', ' null # later'],
  ]) {
    const text = `allowlist: 1\nvendors:\n  helpdesk-buttons: {}\n${head}${value}\n`;
    const fixed = fixUntilStable(text, (current) => lint(current).filter((left) => left.ruleId !== 'missing-endpoint'));
    assert.deepEqual(fixed.applied.map((fix) => fix.ruleId), ['missing-exclusion'], text);
    assert.deepEqual(fixed.findings.filter((left) => left.ruleId !== 'missing-endpoint'), [], fixed.text);
    const comment = /#.*/.exec(value)?.[0];
    if (comment) assert.ok(fixed.text.includes(comment), fixed.text);
  }
});

test('fix: encodeLike writes a byte order mark and UTF-16 back as the file had them', () => {
  for (const original of [Buffer.from('\uFEFFa: 1\n'), Buffer.from('a: 1\n'), Buffer.from('\uFEFFa: é\n', 'utf16le'), Buffer.from('\uFEFFa: é\n', 'utf16le').swap16()]) {
    const text = decodeText(original).text;
    assert.deepEqual(encodeLike(original, text), original);
    assert.equal(decodeText(encodeLike(original, `${text}b: 2\n`)).text, `${text}b: 2\n`);
  }
});

test('unified diff: hunks with 3 lines of context, merged when close, `\\ No newline at end of file`', () => {
  const before = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '10', '11', '12', '13', '14', '15', '16', '17', '18', '19', '20', ''].join('\n');
  const after = before.replace('2\n', 'two\n').replace('5\n', '').replace('18\n', '18\neighteen and a half\n');
  assert.equal(
    unifiedDiff('site.allowlist.yaml', before, after),
    [
      '--- a/site.allowlist.yaml',
      '+++ b/site.allowlist.yaml',
      '@@ -1,8 +1,7 @@',
      ' 1',
      '-2',
      '+two',
      ' 3',
      ' 4',
      '-5',
      ' 6',
      ' 7',
      ' 8',
      '@@ -16,5 +15,6 @@',
      ' 16',
      ' 17',
      ' 18',
      '+eighteen and a half',
      ' 19',
      ' 20',
      '',
    ].join('\n'),
  );
  assert.equal(unifiedDiff('f', 'a\nb', 'a\nc\n'), '--- a/f\n+++ b/f\n@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+c\n');
  assert.equal(unifiedDiff('f', '', 'x\n'), '--- a/f\n+++ b/f\n@@ -0,0 +1 @@\n+x\n');
  assert.equal(unifiedDiff('f', 'same\n', 'same\n'), '');
  assert.equal(unifiedDiff('my site.yaml', 'a\n', 'b\n'), '--- a/my site.yaml\t\n+++ b/my site.yaml\t\n@@ -1 +1 @@\n-a\n+b\n');
});

test('unified diff: `git apply` turns the old text into the new one, for random edits, CRLF and missing last newlines', (t) => {
  if (spawnSync('git', ['--version']).status !== 0) return t.skip('git is not installed');
  const dir = mkdtempSync(join(tmpdir(), 'allowlist-udiff-'));
  try {
    let seed = 7;
    const random = (n: number): number => ((seed = (seed * 1103515245 + 12345) % 2147483648) % n);
    for (let round = 0; round < 25; round++) {
      const eol = round % 3 === 0 ? '\r\n' : '\n';
      const lines = Array.from({ length: 1 + random(40) }, () => `line ${random(6)}`);
      const changed = lines.flatMap((line) => [[], [line], [line], [line], [line, `new ${random(9)}`], [`other ${random(9)}`]][random(6)]);
      const before = lines.join(eol) + (random(4) === 0 ? '' : eol);
      const after = changed.join(eol) + (random(4) === 0 ? '' : eol);
      writeFileSync(join(dir, 'f.yaml'), before);
      const patch = unifiedDiff('f.yaml', before, after);
      if (patch === '') {
        assert.equal(before, after);
        continue;
      }
      const applied = spawnSync('git', ['apply', '--unsafe-paths', '-'], { cwd: dir, input: patch, encoding: 'utf8' });
      assert.equal(applied.status, 0, `${applied.stderr}\n${JSON.stringify(patch)}`);
      assert.equal(readFileSync(join(dir, 'f.yaml'), 'utf8'), after, JSON.stringify(patch));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
