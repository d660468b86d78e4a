import { describe, expect, it } from 'vitest';
import { boundingBox, distanceKm } from '../domain/shared/geo.js';
import { DirectoryIndex, type IndexedOrganisation, type IndexedService } from './directoryIndex.js';
import type { OrganisationSearch, ServiceSearch } from './directoryQueries.js';

// Deterministic: a failure replays.
let seed = 7;
const rnd = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
const some = <T>(xs: readonly T[]): T[] => [...new Set([pick(xs), pick(xs)])];

const CATEGORIES = ['legal', 'legal.asylum', 'housing', 'health'];
const LANGUAGES = ['el', 'en', 'ar', 'fa'];
const STATUSES = ['refugee', 'asylum_seeker'];
const AREAS = ['EL30', 'EL52'];
const ORGS = Array.from({ length: 8 }, (_, i) => `org-${i}`);
const NAMES = ['Legal aid', 'legal aid', 'Shelter', 'Food bank', 'Λέσχη ανάγνωσης'];
const ORG_NAMES = ['Athens Aid', 'athens aid', 'Hellenic Shelter Network', 'Ζωή'];
const DAYS = ['2026-01-01T00:00:00Z', '2026-02-01T00:00:00Z', '2026-03-01T00:00:00Z'];

const organisation = (id: string): IndexedOrganisation => {
  const name = pick(ORG_NAMES);
  return { id, name, nameLower: name.toLowerCase(), approved: rnd() < 0.8, updatedAt: pick(DAYS) };
};
const service = (id: string): IndexedService => {
  const name = pick(NAMES);
  return {
    id,
    organisationId: pick(ORGS),
    name,
    nameLower: name.toLowerCase(),
    descriptionLower: pick(['desk in the centre', 'cafe', 'ιατρείο']),
    active: rnd() < 0.85,
    intakeOpen: rnd() < 0.6,
    updatedAt: pick(DAYS),
    categories: some(CATEGORIES),
    languages: some(LANGUAGES),
    legalStatuses: some(STATUSES),
    areas: some(AREAS),
    locations: Array.from({ length: Math.floor(rnd() * 3) }, (_, l) => ({
      id: `loc-${id}-${l}`,
      key: `k${l}`,
      latitude: 37.9 + rnd() * 1.2,
      longitude: 23.5 + rnd() * 1.2,
    })),
  };
};

const searches: ServiceSearch[] = [
  {},
  { publishedOnly: false },
  { category: 'legal' },
  { category: 'legal', language: 'ar', intakeOpen: true },
  { legalStatus: 'refugee', region: 'EL52' },
  { organisationId: 'org-3', publishedOnly: false },
  { organisationId: 'org-99' },
  { language: 'zz' },
  { text: 'desk' },
  { text: 'DESK IN' },
  { text: 'aid' },
  { text: 'athens', category: 'housing' },
  { text: 'ζωή' },
  { text: 'ια' },
  { text: 'e' },
  { text: 'no such text' },
  { modifiedAfter: '2026-01-15T00:00:00Z', language: 'el' },
  { near: { latitude: 38.3, longitude: 23.9, radiusKm: 15 } },
  { near: { latitude: 38.3, longitude: 23.9, radiusKm: 15 }, category: 'health' },
  { near: { latitude: 38.5, longitude: 24.1, radiusKm: 40 }, text: 'aid' },
  { near: { latitude: 38.0, longitude: 24.0, radiusKm: 400 } },
];
const organisationSearches: OrganisationSearch[] = [
  {},
  { publishedOnly: false },
  { category: 'housing' },
  { category: 'legal.asylum', text: 'aid' },
  { text: 'athens' },
  { text: 'ζω', publishedOnly: false },
  { modifiedAfter: '2026-01-15T00:00:00Z' },
  { category: 'no_such_term' },
];

const answers = (index: DirectoryIndex) =>
  [3, 0].flatMap((offset) => [
    ...searches.map((search) => ({
      search,
      services: index.searchServices(search, offset, 10),
      locations: index.searchLocations(search, offset, 10),
    })),
    ...organisationSearches.map((search) => ({ search, organisations: index.searchOrganisations(search, offset, 4) })),
  ]);

