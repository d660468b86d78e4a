import { epochDayOf } from './epochDayOf.js';
import { CONTRACT_TYPES, OPPORTUNITY_TYPES, cefrRank } from '../domain/shared/vocabulary.js';
import type { EscoCatalogue } from '../esco/catalogue.js';
import { CellIndex } from './cellIndex.js';
import { Pool, Postings, Slots, grown } from './columns.js';
import { NEVER, iscoKey, type Interner } from './compiled.js';
import { licenceBit } from './licences.js';
import type { MatchableOpportunity } from './model.js';

type Holds = (slot: number, skill: number) => boolean;

/** Kinds of work that are unpaid by nature: shown only to people who accept them. */
const UNPAID_TYPES: readonly string[] = ['volunteering', 'mentoring'];

/**
 * Every opportunity as one slot of flat typed columns, on-site ones bucketed by cell. A pool row per
 * opportunity holds its essential skills, optional skills (ESCO indices, sorted) and language requirements
 * (code, minimum level).
 */
export class OpportunityTable {
  readonly slots = new Slots((capacity) => this.grow(capacity));
  readonly cells = new CellIndex();
  readonly pool = new Pool();
  /** Skill → opportunities listing it as essential / as optional. */
  readonly essentialPostings: Postings;
  readonly optionalPostings: Postings;
  /** Search stamps: a slot already met by the running search carries its number. */
  seen = new Uint32Array(0);
  epoch = 0;
  /** Live opportunities listing no essential skill (anyone could score full marks on skills). */
  withoutEssential = 0;
  alive = new Uint8Array(0);
  open = new Uint8Array(0);
  closingDay = new Int32Array(0);
  startDay = new Int32Array(0);
  type = new Uint8Array(0);
  contract = new Uint8Array(0);
  /** No pay, an unpaid contract, or volunteering / mentoring. */
  unpaid = new Uint8Array(0);
  occupation = new Int32Array(0);
  isco = new Int32Array(0);
  hours = new Float64Array(0);
  remote = new Uint8Array(0);
  // Full precision (here and for km and hours): the engine must draw every boundary where the hard-filter rule does.
  lat = new Float64Array(0);
  lon = new Float64Array(0);
  licenceBit = new Uint16Array(0);
  start = new Int32Array(0);
  nEssential = new Uint8Array(0);
  nOptional = new Uint8Array(0);
  nLang = new Uint8Array(0);

  constructor(
    private readonly esco: EscoCatalogue,
    private readonly languages: Interner,
  ) {
    this.essentialPostings = new Postings(esco.skillCount);
    this.optionalPostings = new Postings(esco.skillCount);
  }

  get count(): number {
    return this.slots.count;
  }

  idOf(slot: number): string {
    return this.slots.ids[slot]!;
  }

  rowLength(slot: number): number {
    return this.alive[slot] === 0 ? 0 : this.nEssential[slot]! + this.nOptional[slot]! + 2 * this.nLang[slot]!;
  }

