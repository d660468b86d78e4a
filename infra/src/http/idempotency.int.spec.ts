import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { createTestIssuer, type TestIssuer } from '../auth/testIssuer.js';
import { createTokenVerifier } from '../auth/tokenVerifier.js';
import { AppError } from '../errors/appError.js';
import { createPostgresDatabase } from '../sql/postgresDatabase.js';
import { createSqliteDatabase } from '../sql/sqliteDatabase.js';
import type { SqlDatabase } from '../sql/types.js';
import { PG_URL, dropSchema, postgresAvailable, randomSchemaName } from '../testing/postgres.js';
import { createHttpApp } from './createHttpApp.js';
import { purgeExpiredIdempotencyKeys } from './idempotency.js';
import { createLogger } from './logger.js';

const pgUp = await postgresAvailable();
const pgSchema = randomSchemaName('idem');

const backends: { name: string; up: boolean; open: () => Promise<SqlDatabase>; cleanup: () => Promise<void> }[] = [
  { name: 'sqlite', up: true, open: () => createSqliteDatabase({ path: ':memory:' }), cleanup: async () => undefined },
  {
    name: 'postgres',
    up: pgUp,
    open: () => createPostgresDatabase({ url: PG_URL, schema: pgSchema, max: 4 }),
    cleanup: () => dropSchema(pgSchema),
  },
];

