/**
 * `pnpm bench:registry` — directory search at network scale: 5,000 organisations and 20,000 services
 * written as events into a SQLite store, projected by the real directory projection (catch-up), then
 * a realistic query mix over the real query code (searchServices, listOrganisations,
 * listServiceAtLocations) and once more over HTTP (the real /hsds routes via app.inject).
 * Prints p50/p95/p99 per query kind and writes bench/results/registry.json (repository root).
 * Target: p95 ≤ 20 ms per kind. The events skip the deciders (fast path); their shape is the deciders'.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createSqliteEventStore } from '@estia/infra/eventStore/sqlite/sqliteEventStore.js';
import { createSqliteDatabase } from '@estia/infra/sql/sqliteDatabase.js';
import { createHttpApp } from '@estia/infra/http/createHttpApp.js';
import { createLogger } from '@estia/infra/http/logger.js';
import type { NewEvent } from '@estia/infra/eventStore/types.js';
import { organisationStreamId, type OrganisationProfile } from '../src/domain/organisation/organisation.js';
import { serviceStreamId } from '../src/domain/service/service.js';
import { LEGAL_STATUSES, type ServiceDetails } from '../src/domain/service/serviceDetails.js';
import { TAXONOMY } from '../src/domain/service/taxonomy.js';
import { DEMO_REGIONS } from '../src/demo/demoData.js';
import { catchUpRegistryReadModels } from '../src/projections/registryProjections.js';
import {
  listOrganisations,
  listServiceAtLocations,
  searchServices,
  type ServiceSearch,
} from '../src/projections/directoryQueries.js';
import { hsdsRoutes } from '../src/http/hsdsRoutes.js';

const ORGANISATIONS = Number(process.env.BENCH_ORGANISATIONS ?? 5000);
const SERVICES_PER_ORG = 4;
const ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? 300);
const KINDS = [
  'ngo',
  'municipality',
  'reception_centre',
  'social_partner',
  'public_employment_service',
  'employer',
] as const;
const LANGS = ['el', 'en', 'ar', 'fa', 'fr', 'uk', 'ps', 'ur', 'so', 'ti'];

let seed = 42;
const rnd = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
const jitter = (c: { latitude: number; longitude: number }) => ({
  latitude: c.latitude + (rnd() - 0.5) * 1.2,
  longitude: c.longitude + (rnd() - 0.5) * 1.2,
});
const uuid = (n: number, kind: number) =>
  `${kind.toString(16).padStart(8, '0')}-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..', '..');
// Seeding 25,000 events takes a while: the event log is cached under .tmp/ (gitignored), keyed by the
// generator's version and size, and the read model too, keyed by the projection's source, so a run
// re-projects only when the projection changed. BENCH_FRESH=1 discards both.
const GENERATOR_VERSION = 1;
const cacheDir = join(root, '.tmp', 'bench-registry', `v${GENERATOR_VERSION}-${ORGANISATIONS}`);
if (process.env.BENCH_FRESH === '1') rmSync(cacheDir, { recursive: true, force: true });
mkdirSync(cacheDir, { recursive: true });
const projectionHash = createHash('sha256')
  .update(
    ['directorySchema.ts', 'directoryProjection.ts', 'registryProjections.ts']
      .map((f) => readFileSync(join(here, '..', 'src', 'projections', f), 'utf8'))
      .join('\n'),
  )
  .digest('hex')
  .slice(0, 12);
const eventsPath = join(cacheDir, 'events.sqlite');
const eventsReady = join(cacheDir, 'events.complete');
const readName = `read-${projectionHash}.sqlite`;
const readReady = join(cacheDir, `${readName}.complete`);
if (!existsSync(eventsReady)) rmSync(eventsPath, { force: true });
for (const f of readdirSync(cacheDir))
  if (f.startsWith('read-') && !f.startsWith(readName)) rmSync(join(cacheDir, f), { force: true });
if (!existsSync(readReady))
  for (const suffix of ['', '-wal', '-shm']) rmSync(join(cacheDir, readName + suffix), { force: true });

const store = createSqliteEventStore({ path: eventsPath });
const db = await createSqliteDatabase({ path: join(cacheDir, readName) });
const now = '2026-01-01T00:00:00.000Z';
const meta = { actor: { userId: 'bench' } };

let seedMs: number | null = null;
let started = performance.now();
if (existsSync(eventsReady)) console.log(`reusing the seeded event log in ${cacheDir}`);
else {
  console.log(`seeding ${ORGANISATIONS} organisations × ${SERVICES_PER_ORG} services as events …`);
  await seedEvents();
  seedMs = performance.now() - started;
  writeFileSync(eventsReady, `${new Date().toISOString()}\n`);
  console.log(`appended in ${Math.round(seedMs)} ms`);
}
let projectMs: number | null = null;
if (existsSync(readReady)) console.log(`reusing the projected read model ${readName}`);
else {
  console.log('projecting the directory read model …');
  started = performance.now();
  await catchUpRegistryReadModels(store, db);
  projectMs = performance.now() - started;
  writeFileSync(readReady, `${new Date().toISOString()}\n`);
  console.log(`projected in ${Math.round(projectMs)} ms`);
}
// Anything appended since (none normally) is applied; a no-op on a cached read model.
await catchUpRegistryReadModels(store, db);

async function seedEvents(): Promise<void> {
  for (let o = 0; o < ORGANISATIONS; o++) {
    const organisationId = uuid(o, 1);
    const region = pick(DEMO_REGIONS);
    const profile: OrganisationProfile = {
      name: `Organisation ${o} ${region.city}`,
      kind: pick(KINDS),
      legalIdentifier: `EL${100000000 + o}`,
      country: 'GR',
      region: region.code,
      address: { street: `Street ${o}`, locality: region.city, postalCode: region.postalCode },
      coordinates: jitter(region.centre),
      contact: { email: `org${o}@example.org` },
      dataProtectionRegistration: `DPA-${o}`,
    };
    const orgEvents: NewEvent[] = [
      {
        type: 'OrganisationApplied',
        data: { organisationId, profile, appliedAt: now, appliedBy: 'bench' },
        metadata: meta,
      },
      {
        type: 'OrganisationApproved',
        data: {
          organisationId,
          licenceNumber: `L-${o}`,
          licenceValidUntil: '2030-01-01T00:00:00.000Z',
          approvedAt: now,
          approvedBy: 'bench',
        },
        metadata: meta,
      },
      {
        type: 'CodeOfConductAccepted',
        data: { organisationId, version: 1, acceptedAt: now, acceptedBy: 'bench' },
        metadata: meta,
      },
    ];
    await store.append(organisationStreamId(organisationId), orgEvents, { expectedVersion: 'no-stream' });
    for (let s = 0; s < SERVICES_PER_ORG; s++) {
      const serviceId = uuid(o * SERVICES_PER_ORG + s, 2);
      const term = pick(TAXONOMY);
      const locations = Array.from({ length: 1 + Math.floor(rnd() * 2) }, (_, l) => ({
        locationId: `loc-${l}`,
        name: `Point ${l}`,
        address: {
          street: `Street ${o}`,
          locality: region.city,
          postalCode: region.postalCode,
          region: region.code,
          country: 'GR',
        },
        coordinates: jitter(region.centre),
        schedule: [{ weekday: 1 as const, opens: '09:00', closes: '17:00' }],
      }));
      const details: ServiceDetails = {
        name: `${term.name} ${o}-${s}`,
        categoryId: term.id,
        description: `${term.name} offered in ${region.city}`,
        eligibility: {
          legalStatuses: [pick(LEGAL_STATUSES), pick(LEGAL_STATUSES)].filter((v, i, a) => a.indexOf(v) === i),
          minAge: null,
          maxAge: null,
        },
        languages: [pick(LANGS), pick(LANGS), 'el'].filter((v, i, a) => a.indexOf(v) === i),
        serviceAreas: [region.code, pick(DEMO_REGIONS).code].filter((v, i, a) => a.indexOf(v) === i),
        locations,
        responseTimeHours: 48,
      };
      const open = rnd() < 0.6;
      await store.append(
        serviceStreamId(serviceId),
        [
          {
            type: 'ServiceRegistered',
            data: {
              serviceId,
              organisationId,
              details,
              capacity: { available: open ? 5 : 0, maximum: 20, intake: open ? 'open' : 'closed' },
              registeredAt: now,
              registeredBy: 'bench',
            },
            metadata: meta,
          },
        ],
        { expectedVersion: 'no-stream' },
      );
    }
    if ((o + 1) % 1000 === 0)
      console.log(`  ${o + 1} organisations appended (${Math.round(performance.now() - started)} ms)`);
  }
}

// The query mix must not depend on whether the seeding ran in this process.
seed = 7;
const loadAtStart = loadavg().map((l) => Math.round(l * 100) / 100);
console.log(`load average ${loadAtStart.join(' ')} (${availableParallelism()} cores)`);
const point = () => ({ ...jitter(pick(DEMO_REGIONS).centre) });
const termIds = TAXONOMY.map((t) => t.id);
const topLevel = TAXONOMY.filter((t) => t.parentId === null).map((t) => t.id);
const queries: Record<string, () => { search: ServiceSearch; page: number }> = {
  category_top_level: () => ({ search: { category: pick(topLevel) }, page: 1 }),
  category_sub_term: () => ({ search: { category: pick(termIds) }, page: 1 }),
  language_and_status: () => ({ search: { language: pick(LANGS), legalStatus: pick(LEGAL_STATUSES) }, page: 1 }),
  region_intake_open: () => ({
    search: { region: pick(DEMO_REGIONS).code, intakeOpen: true },
    page: 1 + Math.floor(rnd() * 5),
  }),
  distance_25km: () => ({ search: { near: { ...point(), radiusKm: 25 } }, page: 1 }),
  distance_category_language: () => ({
    search: { near: { ...point(), radiusKm: 50 }, category: pick(topLevel), language: pick(LANGS) },
    page: 1,
  }),
  combined_all_filters: () => ({
    search: {
      category: pick(topLevel),
      language: pick(LANGS),
      legalStatus: pick(LEGAL_STATUSES),
      region: pick(DEMO_REGIONS).code,
      intakeOpen: true,
    },
    page: 1,
  }),
  text_search: () => ({ search: { text: pick(TAXONOMY).name.split(' ')[0]! }, page: 1 }),
  deep_page: () => ({ search: {}, page: 1 + Math.floor(rnd() * 500) }),
};

const pct = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
const stats = (samples: number[]) => {
  const s = [...samples].sort((a, b) => a - b);
  const r = (x: number) => Math.round(x * 100) / 100;
  return { n: s.length, p50: r(pct(s, 50)), p95: r(pct(s, 95)), p99: r(pct(s, 99)), max: r(s[s.length - 1]!) };
};
const results: Record<string, ReturnType<typeof stats> & { meanResults: number }> = {};
const measure = async (name: string, run: () => Promise<number>) => {
  for (let i = 0; i < 10; i++) await run(); // warm-up
  const samples: number[] = [];
  let hits = 0;
  for (let i = 0; i < ITERATIONS; i++) {
    const t0 = performance.now();
    hits += await run();
    samples.push(performance.now() - t0);
  }
  results[name] = { ...stats(samples), meanResults: Math.round(hits / ITERATIONS) };
  const r = results[name]!;
  console.log(`${name.padEnd(32)} p50 ${r.p50} ms  p95 ${r.p95} ms  p99 ${r.p99} ms  (mean ${r.meanResults} matches)`);
};

console.log(`\nquery code, ${ITERATIONS} runs per kind, 20 per page:`);
for (const [name, make] of Object.entries(queries))
  await measure(name, async () => {
    const { search, page } = make();
    return (await searchServices(db, search, { page, perPage: 20 })).total;
  });
await measure(
  'organisations_page',
  async () => (await listOrganisations(db, { page: 1 + Math.floor(rnd() * 200), perPage: 20 })).total,
);
await measure(
  'service_at_locations_near',
  async () =>
    (await listServiceAtLocations(db, { page: 1, perPage: 20 }, { near: { ...point(), radiusKm: 25 } })).total,
);

console.log('\nover HTTP (fastify inject, HSDS mapping and serialisation included):');
const app = await createHttpApp({
  service: 'registry-bench',
  logger: createLogger({ service: 'bench', level: 'silent' }),
  auth: false,
  rateLimit: false,
});
await app.register(hsdsRoutes, { prefix: '/hsds', db, publicBaseUrl: 'http://bench' });
await app.ready();
const http = async (url: () => string) => {
  const response = await app.inject({ method: 'GET', url: url() });
  if (response.statusCode !== 200) throw new Error(`${response.statusCode} ${response.body}`);
  return (response.json() as { total_items: number }).total_items;
};
await measure('http_services_category_language', () =>
  http(() => `/hsds/services?taxonomy_term_id=${pick(topLevel)}&language=${pick(LANGS)}`),
);
await measure('http_services_proximity', () => {
  const p = point();
  return http(() => `/hsds/services?proximity=${p.latitude.toFixed(4)},${p.longitude.toFixed(4)},25`);
});
await measure('http_service_at_locations', () =>
  http(() => `/hsds/service_at_locations?page=${1 + Math.floor(rnd() * 100)}`),
);
await app.close();

const worstP95 = Math.max(...Object.values(results).map((r) => r.p95));
const out = {
  benchmark: 'registry directory search',
  date: new Date().toISOString(),
  node: process.version,
  store: 'sqlite (embedded)',
  organisations: ORGANISATIONS,
  services: ORGANISATIONS * SERVICES_PER_ORG,
  seedMs: seedMs === null ? 'cached' : Math.round(seedMs),
  projectMs: projectMs === null ? 'cached' : Math.round(projectMs),
  loadAverage: { start: loadAtStart, end: loadavg().map((l) => Math.round(l * 100) / 100) },
  iterationsPerKind: ITERATIONS,
  targetP95Ms: 20,
  worstP95Ms: worstP95,
  meetsTarget: worstP95 <= 20,
  queries: results,
};
mkdirSync(join(root, 'bench', 'results'), { recursive: true });
writeFileSync(join(root, 'bench', 'results', 'registry.json'), `${JSON.stringify(out, null, 2)}\n`);
console.log(
  `\nworst p95 ${worstP95} ms (target ≤ 20 ms): ${out.meetsTarget ? 'met' : 'NOT met'}; wrote bench/results/registry.json`,
);
await db.close();
await store.close();
