/** Edit distance with adjacent transpositions ("sacn" is one edit from "scan"), bounded inputs only. */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[][] = Array.from({ length: rows }, (_, i) =>
    Array.from({ length: cols }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  const at = (i: number, j: number): number => d[i]?.[j] ?? Number.POSITIVE_INFINITY;
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        best = Math.min(best, at(i - 2, j - 2) + 1);
      (d[i] as number[])[j] = best;
    }
  }
  return at(a.length, b.length);
}

/**
 * The candidate the user most likely meant: a unique prefix ("st" → "status"), or the nearest word
 * within a third of its length in edits. Null when nothing is close enough to be a useful guess.
 */
export function closest(word: string, candidates: readonly string[]): string | null {
  const typed = word.toLowerCase().slice(0, 64);
  if (typed.length === 0) return null;
  const prefixed = candidates.filter((c) => c.startsWith(typed));
  if (prefixed.length === 1) return prefixed[0] ?? null;
  let best: string | null = null;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of candidates) {
    const distance = editDistance(typed, candidate);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  const allowed = Math.max(1, Math.floor(Math.max(typed.length, 3) / 3));
  return bestDistance <= allowed ? best : null;
}

/** " — did you mean 'scan'?" when there is a close candidate, else nothing. */
export function didYouMean(typed: string, candidates: readonly string[]): string {
  const guess = closest(typed, candidates);
  return guess === null ? '' : ` — did you mean '${guess}'?`;
}
