/** Lower-case, strip diacritics, split on anything that is not a letter or digit. */
export const tokenize = (text: string): string[] => {
  // Most ESCO labels are ASCII: skip the costly Unicode decomposition for them (index build time).
  const folded = !NOT_PRINTABLE_ASCII.test(text)
    ? text.toLowerCase()
    : text
        .normalize('NFKD')
        .replace(/[\u0300-\u036f]/g, '')
        .toLowerCase();
  return folded.split(/[^\p{L}\p{N}]+/u).filter((t) => t !== '');
};
const NOT_PRINTABLE_ASCII = /[^\x20-\x7e]/;

/**
 * Edit distance (with adjacent transpositions) between `query` and the closest PREFIX of `word`, so a
 * half-typed, mistyped word still finds its completion ("sofwt" → "software…"). Gives up above `max`.
 */
export function prefixEditDistance(query: string, word: string, max: number): number {
  const n = query.length;
  const m = Math.min(word.length, n + max);
  // Three rolling rows of the Damerau–Levenshtein table; row i = first i chars of query.
  if (m + 1 > rowA.length) return prefixEditDistanceSlow(query, word, max);
  let prev2 = rowA;
  let prev = rowB;
  let cur = rowC;
  for (let j = 0; j <= m; j++) prev[j] = j;
  for (let i = 1; i <= n; i++) {
    cur[0] = i;
    let rowMin = i;
    for (let j = 1; j <= m; j++) {
      const cost = query.charCodeAt(i - 1) === word.charCodeAt(j - 1) ? 0 : 1;
      let v = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && query[i - 1] === word[j - 2] && query[i - 2] === word[j - 1])
        v = Math.min(v, prev2[j - 2]! + 1);
      cur[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > max) return max + 1;
    [prev2, prev, cur] = [prev, cur, prev2];
  }
  // After the swap `prev` holds the last row: the best prefix of `word` is the smallest cell.
  let best = max + 1;
  for (let j = 0; j <= m; j++) if (prev[j]! < best) best = prev[j]!;
  return best;
}

// Reused rows: this runs thousands of times per keystroke.
const rowA = new Int32Array(64);
const rowB = new Int32Array(64);
const rowC = new Int32Array(64);
const prefixEditDistanceSlow = (query: string, word: string, max: number): number =>
  prefixEditDistance(query.slice(0, 40), word.slice(0, 40 + max), max);

/** Typos allowed for a query token of this length: none for short tokens, where a typo is another word. */
export const allowedTypos = (length: number): number => (length < 4 ? 0 : length < 8 ? 1 : 2);
