import { SortedSlots, intersectSorted } from './sortedSlots.js';

/**
 * Postings per trigram (three consecutive UTF-16 code units) of lower-cased texts, for substring
 * search: a text holding the needle holds each of the needle's trigrams, so the slots listed under all
 * of them are the only candidates, and the caller confirms each with `includes`. The directory holds
 * organisation and service texts only (no client data), so a plain index is fine. A needle shorter
 * than three has no trigram: the caller tests every candidate instead.
 */
type Trigram = number | string;

/** A number (a small integer) when the three code units are below 1024, which covers Greek and Latin. */
const trigramAt = (text: string, i: number): Trigram => {
  const a = text.charCodeAt(i);
  const b = text.charCodeAt(i + 1);
  const c = text.charCodeAt(i + 2);
  return a < 1024 && b < 1024 && c < 1024 ? (a << 20) | (b << 10) | c : text.slice(i, i + 3);
};

export const trigramsOf = (texts: readonly string[]): Set<Trigram> => {
  const found = new Set<Trigram>();
  for (const text of texts) for (let i = 0; i + 3 <= text.length; i++) found.add(trigramAt(text, i));
  return found;
};

export class TrigramIndex {
  private readonly lists = new Map<Trigram, SortedSlots>();

  clear(): void {
    this.lists.clear();
  }

  add(slot: number, texts: readonly string[]): void {
    for (const trigram of trigramsOf(texts)) {
      let list = this.lists.get(trigram);
      if (!list) {
        list = new SortedSlots();
        this.lists.set(trigram, list);
      }
      list.add(slot);
    }
  }

  remove(slot: number, texts: readonly string[]): void {
    for (const trigram of trigramsOf(texts)) {
      const list = this.lists.get(trigram);
      if (!list) continue;
      list.remove(slot);
      if (list.length === 0) this.lists.delete(trigram);
    }
  }

  /** Ascending slots that may hold `needle` (lower-cased), or null when it is too short to say. */
  candidates(needle: string): number[] | null {
    if (needle.length < 3) return null;
    const lists: SortedSlots[] = [];
    for (const trigram of trigramsOf([needle])) {
      const list = this.lists.get(trigram);
      if (!list) return [];
      lists.push(list);
    }
    return intersectSorted(lists);
  }
}
