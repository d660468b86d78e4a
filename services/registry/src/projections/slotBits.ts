/**
 * Sets of small integers (slots) as bit words: a directory filter is one set per value (the services
 * of a category, of a language…), and a search is their intersection, counted word by word. At
 * 100,000 services a set is 3,125 words, so intersecting and counting a handful costs microseconds
 * where testing every service costs milliseconds.
 */
export class SlotBits {
  words = new Uint32Array(0);
  set(slot: number): void {
    const w = slot >>> 5;
    if (w >= this.words.length) {
      const grown = new Uint32Array(Math.max(w + 1, this.words.length * 2, 64));
      grown.set(this.words);
      this.words = grown;
    }
    this.words[w]! |= 1 << (slot & 31);
  }
  clear(slot: number): void {
    const w = slot >>> 5;
    if (w < this.words.length) this.words[w]! &= ~(1 << (slot & 31));
  }
  has(slot: number): boolean {
    return hasBit(this.words, slot);
  }
}

export const hasBit = (words: Uint32Array, slot: number): boolean => {
  const w = slot >>> 5;
  return w < words.length && (words[w]! & (1 << (slot & 31))) !== 0;
};

/** A fresh `length`-word set: the intersection of `sources` (missing words count as empty). */
export function intersect(sources: readonly SlotBits[], length: number): Uint32Array {
  const out = new Uint32Array(length);
  if (sources.length === 0) return out;
  out.set(sources[0]!.words.subarray(0, length));
  for (let i = 1; i < sources.length; i++) {
    const words = sources[i]!.words;
    const n = Math.min(length, words.length);
    for (let w = 0; w < n; w++) out[w]! &= words[w]!;
    out.fill(0, n);
  }
  return out;
}

const popcount = (v: number): number => {
  v -= (v >>> 1) & 0x55555555;
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return Math.imul((v + (v >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24;
};

export function countBits(words: Uint32Array): number {
  let n = 0;
  for (let w = 0; w < words.length; w++) if (words[w] !== 0) n += popcount(words[w]!);
  return n;
}

/** The size of the intersection of two sets, without building it. */
export function countBitsOfBoth(a: Uint32Array, b: Uint32Array): number {
  let n = 0;
  const length = Math.min(a.length, b.length);
  for (let w = 0; w < length; w++) {
    const x = a[w]! & b[w]!;
    if (x !== 0) n += popcount(x);
  }
  return n;
}

/** Calls `fn` for every slot in the set, ascending. */
export function forEachBit(words: Uint32Array, fn: (slot: number) => void): void {
  for (let w = 0; w < words.length; w++) {
    let x = words[w]!;
    while (x !== 0) {
      const low = x & -x;
      fn(w * 32 + 31 - Math.clz32(low));
      x ^= low;
    }
  }
}
