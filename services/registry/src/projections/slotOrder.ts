import { forEachBit, hasBit } from './slotBits.js';

/** Slots kept in a caller's order (for the directory: name, then id) by binary search. */
export class SlotOrder {
  slots: number[] = [];
  constructor(readonly compare: (a: number, b: number) => number) {}

  private lowerBound(slot: number): number {
    let lo = 0;
    let hi = this.slots.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.compare(this.slots[mid]!, slot) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
  insert(slot: number): void {
    this.slots.splice(this.lowerBound(slot), 0, slot);
  }
  /** Call while the slot still compares as it did when inserted. */
  remove(slot: number): void {
    const at = this.lowerBound(slot);
    if (this.slots[at] === slot) this.slots.splice(at, 1);
  }
  replaceAll(slots: number[]): void {
    this.slots = slots.sort(this.compare);
  }
}

/** A string comparison costs about this many steps of an order walk (a bit test). */
const COMPARE_STEPS = 8;

/**
 * One page of the set's slots in the order's sequence. Walking the order costs a step per slot until
 * the page's last match (few when matches are dense); sorting the matches costs comparisons per match
 * (few when matches are rare). The cheaper is taken; both give the same page.
 */
export function pageInOrder(
  words: Uint32Array,
  total: number,
  order: SlotOrder,
  offset: number,
  limit: number,
): number[] {
  const want = Math.min(limit, total - offset);
  if (want <= 0) return [];
  const walkSteps = ((offset + want) * order.slots.length) / total;
  if (total * Math.log2(total + 1) * COMPARE_STEPS < walkSteps) {
    const matched: number[] = [];
    forEachBit(words, (slot) => void matched.push(slot));
    return matched.sort(order.compare).slice(offset, offset + want);
  }
  const page: number[] = [];
  let seen = 0;
  for (const slot of order.slots) {
    if (!hasBit(words, slot) || seen++ < offset) continue;
    page.push(slot);
    if (page.length === want) break;
  }
  return page;
}
