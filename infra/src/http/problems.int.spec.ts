import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { requireAuth } from '../auth/requireAuth.js';
import { createTestIssuer, type TestIssuer } from '../auth/testIssuer.js';
import { createTokenVerifier } from '../auth/tokenVerifier.js';
import { AppError } from '../errors/appError.js';
import { createSqliteDatabase } from '../sql/sqliteDatabase.js';
import type { SqlDatabase } from '../sql/types.js';
import { captureLogs } from './captureLogs.js';
import { createHttpApp } from './createHttpApp.js';
import { createLogger } from './logger.js';
import { eventMetadataFor } from './requestContext.js';

const addressSchema = {
  $id: 'https://estia.network/schemas/Address',
  type: 'object',
  required: ['latitude', 'longitude'],
  properties: {
    latitude: { type: 'number', minimum: -90, maximum: 90 },
    longitude: { type: 'number', minimum: -180, maximum: 180 },
  },
  additionalProperties: false,
};

let app: FastifyInstance;
let db: SqlDatabase;
let issuer: TestIssuer;
const logs = captureLogs();
let officer: string;

beforeAll(async () => {
  issuer = await createTestIssuer();
  db = await createSqliteDatabase({ path: ':memory:' });
  app = await createHttpApp({
    service: 'test',
    logger: createLogger({ service: 'test', level: 'debug', destination: logs.destination }),
    auth: { verifier: createTokenVerifier(issuer.verifierOptions) },
    schemas: [addressSchema],
    bodyLimit: 2048,
    rateLimit: { max: 1000, timeWindow: 60_000 },
  });
  await app.register(async (routes) => {
    routes.post(
      '/things',
      {
        preHandler: requireAuth({ roles: ['referral_officer'] }),
        schema: {
          body: {
            type: 'object',
            required: ['title', 'address'],
            properties: {
              title: { type: 'string', minLength: 1 },
              address: { $ref: 'https://estia.network/schemas/Address' },
            },
            additionalProperties: false,
          },
          response: {
            201: {
              type: 'object',
              required: ['id'],
              properties: { id: { type: 'string' }, title: { type: 'string' } },
            },
          },
        },
      },
      async (request, reply) =>
        reply
          .code(201)
          .send({ id: 't-1', title: (request.body as { title: string }).title, internalNote: 'never sent' }),
    );
    routes.get('/things/:id', async (request) => {
      throw new AppError('NOT_FOUND', `No thing ${(request.params as { id: string }).id}`);
    });
    routes.get('/admin', { preHandler: requireAuth({ roles: ['network_admin'] }) }, async () => ({ ok: true }));
    routes.get('/scoped', { preHandler: requireAuth({ scopes: ['directory:write'] }) }, async () => ({ ok: true }));
    routes.post('/conflict', async () => {
      throw new AppError('CONFLICT', 'Organisation already applied', { extensions: { organisationId: 'org-1' } });
    });
    routes.get('/boom', async () => {
      throw new Error('connection to postgres://admin:hunter2@db failed at /srv/secret.ts');
    });
    routes.get('/database-gone', async () => {
      throw Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' });
    });
    routes.get('/internal-app-error', async () => {
      throw new AppError('CHAIN_BROKEN', 'stream referral-1 broken at 7: expected abc');
    });
    routes.get('/public', { config: { public: true } }, async () => ({ public: true }));
    routes.get(
      '/where',
      {
        schema: {
          response: {
            200: { type: 'object', properties: { address: { $ref: 'https://estia.network/schemas/Address' } } },
          },
        },
      },
      async () => ({ address: { latitude: 1, longitude: 2, street: 'Odos Ermou 12' }, clientName: 'Amina' }),
    );
    routes.get('/limited', { config: { public: true, rateLimit: { max: 2, timeWindow: 60_000 } } }, async () => ({
      ok: true,
    }));
    routes.get('/whoami', async (request) => ({ metadata: eventMetadataFor(request) }));
    routes.get(
      '/search',
      {
        schema: {
          querystring: {
            type: 'object',
            properties: { limit: { type: 'integer', minimum: 1, maximum: 100 } },
            additionalProperties: false,
          },
        },
      },
      async (request) => request.query,
    );
  });
  await app.ready();
  officer = await issuer.sign({ roles: ['referral_officer'] });
});
afterAll(async () => {
  await app.close();
  await db.close();
});

const auth = () => ({ authorization: `Bearer ${officer}` });

const expectProblem = (
  response: { statusCode: number; headers: Record<string, unknown>; json: () => unknown },
  status: number,
  code: string,
) => {
  expect(response.statusCode).toBe(status);
  expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  const body = response.json() as Record<string, unknown>;
  expect(body).toMatchObject({
    status,
    code,
    type: `https://estia.network/problems/${code.toLowerCase().replaceAll('_', '-')}`,
  });
  expect(typeof body.title).toBe('string');
  expect(body.requestId).toBe(response.headers['x-request-id']);
  return body;
};

