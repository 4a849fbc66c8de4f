/** Every export target, one per file here (as lint rules are), in the order `allowlist export --help` and
 * docs/export.md list them. */
import type { ExportTarget } from '../types';
import { fortigate } from './fortigate';
import { paloalto } from './paloalto';

export const TARGETS: readonly ExportTarget[] = [
  fortigate,
  paloalto,
];

export function targetById(id: string): ExportTarget | undefined {
  return TARGETS.find((target) => target.id === id);
}
