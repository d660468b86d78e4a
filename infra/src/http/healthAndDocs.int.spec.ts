import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestIssuer } from '../auth/testIssuer.js';
import { createTokenVerifier } from '../auth/tokenVerifier.js';
import { createSqliteDatabase } from '../sql/sqliteDatabase.js';
import type { SqlDatabase } from '../sql/types.js';
import { createHttpApp } from './createHttpApp.js';
import { createLogger } from './logger.js';

const document = {
  openapi: '3.1.0',
  info: { title: 'ESTIA referrals', version: '0.1.0' },
  paths: {
    '/referrals': { post: { operationId: 'createReferral', responses: { '201': { description: 'created' } } } },
    '/private': {
      get: {
        operationId: 'getPrivate',
        security: [{ oauth2: ['directory:read'] }],
        responses: { '200': { description: 'ok' } },
      },
    },
  },
};

let app: FastifyInstance;
let db: SqlDatabase;
let busUp = true;

beforeAll(async () => {
  db = await createSqliteDatabase({ path: ':memory:' });
  const issuer = await createTestIssuer();
  app = await createHttpApp({
    service: 'kit-test',
    logger: createLogger({ service: 'kit-test', level: 'silent' }),
    auth: { verifier: createTokenVerifier(issuer.verifierOptions) },
    openapi: document,
    readiness: {
      db: () => db.query('SELECT 1'),
      bus: async () => {
        if (!busUp) throw new Error('broker down');
      },
    },
  });
  app.get('/private', async () => ({ secret: true }));
  await app.ready();
});
afterAll(async () => {
  await app.close();
  await db.close();
});

describe('health, readiness and docs (public, no token)', () => {
  it('/health answers while the process is up', async () => {
    const response = await app.inject({ url: '/health' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'up' });
  });

  it('/ready runs the checks it was given; a failing one gives a 503 problem naming it', async () => {
    const ready = await app.inject({ url: '/ready' });
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toEqual({ status: 'ready', checks: { db: 'ok', bus: 'ok' } });
    busUp = false;
    const notReady = await app.inject({ url: '/ready' });
    busUp = true;
    expect(notReady.statusCode).toBe(503);
    expect(notReady.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(notReady.json()).toMatchObject({
      code: 'SERVICE_UNAVAILABLE',
      detail: 'Not ready: bus',
      checks: { db: 'ok', bus: 'failed' },
    });
    expect(notReady.body).not.toContain('broker down');
  });

  it('/ready answers 503 once shutdown began', async () => {
    app.lifecycle.accepting = false;
    const response = await app.inject({ url: '/ready' });
    app.lifecycle.accepting = true;
    expect(response.statusCode).toBe(503);
    expect(response.json()).toMatchObject({ detail: 'Shutting down' });
  });

  it('/openapi.json serves the document as given; /docs serves Swagger UI over it', async () => {
    const spec = await app.inject({ url: '/openapi.json' });
    expect(spec.statusCode).toBe(200);
    expect(spec.json()).toEqual(document);
    const docs = await app.inject({ url: '/docs/' });
    expect(docs.statusCode).toBe(200);
    expect(docs.headers['content-type']).toMatch(/text\/html/);
    expect(docs.body).toMatch(/swagger/i);
    const uiJson = await app.inject({ url: '/docs/json' });
    expect(uiJson.json()).toMatchObject({ info: { title: 'ESTIA referrals' } });
  });

  it('the docs plugin does not make other routes public', async () => {
    expect((await app.inject({ url: '/private' })).statusCode).toBe(401);
  });
});
