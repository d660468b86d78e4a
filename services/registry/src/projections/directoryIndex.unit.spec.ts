import { describe, expect, it } from 'vitest';
import { DirectoryIndex, type IndexedOrganisation, type IndexedService } from './directoryIndex.js';
import type { ServiceSearch } from './directoryQueries.js';

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
const NAMES = ['Legal aid', 'legal aid', 'Shelter', 'Food bank'];

const organisation = (id: string): IndexedOrganisation => ({ id, nameLower: id, approved: rnd() < 0.8 });
const service = (id: string): IndexedService => ({
  id,
  organisationId: pick(ORGS),
  name: pick(NAMES),
  nameLower: 'x',
  descriptionLower: pick(['desk', 'cafe']),
  active: rnd() < 0.85,
  intakeOpen: rnd() < 0.6,
  updatedAt: '2026-01-01T00:00:00Z',
  categories: some(CATEGORIES),
  languages: some(LANGUAGES),
  legalStatuses: some(STATUSES),
  areas: some(AREAS),
  locations: Array.from({ length: Math.floor(rnd() * 3) }, (_, l) => ({
    id: `loc-${l}`,
    key: `k${l}`,
    latitude: 37.9 + rnd() * 1.2,
    longitude: 23.5 + rnd() * 1.2,
  })),
});

const searches: ServiceSearch[] = [
  {},
  { publishedOnly: false },
  { category: 'legal' },
  { category: 'legal', language: 'ar', intakeOpen: true },
  { legalStatus: 'refugee', region: 'EL52' },
  { organisationId: 'org-3', publishedOnly: false },
  { language: 'zz' },
  { text: 'desk' },
  { near: { latitude: 38.3, longitude: 23.9, radiusKm: 15 } },
  { near: { latitude: 38.3, longitude: 23.9, radiusKm: 15 }, category: 'health' },
  { near: { latitude: 38.0, longitude: 24.0, radiusKm: 400 } },
];

const answers = (index: DirectoryIndex) =>
  searches.map((search) => ({
    services: index.searchServices(search, 3, 10),
    locations: index.searchLocations(search, 2, 10),
  }));

describe('the directory index kept up to date service by service', () => {
  it('answers as an index built at once from the same services', () => {
    const live = new DirectoryIndex();
    const organisations = new Map(ORGS.map((id) => [id, organisation(id)]));
    const services = new Map<string, IndexedService>();
    live.replaceAll(organisations.values(), []);
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
      } else {
        const o = organisation(pick(ORGS));
        organisations.set(o.id, o);
        live.putOrganisation(o);
      }
      if (step % 500 === 499) {
        const rebuilt = new DirectoryIndex();
        rebuilt.replaceAll(organisations.values(), services.values());
        expect(answers(live), `after step ${step}`).toEqual(answers(rebuilt));
        expect(live.size).toBe(services.size);
      }
    }
    // The searches found something, so the comparison compared something.
    const found = answers(live).filter((a) => a.services.total > 0).length;
    expect(found).toBeGreaterThan(8);
  });
});
