/**
 * The `k` nearest of a stream of hits, by (distance, id), in a bounded max-heap: a page of nearest
 * results without sorting, or even allocating, every match within a city's radius (thousands).
 */
export interface DistanceHit {
  d: number;
  id: string;
}

const farther = (a: DistanceHit, b: DistanceHit): boolean => a.d > b.d || (a.d === b.d && a.id > b.id);

export class NearestFirst<T extends DistanceHit> {
  private readonly heap: T[] = [];
  constructor(private readonly k: number) {}

  /** Whether a hit at `d` may be kept: test before looking up its id and building it. */
  mayAdmit(d: number): boolean {
    return this.heap.length < this.k || d <= this.heap[0]!.d;
  }

  offer(hit: T): void {
    const heap = this.heap;
    if (heap.length < this.k) {
      heap.push(hit);
      for (let i = heap.length - 1; i > 0;) {
        const parent = (i - 1) >> 1;
        if (!farther(heap[i]!, heap[parent]!)) break;
        [heap[i], heap[parent]] = [heap[parent]!, heap[i]!];
        i = parent;
      }
      return;
    }
    if (!farther(heap[0]!, hit)) return;
    heap[0] = hit;
    for (let i = 0; ;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let top = i;
      if (l < heap.length && farther(heap[l]!, heap[top]!)) top = l;
      if (r < heap.length && farther(heap[r]!, heap[top]!)) top = r;
      if (top === i) break;
      [heap[i], heap[top]] = [heap[top]!, heap[i]!];
      i = top;
    }
  }

  /** The kept hits, nearest first. */
  sorted(): T[] {
    return [...this.heap].sort((a, b) => a.d - b.d || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }
}
