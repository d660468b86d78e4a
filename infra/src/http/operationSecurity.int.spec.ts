import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { createTestIssuer, type TestIssuer } from '../auth/testIssuer.js';
import { createTokenVerifier } from '../auth/tokenVerifier.js';
import { createHttpApp } from './createHttpApp.js';
import { createLogger } from './logger.js';

const document = {
  openapi: '3.1.0',
  info: { title: 'test', version: '1' },
  security: [{ bearer: [] }],
  paths: {
    '/things/{thingId}': {
      get: { operationId: 'getThing', security: [{ oauth2: ['things:read'] }], responses: {} },
      post: { operationId: 'changeThing', security: [{ oauth2: ['things:write', 'things:read'] }], responses: {} },
    },
    '/either': {
      get: { operationId: 'either', security: [{ oauth2: ['a:read'] }, { oauth2: ['b:read'] }], responses: {} },
    },
    '/open': { get: { operationId: 'open', security: [], responses: {} } },
  },
};

const build = async (issuer: TestIssuer, routes: (app: FastifyInstance) => void) => {
  const app = await createHttpApp({
    service: 'test',
    logger: createLogger({ service: 'test', level: 'silent' }),
    auth: { verifier: createTokenVerifier(issuer.verifierOptions) },
    openapi: document,
    rateLimit: false,
  });
  routes(app);
  return app;
};

let issuer: TestIssuer;
let app: FastifyInstance;
beforeAll(async () => {
  issuer = await createTestIssuer();
  app = await build(issuer, (a) => {
    a.get('/things/:id', async () => ({ ok: true }));
    a.post('/things/:id', async () => ({ ok: true }));
    a.get('/either', async () => ({ ok: true }));
    a.get('/open', { config: { public: true } }, async () => ({ ok: true }));
  });
  await app.ready();
});
afterAll(() => app.close());

const call = async (method: 'GET' | 'POST', url: string, scopes?: string[]) =>
  app.inject({
    method,
    url,
    headers: scopes ? { authorization: `Bearer ${await issuer.sign({ scopes })}` } : {},
    ...(method === 'POST' ? { payload: {} } : {}),
  });

describe('scopes from the OpenAPI operation', () => {
  it('a token with the operation’s scopes passes; one without gets 403 insufficient_scope (RFC 6750)', async () => {
    expect((await call('GET', '/things/1', ['things:read'])).statusCode).toBe(200);
    const refused = await call('POST', '/things/1', ['things:read']);
    expect(refused.statusCode).toBe(403);
    expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(refused.json()).toMatchObject({
      code: 'INSUFFICIENT_SCOPE',
      error: 'insufficient_scope',
      scope: 'things:write',
    });
    expect(refused.headers['www-authenticate']).toBe(
      'Bearer realm="estia", error="insufficient_scope", scope="things:write"',
    );
    expect((await call('POST', '/things/1', ['things:read', 'things:write'])).statusCode).toBe(200);
  });

  it('alternatives: any one requirement of the security array suffices', async () => {
    expect((await call('GET', '/either', ['b:read'])).statusCode).toBe(200);
    expect((await call('GET', '/either', ['c:read'])).statusCode).toBe(403);
  });

  it('401 with the bearer challenge without a token; public operations need none', async () => {
    const anonymous = await call('GET', '/things/1');
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.headers['www-authenticate']).toBe('Bearer realm="estia"');
    expect((await call('GET', '/open')).statusCode).toBe(200);
  });

  it('refuses to start with a route the document does not declare, or public-ness that disagrees', async () => {
    const undeclared = await build(issuer, (a) => a.get('/secret', async () => ({})));
    await expect(undeclared.ready()).rejects.toThrow(/GET \/secret is not an operation/);
    const disagreeing = await build(issuer, (a) => a.get('/open', async () => ({})));
    await expect(disagreeing.ready()).rejects.toThrow(/says public/);
  });
});
