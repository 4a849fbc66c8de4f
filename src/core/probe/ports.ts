import type { PortRange } from './types';

/** How many ports of a range a quick (non-sweep) probe tries. */
export const samplePerRange = 8;

/** The ports to try: every port of every range for a sweep, else per range its first, its last
 * and an even spread between (plus any TLS port inside it). Sorted, without duplicates. */
export function portsToProbe(ranges: PortRange[], sweep: boolean, tlsPorts: number[] = []): number[] {
  const chosen = new Set<number>();
  for (const { from, to } of ranges) {
    const low = Math.max(1, Math.min(from, to));
    const high = Math.min(65535, Math.max(from, to));
    if (low > high) continue;
    const count = high - low + 1;
    if (sweep || count <= samplePerRange) {
      for (let port = low; port <= high; port++) chosen.add(port);
      continue;
    }
    for (let i = 0; i < samplePerRange; i++) {
      chosen.add(low + Math.round((i * (count - 1)) / (samplePerRange - 1)));
    }
    for (const port of tlsPorts) if (port >= low && port <= high) chosen.add(port);
  }
  return [...chosen].sort((a, b) => a - b);
}
