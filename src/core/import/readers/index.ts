/** Every import reader, one per file here, in the order `allowlist import --help` and docs/import.md list them. */
import type { ImportReader } from '../types';
import { nftablesReader } from './nftables';

export const READERS: readonly ImportReader[] = [nftablesReader];

export function readerById(id: string): ImportReader | undefined {
  return READERS.find((reader) => reader.id === id);
}
