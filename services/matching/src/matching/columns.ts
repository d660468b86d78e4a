/**
 * Growable typed-array columns and a pool of short variable-length records (skills, languages,
 * occupations), so an index of hundreds of thousands of rows holds no object per row: a row is a slot
 * number, every field one element of a column.
 */
export type Column = Float32Array | Float64Array | Int32Array | Uint32Array | Uint16Array | Uint8Array;

export const grown = <T extends Column>(a: T, length: number): T => {
  const next = new (a.constructor as new (n: number) => T)(length);
  next.set(a.subarray(0, Math.min(a.length, length)));
  return next;
};

/** Slots with ids: allocation, reuse of freed slots, id ↔ slot. */
export class Slots {
  private readonly byId = new Map<string, number>();
  private readonly free: number[] = [];
  ids: (string | undefined)[] = [];
  size = 0;
  capacity = 0;

  constructor(private readonly onGrow: (capacity: number) => void) {}

  slotOf(id: string): number | undefined {
    return this.byId.get(id);
  }

  get count(): number {
    return this.byId.size;
  }

  /** The slot of this id, allocated when new (`created` tells which). */
  acquire(id: string): { slot: number; created: boolean } {
    const existing = this.byId.get(id);
    if (existing !== undefined) return { slot: existing, created: false };
    const slot = this.free.pop() ?? this.size++;
    if (slot >= this.capacity) {
      this.capacity = Math.max(1024, this.capacity * 2);
      this.onGrow(this.capacity);
    }
    this.byId.set(id, slot);
    this.ids[slot] = id;
    return { slot, created: true };
  }

  release(id: string): number | undefined {
    const slot = this.byId.get(id);
    if (slot === undefined) return undefined;
    this.byId.delete(id);
    this.ids[slot] = undefined;
    this.free.push(slot);
    return slot;
  }
}

/**
 * Variable-length rows of small integers in one Uint16Array. A rewritten row is appended and its old
 * place counted as garbage; when garbage passes half the pool, live rows are copied down.
 */
export class Pool {
  data = new Uint16Array(1 << 16);
  private used = 0;
  private garbage = 0;

  /** Writes a row and returns its start. */
  write(values: ArrayLike<number>): number {
    const n = values.length;
    if (this.used + n > this.data.length) this.data = grown(this.data, Math.max(this.data.length * 2, this.used + n));
    this.data.set(values, this.used);
    const start = this.used;
    this.used += n;
    return start;
  }

  drop(length: number): void {
    this.garbage += length;
  }

  /** Whether compact() would reclaim enough to be worth it. */
  get wasteful(): boolean {
    return this.garbage > 1 << 16 && this.garbage * 2 > this.used;
  }

  /** Copies the live rows (start, length per slot; length 0 = none) into a fresh pool, updating starts. */
  compact(starts: Int32Array, lengthOf: (slot: number) => number, slots: number): void {
    const next = new Uint16Array(Math.max(1 << 16, (this.used - this.garbage) * 2));
    let used = 0;
    for (let s = 0; s < slots; s++) {
      const n = lengthOf(s);
      if (n === 0) continue;
      next.set(this.data.subarray(starts[s]!, starts[s]! + n), used);
      starts[s] = used;
      used += n;
    }
    this.data = next;
    this.used = used;
    this.garbage = 0;
  }
}

/** Growable list of slot numbers with O(1) removal by position (the owner keeps each slot's position). */
export class SlotList {
  items = new Int32Array(16);
  length = 0;

  /** Appends and returns the position. */
  push(slot: number): number {
    if (this.length === this.items.length) this.items = grown(this.items, this.items.length * 2);
    this.items[this.length] = slot;
    return this.length++;
  }

  /** Removes the entry at `position` by moving the last one there; returns the moved slot (or -1). */
  removeAt(position: number): number {
    const last = this.items[--this.length]!;
    if (position === this.length) return -1;
    this.items[position] = last;
    return last;
  }
}

/**
 * Which slots hold each skill (an inverted index). Updates only append: a slot whose skills changed, or that
 * was freed, leaves stale entries, which a search tolerates (it recomputes the real overlap and skips dead or
 * already-seen slots) and which are dropped when they make up half of a list.
 */
export class Postings {
  private readonly lists: (SlotList | undefined)[];
  private readonly stale: Uint32Array;

  constructor(skills: number) {
    this.lists = new Array<SlotList | undefined>(skills);
    this.stale = new Uint32Array(skills);
  }

  add(skill: number, slot: number): void {
    (this.lists[skill] ??= new SlotList()).push(slot);
  }

  /** The slot no longer holds the skill (its entry stays until the list is compacted). */
  retire(skill: number, holds: (slot: number, skill: number) => boolean): void {
    const list = this.lists[skill];
    if (!list) return;
    if (++this.stale[skill]! * 2 <= list.length) return;
    const seen = new Set<number>();
    let n = 0;
    for (let k = 0; k < list.length; k++) {
      const slot = list.items[k]!;
      if (seen.has(slot) || !holds(slot, skill)) continue;
      seen.add(slot);
      list.items[n++] = slot;
    }
    list.length = n;
    this.stale[skill] = 0;
  }

  list(skill: number): SlotList | undefined {
    return this.lists[skill];
  }
}
