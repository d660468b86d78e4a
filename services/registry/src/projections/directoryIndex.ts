import { boundingBox, distanceKm, type Coordinates } from '../domain/shared/geo.js';
import type { OrganisationSearch, ServiceSearch } from './directoryQueries.js';
import { LocationGrid, type GridBox } from './locationGrid.js';
import { countBits, countBitsOfBoth, forEachBit, hasBit, intersect, SlotBits } from './slotBits.js';
import { pageInOrder, SlotOrder } from './slotOrder.js';
import { NearestFirst } from './nearestFirst.js';
import { TrigramIndex } from './trigramIndex.js';

/**
 * The directory's search index, in memory. Every service has a slot (a small integer); each filter
 * value (a category, a language, a legal status, an area; published, intake open) is the set of its
 * services' slots as bit words, so a search intersects a few sets and counts the result word by word
 * instead of testing services one by one. Free text narrows through trigram postings, distance through
 * a quarter-degree grid of locations; a page is read off the (name, id) order, or, when matches are
 * few, by sorting just them. Totals are exact. It holds only what filters and ordering need; the
 * records a page shows are read from the read model (loadServiceRecords). Semantics are the SQL
 * formulation's (directorySqlSearch.ts), which the tests compare it against.
 */
export interface IndexedLocation {
  id: string;
  key: string;
  latitude: number;
  longitude: number;
}

export interface IndexedService {
  id: string;
  organisationId: string;
  name: string;
  nameLower: string;
  descriptionLower: string;
  active: boolean;
  intakeOpen: boolean;
  updatedAt: string;
  /** The category and its ancestors, as the read model stores them. */
  categories: readonly string[];
  languages: readonly string[];
  legalStatuses: readonly string[];
  areas: readonly string[];
  /** Ordered by key (the HSDS service_at_location listing order within a service). */
  locations: readonly IndexedLocation[];
}

export interface IndexedOrganisation {
  id: string;
  name: string;
  nameLower: string;
  approved: boolean;
  updatedAt: string;
}

/** One per organisation id, shared by its services: `present` once the read model has its row. */
class Organisation {
  present = false;
  name = '';
  nameLower = '';
  approved = false;
  updatedAt = '';
  readonly services = new Set<number>();
  constructor(
    readonly slot: number,
    readonly id: string,
  ) {}
}

/** A class with every field assigned in the constructor, so all entries share one hidden class. */
class Entry {
  readonly id: string;
  readonly name: string;
  readonly nameLower: string;
  readonly descriptionLower: string;
  readonly active: boolean;
  readonly intakeOpen: boolean;
  readonly updatedAt: string;
  /** Vocabulary codes of the multi-valued attributes. */
  readonly categories: number[];
  readonly languages: number[];
  readonly legalStatuses: number[];
  readonly areas: number[];
  readonly locations: IndexedLocation[];
  constructor(
    readonly slot: number,
    s: IndexedService,
    readonly organisation: Organisation,
    vocabulary: Vocabulary,
  ) {
    this.id = s.id;
    this.name = s.name;
    this.nameLower = s.nameLower;
    this.descriptionLower = s.descriptionLower;
    this.active = s.active;
    this.intakeOpen = s.intakeOpen;
    this.updatedAt = s.updatedAt;
    this.categories = s.categories.map((v) => vocabulary.code(v));
    this.languages = s.languages.map((v) => vocabulary.code(v));
    this.legalStatuses = s.legalStatuses.map((v) => vocabulary.code(v));
    this.areas = s.areas.map((v) => vocabulary.code(v));
    this.locations = s.locations.map((l) => ({ id: l.id, key: l.key, latitude: l.latitude, longitude: l.longitude }));
  }
  get texts(): string[] {
    return [this.nameLower, this.descriptionLower];
  }
}

/** Values of the multi-valued attributes, numbered; one numbering for all of them (only equality matters). */
class Vocabulary {
  private readonly codes = new Map<string, number>();
  code(value: string): number {
    let code = this.codes.get(value);
    if (code === undefined) {
      code = this.codes.size;
      this.codes.set(value, code);
    }
    return code;
  }
  /** NO_FILTER when absent; UNKNOWN (matches nothing) for a value no service has. */
  filter(value: string | undefined): number {
    if (!value) return NO_FILTER;
    return this.codes.get(value) ?? UNKNOWN;
  }
}
const NO_FILTER = -1;
const UNKNOWN = -2;

