/** Every case of the official YAML test suite (../shared/yaml-test-suite, beside the project) lints
 * without an exception and in bounded time, with and without an allowlist file name; every case a
 * conforming parser must reject yields a `yaml-syntax` finding inside the file. */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { lintText } from '../../src/core/lint';
import { assertFindingsInside, HANG_LIMIT_MS } from './helpers';

const SUITE = join(__dirname, '..', '..', '..', 'shared', 'yaml-test-suite');

function cases(): { id: string; dir: string }[] {
  const found: { id: string; dir: string }[] = [];
  for (const name of readdirSync(SUITE).sort()) {
    const dir = join(SUITE, name);
    if (!statSync(dir).isDirectory()) continue;
    if (existsSync(join(dir, 'in.yaml'))) found.push({ id: name, dir });
    else for (const sub of readdirSync(dir).sort()) if (existsSync(join(dir, sub, 'in.yaml'))) found.push({ id: `${name}/${sub}`, dir: join(dir, sub) });
  }
  return found;
}

test('YAML test suite: every case lints without an exception; error cases yield a yaml-syntax finding inside the file', (t) => {
  if (!existsSync(SUITE)) return t.skip(`the YAML test suite is not at ${SUITE} (../shared/yaml-test-suite relative to the project root)`);
  const all = cases();
  assert.ok(all.length > 300, `found only ${all.length} cases in ${SUITE}`);
  let errorCases = 0;
  for (const { id, dir } of all) {
    const text = readFileSync(join(dir, 'in.yaml'), 'utf8');
    const mustFail = existsSync(join(dir, 'error'));
    for (const fileName of [undefined, 'case.allowlist.yaml']) {
      const started = performance.now();
      let result;
      try {
        result = lintText(text, { fileName, today: '2026-01-01' });
      } catch (error) {
        assert.fail(`${id} (${fileName ?? 'no file name'}) threw: ${(error as Error).stack}`);
      }
      const ms = performance.now() - started;
      assert.ok(ms < HANG_LIMIT_MS, `${id} took ${ms.toFixed(0)} ms`);
      assertFindingsInside(text, result.findings, id);
      if (mustFail && fileName) {
        errorCases++;
        const syntax = result.findings.filter((finding) => finding.ruleId === 'yaml-syntax');
        assert.ok(syntax.length > 0, `${id} must be rejected, but has no yaml-syntax finding: ${JSON.stringify(text)}`);
      }
    }
  }
  t.diagnostic(`${all.length} cases, ${errorCases} of them error cases`);
});
