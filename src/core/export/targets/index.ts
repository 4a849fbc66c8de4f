/** Every export target, one per file here (as lint rules are), in the order `allowlist export --help` and
 * docs/export.md list them. */
import type { ExportTarget } from '../types';
import { nftables } from './nftables';

export const TARGETS: readonly ExportTarget[] = [
  nftables,
];

export function targetById(id: string): ExportTarget | undefined {
  return TARGETS.find((target) => target.id === id);
}