  upsert(o: MatchableOpportunity): number {
    const { slot, created } = this.slots.acquire(o.id);
    const before = created ? { essential: [], optional: [] } : this.skillSets(slot);
    if (!created) {
      this.pool.drop(this.rowLength(slot));
      if (this.nEssential[slot] === 0) this.withoutEssential--;
    }
    const d = o.details;
    const esco = this.esco;
    const occupation = esco.occupationIndex(d.occupation);
    const skills = (list: string[]) =>
      [...new Set(list.map((s) => esco.skillIndex(s)).filter((i) => i >= 0))].sort((a, b) => a - b).slice(0, 255);
    const essential = skills(d.essentialSkills);
    // A skill both essential and optional counts as essential.
    const optional = skills(d.optionalSkills).filter((s) => !essential.includes(s));
    const langs = d.languages.slice(0, 255);
    this.alive[slot] = 1;
    this.open[slot] = o.status === 'open' ? 1 : 0;
    this.closingDay[slot] = d.closingDate === null ? NEVER : epochDayOf(d.closingDate);
    this.startDay[slot] = epochDayOf(d.startDate);
    this.type[slot] = OPPORTUNITY_TYPES.indexOf(d.type);
    this.contract[slot] = CONTRACT_TYPES.indexOf(d.contractType);
    this.unpaid[slot] = d.pay === null || d.contractType === 'unpaid' || UNPAID_TYPES.includes(d.type) ? 1 : 0;
    this.occupation[slot] = occupation;
    this.isco[slot] = occupation < 0 ? 0 : iscoKey(esco.occupationIscoAt(occupation));
    this.hours[slot] = d.hoursPerWeek;
    this.remote[slot] = d.location.remote ? 1 : 0;
    this.lat[slot] = d.location.remote ? 0 : d.location.latitude;
    this.lon[slot] = d.location.remote ? 0 : d.location.longitude;
    this.licenceBit[slot] = d.drivingLicence === null ? 0 : licenceBit(d.drivingLicence);
    this.start[slot] = this.pool.write([
      ...essential,
      ...optional,
      ...langs.flatMap((l) => [this.languages.intern(l.language), cefrRank(l.minLevel)]),
    ]);
    this.nEssential[slot] = essential.length;
    if (essential.length === 0) this.withoutEssential++;
    this.nOptional[slot] = optional.length;
    this.nLang[slot] = langs.length;
    this.cells.place(slot, d.location.remote, this.lat[slot]!, this.lon[slot]!);
    this.index(slot, before.essential, essential, this.essentialPostings, this.holdsEssential);
    this.index(slot, before.optional, optional, this.optionalPostings, this.holdsOptional);
    if (this.pool.wasteful) this.pool.compact(this.start, (s) => this.rowLength(s), this.slots.size);
    return slot;
  }

  remove(id: string): boolean {
    const slot = this.slots.slotOf(id);
    if (slot === undefined) return false;
    const before = this.skillSets(slot);
    this.pool.drop(this.rowLength(slot));
    if (this.nEssential[slot] === 0) this.withoutEssential--;
    this.alive[slot] = 0;
    this.index(slot, before.essential, [], this.essentialPostings, this.holdsEssential);
    this.index(slot, before.optional, [], this.optionalPostings, this.holdsOptional);
    this.cells.remove(slot);
    this.slots.release(id);
    return true;
  }

  /** The slot's essential then optional ESCO skill indices (a view into the pool: copy before writing). */
  skillsOf(slot: number): Uint16Array {
    return this.pool.data.subarray(
      this.start[slot]!,
      this.start[slot]! + this.nEssential[slot]! + this.nOptional[slot]!,
    );
  }

  private skillSets(slot: number): { essential: number[]; optional: number[] } {
    const all = [...this.skillsOf(slot)];
    return { essential: all.slice(0, this.nEssential[slot]!), optional: all.slice(this.nEssential[slot]!) };
  }

  /** Index maintenance: skills dropped leave stale entries (retired), skills added are appended. */
  private index(slot: number, before: number[], after: number[], postings: Postings, holds: Holds): void {
    const now = new Set(after);
    for (const s of before) if (!now.has(s)) postings.retire(s, holds);
    const had = new Set(before);
    for (const s of after) if (!had.has(s)) postings.add(s, slot);
  }

  private readonly holdsEssential: Holds = (slot, skill) =>
    this.alive[slot] === 1 && this.skillsOf(slot).subarray(0, this.nEssential[slot]!).includes(skill);
  private readonly holdsOptional: Holds = (slot, skill) =>
    this.alive[slot] === 1 && this.skillsOf(slot).subarray(this.nEssential[slot]!).includes(skill);

  private grow(capacity: number): void {
    this.alive = grown(this.alive, capacity);
    this.seen = grown(this.seen, capacity);
    this.open = grown(this.open, capacity);
    this.closingDay = grown(this.closingDay, capacity);
    this.startDay = grown(this.startDay, capacity);
    this.type = grown(this.type, capacity);
    this.contract = grown(this.contract, capacity);
    this.unpaid = grown(this.unpaid, capacity);
    this.occupation = grown(this.occupation, capacity);
    this.isco = grown(this.isco, capacity);
    this.hours = grown(this.hours, capacity);
    this.remote = grown(this.remote, capacity);
    this.lat = grown(this.lat, capacity);
    this.lon = grown(this.lon, capacity);
    this.licenceBit = grown(this.licenceBit, capacity);
    this.start = grown(this.start, capacity);
    this.nEssential = grown(this.nEssential, capacity);
    this.nOptional = grown(this.nOptional, capacity);
    this.nLang = grown(this.nLang, capacity);
    this.cells.grow(capacity);
  }
}
