import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LineIndex } from '../../common';
import { applyFix, lintYaml } from '../testing';

const EXAMPLES = join(__dirname, '..', '..', '..', '..', 'examples');

function example(name: string): string {
  return readFileSync(join(EXAMPLES, name), 'utf8');
}

function findingLines(text: string, fileName: string): [string, number][] {
  const lines = new LineIndex(text);
  return lintYaml(text, { fileName }).findings.map((f) => [f.ruleId, lines.positionAt(f.range.start).line + 1]);
}

test('examples: contoso.allowlist.yaml has exactly its documented mistakes', () => {
  const text = example('contoso.allowlist.yaml');
  assert.deepEqual(findingLines(text, 'contoso.allowlist.yaml'), [
    ['missing-ports', 43], // hdb-techconnect: 443 only, 2001-2500 missing
    ['shadowed-rule', 60], // outlook, already allowed by m365-web
    ['expired-rule', 89], // xray-migration expired 2026-06-30
    ['inbound-too-broad', 96], // hdb-ticket-api from: any
    ['product-advice', 104], // webroot
    ['exclusion-path', 107], // C:\Program Files(x86)\... without the space
  ]);
});

test('examples: clean.allowlist.yaml has no findings', () => {
  assert.deepEqual(findingLines(example('clean.allowlist.yaml'), 'clean.allowlist.yaml'), []);
});

test('examples: every fix offered for contoso applies to valid YAML and removes its finding', () => {
  const text = example('contoso.allowlist.yaml');
  const findings = lintYaml(text, { fileName: 'contoso.allowlist.yaml' }).findings;
  let fixes = 0;
  for (const finding of findings) {
    for (const fix of finding.fixes ?? []) {
      fixes++;
      const after = lintYaml(applyFix(text, fix), { fileName: 'contoso.allowlist.yaml' }).findings;
      assert.deepEqual(after.filter((f) => f.ruleId === 'yaml-syntax' || f.ruleId === 'schema'), [], fix.title);
      assert.ok(!after.some((f) => f.ruleId === finding.ruleId && f.subject === finding.subject), `${fix.title} leaves ${finding.subject}`);
    }
  }
  assert.ok(fixes >= 4);
});
