import type { SlotList } from './columns.js';
import { EXCLUDES, EXCLUDING_CODES } from './reasons.js';
import { TopK } from './topK.js';
import type { MatchTuning } from './weights.js';

export interface Scratch {
  /** Per slot of the searched table: how many of the query's essential / optional skills it shares (≤ 255). */
  essential: Uint8Array;
  optional: Uint8Array;
  /** Slots with a non-zero count, to reset them afterwards. */
  touched: SlotList;
}

const BUCKETS = 1024;

/**
 * One top-k search over the other side's table, best bound first: the slots sharing skills with the query
 * are counted through the inverted index, bucketed by the best score their overlap allows, and examined
 * from the highest bucket down; the search stops as soon as no remaining bucket can enter the list. Slots
 * sharing no skill are scanned (by reach) only if their best score still could. Counts may overstate an
 * overlap (stale index entries): they only bound, the real overlap is recomputed when a pair is scored.
 */
export class PairSearch {
  readonly top: TopK<{ id: string; slot: number }>;
  readonly counts = new Int32Array(EXCLUDING_CODES.length);

  constructor(
    private readonly scratch: Scratch,
    limit: number,
    private readonly tuning: MatchTuning,
    private readonly idOf: (slot: number) => string,
  ) {
    this.top = new TopK(limit);
  }

  /** Counts, for every live slot of a posting list, one more shared skill. */
  count(list: SlotList | undefined, essential: boolean, alive: Uint8Array): void {
    if (!list) return;
    const { essential: e, optional: o, touched } = this.scratch;
    const counter = essential ? e : o;
    for (let n = 0; n < list.length; n++) {
      const slot = list.items[n]!;
      if (alive[slot] === 0) continue;
      if (e[slot] === 0 && o[slot] === 0) touched.push(slot);
      if (counter[slot]! < 255) counter[slot]!++;
    }
  }

  /**
   * `bound(slot, essential, optional)`: the best score that overlap allows; `examine(slot)`: the pair's score
   * (0..1), or `-1 - i` when it fails the hard rule EXCLUDING_CODES[i]. `scanUnskilled` visits the lists of
   * live slots within reach (slots sharing a skill are skipped there: they were ranked above).
   */
  rank(
    bound: (slot: number, essential: number, optional: number) => number,
    examine: (slot: number) => number,
    unskilledBound: number,
    scanUnskilled: (visit: (list: SlotList) => void) => void,
  ): void {
    const { essential: e, optional: o, touched } = this.scratch;
    const floor = this.tuning.scoreFloor;
    // Bucket the counted slots by their bound (counting sort, highest first).
    const n = touched.length;
    const keys = new Uint16Array(n);
    const sizes = new Int32Array(BUCKETS);
    for (let k = 0; k < n; k++) {
      const slot = touched.items[k]!;
      const b = Math.min(BUCKETS - 1, Math.floor(bound(slot, e[slot]!, o[slot]!) * BUCKETS));
      keys[k] = b;
      sizes[b]!++;
    }
    const next = new Int32Array(BUCKETS);
    for (let b = BUCKETS - 1, at = 0; b >= 0; b--) {
      next[b] = at;
      at += sizes[b]!;
    }
    const order = new Int32Array(n);
    for (let k = 0; k < n; k++) order[next[keys[k]!]!++] = touched.items[k]!;
    for (let k = 0; k < n; k++) {
      const slot = order[k]!;
      const ceiling = (Math.min(BUCKETS - 1, Math.floor(bound(slot, e[slot]!, o[slot]!) * BUCKETS)) + 1) / BUCKETS;
      if (ceiling + 1e-9 < floor || !this.top.admits(ceiling + 1e-9)) break;
      this.consider(slot, examine(slot));
    }
    if (unskilledBound + 1e-9 < floor || !this.top.admits(unskilledBound + 1e-9)) return;
    scanUnskilled((list) => {
      for (let k = 0; k < list.length; k++) {
        const slot = list.items[k]!;
        if (e[slot] === 0 && o[slot] === 0 && this.top.admits(unskilledBound + 1e-9))
          this.consider(slot, examine(slot));
      }
    });
  }

  /** Resets the counters of the slots this search touched (call once done). */
  reset(): void {
    const { essential: e, optional: o, touched } = this.scratch;
    for (let k = 0; k < touched.length; k++) {
      const slot = touched.items[k]!;
      e[slot] = 0;
      o[slot] = 0;
    }
    touched.length = 0;
  }

  private consider(slot: number, result: number): void {
    if (result < 0) {
      this.counts[-1 - result]!++;
      return;
    }
    if (result < this.tuning.scoreFloor) this.counts[EXCLUDES.below_score_floor]!++;
    else if (this.top.admits(result)) this.top.push(result, { id: this.idOf(slot), slot });
  }
}
