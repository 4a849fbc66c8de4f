/** "Did you mean …?" for every name a user types: subcommands and options, config keys and rule ids, allowlist
 * keys, rule ids in ignore comments, vendor ids and options, products. */

/** Edit distance counting insertions, deletions, substitutions and swaps of two neighbours (optimal string
 * alignment): `prots` is one typo away from `ports`, as a reader sees it, not two. Past `limit` it gives up and
 * returns `limit + 1` (a row whose every cell exceeds the limit cannot lead back under it), so a long value
 * compared with a short name costs little. */
export function editDistance(a: string, b: string, limit = Infinity): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let beforePrevious: number[] = [];
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) current[j] = Math.min(current[j], beforePrevious[j - 2] + 1);
      best = Math.min(best, current[j]);
    }
    if (best > limit) return limit + 1;
    beforePrevious = previous;
    previous = current;
  }
  return previous[b.length];
}

/** Lower case, with runs of anything but letters and digits as one hyphen: "Helpdesk Buttons" -> "helpdesk-buttons". */
export function normalize(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

/**
 * The candidate a misspelt word most likely means: the one with a spelling (normalized) nearest by edit distance,
 * if near enough to be a typo (at most a third of the longer word, and at least 1).
 */
export function closestMatch<T>(word: string, candidates: { value: T; spellings: string[] }[]): T | undefined {
  const wanted = normalize(word);
  let best: { value: T; distance: number } | undefined;
  for (const candidate of candidates) {
    for (const spelling of candidate.spellings) {
      const normalized = normalize(spelling);
      const limit = Math.max(1, Math.floor(Math.max(wanted.length, normalized.length) / 3));
      const distance = editDistance(wanted, normalized, limit);
      if (distance <= limit && (!best || distance < best.distance)) best = { value: candidate.value, distance };
    }
  }
  return best?.value;
}

/** `closestMatch` over plain names, each its own only spelling. */
export function closestName(word: string, names: Iterable<string>): string | undefined {
  return closestMatch(word, [...names].map((name) => ({ value: name, spellings: [name] })));
}
