/** Inputs built to exhaust a parser (alias bombs, huge files, deep nesting, very long lines) end with a
 * clear finding, not a hang or a crash, and memory stays bounded. Time bounds here only catch hangs
 * (HANG_LIMIT_MS); performance goals live in the benchmark. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MAX_FILE_SIZE } from '../../src/core/files';
import { lintText, type LintResult } from '../../src/core/lint';
import { generateAllowlist, generateIgnoreComments } from '../generate';
import { LineIndex } from '../../src/core/common';
import { assertFindingsInside, HANG_LIMIT_MS, lintInWorker } from './helpers';

const OPTIONS = { fileName: 'limits.allowlist.yaml', today: '2026-06-01' };

function timed(text: string, options = OPTIONS): LintResult & { ms: number } {
  const started = performance.now();
  const result = lintText(text, options);
  const ms = performance.now() - started;
  assertFindingsInside(text, result.findings, JSON.stringify(text.slice(0, 80)));
  return { ...result, ms };
}

function billionLaughs(indent: string): string[] {
  const lines = [`${indent}a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]`];
  for (let level = 1; level < 10; level++) {
    const name = String.fromCharCode(97 + level);
    const previous = `*${String.fromCharCode(96 + level)}`;
    lines.push(`${indent}${name}: &${name} [${Array(9).fill(previous).join(', ')}]`);
  }
  return lines;
}

test('limits: a billion-laughs alias bomb, at the top or inside a rule, is a clear finding', () => {
  const top = ['allowlist: 1', ...billionLaughs(''), ''].join('\n');
  const inItem = ['allowlist: 1', 'outbound:', '  - name: x', '    to: example.com', '    ports: 443', '    description:', ...billionLaughs('      '), ''].join('\n');
  for (const text of [top, inItem]) {
    const result = timed(text);
    assert.ok(result.ms < HANG_LIMIT_MS, `took ${result.ms} ms`);
    assert.ok(result.findings.some((f) => f.ruleId === 'yaml-syntax' && /alias bomb/.test(f.message)), JSON.stringify(result.findings.map((f) => f.message)));
    // Only that: the values were not read, so the schema has nothing to say about them.
    assert.deepEqual(result.findings.filter((f) => f.ruleId === 'schema').map((f) => f.message), []);
  }
});

test('limits: aliases that repeat a big anchor many times (a memory bomb in a small file) are cut off', () => {
  const big = Array.from({ length: 20_000 }, (_, i) => i).join(', ');
  const text = `allowlist: 1\nx: &x [${big}]\ny: [${Array(10_000).fill('*x').join(', ')}]\n`;
  const heapBefore = process.memoryUsage().heapUsed;
  const result = timed(text);
  const grown = process.memoryUsage().heapUsed - heapBefore;
  assert.ok(result.ms < HANG_LIMIT_MS, `took ${result.ms} ms`);
  assert.ok(grown < 512 * 1024 * 1024, `heap grew by ${(grown / 1e6).toFixed(0)} MB`);
  assert.ok(result.findings.some((f) => /alias bomb/.test(f.message)));
});

test('limits: files over the size limit get one clear finding and are not parsed', () => {
  const text = generateAllowlist({ rules: 45_000, seed: 3 });
  assert.ok(text.length > 10 * 1000 * 1000 && text.length > MAX_FILE_SIZE, `generated ${text.length} characters`);
  const result = timed(text);
  assert.ok(result.ms < HANG_LIMIT_MS, `took ${result.ms} ms`);
  assert.equal(result.findings.length, 1);
  assert.match(result.findings[0].message, /over the linter's limit of 5\.0 MB: it is not linted/);
  // Not an allowlist by name or content: nothing to say, as for any other YAML file.
  assert.deepEqual(lintText(`x: ${'y'.repeat(MAX_FILE_SIZE)}\n`).findings, []);
  // The limit is an option.
  assert.equal(lintText('allowlist: 1\nsite: abc\n', { ...OPTIONS, maxFileSize: 10 }).findings[0].subject, 'file:too-large');
});

test('limits: 1,000-deep nesting (flow and block, at the top and in a rule) is a clear finding, never a stack overflow', () => {
  let block = 'allowlist: 1\nsite:\n';
  for (let depth = 1; depth <= 1000; depth++) block += `${' '.repeat(depth)}k:\n`;
  let itemBlock = 'allowlist: 1\noutbound:\n  - name: x\n    ports: 443\n    to:\n';
  for (let depth = 0; depth < 1000; depth++) itemBlock += `${' '.repeat(6 + depth * 2)}-\n`;
  const texts = [
    `allowlist: 1\nsite: ${'['.repeat(1000)}${']'.repeat(1000)}\n`,
    `allowlist: 1\noutbound:\n  - name: x\n    ports: 443\n    to: ${'{a: '.repeat(1000)}1${'}'.repeat(1000)}\n`,
    `allowlist: 1\nsite: ${'['.repeat(20_000)}${']'.repeat(20_000)}\n`,
    block,
    itemBlock,
  ];
  for (const text of texts) {
    const result = timed(text);
    assert.ok(result.ms < HANG_LIMIT_MS, `took ${result.ms} ms`);
    assert.ok(result.findings.some((f) => f.ruleId === 'yaml-syntax' && /nested (more than \d+ levels|too deeply)/.test(f.message)), JSON.stringify(result.findings.map((f) => f.message)));
  }
});

test('limits: very long lines lint in bounded time', () => {
  const texts = [
    `allowlist: 1\nsite: ${'x'.repeat(4_000_000)}\n`,
    `allowlist: 1\noutbound:\n  - name: ${'n'.repeat(1_000_000)}\n    to: [${Array(50_000).fill('a.example.com').join(', ')}]\n    ports: 443\n`,
    `allowlist: 1\noutbound:\n  - name: "${'\\u00e9'.repeat(300_000)}\n    to: example.com\n`,
    `${'#'.repeat(3_000_000)}\nallowlist: 1\n`,
  ];
  for (const text of texts) {
    const result = timed(text);
    assert.ok(result.ms < HANG_LIMIT_MS, `took ${result.ms} ms`);
  }
});

// In a worker ended after HANG_LIMIT_MS, so that a return to time in the square of the input fails instead of hanging:
// these take seconds; before, 100,000 ignore comments took minutes and a long run of blanks hours.

test('limits: 100,000 ignore comments, stacked and alternating, trailing and on lines of their own, lint correctly', async () => {
  const stacked = 80_000;
  const text = generateIgnoreComments({ stacked, items: 10_000 });
  assert.ok(text.length < MAX_FILE_SIZE, `generated ${text.length} characters`);
  const { findings, ignores } = await lintInWorker(text, OPTIONS, HANG_LIMIT_MS);
  assertFindingsInside(text, findings, 'ignore comments');
  assert.equal(ignores.length, 100_000);
  assert.deepEqual([...new Set(findings.map((f) => `${f.ruleId}: ${f.message.replace(/invalid-address|wildcard-too-broad/, 'RULE')}`))], [
    'ignore-comment: allowlist-ignore RULE silences nothing on the line it applies to; remove it',
  ]);
  assert.equal(findings.length, stacked - 2);
  const lines = new LineIndex(text);
  const findingLines = findings.map((f) => lines.positionAt(f.range.start).line);
  assert.deepEqual([findingLines[0], findingLines.at(-1)], [3, stacked], 'all but the last comment of each rule in the stack');
});

test('limits: an ignore comment with a long run of blanks in it is read in one pass', async () => {
  const blanks = ' '.repeat(4_000_000);
  const ignores = async (comment: string) => (await lintInWorker(`allowlist: 1\nsite: x  ${comment}\n`, OPTIONS, HANG_LIMIT_MS)).ignores.map((i) => [i.ruleId, i.reason]);
  assert.deepEqual(await ignores(`# allowlist-ignore site-rule: a${blanks}b`), [['site-rule', `a${blanks}b`]]);
  assert.deepEqual(await ignores(`# allowlist-ignore${blanks}!`), []);
  assert.deepEqual(await ignores(`# allowlist-ignore site-rule${blanks}!`), []);
});