/** The slots of the services having each value of one attribute. */
class ValueSets {
  private readonly sets = new Map<number, SlotBits>();
  clear(): void {
    this.sets.clear();
  }
  add(slot: number, codes: readonly number[]): void {
    for (const code of codes) {
      let set = this.sets.get(code);
      if (!set) {
        set = new SlotBits();
        this.sets.set(code, set);
      }
      set.set(slot);
    }
  }
  remove(slot: number, codes: readonly number[]): void {
    for (const code of codes) this.sets.get(code)?.clear(slot);
  }
  /** undefined when the search cannot match (a value no service has). */
  get(code: number): SlotBits | undefined {
    return this.sets.get(code);
  }
}

const toggle = (bits: SlotBits, slot: number, on: boolean): void => (on ? bits.set(slot) : bits.clear(slot));

interface SearchArea extends GridBox {
  centre: Coordinates;
  radiusKm: number;
}

const searchArea = (near: NonNullable<ServiceSearch['near']>): SearchArea => ({
  centre: { latitude: near.latitude, longitude: near.longitude },
  radiusKm: near.radiusKm,
  ...boundingBox(near, near.radiusKm),
});

/** The distance to a location within the radius, else null: the SQL's box test, then haversine. */
function within(location: Coordinates, area: SearchArea): number | null {
  if (location.latitude < area.minLat || location.latitude > area.maxLat) return null;
  if (location.longitude < area.minLon || location.longitude > area.maxLon) return null;
  const d = distanceKm(area.centre, location);
  return d > area.radiusKm ? null : d;
}

const rad = (deg: number): number => (deg * Math.PI) / 180;
const clamp = (x: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, x));

/**
 * Whether a grid cell has a point within the radius: its nearest point is on the centre's meridian
 * when the centre's longitude crosses the cell, else on the nearer meridian edge, at the foot of the
 * great circle from the centre (clamped to the edge). A metre of slack absorbs rounding.
 */
function reaches(area: SearchArea, cell: GridBox): boolean {
  const { latitude, longitude } = area.centre;
  let nearest: Coordinates;
  if (longitude >= cell.minLon && longitude <= cell.maxLon)
    nearest = { latitude: clamp(latitude, cell.minLat, cell.maxLat), longitude };
  else {
    const edge = longitude < cell.minLon ? cell.minLon : cell.maxLon;
    const dLon = rad(edge - longitude);
    if (Math.abs(dLon) >= Math.PI / 2) return true;
    const foot = (Math.atan(Math.tan(rad(latitude)) / Math.cos(dLon)) * 180) / Math.PI;
    nearest = { latitude: clamp(foot, cell.minLat, cell.maxLat), longitude: edge };
  }
  return distanceKm(area.centre, nearest) <= area.radiusKm + 0.001;
}

/** Beyond this many grid cells (a radius of hundreds of km) a pass over the candidates is as cheap. */
const MAX_CELLS = 1_600;

export interface ServiceHit {
  id: string;
  distanceKm?: number;
}

export interface LocationHit {
  serviceId: string;
  locationId: string;
  distanceKm?: number;
}

// Code-unit order: the same as SQLite's BINARY and PostgreSQL's C collation for these texts.
const byNameThenId = (a: { name: string; id: string }, b: { name: string; id: string }): number =>
  a.name < b.name ? -1 : a.name > b.name ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;

export class DirectoryIndex {
  private readonly entries: (Entry | undefined)[] = [];
  private readonly freeSlots: number[] = [];
  private readonly slotOf = new Map<string, number>();
  /** Each service slot's organisation slot, flat: listing the organisations of a category reads only this. */
  private readonly organisationOfSlot: number[] = [];
  private readonly serviceOrder = new SlotOrder((a, b) => byNameThenId(this.entries[a]!, this.entries[b]!));
  private readonly vocabulary = new Vocabulary();
  /** Services whose organisation is in the read model (the SQL's join). */
  private readonly listed = new SlotBits();
  /** Listed, active, of an approved organisation: what the public directory shows. */
  private readonly published = new SlotBits();
  private readonly active = new SlotBits();
  private readonly intakeOpen = new SlotBits();
  private readonly byCategory = new ValueSets();
  private readonly byLanguage = new ValueSets();
  private readonly byLegalStatus = new ValueSets();
  private readonly byArea = new ValueSets();
  private readonly valueSets: [ValueSets, (e: Entry) => number[]][] = [
    [this.byCategory, (e) => e.categories],
    [this.byLanguage, (e) => e.languages],
    [this.byLegalStatus, (e) => e.legalStatuses],
    [this.byArea, (e) => e.areas],
  ];
  private readonly serviceTrigrams = new TrigramIndex();
  private readonly grid = new LocationGrid();
  /** The k-th set holds the services with more than k locations. */
  private readonly locationsAtLeast: SlotBits[] = [];