/** What each search must answer, by testing every service: the semantics, written plainly. */
function expected(organisations: Map<string, IndexedOrganisation>, services: Map<string, IndexedService>) {
  const byName = (a: { name: string; id: string }, b: { name: string; id: string }) =>
    a.name < b.name ? -1 : a.name > b.name ? 1 : a.id < b.id ? -1 : 1;
  const byDistance = (a: { d: number; id: string }, b: { d: number; id: string }) =>
    a.d - b.d || (a.id < b.id ? -1 : 1);
  const admitted = (search: ServiceSearch, publishedOnly: boolean) =>
    [...services.values()].filter((s) => {
      const o = organisations.get(s.organisationId);
      if (!o || (publishedOnly && !(s.active && o.approved))) return false;
      const needle = search.text?.toLowerCase();
      return (
        (!search.intakeOpen || s.intakeOpen) &&
        (!search.organisationId || s.organisationId === search.organisationId) &&
        (!search.category || s.categories.includes(search.category)) &&
        (!search.language || s.languages.includes(search.language)) &&
        (!search.legalStatus || s.legalStatuses.includes(search.legalStatus)) &&
        (!search.region || s.areas.includes(search.region)) &&
        (!search.modifiedAfter || s.updatedAt > search.modifiedAfter) &&
        (!needle || [s.nameLower, s.descriptionLower, o.nameLower].some((t) => t.includes(needle)))
      );
    });
  const distances = (s: IndexedService, near: NonNullable<ServiceSearch['near']>) => {
    const box = boundingBox(near, near.radiusKm);
    return s.locations
      .filter((l) => l.latitude >= box.minLat && l.latitude <= box.maxLat)
      .filter((l) => l.longitude >= box.minLon && l.longitude <= box.maxLon)
      .map((l) => ({ id: l.id, serviceId: s.id, d: distanceKm(near, l) }))
      .filter((l) => l.d <= near.radiusKm);
  };
  return [3, 0].flatMap((offset) => {
    const page = <T>(xs: T[], limit = 10) => xs.slice(offset, offset + limit);
    const servicesOf = (search: ServiceSearch) => {
      const found = admitted(search, search.publishedOnly ?? true);
      if (!search.near) {
        const ordered = found.sort(byName);
        return { hits: page(ordered).map((s) => ({ id: s.id })), total: ordered.length };
      }
      const near = search.near;
      const ordered = found
        .map((s) => ({ id: s.id, d: Math.min(...distances(s, near).map((l) => l.d)) }))
        .filter((s) => s.d !== Infinity)
        .sort(byDistance);
      return { hits: page(ordered).map(({ id, d }) => ({ id, distanceKm: d })), total: ordered.length };
    };
    const locationsOf = (search: ServiceSearch) => {
      const found = admitted(search, true);
      if (!search.near) {
        const pairs = found
          .sort(byName)
          .flatMap((s) => s.locations.map((l) => ({ serviceId: s.id, locationId: l.id })));
        return { hits: page(pairs), total: pairs.length };
      }
      const near = search.near;
      const ordered = found.flatMap((s) => distances(s, near)).sort(byDistance);
      return {
        hits: page(ordered).map(({ id, serviceId, d }) => ({ serviceId, locationId: id, distanceKm: d })),
        total: ordered.length,
      };
    };
    const organisationsOf = (search: OrganisationSearch) => {
      const offering = new Set(
        [...services.values()]
          .filter((s) => s.active && s.categories.includes(search.category ?? ''))
          .map((s) => s.organisationId),
      );
      const found = [...organisations.values()]
        .filter((o) => !(search.publishedOnly ?? true) || o.approved)
        .filter((o) => !search.category || offering.has(o.id))
        .filter((o) => !search.text || o.nameLower.includes(search.text.toLowerCase()))
        .filter((o) => !search.modifiedAfter || o.updatedAt > search.modifiedAfter)
        .sort(byName);
      return { ids: page(found, 4).map((o) => o.id), total: found.length };
    };
    return [
      ...searches.map((search) => ({ search, services: servicesOf(search), locations: locationsOf(search) })),
      ...organisationSearches.map((search) => ({ search, organisations: organisationsOf(search) })),
    ];
  });
}

describe('the directory index', () => {
  it('kept up to date change by change answers as one built at once, and as testing every service', () => {
    const organisations = new Map(ORGS.map((id) => [id, organisation(id)]));
    const services = new Map<string, IndexedService>();
    const live = DirectoryIndex.of(organisations.values(), []);
    for (let step = 0; step < 3_000; step++) {
      const roll = rnd();
      if (roll < 0.6) {
        const s = service(`svc-${Math.floor(rnd() * 400)}`);
        services.set(s.id, s);
        live.putService(s);
      } else if (roll < 0.9) {
        const id = `svc-${Math.floor(rnd() * 400)}`;
        services.delete(id);
        live.removeService(id);
      } else if (roll < 0.97) {
        const o = organisation(pick(ORGS));
        organisations.set(o.id, o);
        live.putOrganisation(o);
      } else {
        const id = pick(ORGS);
        organisations.delete(id);
        live.removeOrganisation(id);
      }
      if (step % 500 === 499) {
        const rebuilt = DirectoryIndex.of(organisations.values(), services.values());
        expect(answers(live), `after step ${step}`).toEqual(answers(rebuilt));
        expect(answers(live), `after step ${step}`).toEqual(expected(organisations, services));
        expect(live.size).toBe(services.size);
      }
    }
    // The searches found something, so the comparison compared something.
    const found = answers(live).filter((a) => ('services' in a ? a.services : a.organisations).total > 0).length;
    expect(found).toBeGreaterThan(40);
  });

  it('finds a text across the grid, the trigram postings and short needles alike', () => {
    const organisations = new Map(ORGS.map((id) => [id, organisation(id)]));
    const services = new Map(Array.from({ length: 300 }, (_, i) => service(`svc-${i}`)).map((s) => [s.id, s]));
    const index = DirectoryIndex.of(organisations.values(), services.values());
    const totals = searches.map((s) => index.searchServices(s, 0, 10).total);
    const reference = expected(organisations, services).slice(-searches.length - organisationSearches.length);
    expect(totals).toEqual(reference.flatMap((r) => ('services' in r ? [r.services.total] : [])));
    // Every text search of the list matched at least once, except the one that must not.
    const texts = searches.map((s, i) => ({ text: s.text, total: totals[i]! })).filter((s) => s.text);
    expect(texts.filter((s) => s.total === 0).map((s) => s.text)).toEqual(['no such text']);
  });
});
