import type { LegalStatus } from '../domain/candidates/candidateProfile.js';
import { dateOfEpochDay } from '../domain/shared/dates.js';
import { epochDayOf } from './epochDayOf.js';
import { CONTRACT_TYPES, LEGAL_STATUSES, OPPORTUNITY_TYPES, cefrRank } from '../domain/shared/vocabulary.js';
import type { EscoCatalogue } from '../esco/catalogue.js';
import { rightToWorkWindow } from '../rightToWork/rightToWork.js';
import type { RightToWorkTable } from '../rightToWork/rules.js';
import { CellIndex } from './cellIndex.js';
import { Pool, Postings, Slots, grown } from './columns.js';
import { ALWAYS, NEVER, iscoKey, type Interner } from './compiled.js';
import { IscoOrder } from './iscoOrder.js';
import { licenceMask } from './licences.js';
import type { MatchableCandidate } from './model.js';

const TYPES = OPPORTUNITY_TYPES.length;
const NO_DATE = ALWAYS;
const LEGAL_DATES = ['applicationDate', 'decisionDate', 'rpFrom', 'rpUntil', 'wpFrom', 'wpUntil'] as const;
const NO_LEGAL = 255;
export const NO_OCCUPATION = -1;
export const SEVERAL_OCCUPATIONS = -2;

const mask = (list: readonly string[], vocabulary: readonly string[]) =>
  list.reduce((m, v) => m | (1 << vocabulary.indexOf(v)), 0);

/**
 * Every candidate as one slot of flat typed columns: the hard-filter fields, the right-to-work window per
 * opportunity type, the legal status (for explanations), and one pool row per candidate holding its ESCO skill
 * indices (sorted), occupations (index, months) and languages (code, level). No object per candidate: the
 * memory is a few hundred bytes a candidate, and a scan streams through contiguous arrays.
 */
export class CandidateTable {
  readonly slots = new Slots((capacity) => this.grow(capacity));
  readonly cells = new CellIndex();
  readonly pool = new Pool();
  readonly postings: Postings;
  /** Which slots practise or prefer each ESCO occupation (same tolerance of stale entries as `postings`). */
  readonly occupationPostings: Postings;
  /** Search stamps: a slot already met by the running search carries its number. */
  seen = new Uint32Array(0);
  epoch = 0;
  alive = new Uint8Array(0);
  // Full precision (here and for km and hours): the engine must draw every boundary where the hard-filter rule does.
  lat = new Float64Array(0);
  lon = new Float64Array(0);
  mobilityKm = new Float64Array(0);
  mobilityLatDeg = new Float32Array(0);
  availableDay = new Int32Array(0);
  hours = new Float64Array(0);
  licences = new Uint16Array(0);
  /** 0 no remote work, 1 also, 2 only. */
  remotePref = new Uint8Array(0);
  /** Bit per opportunity type / contract type the person accepts; 0 = no preference stated. */
  prefTypes = new Uint8Array(0);
  prefContracts = new Uint8Array(0);
  /** 1 when the consent shares the dates of the legal status (permits, application). */
  datesShared = new Uint8Array(0);
  rtwFrom = new Int32Array(0);
  rtwUntil = new Int32Array(0);
  legalKind = new Uint8Array(0);
  legalCountry = new Uint16Array(0);
  legalDates = new Int32Array(0);
  /** Pool row: skills (nSkills), then occupations as (index, months) × nOcc, then languages as (code, level) × nLang. */
  start = new Int32Array(0);
  nSkills = new Uint16Array(0);
  nOcc = new Uint8Array(0);
  /** Occupations at or after this position are only preferred, never practised. */
  nPractised = new Uint8Array(0);
  nLang = new Uint8Array(0);
  /** The one occupation (practised or preferred) when there is exactly one, else NO_OCCUPATION or SEVERAL: a bound reads it without the row. */
  soleOccupation = new Int32Array(0);

  /** ISCO key (see iscoKey) of every ESCO occupation, by index. */
  readonly iscoKeys: Int32Array;
  readonly iscoOrder: IscoOrder;

  constructor(
    private readonly esco: EscoCatalogue,
    private readonly languages: Interner,
    private readonly countries: Interner,
    private readonly rules: RightToWorkTable,
  ) {
    this.postings = new Postings(esco.skillCount);
    this.iscoKeys = Int32Array.from({ length: esco.occupationCount }, (_, k) => iscoKey(esco.occupationIscoAt(k)));
    this.iscoOrder = new IscoOrder(this.iscoKeys);
    this.occupationPostings = new Postings(esco.occupationCount);
  }

  get count(): number {
    return this.slots.count;
  }

  get length(): number {
    return this.slots.size;
  }

  idOf(slot: number): string {
    return this.slots.ids[slot]!;
  }