describe('problem+json responses', () => {
  it('201 through the same schema: response serialised by it (unknown fields dropped)', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/things',
      headers: auth(),
      payload: { title: 'flat', address: { latitude: 37.9, longitude: 23.7 } },
    });
    expect(response.statusCode).toBe(201);
    expect(response.json()).toEqual({ id: 't-1', title: 'flat' });
  });

  it('serialises through shared schemas too: only declared fields leave the service', async () => {
    const response = await app.inject({ url: '/where', headers: auth() });
    expect(response.json()).toEqual({ address: { latitude: 1, longitude: 2 } });
  });

  it('400 with a JSON pointer and the rule broken per failing field (all errors, shared $ref schema, no type coercion of bodies)', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/things',
      headers: auth(),
      payload: { title: '', address: { latitude: 100, longitude: '23.7' }, colour: 'red' },
    });
    const body = expectProblem(response, 400, 'VALIDATION_FAILED');
    expect(body.errors).toEqual(
      expect.arrayContaining([
        { pointer: '/body/title', detail: 'must NOT have fewer than 1 characters', rule: 'minLength', limit: 1 },
        { pointer: '/body/address/latitude', detail: 'must be <= 90', rule: 'maximum', limit: 90 },
        { pointer: '/body/address/longitude', detail: 'must be number', rule: 'type', expected: 'number' },
        { pointer: '/body/colour', detail: 'is not allowed', rule: 'additionalProperties' },
      ]),
    );
    const missing = await app.inject({
      method: 'POST',
      url: '/things',
      headers: auth(),
      payload: { title: 'x', address: { latitude: 1 } },
    });
    expect(expectProblem(missing, 400, 'VALIDATION_FAILED').errors).toEqual([
      { pointer: '/body/address/longitude', detail: 'is required', rule: 'required' },
    ]);
    expect(expectProblem(missing, 400, 'VALIDATION_FAILED').detail).toBe('/body/address/longitude is required');
  });

  it('400 for a query string out of range (query strings are coerced: "5" is 5)', async () => {
    expect((await app.inject({ url: '/search?limit=5', headers: auth() })).json()).toEqual({ limit: 5 });
    const body = expectProblem(
      await app.inject({ url: '/search?limit=500', headers: auth() }),
      400,
      'VALIDATION_FAILED',
    );
    expect(body.errors).toEqual([
      { pointer: '/querystring/limit', detail: 'must be <= 100', rule: 'maximum', limit: 100 },
    ]);
  });

  it('400 for a body that is not JSON', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/things',
      headers: { ...auth(), 'content-type': 'application/json' },
      payload: '{"title": ',
    });
    const body = expectProblem(response, 400, 'VALIDATION_FAILED');
    expect((body.errors as { pointer: string }[])[0]!.pointer).toBe('/body');
  });

  it('401 without a token, with the bearer challenge', async () => {
    const response = await app.inject({ url: '/whoami' });
    expectProblem(response, 401, 'UNAUTHENTICATED');
    expect(response.headers['www-authenticate']).toBe('Bearer realm="estia"');
  });

  it('401 with an invalid or expired token, naming invalid_token', async () => {
    const expired = await issuer.sign({ expiresInSeconds: -600 });
    const response = await app.inject({ url: '/whoami', headers: { authorization: `Bearer ${expired}` } });
    expect(expectProblem(response, 401, 'UNAUTHENTICATED').detail).toBe('token expired');
    expect(response.headers['www-authenticate']).toBe(
      'Bearer realm="estia", error="invalid_token", error_description="token expired"',
    );
    expectProblem(
      await app.inject({ url: '/whoami', headers: { authorization: 'Basic dXNlcjpwYXNz' } }),
      401,
      'UNAUTHENTICATED',
    );
  });

  it('401 comes before the body is even parsed', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/things',
      headers: { 'content-type': 'text/plain' },
      payload: 'x'.repeat(5000),
    });
    expectProblem(response, 401, 'UNAUTHENTICATED');
  });

  it('403 when the roles or scopes do not fit', async () => {
    expect(expectProblem(await app.inject({ url: '/admin', headers: auth() }), 403, 'FORBIDDEN').detail).toBe(
      'Requires one of the roles: network_admin',
    );
    const scoped = await app.inject({ url: '/scoped', headers: auth() });
    expect(expectProblem(scoped, 403, 'INSUFFICIENT_SCOPE')).toMatchObject({
      error: 'insufficient_scope',
      scope: 'directory:write',
    });
    expect(scoped.headers['www-authenticate']).toBe(
      'Bearer realm="estia", error="insufficient_scope", scope="directory:write"',
    );
    const coach = await issuer.sign({ roles: ['job_coach'] });
    const post = await app.inject({
      method: 'POST',
      url: '/things',
      headers: { authorization: `Bearer ${coach}` },
      payload: { title: 't', address: { latitude: 1, longitude: 1 } },
    });
    expectProblem(post, 403, 'FORBIDDEN');
  });

  it('404 from the domain and for unknown routes (with or without a token)', async () => {
    expect(expectProblem(await app.inject({ url: '/things/42', headers: auth() }), 404, 'NOT_FOUND').detail).toBe(
      'No thing 42',
    );
    expect(expectProblem(await app.inject({ url: '/nowhere?name=Jane' }), 404, 'NOT_FOUND')).toMatchObject({
      detail: 'No route for GET /nowhere',
      instance: '/nowhere',
    });
  });

  it('405 with Allow for a known path asked with a method it does not have', async () => {
    const answer = await app.inject({ method: 'DELETE', url: '/things', headers: auth() });
    expectProblem(answer, 405, 'METHOD_NOT_ALLOWED');
    expect(answer.headers.allow).toMatch(/POST/);
  });

  it('409 from an AppError, with its extensions', async () => {
    const body = expectProblem(
      await app.inject({ method: 'POST', url: '/conflict', headers: auth() }),
      409,
      'CONFLICT',
    );
    expect(body).toMatchObject({
      detail: 'Organisation already applied',
      organisationId: 'org-1',
      instance: '/conflict',
    });
  });

  it('413 above the body limit', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/things',
      headers: auth(),
      payload: { title: 'x'.repeat(5000), address: { latitude: 1, longitude: 1 } },
    });
    expectProblem(response, 413, 'PAYLOAD_TOO_LARGE');
  });

  it('415 for a content type other than JSON', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/things',
      headers: { ...auth(), 'content-type': 'text/plain' },
      payload: 'title=x',
    });
    expectProblem(response, 415, 'UNSUPPORTED_MEDIA_TYPE');
    const form = await app.inject({
      method: 'POST',
      url: '/things',
      headers: { ...auth(), 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'title=x',
    });
    expectProblem(form, 415, 'UNSUPPORTED_MEDIA_TYPE');
  });

  it('429 past the rate limit, with Retry-After', async () => {
    expect((await app.inject({ url: '/limited' })).statusCode).toBe(200);
    expect((await app.inject({ url: '/limited' })).statusCode).toBe(200);
    const limited = await app.inject({ url: '/limited' });
    expectProblem(limited, 429, 'RATE_LIMITED');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('500 without internal messages or stacks; the error is logged with the request id', async () => {
    const response = await app.inject({ url: '/boom', headers: { ...auth(), 'x-request-id': 'req-boom-1' } });
    const body = expectProblem(response, 500, 'INTERNAL');
    expect(response.body).not.toMatch(/hunter2|postgres|secret\.ts|stack|at /);
    expect(body.detail).toBe('An internal error occurred; quote the request id when reporting it');
    expect(body.requestId).toBe('req-boom-1');
    const logged = logs.lines().find((line) => line.requestId === 'req-boom-1' && line.level === 50);
    expect(logged).toBeDefined();
    expect((logged!.err as { message: string }).message).toContain('connection to postgres');
    const internalApp = await app.inject({ url: '/internal-app-error', headers: auth() });
    expectProblem(internalApp, 500, 'CHAIN_BROKEN');
    expect(internalApp.body).not.toContain('referral-1');
  });

  it('a lost database connection is 503 with Retry-After (retry with the same key), logged as a warning', async () => {
    const response = await app.inject({ url: '/database-gone', headers: { ...auth(), 'x-request-id': 'req-gone-1' } });
    const body = expectProblem(response, 503, 'SERVICE_UNAVAILABLE');
    expect(response.headers['retry-after']).toBe('1');
    expect(body.detail).toBe('The service lost its database connection; retry shortly');
    const logged = logs.lines().find((line) => line.requestId === 'req-gone-1' && line.level === 40);
    expect(logged).toMatchObject({ code: 'SERVICE_UNAVAILABLE' });
  });

  it('public routes need no token', async () => {
    expect((await app.inject({ url: '/public' })).json()).toEqual({ public: true });
  });
});

