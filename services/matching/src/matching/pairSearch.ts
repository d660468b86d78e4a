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
  /** Slots met among those sharing no skill carry the number of the search that met them (one may sit in several lists). */
  stamps: Uint32Array;
  epoch: number;
}

/**
 * Slots sharing no skill with the query, as one group of lists whose members cannot score above `bound`.
 * Groups come best bound first; a slot may sit in several lists and groups (it is examined once).
 */
export interface UnskilledGroup {
  bound: number;
  lists: (visit: (list: SlotList) => void) => void;
}

const BUCKETS = 1024;
const bucketOf = (bound: number): number => Math.max(0, Math.min(BUCKETS - 1, Math.floor(bound * BUCKETS)));

/** The best score a slot could reach with this many of the query's essential / optional skills. */
type Bound = (slot: number, essential: number, optional: number) => number;

/**
 * One top-k search over the other side's table, best bound first: the slots sharing skills with the query
 * are counted through the inverted index, bucketed by the best score their overlap (and whatever else the
 * caller's bound knows) allows, and examined from the highest bucket down; the groups of slots sharing no
 * skill are opened in between, where their bound falls, and the search stops as soon as neither a remaining
 * bucket nor a remaining group can enter the list. Counts may overstate an
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
    if (scratch.epoch === 0xffffffff) {
      scratch.stamps.fill(0);
      scratch.epoch = 0;
    }
    scratch.epoch++;
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
   * `bound(slot, essential, optional)`: the best score that overlap allows, cheap (no read of the slot's row);
   * `tighter` (optional): a bound closer to the score that costs a read of the slot (below 0: the pair cannot
   * pass), computed only for slots whose cheap bound could still enter the list;
   * `examine(slot)`: the pair's score (0..1), or `-1 - i` when it fails the hard rule EXCLUDING_CODES[i].
   * `unskilled`: the slots sharing no skill, best group first (slots sharing a skill are skipped there: they
   * are ranked by their own bound). Whatever has the highest bound left goes next (a group, a slot by its
   * tighter bound, or the next slot by its cheap one), until nothing left can enter the list.
   */
  rank(bound: Bound, examine: (slot: number) => number, unskilled: readonly UnskilledGroup[], tighter?: Bound): void {
    const { essential: e, optional: o, touched } = this.scratch;
    // Bucket the counted slots by their cheap bound (counting sort, highest first).
    const n = touched.length;
    const keys = new Int16Array(n);
    const sizes = new Int32Array(BUCKETS);
    for (let k = 0; k < n; k++) {
      const slot = touched.items[k]!;
      const b = bucketOf(bound(slot, e[slot]!, o[slot]!));
      keys[k] = b;
      sizes[b]!++;
    }
    const next = new Int32Array(BUCKETS);
    for (let b = BUCKETS - 1, at = 0; b >= 0; b--) {
      next[b] = at;
      at += sizes[b]!;
    }
    const order = new Int32Array(n);
    const ceilings = new Int16Array(n);
    for (let k = 0; k < n; k++) {
      const at = next[keys[k]!]!++;
      order[at] = touched.items[k]!;
      ceilings[at] = keys[k]!;
    }
    // Slots re-bucketed by their tighter bound: a chain per bucket through `link` (positions in `order`).
    const head = new Int32Array(tighter ? BUCKETS : 0).fill(-1);
    const link = new Int32Array(tighter ? n : 0);
    let top = -1;
    let group = 0;
    let k = 0;
    for (;;) {
      while (top >= 0 && head[top] === -1) top--;
      const tight = top >= 0 ? (top + 1) / BUCKETS : -1;
      const cheap = k < n ? (ceilings[k]! + 1) / BUCKETS : -1;
      const open = group < unskilled.length ? unskilled[group]!.bound : -1;
      if (!this.admits(Math.max(tight, cheap, open))) return;
      if (open >= tight && open >= cheap) this.scan(unskilled[group++]!, examine, tighter);
      else if (tight >= cheap) {
        const at = head[top]!;
        head[top] = link[at]!;
        this.consider(order[at]!, examine(order[at]!));
      } else if (!tighter) this.consider(order[k]!, examine(order[k++]!));
      else {
        const slot = order[k]!;
        const b = tighter(slot, e[slot]!, o[slot]!);
        if (b >= 0 && this.admits(b)) {
          const t = bucketOf(b);
          link[k] = head[t]!;
          head[t] = k;
          if (t > top) top = t;
        }
        k++;
      }
    }
  }

  /** Whether a pair scoring up to `bound` could still enter the list (with slack for rounding). */
  private admits(bound: number): boolean {
    return bound + 1e-9 >= this.tuning.scoreFloor && this.top.admits(bound + 1e-9);
  }

  /** Without a tighter bound, the group's own bound (checked before each slot) is the slot's. */
  private scan(group: UnskilledGroup, examine: (slot: number) => number, tighter?: Bound): void {
    if (!this.admits(group.bound)) return;
    const { essential: e, optional: o, stamps } = this.scratch;
    const epoch = this.scratch.epoch;
    group.lists((list) => {
      for (let k = 0; k < list.length; k++) {
        if (!this.admits(group.bound)) return;
        const slot = list.items[k]!;
        if (e[slot] !== 0 || o[slot] !== 0 || stamps[slot] === epoch) continue;
        stamps[slot] = epoch;
        if (!tighter || this.admits(tighter(slot, 0, 0))) this.consider(slot, examine(slot));
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
