/** Every export target, one per file here (as lint rules are), in the order `allowlist export --help` and
 * docs/export.md list them. */
import type { ExportTarget } from '../types';
import { fortigate } from './fortigate';
import { mikrotik } from './mikrotik';
import { nftables } from './nftables';
import { opnsense } from './opnsense';
import { paloalto } from './paloalto';
import { pfsense } from './pfsense';
import { windows } from './windows';

export const TARGETS: readonly ExportTarget[] = [nftables, fortigate, pfsense, opnsense, windows, mikrotik, paloalto];

export function targetById(id: string): ExportTarget | undefined {
  return TARGETS.find((target) => target.id === id);
}