  private readonly organisations: Organisation[] = [];
  private readonly organisationById = new Map<string, Organisation>();
  /** Present organisations by (name, id), and the approved among them. */
  private readonly organisationOrder = new SlotOrder((a, b) =>
    byNameThenId(this.organisations[a]!, this.organisations[b]!),
  );
  private readonly organisationsPresent = new SlotBits();
  private readonly organisationsApproved = new SlotBits();
  private readonly organisationTrigrams = new TrigramIndex();

  get size(): number {
    return this.slotOf.size;
  }

  /** An index of these organisations and services, built at once (start, or after a rebuild). */
  static of(organisations: Iterable<IndexedOrganisation>, services: Iterable<IndexedService>): DirectoryIndex {
    const index = new DirectoryIndex();
    // Slots handed out in ascending order append to every posting; the orders are sorted once.
    for (const o of organisations) index.listOrganisation(o);
    index.organisationOrder.replaceAll(index.organisations.map((o) => o.slot));
    const slots: number[] = [];
    for (const s of services) slots.push(index.addService(s));
    index.serviceOrder.replaceAll(slots);
    return index;
  }

  private organisation(id: string): Organisation {
    let organisation = this.organisationById.get(id);
    if (!organisation) {
      organisation = new Organisation(this.organisations.length, id);
      this.organisations.push(organisation);
      this.organisationById.set(id, organisation);
    }
    return organisation;
  }

  putOrganisation(indexed: IndexedOrganisation): void {
    const o = this.listOrganisation(indexed);
    this.organisationOrder.insert(o.slot);
    for (const slot of o.services) this.refreshStatus(this.entries[slot]!);
  }

  /** Everything of putOrganisation but its place in the order and its services' status. */
  private listOrganisation(indexed: IndexedOrganisation): Organisation {
    const o = this.organisation(indexed.id);
    this.unlistOrganisation(o);
    o.present = true;
    o.name = indexed.name;
    o.nameLower = indexed.nameLower;
    o.approved = indexed.approved;
    o.updatedAt = indexed.updatedAt;
    this.organisationTrigrams.add(o.slot, [o.nameLower]);
    this.organisationsPresent.set(o.slot);
    toggle(this.organisationsApproved, o.slot, o.approved);
    return o;
  }

  removeOrganisation(id: string): void {
    const o = this.organisationById.get(id);
    if (!o?.present) return;
    this.unlistOrganisation(o);
    for (const slot of o.services) this.refreshStatus(this.entries[slot]!);
  }

  private unlistOrganisation(o: Organisation): void {
    if (!o.present) return;
    this.organisationOrder.remove(o.slot);
    this.organisationTrigrams.remove(o.slot, [o.nameLower]);
    this.organisationsPresent.clear(o.slot);
    this.organisationsApproved.clear(o.slot);
    o.present = false;
  }

  private refreshStatus(e: Entry): void {
    const o = e.organisation;
    toggle(this.listed, e.slot, o.present);
    toggle(this.published, e.slot, o.present && o.approved && e.active);
  }

  putService(service: IndexedService): void {
    this.removeService(service.id);
    this.serviceOrder.insert(this.addService(service));
  }

  /** Everything of putService but its place in the order. */
  private addService(service: IndexedService): number {
    const slot = this.freeSlots.pop() ?? this.entries.length;
    const e = new Entry(slot, service, this.organisation(service.organisationId), this.vocabulary);
    this.entries[slot] = e;
    this.organisationOfSlot[slot] = e.organisation.slot;
    this.slotOf.set(e.id, slot);
    e.organisation.services.add(slot);
    toggle(this.active, slot, e.active);
    toggle(this.intakeOpen, slot, e.intakeOpen);
    for (const [sets, codes] of this.valueSets) sets.add(slot, codes(e));
    this.refreshStatus(e);
    this.serviceTrigrams.add(slot, e.texts);
    this.grid.add(slot, e.locations);
    for (let k = 0; k < e.locations.length; k++) (this.locationsAtLeast[k] ??= new SlotBits()).set(slot);
    return slot;
  }

