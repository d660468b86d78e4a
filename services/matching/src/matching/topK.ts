/**
 * Keeps the k best (score desc, then id asc) of a stream in a bounded min-heap: O(n log k), no full sort.
 * Ties break by id so the same data always gives the same list.
 */
export class TopK<T extends { id: string }> {
  private readonly heap: { score: number; item: T }[] = [];
  constructor(private readonly k: number) {}

  /** Whether an entry with this score could still enter (skip expensive work otherwise). */
  admits(score: number): boolean {
    return this.heap.length < this.k || score >= this.heap[0]!.score;
  }

  push(score: number, item: T): void {
    if (this.k <= 0) return;
    const entry = { score, item };
    if (this.heap.length < this.k) {
      this.heap.push(entry);
      this.up(this.heap.length - 1);
    } else if (worse(this.heap[0]!, entry)) {
      this.heap[0] = entry;
      this.down(0);
    }
  }

  sorted(): { score: number; item: T }[] {
    return [...this.heap].sort((a, b) => (worse(a, b) ? 1 : worse(b, a) ? -1 : 0));
  }

  private up(i: number): void {
    const h = this.heap;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!worse(h[i]!, h[parent]!)) break;
      [h[i], h[parent]] = [h[parent]!, h[i]!];
      i = parent;
    }
  }

  private down(i: number): void {
    const h = this.heap;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < h.length && worse(h[l]!, h[m]!)) m = l;
      if (r < h.length && worse(h[r]!, h[m]!)) m = r;
      if (m === i) return;
      [h[i], h[m]] = [h[m]!, h[i]!];
      i = m;
    }
  }
}

/** a ranks below b. */
const worse = (a: { score: number; item: { id: string } }, b: { score: number; item: { id: string } }): boolean =>
  a.score < b.score || (a.score === b.score && a.item.id > b.item.id);
