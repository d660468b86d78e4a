import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestIssuer, type TestIssuer } from '@estia/infra/auth/testIssuer.js';
import { createSqliteDatabase } from '@estia/infra/sql/sqliteDatabase.js';
import type { SqlDatabase } from '@estia/infra/sql/types.js';
import { hardeningSpecs } from '@estia/infra/testing/httpHardening.js';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe } from 'vitest';
import { buildInsights } from '../insightsService.js';
import { insightsHttpApp } from '../testing/insightsHttpApp.js';

describe('insights: framework errors are problems and headers are set (it has no bodies and no paging)', () => {
  let dir: string;
  let db: SqlDatabase;
  let app: FastifyInstance;
  let issuer: TestIssuer;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'estia-insights-hardening-'));
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

  hardeningSpecs(
    () => ({
      inject: async (request) => {
        const r = await app.inject(request as never);
        return { statusCode: r.statusCode, headers: r.headers, body: r.body };
      },
      auth: async () => ({
        authorization: `Bearer ${await issuer.sign({ roles: ['funder'], scopes: ['insights:read'], organisationId: 'network' })}`,
      }),
      wrongMethod: { method: 'POST', url: '/v1/insights/providers' },
      read: '/v1/insights/providers',
    }),
    { write: false, list: false, badUrl: false },
  );
});
