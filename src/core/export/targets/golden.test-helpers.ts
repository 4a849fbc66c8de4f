/** Helpers of the export targets' tests. Golden files: what a target wrote and warned for an allowlist, compared
 * with the expected files under testdata/<target>/; `UPDATE_GOLDEN=1 node scripts/run-tests.mjs targets/<target>`
 * rewrites them (review the diff before committing). */
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { visible } from '../../common';
import { lintText } from '../../lint';
import type { AllowlistModel } from '../../parse';
import { exportAllowlist } from '../export';
import type { ExportOptions, ExportResult, ExportTarget } from '../types';

export const TESTDATA = join(__dirname, 'testdata');
export const CONTOSO = join(__dirname, '../../../../examples/contoso.allowlist.yaml');
export const CLI_EDGE = join(TESTDATA, 'cli-edge.allowlist.yaml');
/** Wildcards, IPv6, UDP, ranges, inbound, `any`, long and hostile names, an expired rule. */
export const EDGE = join(TESTDATA, 'edge-pf-opnsense-mikrotik.allowlist.yaml');
export const TODAY = '2026-12-02';

/** The allowlist text as the model the export reads (linted as `site.allowlist.yaml`). */
export function modelOf(text: string): AllowlistModel {
  return lintText(text, { fileName: 'site.allowlist.yaml' }).model;
}

export function exportText(text: string, target: ExportTarget, options: ExportOptions = {}): ExportResult {
  return exportAllowlist(modelOf(text), target, { today: TODAY, sourceName: 'site.allowlist.yaml', ...options });
}

export function exportFile(path: string, target: ExportTarget, options: ExportOptions = {}): ExportResult {
  return exportText(readFileSync(path, 'utf8'), target, options);
}

/** The warnings as one line each, as the CLI would show them (rule names through `visible()`). */
export function warningLines(result: ExportResult): string {
  return result.warnings.map((warning) => `${warning.line} ${visible(warning.rule)} ${warning.kind}: ${warning.message}\n`).join('');
}

/** Compares (or with UPDATE_GOLDEN=1 writes) testdata/<target>/<case>.<file name> and <case>.warnings.txt. */
export function assertGolden(target: ExportTarget, caseName: string, result: ExportResult): void {
  const folder = join(TESTDATA, target.id);
  const expected = [...result.files.map((file) => ({ path: join(folder, `${caseName}.${file.name}`), text: file.text })), { path: join(folder, `${caseName}.warnings.txt`), text: warningLines(result) }];
  for (const { path, text } of expected) {
    if (process.env.UPDATE_GOLDEN === '1') {
      mkdirSync(folder, { recursive: true });
      writeFileSync(path, text);
    } else {
      assert.equal(text, readFileSync(path, 'utf8'), `${path} differs (UPDATE_GOLDEN=1 rewrites it; review the diff)`);
    }
  }
}