describe('request and correlation ids', () => {
  it('echoes well-formed ids and generates missing or malformed ones', async () => {
    const given = await app.inject({
      url: '/public',
      headers: { 'x-request-id': 'gw-123', 'x-correlation-id': 'conv-9' },
    });
    expect(given.headers['x-request-id']).toBe('gw-123');
    expect(given.headers['x-correlation-id']).toBe('conv-9');
    const fresh = await app.inject({ url: '/public', headers: { 'x-request-id': 'bad id\nforged: line' } });
    expect(fresh.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(fresh.headers['x-correlation-id']).toBe(fresh.headers['x-request-id']);
  });

  it('gives handlers event metadata with the ids and the acting organisation/user', async () => {
    const token = await issuer.sign({ subject: 'user-5', organisationId: 'org-7' });
    const response = await app.inject({
      url: '/whoami',
      headers: { authorization: `Bearer ${token}`, 'x-request-id': 'r-1', 'x-correlation-id': 'c-1' },
    });
    expect(response.json()).toEqual({
      metadata: { correlationId: 'c-1', causationId: 'r-1', actor: { organisationId: 'org-7', userId: 'user-5' } },
    });
    const client = await issuer.sign({ subject: 'cli-1', clientId: 'cli-1', organisationId: 'org-7' });
    const asClient = await app.inject({ url: '/whoami', headers: { authorization: `Bearer ${client}` } });
    expect((asClient.json() as { metadata: { actor: unknown } }).metadata.actor).toEqual({
      organisationId: 'org-7',
      clientId: 'cli-1',
    });
  });
});
