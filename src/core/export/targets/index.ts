/** Every export target, one per file here (as lint rules are), in the order `allowlist export --help` and
 * docs/export.md list them. */
import type { ExportTarget } from '../types';
import { windows } from './windows';

export const TARGETS: readonly ExportTarget[] = [windows];

export function targetById(id: string): ExportTarget | undefined {
  return TARGETS.find((target) => target.id === id);
}
