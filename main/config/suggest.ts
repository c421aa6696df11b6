/**
 * "Did you mean": the known key nearest to a misspelt one. Hand-written because no edit-distance
 * package is in package.json (fastest-levenshtein would be installable, but this item adds no
 * dependency), and a dozen known keys need nothing faster than the textbook table.
 */

/** The most edits a suggestion may be away: "isuer" → "issuer" is one, "clientid" → "clientId" one. */
const MAX_DISTANCE = 2;

/**
 * Optimal string alignment distance (Damerau–Levenshtein without repeated edits of one
 * substring): insertions, deletions, substitutions and swaps of two neighbours each cost one.
 * Case is ignored, since "clientid" for "clientId" is the commonest slip.
 */
export function editDistance(a: string, b: string): number {
  const s = a.toLowerCase();
  const t = b.toLowerCase();
  const d: number[][] = Array.from({ length: s.length + 1 }, (_, i) =>
    Array.from({ length: t.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= s.length; i++) {
    for (let j = 1; j <= t.length; j++) {
      const cost = s[i - 1] === t[j - 1] ? 0 : 1;
      let best = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && s[i - 1] === t[j - 2] && s[i - 2] === t[j - 1])
        best = Math.min(best, d[i - 2]![j - 2]! + 1);
      d[i]![j] = best;
    }
  }
  return d[s.length]![t.length]!;
}

/**
 * The known word nearest to `word`, or null when none is close enough to be a slip. A short
 * word must be closer (at most a third of its length), so "id" never suggests "ports".
 */
export function nearest(word: string, known: readonly string[]): string | null {
  const limit = Math.min(MAX_DISTANCE, Math.max(1, Math.floor(word.length / 3)));
  let best: { key: string; distance: number } | null = null;
  for (const key of known) {
    const distance = editDistance(word, key);
    if (distance <= limit && (!best || distance < best.distance)) best = { key, distance };
  }
  return best?.key ?? null;
}
