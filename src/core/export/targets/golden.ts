/** Test support for the export targets: an export of a file through the core, and golden files beside the tests
 * (`UPDATE_GOLDEN=1 node scripts/run-tests.mjs <target>` rewrites them; review the diff before committing). */
import { readFileSync, writeFileSync } from 'node:fs';
import assert from 'node:assert/strict';
import { lintText } from '../../lint';
import { exportAllowlist } from '../export';
import type { ExportOptions, ExportResult, ExportTarget } from '../types';

export const TESTDATA = 'src/core/export/targets/testdata';
export const CONTOSO = 'examples/contoso.allowlist.yaml';
/** Wildcards, IPv6, UDP, ranges, inbound, `any`, long and hostile names, an expired rule. */
export const EDGE = `${TESTDATA}/edge-pf-opnsense-mikrotik.allowlist.yaml`;

export function exportFile(path: string, target: ExportTarget, options: ExportOptions = {}): ExportResult {
  const text = readFileSync(path, 'utf8');
  return exportAllowlist(lintText(text, { fileName: path }).model, target, { today: '2026-12-02', sourceName: path, ...options });
}

/** The files and warnings of an export as one text, compared with (or, with UPDATE_GOLDEN=1, written to) `golden`. */
export function expectGolden(result: ExportResult, golden: string): void {
  const warnings = result.warnings.map((warning) => `${warning.line} ${warning.rule} ${warning.kind}: ${warning.message}`);
  const text = [...result.files.map((file) => `==> ${file.name} <==\n${file.text}`), '==> warnings <==', ...warnings, ''].join('\n');
  if (process.env.UPDATE_GOLDEN === '1') writeFileSync(golden, text);
  assert.equal(text, readFileSync(golden, 'utf8'), `${golden} differs (UPDATE_GOLDEN=1 rewrites it)`);
}
