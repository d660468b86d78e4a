import { OPPORTUNITY_TYPES } from '../domain/shared/vocabulary.js';
import type { CompiledCandidate, CompiledOpportunity } from './compiled.js';

const TYPES = OPPORTUNITY_TYPES.length;
/** Languages kept per candidate in the filter columns; a candidate with more is checked on the full record. */
export const LANG_SLOTS = 8;

/**
 * The hard-filter fields of every candidate in flat typed arrays (one slot per candidate). Scanning 100,000
 * candidates for an opportunity then streams through contiguous memory instead of chasing 100,000 objects;
 * only candidates that pass reach their compiled record (skills, occupations) for scoring.
 */
export class CandidateColumns {
  private capacity = 0;
  private size = 0;
  private readonly free: number[] = [];
  private readonly slots = new Map<string, number>();
  records: (CompiledCandidate | undefined)[] = [];
  alive = new Uint8Array(0);
  lat = new Float64Array(0);
  lon = new Float64Array(0);
  mobilityKm = new Float64Array(0);
  mobilityLatDeg = new Float64Array(0);
  availableDay = new Int32Array(0);
  hours = new Float32Array(0);
  licences = new Uint16Array(0);
  remotePref = new Uint8Array(0);
  rtwFrom = new Int32Array(0);
  rtwUntil = new Int32Array(0);
  langCount = new Uint8Array(0);
  langCodes = new Uint16Array(0);
  langLevels = new Uint8Array(0);

  /** Slots in use are 0..length-1 (some may be dead: check `alive`). */
  get length(): number {
    return this.size;
  }

  get(id: string): CompiledCandidate | undefined {
    const slot = this.slots.get(id);
    return slot === undefined ? undefined : this.records[slot];
  }

  get count(): number {
    return this.slots.size;
  }

  upsert(c: CompiledCandidate): void {
    let slot = this.slots.get(c.id);
    if (slot === undefined) {
      slot = this.free.pop() ?? this.size++;
      if (slot >= this.capacity) this.grow(Math.max(1024, this.capacity * 2));
      this.slots.set(c.id, slot);
    }
    this.records[slot] = c;
    this.alive[slot] = 1;
    this.lat[slot] = c.lat;
    this.lon[slot] = c.lon;
    this.mobilityKm[slot] = c.mobilityKm;
    this.mobilityLatDeg[slot] = c.mobilityLatDeg;
    this.availableDay[slot] = c.availableDay;
    this.hours[slot] = c.hours;
    this.licences[slot] = c.licences;
    this.remotePref[slot] = c.remotePref;
    this.rtwFrom.set(c.rtwFrom, slot * TYPES);
    this.rtwUntil.set(c.rtwUntil, slot * TYPES);
    const order = [...c.langCodes.keys()].slice(0, LANG_SLOTS);
    // A count above LANG_SLOTS sends the language check to the full record.
    this.langCount[slot] = Math.min(255, c.langCodes.length);
    order.forEach((j, k) => {
      this.langCodes[slot * LANG_SLOTS + k] = c.langCodes[j]!;
      this.langLevels[slot * LANG_SLOTS + k] = c.langLevels[j]!;
    });
  }

  remove(id: string): boolean {
    const slot = this.slots.get(id);
    if (slot === undefined) return false;
    this.slots.delete(id);
    this.records[slot] = undefined;
    this.alive[slot] = 0;
    this.free.push(slot);
    return true;
  }

  /** The same rules as passesHardFilters, on the columns: distance in km (0 remote), or -1 when excluded. */
  passes(i: number, o: CompiledOpportunity, day: number, distance: (i: number) => number): number {
    if (this.alive[i] === 0) return -1;
    const t = i * TYPES + o.type;
    if (this.rtwFrom[t]! > day || this.rtwUntil[t]! < day) return -1;
    if (this.availableDay[i]! > day || this.hours[i]! < o.hours) return -1;
    if (o.licenceBit !== 0 && (this.licences[i]! & o.licenceBit) === 0) return -1;
    const n = this.langCount[i]!;
    const record = n > LANG_SLOTS ? this.records[i]! : null;
    const codes = record ? record.langCodes : this.langCodes;
    const levels = record ? record.langLevels : this.langLevels;
    const base = record ? 0 : i * LANG_SLOTS;
    for (let r = 0; r < o.langCodes.length; r++) {
      const code = o.langCodes[r]!;
      let held = -1;
      for (let j = 0; j < n; j++) if (codes[base + j] === code) held = levels[base + j]!;
      if (held < 0 || held < o.langMin[r]! - 1) return -1;
    }
    if (o.remote) return 0;
    if (this.remotePref[i] === 2) return -1;
    if (Math.abs(o.lat - this.lat[i]!) > this.mobilityLatDeg[i]! + 0.01) return -1;
    const d = distance(i);
    return d <= this.mobilityKm[i]! ? d : -1;
  }

  private grow(capacity: number): void {
    const grow = <T extends Float64Array | Float32Array | Int32Array | Uint16Array | Uint8Array>(a: T, per = 1): T => {
      const next = new (a.constructor as new (n: number) => T)(capacity * per);
      next.set(a);
      return next;
    };
    this.alive = grow(this.alive);
    this.lat = grow(this.lat);
    this.lon = grow(this.lon);
    this.mobilityKm = grow(this.mobilityKm);
    this.mobilityLatDeg = grow(this.mobilityLatDeg);
    this.availableDay = grow(this.availableDay);
    this.hours = grow(this.hours);
    this.licences = grow(this.licences);
    this.remotePref = grow(this.remotePref);
    this.rtwFrom = grow(this.rtwFrom, TYPES);
    this.rtwUntil = grow(this.rtwUntil, TYPES);
    this.langCount = grow(this.langCount);
    this.langCodes = grow(this.langCodes, LANG_SLOTS);
    this.langLevels = grow(this.langLevels, LANG_SLOTS);
    this.capacity = capacity;
  }
}