describe.each(backends)('Idempotency-Key on $name', ({ up, open, cleanup }) => {
  let app: FastifyInstance;
  let db: SqlDatabase;
  let issuer: TestIssuer;
  let token: string;
  let created = 0;
  let failNext = false;
  let gate: Promise<void> | undefined;
  let entered: (() => void) | undefined;
  let clock = 1_000_000;

  beforeAll(async () => {
    if (!up) return;
    issuer = await createTestIssuer();
    token = await issuer.sign({ organisationId: 'org-a', subject: 'u-1' });
    db = await open();
    app = await createHttpApp({
      service: 'test',
      logger: createLogger({ service: 'test', level: 'silent' }),
      auth: { verifier: createTokenVerifier({ jwks: issuer.jwks }) },
      db,
      idempotency: { now: () => clock, retentionMs: 60_000, lockTimeoutMs: 5_000 },
      rateLimit: false,
    });
    app.post(
      '/referrals',
      {
        config: { idempotent: true },
        schema: {
          body: {
            type: 'object',
            required: ['need'],
            properties: { need: { type: 'string' }, note: { type: 'string' } },
            additionalProperties: false,
          },
        },
      },
      async (_request, reply) => {
        if (failNext) {
          failNext = false;
          throw new AppError('BUSINESS_RULE_VIOLATED', 'no consent');
        }
        if (gate) {
          entered?.();
          await gate;
        }
        created++;
        return reply
          .code(201)
          .header('location', `/referrals/r-${created}`)
          .header('etag', '"0"')
          .send({ id: `r-${created}` });
      },
    );
    await app.ready();
  });
  afterAll(async () => {
    if (!up) return;
    await app.close();
    await db.close();
    await cleanup();
  });

  const post = (key: string | undefined, body: unknown, bearer = token) =>
    app.inject({
      method: 'POST',
      url: '/referrals',
      headers: { authorization: `Bearer ${bearer}`, ...(key ? { 'idempotency-key': key } : {}) },
      payload: body as object,
    });

  it.skipIf(!up)('replays the stored response for the same key and body, creating once', async () => {
    const before = created;
    const first = await post('k-1', { need: 'housing', note: 'x' });
    expect(first.statusCode).toBe(201);
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    // Same body with keys in another order is the same request.
    const again = await post('k-1', { note: 'x', need: 'housing' });
    expect(again.statusCode).toBe(201);
    expect(again.body).toBe(first.body);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.headers.location).toBe(first.headers.location);
    expect(again.headers.etag).toBe('"0"');
    expect(again.headers['content-type']).toBe(first.headers['content-type']);
    expect(created).toBe(before + 1);
  });

  it.skipIf(!up)('422 for the same key with a different body', async () => {
    await post('k-2', { need: 'legal' });
    const reused = await post('k-2', { need: 'medical' });
    expect(reused.statusCode).toBe(422);
    expect(reused.json()).toMatchObject({
      code: 'IDEMPOTENCY_KEY_REUSED',
      errors: [{ pointer: '/headers/idempotency-key' }],
    });
  });

  it.skipIf(!up)(
    'a concurrent duplicate gets 409 while the first is in progress, never a second creation',
    async () => {
      const before = created;
      let release!: () => void;
      gate = new Promise((resolve) => (release = resolve));
      const inside = new Promise<void>((resolve) => (entered = resolve));
      const first = post('k-3', { need: 'language' });
      await inside;
      const duplicate = await post('k-3', { need: 'language' });
      expect(duplicate.statusCode).toBe(409);
      expect(duplicate.json()).toMatchObject({ code: 'CONFLICT', detail: expect.stringMatching(/in progress/) });
      release();
      gate = undefined;
      expect((await first).statusCode).toBe(201);
      const replay = await post('k-3', { need: 'language' });
      expect(replay.headers['idempotent-replayed']).toBe('true');
      expect(created).toBe(before + 1);
    },
  );

  it.skipIf(!up)('keys are scoped per principal', async () => {
    const before = created;
    await post('shared-key', { need: 'housing' });
    const other = await issuer.sign({ organisationId: 'org-b', subject: 'u-2' });
    const theirs = await post('shared-key', { need: 'housing' }, other);
    expect(theirs.headers['idempotent-replayed']).toBeUndefined();
    expect(created).toBe(before + 2);
  });

  it.skipIf(!up)('a refused request releases its key, so the retry runs', async () => {
    failNext = true;
    const refused = await post('k-4', { need: 'housing' });
    expect(refused.statusCode).toBe(422);
    const retry = await post('k-4', { need: 'housing' });
    expect(retry.statusCode).toBe(201);
    expect(retry.headers['idempotent-replayed']).toBeUndefined();
    // Invalid bodies never claim a key either.
    expect((await post('k-5', { colour: 'red' })).statusCode).toBe(400);
    expect((await post('k-5', { need: 'x' })).headers['idempotent-replayed']).toBeUndefined();
  });

  it.skipIf(!up)('without a key the request simply runs; a malformed key is a 400', async () => {
    const before = created;
    await post(undefined, { need: 'a' });
    await post(undefined, { need: 'a' });
    expect(created).toBe(before + 2);
    const bad = await post('a'.repeat(300), { need: 'a' });
    expect(bad.statusCode).toBe(400);
  });

  it.skipIf(!up)('an in-progress key whose holder died is taken over after the lock timeout', async () => {
    await post('k-7', { need: 'a' });
    // As if the process had crashed mid-request: the row stays in progress.
    await db.execute(`UPDATE estia_idempotency SET state = 'in_progress', locked_at = $1 WHERE idem_key = $2`, [
      clock - 1_000,
      'k-7',
    ]);
    expect((await post('k-7', { need: 'a' })).statusCode).toBe(409);
    await db.execute('UPDATE estia_idempotency SET locked_at = $1 WHERE idem_key = $2', [clock - 6_000, 'k-7']);
    const before = created;
    const takenOver = await post('k-7', { need: 'a' });
    expect(takenOver.statusCode).toBe(201);
    expect(takenOver.headers['idempotent-replayed']).toBeUndefined();
    expect(created).toBe(before + 1);
    expect((await post('k-7', { need: 'a' })).headers['idempotent-replayed']).toBe('true');
  });

  it.skipIf(!up)('expired keys are forgotten and purged', async () => {
    const before = created;
    await post('k-6', { need: 'a' });
    clock += 61_000;
    const later = await post('k-6', { need: 'a' });
    expect(later.headers['idempotent-replayed']).toBeUndefined();
    expect(created).toBe(before + 2);
    clock += 61_000;
    expect(await purgeExpiredIdempotencyKeys(db, clock)).toBeGreaterThan(0);
    expect(await db.query('SELECT idem_key FROM estia_idempotency')).toEqual([]);
  });
});