  removeService(id: string): void {
    const slot = this.slotOf.get(id);
    if (slot === undefined) return;
    const e = this.entries[slot]!;
    this.serviceOrder.remove(slot);
    for (const bits of [this.active, this.intakeOpen, this.listed, this.published]) bits.clear(slot);
    for (let k = 0; k < e.locations.length; k++) this.locationsAtLeast[k]!.clear(slot);
    for (const [sets, codes] of this.valueSets) sets.remove(slot, codes(e));
    this.serviceTrigrams.remove(slot, e.texts);
    this.grid.remove(slot, e.locations);
    e.organisation.services.delete(slot);
    this.entries[slot] = undefined;
    this.slotOf.delete(id);
    this.freeSlots.push(slot);
  }

  private get words(): number {
    return Math.ceil(this.entries.length / 32);
  }

  /** The slots of the services a search's filters (not its distance) admit, or null for none. */
  private matching(search: ServiceSearch, publishedOnly: boolean): Uint32Array | null {
    const sources = [publishedOnly ? this.published : this.listed];
    if (search.intakeOpen === true) sources.push(this.intakeOpen);
    for (const [sets, value] of [
      [this.byCategory, search.category],
      [this.byLanguage, search.language],
      [this.byLegalStatus, search.legalStatus],
      [this.byArea, search.region],
    ] as const) {
      const code = this.vocabulary.filter(value);
      if (code === NO_FILTER) continue;
      const set = code === UNKNOWN ? undefined : sets.get(code);
      if (!set) return null;
      sources.push(set);
    }
    let words = intersect(sources, this.words);
    if (search.organisationId) {
      const own = new Uint32Array(words.length);
      for (const slot of this.organisationById.get(search.organisationId)?.services ?? [])
        if (hasBit(words, slot)) own[slot >>> 5]! |= 1 << (slot & 31);
      words = own;
    }
    if (search.modifiedAfter) {
      const after = search.modifiedAfter;
      forEachBit(words, (slot) => {
        if (!(this.entries[slot]!.updatedAt > after)) words[slot >>> 5]! &= ~(1 << (slot & 31));
      });
    }
    if (search.text) words = this.containing(words, search.text.toLowerCase());
    return words;
  }

  /** The slots of `words` whose name or description, or organisation's name, holds the needle. */
  private containing(words: Uint32Array, needle: string): Uint32Array {
    const found = new Uint32Array(words.length);
    const keep = (slot: number) => void (found[slot >>> 5]! |= 1 << (slot & 31));
    const holds = (e: Entry) => e.nameLower.includes(needle) || e.descriptionLower.includes(needle);
    const candidates = this.serviceTrigrams.candidates(needle);
    if (candidates === null) {
      forEachBit(words, (slot) => {
        const e = this.entries[slot]!;
        if (holds(e) || e.organisation.nameLower.includes(needle)) keep(slot);
      });
      return found;
    }
    for (const slot of candidates) if (hasBit(words, slot) && holds(this.entries[slot]!)) keep(slot);
    for (const o of this.organisationsHolding(needle))
      for (const slot of o.services) if (hasBit(words, slot)) keep(slot);
    return found;
  }

  /** Present organisations whose name holds the needle. */
  private organisationsHolding(needle: string): Organisation[] {
    const candidates = this.organisationTrigrams.candidates(needle);
    const found: Organisation[] = [];
    const test = (slot: number) => {
      const o = this.organisations[slot]!;
      if (o.nameLower.includes(needle)) found.push(o);
    };
    if (candidates === null) forEachBit(this.organisationsPresent.words, test);
    else for (const slot of candidates) test(slot);
    return found;
  }

  /**
   * Calls `visit` for every location within the area of a service in `words`: from the grid cells the
   * radius reaches, or, when the filters leave fewer candidates than those cells hold, from the
   * candidates' own locations.
   */
  private near(words: Uint32Array, area: SearchArea, visit: (slot: number, position: number, d: number) => void) {
    const cells = this.grid.cellsIn(area, MAX_CELLS, (cell) => reaches(area, cell));
    const points = cells?.reduce((n, cell) => n + cell.size, 0) ?? Number.POSITIVE_INFINITY;
    if (countBits(words) * 2 < points) {
      forEachBit(words, (slot) =>
        this.entries[slot]!.locations.forEach((location, position) => {
          const d = within(location, area);
          if (d !== null) visit(slot, position, d);
        }),
      );
      return;
    }
    const point = { latitude: 0, longitude: 0 };
    for (const cell of cells!)
      for (let i = 0; i < cell.size; i++) {
        const slot = cell.slots[i]!;
        if (!hasBit(words, slot)) continue;
        point.latitude = cell.latitudes[i]!;
        point.longitude = cell.longitudes[i]!;
        const d = within(point, area);
        if (d !== null) visit(slot, cell.positions[i]!, d);
      }
  }

