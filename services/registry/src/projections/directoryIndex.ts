import { boundingBox, distanceKm, type Coordinates } from '../domain/shared/geo.js';
import type { ServiceSearch } from './directoryQueries.js';

/**
 * The directory's search index, in memory: 100,000 services with their filterable attributes take a few
 * tens of MB. A search walks the shortest list that can hold its matches (the services of one category,
 * language, legal status, area or organisation, or those with a location in the grid cells a distance
 * search covers) and tests every filter on that list only; with no such filter it walks all services.
 * Totals are exact. It holds only what filters and ordering need; the records a page shows are still
 * read from the read model (loadServiceRecords). Semantics are the SQL formulation's
 * (directorySqlSearch.ts), which the tests compare it against.
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
  nameLower: string;
  approved: boolean;
}

/** One per organisation id, shared by its services and updated in place, so a filter reads it directly. */
interface OrganisationSlot {
  present: boolean;
  nameLower: string;
  approved: boolean;
}

/**
 * A service as the index holds it, with its organisation's slot. A class with every field assigned in
 * the constructor, so all share one hidden class: entries built by object spread scanned 20-30× slower
 * (measured with the bench's 20,000 services), and the scan is the whole cost of a search.
 */
class Entry {
  readonly id: string;
  readonly organisationId: string;
  readonly name: string;
  readonly nameLower: string;
  readonly descriptionLower: string;
  readonly active: boolean;
  readonly intakeOpen: boolean;
  readonly updatedAt: string;
  /** Vocabulary codes (small integers compare faster than strings read from the database). */
  readonly categories: number[];
  readonly languages: number[];
  readonly legalStatuses: number[];
  readonly areas: number[];
  readonly locations: IndexedLocation[];
  constructor(
    s: IndexedService,
    readonly organisation: OrganisationSlot,
    vocabulary: Vocabulary,
  ) {
    this.id = s.id;
    this.organisationId = s.organisationId;
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

/** A search compiled to one fixed shape, so the per-service test stays monomorphic across requests. */
interface Filter {
  published: boolean;
  intakeOpen: boolean;
  organisationId: string | null;
  category: number;
  language: number;
  legalStatus: number;
  region: number;
  modifiedAfter: string | null;
  needle: string | null;
}

interface SearchArea {
  centre: Coordinates;
  radiusKm: number;
  minLat: number;
  maxLat: number;
  minLon: number;
  maxLon: number;
}

const searchArea = (near: NonNullable<ServiceSearch['near']>): SearchArea => ({
  centre: { latitude: near.latitude, longitude: near.longitude },
  radiusKm: near.radiusKm,
  ...boundingBox(near, near.radiusKm),
});

/** The distance to a location within the radius, else null: the SQL's box test, then haversine. */
function within(location: IndexedLocation, area: SearchArea): number | null {
  if (location.latitude < area.minLat || location.latitude > area.maxLat) return null;
  if (location.longitude < area.minLon || location.longitude > area.maxLon) return null;
  const d = distanceKm(area.centre, location);
  return d > area.radiusKm ? null : d;
}

const has = (codes: number[], code: number): boolean => code === NO_FILTER || codes.includes(code);

function matches(s: Entry, f: Filter): boolean {
  const o = s.organisation;
  // Like the SQL join: a service whose organisation is not in the read model is never listed.
  if (!o.present) return false;
  if (f.published && !(s.active && o.approved)) return false;
  if (f.intakeOpen && !s.intakeOpen) return false;
  if (f.organisationId !== null && s.organisationId !== f.organisationId) return false;
  if (!has(s.categories, f.category) || !has(s.languages, f.language)) return false;
  if (!has(s.legalStatuses, f.legalStatus) || !has(s.areas, f.region)) return false;
  if (f.modifiedAfter !== null && !(s.updatedAt > f.modifiedAfter)) return false;
  if (f.needle === null) return true;
  return s.nameLower.includes(f.needle) || s.descriptionLower.includes(f.needle) || o.nameLower.includes(f.needle);
}

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
const byDistanceThenId = (a: { d: number; id: string }, b: { d: number; id: string }): number =>
  a.d - b.d || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** Entries ordered by (name, id), kept so by binary search: a pass over one yields the default order. */
class OrderedList {
  items: Entry[] = [];
  private lowerBound(entry: Entry): number {
    let lo = 0;
    let hi = this.items.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (byNameThenId(this.items[mid]!, entry) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
  insert(entry: Entry): void {
    this.items.splice(this.lowerBound(entry), 0, entry);
  }
  remove(entry: Entry): void {
    const at = this.lowerBound(entry);
    if (this.items[at] === entry) this.items.splice(at, 1);
  }
}

/** Lists of the services having each value of one attribute (an entry is in the list of each of its values). */
class Postings<K> {
  private readonly lists = new Map<K, OrderedList>();
  constructor(private readonly valuesOf: (entry: Entry) => readonly K[]) {}
  clear(): void {
    this.lists.clear();
  }
  /** Appends in the caller's order: for a rebuild that passes entries already ordered. */
  append(entry: Entry): void {
    for (const value of this.valuesOf(entry)) this.list(value).items.push(entry);
  }
  insert(entry: Entry): void {
    for (const value of this.valuesOf(entry)) this.list(value).insert(entry);
  }
  remove(entry: Entry): void {
    for (const value of this.valuesOf(entry)) this.lists.get(value)?.remove(entry);
  }
  get(value: K): readonly Entry[] {
    return this.lists.get(value)?.items ?? [];
  }
  private list(value: K): OrderedList {
    let list = this.lists.get(value);
    if (!list) {
      list = new OrderedList();
      this.lists.set(value, list);
    }
    return list;
  }
}

/** Grid cells of a quarter degree: a distance search visits only the cells its bounding box covers. */
const CELL_DEGREES = 0.25;
const cellOf = (latitude: number, longitude: number): number =>
  Math.floor((latitude + 90) / CELL_DEGREES) * 2_000 + Math.floor((longitude + 180) / CELL_DEGREES);
/** Beyond this many cells (a radius of hundreds of km) a pass over the candidates is as cheap. */
const MAX_CELLS = 1_600;

class Grid {
  private readonly cells = new Map<number, Set<Entry>>();
  clear(): void {
    this.cells.clear();
  }
  private cellsOf(entry: Entry): Set<number> {
    return new Set(entry.locations.map((l) => cellOf(l.latitude, l.longitude)));
  }
  insert(entry: Entry): void {
    for (const cell of this.cellsOf(entry)) {
      let members = this.cells.get(cell);
      if (!members) {
        members = new Set();
        this.cells.set(cell, members);
      }
      members.add(entry);
    }
  }
  remove(entry: Entry): void {
    for (const cell of this.cellsOf(entry)) {
      const members = this.cells.get(cell);
      members?.delete(entry);
      if (members?.size === 0) this.cells.delete(cell);
    }
  }
  /** The services with a location in the box's cells, or null when the box covers too many cells. */
  within(area: SearchArea): Entry[] | null {
    const rows = Math.floor((area.maxLat + 90) / CELL_DEGREES) - Math.floor((area.minLat + 90) / CELL_DEGREES) + 1;
    const columns = Math.floor((area.maxLon + 180) / CELL_DEGREES) - Math.floor((area.minLon + 180) / CELL_DEGREES) + 1;
    if (rows * columns > MAX_CELLS) return null;
    const found = new Set<Entry>();
    const firstRow = Math.floor((area.minLat + 90) / CELL_DEGREES);
    const firstColumn = Math.floor((area.minLon + 180) / CELL_DEGREES);
    for (let r = firstRow; r < firstRow + rows; r++)
      for (let c = firstColumn; c < firstColumn + columns; c++)
        for (const entry of this.cells.get(r * 2_000 + c) ?? []) found.add(entry);
    // In (name, id) order like every other list, so ties in distance keep the order they always had.
    return [...found].sort(byNameThenId);
  }
}

export class DirectoryIndex {
  private readonly services = new Map<string, Entry>();
  private readonly organisations = new Map<string, OrganisationSlot>();
  /** Every service, ordered by (name, id): a filtered pass yields the default order without sorting. */
  private readonly ordered = new OrderedList();
  private readonly vocabulary = new Vocabulary();
  private readonly byCategory = new Postings<number>((e) => e.categories);
  private readonly byLanguage = new Postings<number>((e) => e.languages);
  private readonly byLegalStatus = new Postings<number>((e) => e.legalStatuses);
  private readonly byArea = new Postings<number>((e) => e.areas);
  private readonly byOrganisation = new Postings<string>((e) => [e.organisationId]);
  private readonly postings = [this.byCategory, this.byLanguage, this.byLegalStatus, this.byArea, this.byOrganisation];
  private readonly grid = new Grid();

  get size(): number {
    return this.services.size;
  }

  /** Replaces the whole content (start, or after a rebuild of the read model). */
  replaceAll(organisations: Iterable<IndexedOrganisation>, services: Iterable<IndexedService>): void {
    this.organisations.clear();
    this.services.clear();
    for (const p of this.postings) p.clear();
    this.grid.clear();
    for (const o of organisations) this.putOrganisation(o);
    for (const s of services) this.services.set(s.id, this.entry(s));
    this.ordered.items = [...this.services.values()].sort(byNameThenId);
    for (const entry of this.ordered.items) {
      for (const p of this.postings) p.append(entry);
      this.grid.insert(entry);
    }
  }

  private slot(id: string): OrganisationSlot {
    let slot = this.organisations.get(id);
    if (!slot) {
      slot = { present: false, nameLower: '', approved: false };
      this.organisations.set(id, slot);
    }
    return slot;
  }

  private entry(service: IndexedService): Entry {
    return new Entry(service, this.slot(service.organisationId), this.vocabulary);
  }

  putOrganisation(organisation: IndexedOrganisation): void {
    const slot = this.slot(organisation.id);
    slot.present = true;
    slot.nameLower = organisation.nameLower;
    slot.approved = organisation.approved;
  }

  removeOrganisation(id: string): void {
    const slot = this.organisations.get(id);
    if (slot) slot.present = false;
  }

  putService(service: IndexedService): void {
    this.removeService(service.id);
    const entry = this.entry(service);
    this.ordered.insert(entry);
    for (const p of this.postings) p.insert(entry);
    this.grid.insert(entry);
    this.services.set(entry.id, entry);
  }

  removeService(id: string): void {
    const old = this.services.get(id);
    if (!old) return;
    this.ordered.remove(old);
    for (const p of this.postings) p.remove(old);
    this.grid.remove(old);
    this.services.delete(id);
  }

  /**
   * The shortest list holding every service the filter can match, in (name, id) order: the services of
   * its category, language, legal status, area or organisation, or all of them.
   */
  private candidates(filter: Filter): readonly Entry[] {
    let shortest: readonly Entry[] = this.ordered.items;
    const consider = (list: readonly Entry[]) => {
      if (list.length < shortest.length) shortest = list;
    };
    for (const [postings, code] of [
      [this.byCategory, filter.category],
      [this.byLanguage, filter.language],
      [this.byLegalStatus, filter.legalStatus],
      [this.byArea, filter.region],
    ] as const) {
      if (code === UNKNOWN) return [];
      if (code !== NO_FILTER) consider(postings.get(code));
    }
    if (filter.organisationId !== null) consider(this.byOrganisation.get(filter.organisationId));
    return shortest;
  }

  /** For a distance search: the grid's services in the box, unless a filter's list is shorter. */
  private nearCandidates(filter: Filter, area: SearchArea): readonly Entry[] {
    const listed = this.candidates(filter);
    const inBox = this.grid.within(area);
    return inBox !== null && inBox.length < listed.length ? inBox : listed;
  }

  private filter(search: ServiceSearch): Filter {
    return {
      published: search.publishedOnly ?? true,
      intakeOpen: search.intakeOpen === true,
      organisationId: search.organisationId || null,
      category: this.vocabulary.filter(search.category),
      language: this.vocabulary.filter(search.language),
      legalStatus: this.vocabulary.filter(search.legalStatus),
      region: this.vocabulary.filter(search.region),
      modifiedAfter: search.modifiedAfter || null,
      needle: search.text ? search.text.toLowerCase() : null,
    };
  }

  /**
   * Matching services, one page of them, and how many match. Ordered by (name, id); with `near`, only
   * services with a location in the radius, by distance to their nearest location, then id.
   */
  searchServices(search: ServiceSearch, offset: number, limit: number): { hits: ServiceHit[]; total: number } {
    const filter = this.filter(search);
    if (search.near) {
      const area = searchArea(search.near);
      const found: { id: string; d: number }[] = [];
      for (const s of this.nearCandidates(filter, area)) {
        let nearest = Number.POSITIVE_INFINITY;
        for (const location of s.locations) {
          const d = within(location, area);
          if (d !== null && d < nearest) nearest = d;
        }
        if (nearest !== Number.POSITIVE_INFINITY && matches(s, filter)) found.push({ id: s.id, d: nearest });
      }
      found.sort(byDistanceThenId);
      return {
        hits: found.slice(offset, offset + limit).map(({ id, d }) => ({ id, distanceKm: d })),
        total: found.length,
      };
    }
    const hits: ServiceHit[] = [];
    let total = 0;
    for (const s of this.candidates(filter)) {
      if (!matches(s, filter)) continue;
      if (total >= offset && hits.length < limit) hits.push({ id: s.id });
      total++;
    }
    return { hits, total };
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
    const filter = this.filter({ ...search, publishedOnly: true });
    if (search.near) {
      const area = searchArea(search.near);
      const found: { id: string; serviceId: string; d: number }[] = [];
      for (const s of this.nearCandidates(filter, area)) {
        let checked: boolean | undefined;
        for (const location of s.locations) {
          const d = within(location, area);
          if (d === null || !(checked ??= matches(s, filter))) continue;
          found.push({ id: location.id, serviceId: s.id, d });
        }
      }
      found.sort(byDistanceThenId);
      return {
        hits: found
          .slice(offset, offset + limit)
          .map(({ id, serviceId, d }) => ({ serviceId, locationId: id, distanceKm: d })),
        total: found.length,
      };
    }
    const hits: LocationHit[] = [];
    let total = 0;
    for (const s of this.candidates(filter)) {
      if (s.locations.length === 0 || !matches(s, filter)) continue;
      for (const location of s.locations) {
        if (total >= offset && hits.length < limit) hits.push({ serviceId: s.id, locationId: location.id });
        total++;
      }
    }
    return { hits, total };
  }
}
