import { boundingBox, distanceKm } from '../domain/shared/geo.js';
import type { ServiceSearch } from './directoryQueries.js';

/**
 * The directory's search index, in memory: 20,000 services with their filterable attributes take a few
 * MB, and a linear pass over them answers any filter combination, with an exact total, in about a
 * millisecond, where SQL had to count and sort every match per request. It holds only what filters and
 * ordering need; the records a page shows are still read from the read model (loadServiceRecords).
 * Semantics are the SQL formulation's (directorySqlSearch.ts), which the tests compare it against.
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

/** A service as the index holds it: with its organisation's slot. */
interface Entry extends IndexedService {
  organisation: OrganisationSlot;
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

type Predicate = (s: Entry) => boolean;

export class DirectoryIndex {
  private readonly services = new Map<string, Entry>();
  private readonly organisations = new Map<string, OrganisationSlot>();
  /** Every service, ordered by (name, id): a filtered pass yields the default order without sorting. */
  private ordered: Entry[] = [];

  get size(): number {
    return this.services.size;
  }

  /** Replaces the whole content (start, or after a rebuild of the read model). */
  replaceAll(organisations: Iterable<IndexedOrganisation>, services: Iterable<IndexedService>): void {
    this.organisations.clear();
    this.services.clear();
    for (const o of organisations) this.putOrganisation(o);
    for (const s of services) this.services.set(s.id, this.entry(s));
    this.ordered = [...this.services.values()].sort(byNameThenId);
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
    return { ...service, organisation: this.slot(service.organisationId) };
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
    this.ordered.splice(this.lowerBound(entry), 0, entry);
    this.services.set(entry.id, entry);
  }

  removeService(id: string): void {
    const old = this.services.get(id);
    if (!old) return;
    this.ordered.splice(this.lowerBound(old), 1);
    this.services.delete(id);
  }

  private lowerBound(service: Entry): number {
    let lo = 0;
    let hi = this.ordered.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (byNameThenId(this.ordered[mid]!, service) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /**
   * The filter as one function with the tests inline: it runs once per service per request, so it
   * avoids closures per criterion and reads the organisation through the entry, not a map.
   */
  private predicate(search: ServiceSearch): Predicate {
    const published = search.publishedOnly ?? true;
    const category = search.category || undefined;
    const language = search.language || undefined;
    const legalStatus = search.legalStatus || undefined;
    const region = search.region || undefined;
    const organisationId = search.organisationId || undefined;
    const intakeOpen = search.intakeOpen === true;
    const needle = search.text ? search.text.toLowerCase() : undefined;
    const modifiedAfter = search.modifiedAfter || undefined;
    return (s) => {
      const o = s.organisation;
      // Like the SQL join: a service whose organisation is not in the read model is never listed.
      if (!o.present) return false;
      if (published && !(s.active && o.approved)) return false;
      if (intakeOpen && !s.intakeOpen) return false;
      if (organisationId !== undefined && s.organisationId !== organisationId) return false;
      if (category !== undefined && !s.categories.includes(category)) return false;
      if (language !== undefined && !s.languages.includes(language)) return false;
      if (legalStatus !== undefined && !s.legalStatuses.includes(legalStatus)) return false;
      if (region !== undefined && !s.areas.includes(region)) return false;
      if (modifiedAfter !== undefined && !(s.updatedAt > modifiedAfter)) return false;
      if (
        needle !== undefined &&
        !(s.nameLower.includes(needle) || s.descriptionLower.includes(needle) || o.nameLower.includes(needle))
      )
        return false;
      return true;
    };
  }

  /** Locations of `s` within the radius (the same box-then-haversine test as the SQL), with distances. */
  private static within(near: NonNullable<ServiceSearch['near']>) {
    const box = boundingBox(near, near.radiusKm);
    return (location: IndexedLocation): number | null => {
      if (location.latitude < box.minLat || location.latitude > box.maxLat) return null;
      if (location.longitude < box.minLon || location.longitude > box.maxLon) return null;
      const d = distanceKm(near, location);
      return d > near.radiusKm ? null : d;
    };
  }

  /**
   * Matching services, one page of them, and how many match. Ordered by (name, id); with `near`, only
   * services with a location in the radius, by distance to their nearest location, then id.
   */
  searchServices(search: ServiceSearch, offset: number, limit: number): { hits: ServiceHit[]; total: number } {
    const matches = this.predicate(search);
    if (search.near) {
      const within = DirectoryIndex.within(search.near);
      const found: { id: string; d: number }[] = [];
      for (const s of this.ordered) {
        let nearest = Number.POSITIVE_INFINITY;
        for (const location of s.locations) {
          const d = within(location);
          if (d !== null && d < nearest) nearest = d;
        }
        if (nearest !== Number.POSITIVE_INFINITY && matches(s)) found.push({ id: s.id, d: nearest });
      }
      found.sort(byDistanceThenId);
      return {
        hits: found.slice(offset, offset + limit).map(({ id, d }) => ({ id, distanceKm: d })),
        total: found.length,
      };
    }
    const hits: ServiceHit[] = [];
    let total = 0;
    for (const s of this.ordered) {
      if (!matches(s)) continue;
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
    const matches = this.predicate({ ...search, publishedOnly: true });
    if (search.near) {
      const within = DirectoryIndex.within(search.near);
      const found: { id: string; serviceId: string; d: number }[] = [];
      for (const s of this.ordered) {
        let checked: boolean | undefined;
        for (const location of s.locations) {
          const d = within(location);
          if (d === null || !(checked ??= matches(s))) continue;
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
    for (const s of this.ordered) {
      if (s.locations.length === 0 || !matches(s)) continue;
      for (const location of s.locations) {
        if (total >= offset && hits.length < limit) hits.push({ serviceId: s.id, locationId: location.id });
        total++;
      }
    }
    return { hits, total };
  }
}
