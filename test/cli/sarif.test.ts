import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { rules } from '../../src/core/lint';
import { ruleDocUrl } from '../../src/core/common';
import { BROKEN, isolatingConfig, run, tempTree, TODAY } from './helpers';

const SCHEMA = resolve(__dirname, '../../../shared/sarif/sarif-schema-2.1.0.json');

async function sarifFor(files: Record<string, string>, argv: string[] = []): Promise<{ log: any; code: number }> {
  const { dir, cleanup } = tempTree({ '.git/HEAD': 'ref: refs/heads/main\n', ...files });
  try {
    // Run from a sub-folder: URIs must still be relative to the repository root.
    const result = await run(join(dir, 'net'), ['lint', '--format', 'sarif', '--today', TODAY, ...argv]);
    return { log: JSON.parse(result.stdout), code: result.code };
  } finally {
    cleanup();
  }
}

test('sarif: valid against the OASIS SARIF 2.1.0 schema', { skip: existsSync(SCHEMA) ? false : `../shared is absent (${SCHEMA}): SARIF schema validation skipped` }, async () => {
  const { log, code } = await sarifFor({ '.allowlistrc.yaml': isolatingConfig(), 'net/site a/a.allowlist.yaml': BROKEN });
  assert.equal(code, 1);
  // The OASIS file declares draft-04 but uses nothing draft-07 reads differently (no boolean exclusiveMinimum);
  // its `$schema` is dropped so the draft-07 Ajv class compiles it, and draft-04's `id` becomes `$id`.
  const { $schema: _draft04, id, ...rest } = JSON.parse(readFileSync(SCHEMA, 'utf8'));
  const schema = { $id: id, ...rest };
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  const validate = ajv.compile(schema);
  assert.ok(validate(log), JSON.stringify(validate.errors, null, 2));
  // The validator does reject what GitHub would: a level SARIF does not have, a 0 line.
  const broken: any = structuredClone(log);
  broken.runs[0].results[0].level = 'fatal';
  broken.runs[0].results[0].locations[0].physicalLocation.region.startLine = 0;
  assert.equal(validate(broken), false);
});

test('sarif: driver rules from the metadata, results with ruleIndex, levels, relative URIs and 1-based regions', async () => {
  const { log } = await sarifFor({ '.allowlistrc.yaml': isolatingConfig(), 'net/site a/a.allowlist.yaml': BROKEN });
  assert.equal(log.version, '2.1.0');
  const run0 = log.runs[0];
  const driver = run0.tool.driver;
  assert.equal(driver.name, 'allowlist');
  assert.match(driver.version, /^\d+\.\d+\.\d+/);
  assert.match(driver.informationUri, /^https:\/\//);
  assert.deepEqual(
    driver.rules.map((rule: { id: string }) => rule.id),
    rules.map((rule) => rule.meta.id),
  );
  const expired = driver.rules.find((rule: { id: string }) => rule.id === 'expired-rule');
  assert.equal(expired.helpUri, ruleDocUrl('expired-rule'));
  assert.equal(expired.defaultConfiguration.level, 'error');
  assert.equal(expired.fullDescription.text, rules.find((rule) => rule.meta.id === 'expired-rule')!.meta.description);
  assert.match(expired.help.text, /Example:\n\n {4}inbound:/);
  assert.equal(driver.rules.find((rule: { id: string }) => rule.id === 'expires-soon').defaultConfiguration.level, 'note');

  assert.equal(run0.columnKind, 'utf16CodeUnits');
  const results = run0.results;
  assert.deepEqual(
    results.map((r: any) => [r.ruleId, r.level, driver.rules[r.ruleIndex].id]),
    [
      ['invalid-port', 'error', 'invalid-port'],
      ['expired-rule', 'error', 'expired-rule'],
      ['expires-soon', 'note', 'expires-soon'],
    ],
  );
  const location = results[0].locations[0].physicalLocation;
  assert.deepEqual(location.artifactLocation, { uri: 'net/site%20a/a.allowlist.yaml', uriBaseId: '%SRCROOT%' });
  assert.deepEqual(location.region, { startLine: 5, startColumn: 12, endLine: 5, endColumn: 17 });
  for (const result of results) assert.equal(typeof result.partialFingerprints['allowlistSubject/v1'], 'string');
});

test('sarif: fingerprints survive lines moving', async () => {
  const before = await sarifFor({ '.allowlistrc.yaml': isolatingConfig(), 'net/a.allowlist.yaml': BROKEN });
  const moved = BROKEN.replace('outbound:\n', 'site: HQ\ndescription: front desk\noutbound:\n');
  const after = await sarifFor({ '.allowlistrc.yaml': isolatingConfig(), 'net/a.allowlist.yaml': moved });
  const prints = (log: any) => log.runs[0].results.map((r: any) => r.partialFingerprints);
  const lines = (log: any) => log.runs[0].results.map((r: any) => r.locations[0].physicalLocation.region.startLine);
  assert.notDeepEqual(lines(before.log), lines(after.log));
  assert.deepEqual(prints(before.log), prints(after.log));
});

test('sarif: findings of rules outside the registry (catalog checks) still get a rules[] entry', async () => {
  const { buildSarif } = await import('../../src/core/lint');
  const log = buildSarif({
    toolVersion: '1.0.0',
    files: [{ path: 'x.catalog.yaml', text: 'a\n', findings: [{ ruleId: 'catalog', severity: 'error', message: 'm', range: { start: 0, end: 1 }, subject: 's' }] }],
  });
  const result = log.runs[0].results[0];
  assert.equal(log.runs[0].tool.driver.rules[result.ruleIndex].id, 'catalog');
});
