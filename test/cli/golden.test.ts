/** The built CLI's lint and report output, byte for byte, against outputs recorded before the performance work of
 * issue 16: a faster parse, precompiled schemas or a different way of placing findings must not change a single byte
 * of what users and their CI read. Inputs: the bundled examples, the handcrafted files in golden/input (shapes that
 * take the parser's slower routes: comments, anchors, block scalars, CRLF, a syntax error) and generated allowlists
 * (test/generate.ts, fixed seeds). `UPDATE_GOLDEN=1 node scripts/run-tests.mjs golden` records them again, for a
 * change that means to alter the output (review the diff of golden/expected). */
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { generateAllowlist } from '../generate';
import { builtCliSkip, runBuilt, tempTree } from './helpers';

const here = join(__dirname, 'golden');
const expectedDir = join(here, 'expected');
const update = process.env.UPDATE_GOLDEN === '1';
const TODAY = '2026-11-25';

/** One folder with every input, so that paths in the output are the same relative ones on every machine. */
function inputTree() {
  const files: Record<string, string> = {
    'generated/inbound.allowlist.yaml': generateAllowlist({ rules: 300, seed: 3, inboundShare: 0.3 }),
    'generated/flow.allowlist.yaml': generateAllowlist({ rules: 120, seed: 5, flow: true }),
  };
  for (let site = 1; site <= 12; site++) files[`fleet/site-${site}.allowlist.yaml`] = generateAllowlist({ rules: 40, seed: site, inboundShare: 0.2 });
  const tree = tempTree(files);
  cpSync(join(here, 'input'), join(tree.dir, 'handcrafted'), { recursive: true });
  cpSync(join(__dirname, '../../examples'), join(tree.dir, 'examples'), { recursive: true, filter: (path) => !path.endsWith('.md') });
  return tree;
}

const CASES: { name: string; args: string[] }[] = [
  ...['text', 'json', 'sarif', 'github'].map((format) => ({ name: `lint.${format}`, args: ['lint', '.', '--format', format, '--today', TODAY] })),
  { name: 'report.json', args: ['report', '.', '--format', 'json', '--today', TODAY] },
  { name: 'report.md', args: ['report', '.', '--format', 'markdown', '--today', TODAY] },
];

test('the CLI prints, byte for byte, what it printed for the same inputs before', { skip: builtCliSkip }, (t) => {
  const tree = inputTree();
  t.after(tree.cleanup);
  if (update) mkdirSync(expectedDir, { recursive: true });
  for (const { name, args } of CASES) {
    const result = runBuilt(tree.dir, args);
    assert.ok(result.status === 0 || result.status === 1, `allowlist ${args.join(' ')} exited ${result.status}: ${result.stderr}`);
    const path = join(expectedDir, name);
    if (update) writeFileSync(path, result.stdout);
    assert.ok(existsSync(path), `${path} is missing: record it with UPDATE_GOLDEN=1`);
    const expected = readFileSync(path, 'utf8');
    if (result.stdout === expected) continue;
    const actualLines = result.stdout.split('\n');
    const expectedLines = expected.split('\n');
    const first = actualLines.findIndex((line, index) => line !== expectedLines[index]);
    assert.fail(`allowlist ${args.join(' ')} differs from golden/expected/${name} at line ${first + 1}:\n  expected: ${expectedLines[first]}\n  actual:   ${actualLines[first]}`);
  }
  // Every recorded output is still checked: a case dropped from CASES leaves a stale file behind.
  assert.deepEqual(readdirSync(expectedDir).sort(), CASES.map(({ name }) => name).sort());
});
