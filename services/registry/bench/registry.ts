/**
 * `pnpm bench:registry` — directory search at national scale, as a growth curve: services (4 per
 * organisation) written as events into the store, projected by the real directory projection
 * (catch-up), then a realistic query mix over the real query code (searchServices, listOrganisations,
 * listServiceAtLocations) and over HTTP (the real /hsds routes via app.inject). Runs on SQLite and on
 * PostgreSQL (BENCH_ADAPTERS), at BENCH_REGISTRY_SIZES services (default 20,000, 50,000, 100,000).
 * Seeding and projection are measured every run. Target: p95 ≤ 20 ms per kind at every size.
 * Writes bench/results/registry-<adapter>.json. The events skip the deciders (fast path); their shape
 * is the deciders'.
 */
import { availableParallelism, loadavg } from 'node:os';
import { createHttpApp } from '@estia/infra/http/createHttpApp.js';
import { createLogger } from '@estia/infra/http/logger.js';
import type { SqlDatabase } from '@estia/infra/sql/types.js';
import { runCurve, type PointRecorder } from '../../../bench/curve.js';
import { adaptersFrom, openBenchStores } from '../../../bench/stores.js';
import { LEGAL_STATUSES } from '../src/domain/service/serviceDetails.js';
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
import { jitter, LANGS, pick, reseed, rnd, seedEvents, SERVICES_PER_ORG } from './directoryEvents.js';

const ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? 300);
const TARGET_P95_MS = 20;

/** The query mix; the same sequence at every size and on every store. */
function queryKinds() {
  const point = () => ({ ...jitter(pick(DEMO_REGIONS).centre) });
  const termIds = TAXONOMY.map((t) => t.id);
  const topLevel = TAXONOMY.filter((t) => t.parentId === null).map((t) => t.id);
  const services: Record<string, () => { search: ServiceSearch; page: number }> = {
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
        near: { ...point(), radiusKm: 100 },
      },
      page: 1 + Math.floor(rnd() * 3),
    }),
    text_search: () => ({ search: { text: pick(TAXONOMY).name.split(' ')[0]! }, page: 1 }),
    deep_page: () => ({ search: {}, page: 1 + Math.floor(rnd() * 500) }),
  };
  return { point, topLevel, services };
}

async function measure(record: PointRecorder, name: string, run: () => Promise<number>): Promise<void> {
  for (let i = 0; i < 10; i++) await run(); // warm-up
  const samples: number[] = [];
  let hits = 0;
  for (let i = 0; i < ITERATIONS; i++) {
    const t0 = performance.now();
    hits += await run();
    samples.push(performance.now() - t0);
  }
  record.latency(name, samples);
  record.figure(`${name} mean matches`, hits / ITERATIONS);
}

async function queries(db: SqlDatabase, record: PointRecorder): Promise<void> {
  reseed(7);
  const { point, topLevel, services } = queryKinds();
  for (const [name, make] of Object.entries(services))
    await measure(record, name, async () => {
      const { search, page } = make();
      return (await searchServices(db, search, { page, perPage: 20 })).total;
    });
  await measure(
    record,
    'organisations_page',
    async () => (await listOrganisations(db, { page: 1 + Math.floor(rnd() * 200), perPage: 20 })).total,
  );
  await measure(
    record,
    'organisations_by_category',
    async () =>
      (await listOrganisations(db, { page: 1 + Math.floor(rnd() * 20), perPage: 20 }, { category: pick(topLevel) }))
        .total,
  );
  await measure(
    record,
    'service_at_locations_near',
    async () =>
      (await listServiceAtLocations(db, { page: 1, perPage: 20 }, { near: { ...point(), radiusKm: 25 } })).total,
  );

  const app = await createHttpApp({
    service: 'registry-bench',
    logger: createLogger({ service: 'bench', level: 'silent' }),
    auth: false,
    rateLimit: false,
  });
  await app.register(hsdsRoutes, { prefix: '/hsds', db, publicBaseUrl: 'http://bench' });
  await app.ready();
  const http = async (url: string) => {
    const response = await app.inject({ method: 'GET', url });
    if (response.statusCode !== 200) throw new Error(`${response.statusCode} ${response.body}`);
    return (response.json() as { total_items: number }).total_items;
  };
  await measure(record, 'http_services_category_language', () =>
    http(`/hsds/services?taxonomy_term_id=${pick(topLevel)}&language=${pick(LANGS)}`),
  );
  await measure(record, 'http_services_proximity', () => {
    const p = point();
    return http(`/hsds/services?proximity=${p.latitude.toFixed(4)},${p.longitude.toFixed(4)},25`);
  });
  await measure(record, 'http_service_at_locations', () =>
    http(`/hsds/service_at_locations?page=${1 + Math.floor(rnd() * 100)}`),
  );
  await measure(record, 'http_organizations', () => http(`/hsds/organizations?page=${1 + Math.floor(rnd() * 100)}`));
  await app.close();
}

for (const adapter of adaptersFrom())
  await runCurve({
    name: `registry-${adapter}`,
    unit: 'services',
    sizesEnv: 'BENCH_REGISTRY_SIZES',
    defaultSizes: [20_000, 50_000, 100_000],
    meta: {
      adapter,
      servicesPerOrganisation: SERVICES_PER_ORG,
      iterationsPerKind: ITERATIONS,
      targetP95Ms: TARGET_P95_MS,
    },
    async body(services, record) {
      const organisations = Math.ceil(services / SERVICES_PER_ORG);
      const stores = await openBenchStores(adapter, 'registry');
      try {
        reseed(42);
        const events = await record.phase('seed', () =>
          seedEvents(stores.store, organisations, (done, total) =>
            record.progress('organisations appended', done, total),
          ),
        );
        record.figure('organisations', organisations);
        record.figure('events', events);
        await record.phase('project', () => catchUpRegistryReadModels(stores.store, stores.db));
        record.figure('projected events/s', events / record.phaseSeconds('project'));
        record.figure('load average (1 min)', loadavg()[0]!);
        record.figure('cores', availableParallelism());
        await record.phase('first query (loads the search index)', async () =>
          searchServices(stores.db, {}, { page: 1, perPage: 20 }),
        );
        await queries(stores.db, record);
      } finally {
        await stores.close();
      }
    },
    verdict(points) {
      const worst = (p: (typeof points)[number]) => Math.max(...Object.values(p.latencies).map((l) => l.p95));
      return points.map(
        (p) =>
          `${p.size} services: worst p95 ${worst(p)} ms (target ≤ ${TARGET_P95_MS} ms): ${worst(p) <= TARGET_P95_MS ? 'met' : 'NOT met'}`,
      );
    },
  });
