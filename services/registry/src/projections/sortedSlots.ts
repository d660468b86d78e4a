/**
 * An ascending list of slots in a typed array, for postings too many and too sparse to be bit sets
 * (one per trigram). Built by appending in ascending order; kept sorted by insertion afterwards.
 */
export class SortedSlots {
  private data = new Int32Array(4);
  length = 0;

  private lowerBound(slot: number): number {
    let lo = 0;
    let hi = this.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.data[mid]! < slot) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  add(slot: number): void {
    if (this.length === this.data.length) {
      const grown = new Int32Array(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
    if (this.length === 0 || this.data[this.length - 1]! < slot) {
      this.data[this.length++] = slot;
      return;
    }
    const at = this.lowerBound(slot);
    if (this.data[at] === slot) return;
    this.data.copyWithin(at + 1, at, this.length);
    this.data[at] = slot;
    this.length++;
  }

  remove(slot: number): void {
    const at = this.lowerBound(slot);
    if (at === this.length || this.data[at] !== slot) return;
    this.data.copyWithin(at, at + 1, this.length);
    this.length--;
  }

  view(): Int32Array {
    return this.data.subarray(0, this.length);
  }
}

/** The slots in every list (ascending), walking the shortest and galloping through the others. */
export function intersectSorted(lists: readonly SortedSlots[]): number[] {
  if (lists.length === 0) return [];
  const views = lists.map((l) => l.view()).sort((a, b) => a.length - b.length);
  const cursors = new Array<number>(views.length).fill(0);
  const out: number[] = [];
  outer: for (const slot of views[0]!) {
    for (let i = 1; i < views.length; i++) {
      const view = views[i]!;
      let at = cursors[i]!;
      let step = 1;
      while (at + step < view.length && view[at + step]! < slot) step *= 2;
      let hi = Math.min(view.length, at + step + 1);
      while (at < hi) {
        const mid = (at + hi) >>> 1;
        if (view[mid]! < slot) at = mid + 1;
        else hi = mid;
      }
      cursors[i] = at;
      if (at === view.length) break outer;
      if (view[at] !== slot) continue outer;
    }
    out.push(slot);
  }
  return out;
}
