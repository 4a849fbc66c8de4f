/** Every import reader, one per file here, in the order `allowlist import --help` and docs/import.md list them. */
import { withCheckedAddresses } from '../checked';
import type { ImportReader } from '../types';
import { fortigate } from './fortigate';
import { nftables } from './nftables';
import { opnsense } from './opnsense';
import { pfsense } from './pfsense';

/** Each with its addresses checked as the allowlist reads them (checked.ts). */
export const READERS: readonly ImportReader[] = [fortigate, pfsense, opnsense, nftables].map(withCheckedAddresses);

export function readerById(id: string): ImportReader | undefined {
  return READERS.find((reader) => reader.id === id);
}
