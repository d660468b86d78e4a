/**
 * `items` reordered by key, stably (a key's items keep their order), each run between two barriers
 * (`null` keys) on its own, the barriers where they were. Valid where items of different keys commute
 * (keyedRounds.ts). Rows keyed by random ids (UUIDs) then reach their B-trees in key order: a batch's
 * neighbouring keys share leaf pages, each page is read and dirtied once per batch instead of once per
 * row, which is what a rebuild waits on once the table no longer fits the page cache.
 */
export function inKeyOrder<T>(items: readonly T[], keyOf: (item: T) => string | null): T[] {
  const out: T[] = [];
  let run: { key: string; item: T }[] = [];
  const flush = (): void => {
    // Array.prototype.sort is stable.
    run.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    for (const { item } of run) out.push(item);
    run = [];
  };
  for (const item of items) {
    const key = keyOf(item);
    if (key !== null) {
      run.push({ key, item });
      continue;
    }
    flush();
    out.push(item);
  }
  flush();
  return out;
}
