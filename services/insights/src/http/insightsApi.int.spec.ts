import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compileSchema, requestSchemas } from '@estia/contracts';
import { createTestIssuer, type TestIssuer } from '@estia/infra/auth/testIssuer.js';
import { createBus } from '@estia/infra/bus/createBus.js';
import type { Bus } from '@estia/infra/bus/types.js';
import { startConsumer, type RunningConsumer } from '@estia/infra/processors/consumer.js';
import { createSqliteDatabase } from '@estia/infra/sql/sqliteDatabase.js';
import type { SqlDatabase } from '@estia/infra/sql/types.js';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildInsights } from '../insightsService.js';
import { insightsHttpApp } from '../testing/insightsHttpApp.js';
import { bruteProviders } from '../testing/bruteForce.js';
import { START, clientId, historyEvents, orgId, randomHistory, type Envelope } from '../testing/history.js';

let dir: string;
let bus: Bus;
let issuer: TestIssuer;
let events: Envelope[];
const running: { app: FastifyInstance; db: SqlDatabase; consumers: RunningConsumer[] }[] = [];

/** An insights instance over its own fresh read model, fed from the start of the bus, caught up. */
async function startInsights(name: string) {
  const db = await createSqliteDatabase({ path: join(dir, `${name}.sqlite`) });
  const { parts } = await buildInsights({ db, pseudonymKey: randomBytes(32) });
  const consumers = [];
  for (const c of parts.consumers ?? []) consumers.push(await startConsumer({ ...c, bus, db }));
  for (let i = 0; ; i++) {
    const [row] = await db.query<{ n: number }>('SELECT COUNT(*) AS n FROM estia_inbox');
    if (Number(row!.n) === events.length) break;
    if (i > 600) throw new Error(`insights ${name} did not catch up: ${row!.n} of ${events.length}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  const app = await insightsHttpApp(parts, issuer);
  running.push({ app, db, consumers });
  return { app, db };
}

let app: FastifyInstance;
let db: SqlDatabase;
let funder: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'estia-insights-'));
  bus = createBus({ kind: 'embedded', path: join(dir, 'bus.sqlite') });
  issuer = await createTestIssuer();
  events = [...historyEvents(randomHistory({ seed: 7, organisations: 6, referrals: 400, days: 120 }))];
  for (const topic of ['estia.registry', 'estia.referrals', 'estia.matching'])
    await bus.publish(
      topic,
      events.filter((e) => e.source === `/estia/${topic.slice(6)}`).map((e) => ({ key: e.subject!, value: e })),
    );
  ({ app, db } = await startInsights('first'));
  funder = await issuer.sign({ roles: ['funder'], scopes: ['insights:read'], organisationId: 'network' });
}, 60_000);

afterAll(async () => {
  for (const r of running) {
    await r.app.close();
    for (const c of r.consumers) await c.stop();
    await r.db.close();
  }
  await bus?.close();
  rmSync(dir, { recursive: true, force: true });
});

const get = (url: string, token: string | undefined = funder, accept = 'application/json') =>
  app.inject({ method: 'GET', url, headers: { accept, ...(token ? { authorization: `Bearer ${token}` } : {}) } });

const contract = requestSchemas('insights');

describe('insights API', () => {
  it('answers the provider assessment as the contract says, with the figures of the events', async () => {
    const res = await get('/v1/insights/providers?from=2025-01-01&to=2025-03-31');
    expect(res.statusCode).toBe(200);
    const body = res.json();
    const valid = compileSchema(contract.schema('ProvidersReport'));
    expect(valid(body), JSON.stringify(valid.errors)).toBe(true);
    const brute = bruteProviders(events, { from: START, to: Date.parse('2025-04-01T00:00:00Z') }, 'organisation');
    expect(body.network.received).toBe(brute.network.received);
    expect(body.rows).toHaveLength(brute.rows.size);
    for (const row of body.rows) {
      const expected = brute.rows.get(row.organisationId)!;
      expect(row.name).toMatch(/^Organisation \d+$/);
      expect([expected.received, '<5']).toContain(row.received);
      expect([expected.completed, '<5']).toContain(row.completed);
    }
  });

  it('answers demand and the funnel as the contract says', async () => {
    for (const [path, schema] of [
      ['demand', 'DemandReport'],
      ['funnel', 'FunnelReport'],
    ] as const) {
      const res = await get(`/v1/insights/${path}?from=2025-01-01`);
      expect(res.statusCode, res.body).toBe(200);
      const valid = compileSchema(contract.schema(schema));
      expect(valid(res.json()), JSON.stringify(valid.errors)).toBe(true);
      expect(res.json().rows.length).toBeGreaterThan(0);
    }
  });

  it('narrows by organisation, category and area', async () => {
    const one = (await get(`/v1/insights/providers?organisationId=${orgId(2)}&category=medical`)).json();
    expect(one.rows.map((r: { organisationId: string }) => r.organisationId)).toEqual([orgId(2)]);
    const byService = (await get(`/v1/insights/providers?groupBy=service&area=EL30`)).json();
    expect(byService.rows.every((r: { serviceId: string }) => typeof r.serviceId === 'string')).toBe(true);
  });

  it('gives the rows as CSV with Accept: text/csv', async () => {
    const res = await get('/v1/insights/providers?to=2025-06-30', funder, 'text/csv');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    expect(res.headers['content-disposition']).toContain('insights-providers-2025-06-30.csv');
    const lines = res.body.trimEnd().split('\r\n');
    expect(lines[0]).toMatch(
      /^organisationId,name,received,accepted,rejected,expired,cancelled,completed,failed,rejectedByReason\./,
    );
    expect(lines).toHaveLength(1 + (await get('/v1/insights/providers?to=2025-06-30')).json().rows.length);
  });

  it('refuses bad filters with problem+json naming the field, and writes nothing', async () => {
    const cases = [
      ['/v1/insights/providers?from=2025-13-01', '/querystring/from'],
      ['/v1/insights/providers?from=2025-05-01&to=2025-04-01', '/querystring/to'],
      ['/v1/insights/demand?category=castles', '/querystring/category'],
      ['/v1/insights/funnel?organisationId=not-an-id', '/querystring/organisationId'],
      ['/v1/insights/funnel?category=housing', '/querystring/category'],
      ['/v1/insights/providers?groupBy=nationality', '/querystring/groupBy'],
      ['/v1/insights/providers?nationality=SY', '/querystring/nationality'],
    ] as const;
    for (const [url, pointer] of cases) {
      const res = await get(url);
      expect(res.statusCode, url).toBe(400);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(
        res.json().errors.map((e: { pointer: string }) => e.pointer),
        url,
      ).toContain(pointer);
    }
  });

  it('lets funders and network administrators with insights:read in, and nobody else', async () => {
    const admin = await issuer.sign({ roles: ['network_admin'], scopes: ['insights:read'] });
    expect((await get('/v1/insights/funnel', admin)).statusCode).toBe(200);
    const denied = [
      await issuer.sign({ roles: ['org_admin'], scopes: ['referrals:read', 'insights:read'] }),
      await issuer.sign({ roles: ['auditor'], scopes: ['referrals:read', 'clients:read'] }),
      await issuer.sign({ roles: ['funder'], scopes: [] }),
    ];
    for (const token of denied) expect((await get('/v1/insights/providers', token)).statusCode).toBe(403);
    expect((await get('/v1/insights/providers', '')).statusCode).toBe(401);
  });

  it('keeps no client id: only keyed pseudonyms', async () => {
    const rows = await db.query<{ fact_key: string; client: string | null; data: string }>(
      'SELECT fact_key, client, data FROM insights_facts',
    );
    const dump = JSON.stringify(rows);
    const ids = new Set(
      events.flatMap((e) =>
        (e.data as { clientId?: string }).clientId ? [(e.data as { clientId: string }).clientId] : [],
      ),
    );
    expect(ids.size).toBeGreaterThan(10);
    for (const id of ids) expect(dump).not.toContain(id);
    expect(dump).not.toContain(clientId(0));
  });

  it('is rebuilt from the start of the public events, under another pseudonym key, to the same figures', async () => {
    const second = await startInsights('rebuilt');
    for (const path of ['providers?groupBy=category', 'demand', 'funnel', 'providers?from=2025-02-01&area=EL52']) {
      const url = `/v1/insights/${path}`;
      const again = await second.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${funder}` } });
      expect(again.json(), path).toEqual((await get(url)).json());
    }
  });
});