  /**
   * Matching services, one page of them, and how many match. Ordered by (name, id); with `near`, only
   * services with a location in the radius, by distance to their nearest location, then id.
   */
  searchServices(search: ServiceSearch, offset: number, limit: number): { hits: ServiceHit[]; total: number } {
    const words = this.matching(search, search.publishedOnly ?? true);
    if (!words) return { hits: [], total: 0 };
    if (search.near) {
      const nearest = new Map<number, number>();
      this.near(words, searchArea(search.near), (slot, _position, d) => {
        const known = nearest.get(slot);
        if (known === undefined || d < known) nearest.set(slot, d);
      });
      const top = new NearestFirst<{ d: number; id: string }>(offset + limit);
      for (const [slot, d] of nearest) if (top.mayAdmit(d)) top.offer({ d, id: this.entries[slot]!.id });
      const page = top.sorted().slice(offset);
      return { hits: page.map(({ id, d }) => ({ id, distanceKm: d })), total: nearest.size };
    }
    const total = countBits(words);
    const page = pageInOrder(words, total, this.serviceOrder, offset, limit);
    return { hits: page.map((slot) => ({ id: this.entries[slot]!.id })), total };
  }

  /**
   * Published service-at-location pairs: ordered by (service name, service id, location key); with
   * `near`, each location within the radius on its own, by distance, then location id.
   */
  searchLocations(
    search: Omit<ServiceSearch, 'publishedOnly'>,
    offset: number,
    limit: number,
  ): { hits: LocationHit[]; total: number } {
    const words = this.matching(search, true);
    if (!words) return { hits: [], total: 0 };
    if (search.near) {
      const top = new NearestFirst<{ d: number; id: string; serviceId: string }>(offset + limit);
      let total = 0;
      this.near(words, searchArea(search.near), (slot, position, d) => {
        total++;
        if (!top.mayAdmit(d)) return;
        const e = this.entries[slot]!;
        top.offer({ d, id: e.locations[position]!.id, serviceId: e.id });
      });
      const page = top.sorted().slice(offset);
      return { hits: page.map(({ id, serviceId, d }) => ({ serviceId, locationId: id, distanceKm: d })), total };
    }
    // A service with n locations is in the first n sets: summing the counts of each set counts pairs.
    let total = 0;
    for (const set of this.locationsAtLeast) total += countBitsOfBoth(words, set.words);
    const hits: LocationHit[] = [];
    let seen = 0;
    for (const slot of this.serviceOrder.slots) {
      if (hits.length === limit || seen >= total) break;
      if (!hasBit(words, slot)) continue;
      const e = this.entries[slot]!;
      if (seen + e.locations.length <= offset) {
        seen += e.locations.length;
        continue;
      }
      for (const location of e.locations)
        if (seen++ >= offset && hits.length < limit) hits.push({ serviceId: e.id, locationId: location.id });
    }
    return { hits, total };
  }

  /** Organisations by (name, id), one page of their ids, and how many match. */
  searchOrganisations(search: OrganisationSearch, offset: number, limit: number): { ids: string[]; total: number } {
    const words = intersect(
      [(search.publishedOnly ?? true) ? this.organisationsApproved : this.organisationsPresent],
      Math.ceil(this.organisations.length / 32),
    );
    const drop = (slot: number) => void (words[slot >>> 5]! &= ~(1 << (slot & 31)));
    if (search.category) {
      const code = this.vocabulary.filter(search.category);
      const offering = new Uint32Array(words.length);
      const set = code === UNKNOWN ? undefined : this.byCategory.get(code);
      // Organisations offering an active service of the category, published or not (as the SQL).
      if (set)
        forEachBit(intersect([set, this.active], this.words), (slot) => {
          const o = this.organisationOfSlot[slot]!;
          offering[o >>> 5]! |= 1 << (o & 31);
        });
      for (let w = 0; w < words.length; w++) words[w]! &= offering[w]!;
    }
    if (search.modifiedAfter) {
      const after = search.modifiedAfter;
      forEachBit(words, (slot) => {
        if (!(this.organisations[slot]!.updatedAt > after)) drop(slot);
      });
    }
    if (search.text) {
      const holding = new Uint32Array(words.length);
      for (const o of this.organisationsHolding(search.text.toLowerCase()))
        if (hasBit(words, o.slot)) holding[o.slot >>> 5]! |= 1 << (o.slot & 31);
      words.set(holding);
    }
    const total = countBits(words);
    const page = pageInOrder(words, total, this.organisationOrder, offset, limit);
    return { ids: page.map((slot) => this.organisations[slot]!.id), total };
  }
}
