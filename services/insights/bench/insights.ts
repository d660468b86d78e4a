/**
 * `pnpm bench:insights`: a 100-organisation network over a year (about 100,000 referrals and 1,000,000
 * public events) is published to the embedded bus; then a fresh insights read model is built from scratch
 * by the service's real consumers (inbox + facts + offset per message), and every insights query is timed
 * through HTTP (app.inject). Prints figures and writes bench/results/insights.json.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadOpenApi } from '@estia/contracts';
import { createTestIssuer } from '@estia/infra/auth/testIssuer.js';
import { createTokenVerifier } from '@estia/infra/auth/tokenVerifier.js';
import { createBus } from '@estia/infra/bus/createBus.js';
import { createHttpApp } from '@estia/infra/http/createHttpApp.js';
import { createLogger } from '@estia/infra/http/logger.js';
import { startConsumer } from '@estia/infra/processors/consumer.js';
import { createSqliteDatabase } from '@estia/infra/sql/sqliteDatabase.js';
import { buildInsights } from '../src/insightsService.js';
import { historyEvents, orgId, randomHistory, type Envelope } from '../src/testing/history.js';

const log = (m: string) => console.error(`[bench:insights] ${m}`);
const dir = mkdtempSync(join(tmpdir(), 'estia-bench-insights-'));
const percentile = (xs: number[], q: number) =>
  [...xs].sort((a, b) => a - b)[Math.max(0, Math.ceil(q * xs.length) - 1)]!;
const round = (x: number) => Math.round(x * 10) / 10;

try {
  const spec = randomHistory({
    seed: 2025,
    organisations: 100,
    referrals: 100_000,
    days: 365,
  });
  const bus = createBus({ kind: 'embedded', path: join(dir, 'bus.sqlite') });
  let events = 0;
  const pending = new Map<string, { key: string; value: Envelope }[]>();
  const flush = async (topic: string) => {
    const batch = pending.get(topic) ?? [];
    if (batch.length) await bus.publish(topic, batch);
    pending.set(topic, []);
  };
  for (const e of historyEvents(spec)) {
    const topic = `estia.${e.type.split('.')[1]}`;
    const batch = pending.get(topic) ?? [];
    batch.push({ key: e.subject!, value: e });
    pending.set(topic, batch);
    events += 1;
    if (batch.length >= 5_000) await flush(topic);
  }
  for (const topic of pending.keys()) await flush(topic);
  log(
    `published ${events} events of ${spec.referrals.length} referrals, ${spec.needs.length} needs, ${spec.candidates.length} candidates`,
  );

  const started = performance.now();
  const db = await createSqliteDatabase({ path: join(dir, 'insights.sqlite') });
  const { parts, cache } = await buildInsights({ db, pseudonymKey: randomBytes(32) });
  const consumers = [];
  for (const c of parts.consumers ?? []) consumers.push(await startConsumer({ ...c, bus, db }));
  for (;;) {
    const [row] = await db.query<{ n: number }>('SELECT COUNT(*) AS n FROM estia_inbox');
    if (Number(row!.n) >= events) break;
    await new Promise((r) => setTimeout(r, 500));
  }
  await cache.sync();
  const buildSeconds = (performance.now() - started) / 1000;
  log(`built from scratch in ${round(buildSeconds)} s (${Math.round(events / buildSeconds)} events/s)`);

  const issuer = await createTestIssuer();
  const app = await createHttpApp({
    service: 'insights',
    auth: { verifier: createTokenVerifier({ jwks: issuer.jwks }) },
    logger: createLogger({ service: 'insights', level: 'silent' }),
    openapi: loadOpenApi('insights') as Record<string, unknown>,
    rateLimit: false,
  });
  await parts.routes(app, undefined as never);
  await app.ready();
  const token = await issuer.sign({ roles: ['funder'], scopes: ['insights:read'] });
  const queries: Record<string, string[]> = {
    providers: [
      '/v1/insights/providers',
      '/v1/insights/providers?from=2025-04-01&to=2025-06-30',
      '/v1/insights/providers?groupBy=service&category=housing',
      `/v1/insights/providers?organisationId=${orgId(17)}`,
      '/v1/insights/providers?groupBy=category&area=EL30',
    ],
    demand: [
      '/v1/insights/demand',
      '/v1/insights/demand?from=2025-07-01&category=legal',
      '/v1/insights/demand?area=EL52',
    ],
    funnel: [
      '/v1/insights/funnel',
      `/v1/insights/funnel?organisationId=${orgId(3)}`,
      '/v1/insights/funnel?from=2025-10-01',
    ],
    csv: ['/v1/insights/providers?groupBy=service'],
  };
  const latency: Record<string, { queries: number; p50Ms: number; p95Ms: number; maxMs: number }> = {};
  for (const [name, urls] of Object.entries(queries)) {
    const times: number[] = [];
    for (let i = 0; i < 200; i++) {
      const url = urls[i % urls.length]!;
      const t0 = performance.now();
      const res = await app.inject({
        method: 'GET',
        url,
        headers: { authorization: `Bearer ${token}`, accept: name === 'csv' ? 'text/csv' : 'application/json' },
      });
      times.push(performance.now() - t0);
      if (res.statusCode !== 200) throw new Error(`${url}: ${res.statusCode} ${res.body}`);
    }
    latency[name] = {
      queries: times.length,
      p50Ms: round(percentile(times, 0.5)),
      p95Ms: round(percentile(times, 0.95)),
      maxMs: round(Math.max(...times)),
    };
    log(`${name}: p50 ${latency[name].p50Ms} ms, p95 ${latency[name].p95Ms} ms`);
  }
  for (const c of consumers) await c.stop();
  await app.close();
  await db.close();
  await bus.close();

  const worstP95 = Math.max(...Object.values(latency).map((l) => l.p95Ms));
  const result = {
    benchmark: 'insights',
    date: new Date().toISOString(),
    machine: { cores: cpus().length, node: process.version },
    network: {
      organisations: spec.organisations,
      services: spec.organisations * spec.servicesPerOrganisation,
      referrals: spec.referrals.length,
      needs: spec.needs.length,
      candidates: spec.candidates.length,
      events,
    },
    build: {
      seconds: round(buildSeconds),
      eventsPerSecond: Math.round(events / buildSeconds),
      path: 'embedded bus → 3 consumers (inbox + facts + offset) → SQLite',
    },
    latency,
    targets: { buildSeconds: 60, queryP95Ms: 50 },
    met: { build: buildSeconds <= 60, queries: worstP95 <= 50 },
  };
  const out = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'bench', 'results', 'insights.json');
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
  console.log(JSON.stringify(result, null, 2));
  log(`written ${out}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