  rowLength(slot: number): number {
    return this.alive[slot] === 0 ? 0 : this.nSkills[slot]! + 2 * this.nOcc[slot]! + 2 * this.nLang[slot]!;
  }

  upsert(c: MatchableCandidate): number {
    const { slot, created } = this.slots.acquire(c.id);
    const before = created ? [] : [...this.skillsOf(slot)];
    const occupationsBefore = created ? [] : this.occupationsOf(slot);
    if (!created) this.pool.drop(this.rowLength(slot));
    const p = c.profile;
    const esco = this.esco;
    this.alive[slot] = 1;
    this.lat[slot] = p.location.latitude;
    this.lon[slot] = p.location.longitude;
    this.mobilityKm[slot] = p.mobilityKm;
    this.mobilityLatDeg[slot] = p.mobilityKm / 110.574;
    this.availableDay[slot] = epochDayOf(p.availability.from);
    this.hours[slot] = p.availability.hoursPerWeek;
    this.licences[slot] = licenceMask(p.drivingLicences);
    this.remotePref[slot] = p.preferences.remote === 'no' ? 0 : p.preferences.remote === 'also' ? 1 : 2;
    this.prefTypes[slot] = mask(p.preferences.opportunityTypes, OPPORTUNITY_TYPES);
    this.prefContracts[slot] = mask(p.preferences.contractTypes, CONTRACT_TYPES);
    this.datesShared[slot] = c.datesShared === false ? 0 : 1;
    OPPORTUNITY_TYPES.forEach((type, t) => {
      const w = rightToWorkWindow(c.legalStatus, type, this.rules);
      this.rtwFrom[slot * TYPES + t] = !w.allowed ? NEVER : w.from === undefined ? ALWAYS : epochDayOf(w.from);
      this.rtwUntil[slot * TYPES + t] = !w.allowed ? ALWAYS : w.until === undefined ? NEVER : epochDayOf(w.until);
    });
    this.writeLegal(slot, c.legalStatus);

    const skills = [...new Set(p.skills.map((s) => esco.skillIndex(s)).filter((i) => i >= 0))].sort((a, b) => a - b);
    const practised = p.occupations
      .map((o) => [esco.occupationIndex(o.occupation), Math.min(65535, Math.max(0, Math.round(o.months)))] as const)
      .filter(([i]) => i >= 0);
    const preferred = p.preferences.occupations.map((o) => esco.occupationIndex(o)).filter((i) => i >= 0);
    const occ = [...practised, ...preferred.map((i) => [i, 0] as const)].slice(0, 255);
    const langs = p.languages.slice(0, 255);
    const row = [
      ...skills.slice(0, 65535),
      ...occ.flat(),
      ...langs.flatMap((l) => [this.languages.intern(l.language), cefrRank(l.level)]),
    ];
    this.start[slot] = this.pool.write(row);
    this.nSkills[slot] = Math.min(65535, skills.length);
    this.nOcc[slot] = occ.length;
    this.nPractised[slot] = Math.min(practised.length, occ.length);
    this.nLang[slot] = langs.length;
    this.soleOccupation[slot] = occ.length === 0 ? NO_OCCUPATION : occ.length === 1 ? occ[0]![0] : SEVERAL_OCCUPATIONS;
    this.cells.place(slot, false, p.location.latitude, p.location.longitude, p.mobilityKm);
    const now = new Set(skills);
    for (const s of before) if (!now.has(s)) this.postings.retire(s, this.holds);
    const had = new Set(before);
    for (const s of skills) if (!had.has(s)) this.postings.add(s, slot);
    const occupations = new Set(occ.map(([k]) => k));
    for (const k of new Set(occupationsBefore))
      if (!occupations.has(k)) this.occupationPostings.retire(k, this.practisesOrPrefers);
    const hadOccupations = new Set(occupationsBefore);
    for (const k of occupations) if (!hadOccupations.has(k)) this.occupationPostings.add(k, slot);
    if (this.pool.wasteful) this.pool.compact(this.start, (s) => this.rowLength(s), this.slots.size);
    return slot;
  }

  remove(id: string): boolean {
    const slot = this.slots.slotOf(id);
    if (slot === undefined) return false;
    const skills = [...this.skillsOf(slot)];
    const occupations = new Set(this.occupationsOf(slot));
    this.pool.drop(this.rowLength(slot));
    this.alive[slot] = 0;
    for (const s of skills) this.postings.retire(s, this.holds);
    for (const k of occupations) this.occupationPostings.retire(k, this.practisesOrPrefers);
    this.cells.remove(slot);
    this.slots.release(id);
    return true;
  }

  /** The slot's ESCO skill indices, sorted (a view into the pool: copy before writing). */
  skillsOf(slot: number): Uint16Array {
    return this.pool.data.subarray(this.start[slot]!, this.start[slot]! + this.nSkills[slot]!);
  }

