import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Role } from '@estia/infra/auth/principal.js';
import { createTestIssuer, type TestIssuer } from '@estia/infra/auth/testIssuer.js';
import { createSqliteDatabase } from '@estia/infra/sql/sqliteDatabase.js';
import type { SqlDatabase } from '@estia/infra/sql/types.js';
import { scopeColumnSpecs, tableCoverage } from '@estia/infra/testing/securityTable.js';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildInsights } from '../insightsService.js';
import { insightsHttpApp } from '../testing/insightsHttpApp.js';

const ROLES: readonly Role[] = [
  'funder',
  'network_admin',
  'auditor',
  'org_admin',
  'referral_officer',
  'job_coach',
  'data_protection_officer',
];
type Row = { public: true } | { allowed: readonly Role[]; url: string };
/** Aggregates only, for the network's funders and administrators; no organisation role reads them. */
const FIGURES: readonly Role[] = ['funder', 'network_admin'];
const TABLE: Record<string, Row> = {
  'GET /health': { public: true },
  'GET /ready': { public: true },
  'GET /v1/insights/providers': { allowed: FIGURES, url: '/v1/insights/providers' },
  'GET /v1/insights/demand': { allowed: FIGURES, url: '/v1/insights/demand' },
  'GET /v1/insights/funnel': { allowed: FIGURES, url: '/v1/insights/funnel' },
};

describe('insights security table: operation × role × scope', () => {
  let dir: string;
  let db: SqlDatabase;
  let app: FastifyInstance;
  let issuer: TestIssuer;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'estia-insights-security-'));
    db = await createSqliteDatabase({ path: join(dir, 'read.sqlite') });
    issuer = await createTestIssuer();
    const { parts } = await buildInsights({ db, pseudonymKey: randomBytes(32) });
    app = await insightsHttpApp(parts, issuer);
  });
  afterAll(async () => {
    await app?.close();
    await db?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('every operation of the OpenAPI document has a row, and public rows are public operations', () => {
    expect(tableCoverage('insights', TABLE)).toEqual({ missing: [], unknown: [], publicMismatch: [] });
  });

  const guarded = Object.entries(TABLE).filter(
    (e): e is [string, Extract<Row, { allowed: unknown }>] => 'allowed' in e[1],
  );
  it.each(guarded)('%s: the allowed roles read, every other role gets 403', async (_key, row) => {
    for (const role of ROLES) {
      const token = await issuer.sign({ roles: [role], organisationId: 'network' });
      const answer = await app.inject({ method: 'GET', url: row.url, headers: { authorization: `Bearer ${token}` } });
      if (row.allowed.includes(role)) expect(answer.statusCode, `${role}: ${answer.body}`).toBe(200);
      else expect(answer.statusCode, `${role}: ${answer.body}`).toBe(403);
    }
  });

  scopeColumnSpecs('insights', () => ({
    inject: async (request) => {
      const r = await app.inject(request as never);
      return { statusCode: r.statusCode, headers: r.headers, body: r.body };
    },
    token: (scopes) =>
      issuer.sign({ roles: ['funder', 'network_admin'], scopes: [...scopes], organisationId: 'network' }),
    // Insights writes no events: it only reads what it consumed.
    head: async () => 0,
  }));
});
