/** The report as JSON: the model as it is (docs/report.md documents each field), safe to print. */
import { safeJson } from '../common';
import type { FleetReport } from './model';

export function renderJson(report: FleetReport): string {
  return `${safeJson(JSON.stringify(report, null, 2))}\n`;
}