  /** Whether a live slot holds the skill (binary search in its sorted row). */
  readonly holds = (slot: number, skill: number): boolean => {
    if (this.alive[slot] === 0) return false;
    const d = this.pool.data;
    let lo = this.start[slot]!;
    let hi = lo + this.nSkills[slot]! - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (d[mid] === skill) return true;
      if (d[mid]! < skill) lo = mid + 1;
      else hi = mid - 1;
    }
    return false;
  };

  /** The slot's ESCO occupation indices, practised then preferred. */
  occupationsOf(slot: number): number[] {
    const base = this.start[slot]! + this.nSkills[slot]!;
    return Array.from({ length: this.nOcc[slot]! }, (_, k) => this.pool.data[base + 2 * k]!);
  }

  /** Whether a live slot practises or prefers the occupation. */
  readonly practisesOrPrefers = (slot: number, occupation: number): boolean => {
    if (this.alive[slot] === 0) return false;
    const d = this.pool.data;
    const base = this.start[slot]! + this.nSkills[slot]!;
    for (let k = 0, n = this.nOcc[slot]!; k < n; k++) if (d[base + 2 * k] === occupation) return true;
    return false;
  };

  /** The legal status as recorded (rebuilt from the columns), for the right-to-work explanation. */
  legalStatus(slot: number): LegalStatus | null {
    const kind = this.legalKind[slot]!;
    if (kind === NO_LEGAL) return null;
    const d = (k: number) => this.legalDates[slot * LEGAL_DATES.length + k]!;
    const date = (k: number) => (d(k) === NO_DATE ? undefined : dateOfEpochDay(d(k)));
    const period = (a: number, b: number) =>
      date(a) !== undefined && date(b) !== undefined ? { validFrom: date(a)!, validUntil: date(b)! } : undefined;
    const [applicationDate, decisionDate, residencePermit, workPermit] = [date(0), date(1), period(2, 3), period(4, 5)];
    return {
      status: LEGAL_STATUSES[kind]!,
      country: this.countries.name(this.legalCountry[slot]!),
      ...(applicationDate ? { applicationDate } : {}),
      ...(decisionDate ? { decisionDate } : {}),
      ...(residencePermit ? { residencePermit } : {}),
      ...(workPermit ? { workPermit } : {}),
    };
  }

  private writeLegal(slot: number, legal: LegalStatus | null): void {
    const base = slot * LEGAL_DATES.length;
    this.legalDates.fill(NO_DATE, base, base + LEGAL_DATES.length);
    if (!legal) {
      this.legalKind[slot] = NO_LEGAL;
      return;
    }
    this.legalKind[slot] = LEGAL_STATUSES.indexOf(legal.status);
    this.legalCountry[slot] = this.countries.intern(legal.country);
    const dates = [
      legal.applicationDate,
      legal.decisionDate,
      legal.residencePermit?.validFrom,
      legal.residencePermit?.validUntil,
      legal.workPermit?.validFrom,
      legal.workPermit?.validUntil,
    ];
    dates.forEach((v, k) => {
      if (v !== undefined) this.legalDates[base + k] = epochDayOf(v);
    });
  }

  private grow(capacity: number): void {
    this.alive = grown(this.alive, capacity);
    this.seen = grown(this.seen, capacity);
    this.lat = grown(this.lat, capacity);
    this.lon = grown(this.lon, capacity);
    this.mobilityKm = grown(this.mobilityKm, capacity);
    this.mobilityLatDeg = grown(this.mobilityLatDeg, capacity);
    this.availableDay = grown(this.availableDay, capacity);
    this.hours = grown(this.hours, capacity);
    this.licences = grown(this.licences, capacity);
    this.remotePref = grown(this.remotePref, capacity);
    this.prefTypes = grown(this.prefTypes, capacity);
    this.prefContracts = grown(this.prefContracts, capacity);
    this.datesShared = grown(this.datesShared, capacity);
    this.rtwFrom = grown(this.rtwFrom, capacity * TYPES);
    this.rtwUntil = grown(this.rtwUntil, capacity * TYPES);
    this.legalKind = grown(this.legalKind, capacity);
    this.legalCountry = grown(this.legalCountry, capacity);
    this.legalDates = grown(this.legalDates, capacity * LEGAL_DATES.length);
    this.start = grown(this.start, capacity);
    this.nSkills = grown(this.nSkills, capacity);
    this.nOcc = grown(this.nOcc, capacity);
    this.nPractised = grown(this.nPractised, capacity);
    this.nLang = grown(this.nLang, capacity);
    this.soleOccupation = grown(this.soleOccupation, capacity);
    this.cells.grow(capacity);
  }
}
