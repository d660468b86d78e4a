import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestIssuer, type TestIssuer } from '../auth/testIssuer.js';
import { createTokenVerifier } from '../auth/tokenVerifier.js';
import { createPostgresEventStore } from '../eventStore/postgres/postgresEventStore.js';
import { createSqliteEventStore } from '../eventStore/sqlite/sqliteEventStore.js';
import type { EventStore } from '../eventStore/types.js';
import { PG_URL, dropSchema, postgresAvailable, randomSchemaName } from '../testing/postgres.js';
import { ticketStream, ticketsRoutes } from '../testing/ticketsApp.js';
import { createHttpApp } from './createHttpApp.js';
import { pruneIdempotencyRecords } from './idempotency.js';
import { createLogger } from './logger.js';

const pgUp = await postgresAvailable();
const pgSchema = randomSchemaName('idem');
const dir = mkdtempSync(join(tmpdir(), 'estia-idem-'));

const backends: { name: string; up: boolean; open: () => Promise<EventStore>; cleanup: () => Promise<void> }[] = [
  {
    name: 'sqlite',
    up: true,
    open: async () => createSqliteEventStore({ path: join(dir, 'events.sqlite') }),
    cleanup: async () => rmSync(dir, { recursive: true, force: true }),
  },
  {
    name: 'postgres',
    up: pgUp,
    open: () => createPostgresEventStore({ connectionString: PG_URL, schema: pgSchema, poolSize: 8 }),
    cleanup: () => dropSchema(pgSchema),
  },
];

describe.each(backends)('Idempotency-Key on the $name event store', ({ up, open, cleanup }) => {
  let store: EventStore;
  let app: FastifyInstance;
  let issuer: TestIssuer;
  let token: string;

  const start = async (): Promise<FastifyInstance> => {
    const http = await createHttpApp({
      service: 'test',
      logger: createLogger({ service: 'test', level: 'silent' }),
      auth: { verifier: createTokenVerifier(issuer.verifierOptions) },
      store,
      rateLimit: false,
    });
    await ticketsRoutes(http, store);
    await http.ready();
    return http;
  };

  beforeAll(async () => {
    if (!up) return;
    issuer = await createTestIssuer();
    token = await issuer.sign({ organisationId: 'org-a', subject: 'u-1' });
    store = await open();
    app = await start();
  });
  afterAll(async () => {
    if (!up) return;
    await app.close();
    await store.close();
    await cleanup();
  });

  const post = (key: string | undefined, body: unknown, options: { bearer?: string; url?: string } = {}) =>
    app.inject({
      method: 'POST',
      url: options.url ?? '/tickets',
      headers: { authorization: `Bearer ${options.bearer ?? token}`, ...(key ? { 'idempotency-key': key } : {}) },
      payload: body as object,
    });
  const tickets = async (): Promise<string[]> => store.listStreams({ prefix: 'ticket-' });

  it.skipIf(!up)(
    'a retry gets the original answer (status, body, Location, ETag) and nothing is created twice',
    async () => {
      const before = (await tickets()).length;
      const first = await post('k-1', { title: 'housing' });
      expect(first.statusCode).toBe(201);
      expect(first.headers['idempotent-replayed']).toBeUndefined();
      const { ticketId, openedAt } = first.json() as { ticketId: string; openedAt: string };
      expect(first.headers.location).toBe(`/tickets/${ticketId}`);
      expect(first.headers.etag).toBe('"0"');
      // The answer is the decision's: its time is the one the store recorded.
      expect(openedAt).toBe((await store.readStream(ticketStream(ticketId)))[0]!.recordedAt);

      const again = await post('k-1', { title: 'housing' });
      expect(again.statusCode).toBe(201);
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(again.body).toBe(first.body);
      expect(again.headers.location).toBe(first.headers.location);
      expect(again.headers.etag).toBe(first.headers.etag);
      expect(again.headers['content-type']).toBe(first.headers['content-type']);
      expect((await tickets()).length).toBe(before + 1);
    },
  );

  it.skipIf(!up)('the answer survives a restart: it is in the store, not in the process', async () => {
    const first = await post('k-restart', { title: 'legal' });
    await app.close();
    app = await start();
    const again = await post('k-restart', { title: 'legal' });
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toBe(first.body);
  });

  it.skipIf(!up)('422 for the same key with a different body; keys are per caller', async () => {
    await post('k-2', { title: 'legal' });
    const reused = await post('k-2', { title: 'medical' });
    expect(reused.statusCode).toBe(422);
    expect(reused.json()).toMatchObject({
      code: 'IDEMPOTENCY_KEY_REUSED',
      errors: [{ pointer: '/headers/idempotency-key' }],
    });
    const other = await issuer.sign({ organisationId: 'org-b', subject: 'u-2' });
    const theirs = await post('k-2', { title: 'medical' }, { bearer: other });
    expect(theirs.statusCode).toBe(201);
    expect(theirs.headers['idempotent-replayed']).toBeUndefined();
  });

  it.skipIf(!up)('concurrent duplicates: exactly one commits and every one gets its answer', async () => {
    const before = (await tickets()).length;
    const answers = await Promise.all(Array.from({ length: 16 }, () => post('k-race', { title: 'race' })));
    expect(answers.map((a) => a.statusCode)).toEqual(Array(16).fill(201));
    expect(new Set(answers.map((a) => a.body)).size).toBe(1);
    expect(new Set(answers.map((a) => a.headers.location)).size).toBe(1);
    expect((await tickets()).length).toBe(before + 1);
  });

  it.skipIf(!up)(
    'a refused command records nothing, so its retry runs again; bad input never reads a key',
    async () => {
      const refused = await post('k-4', { title: 'refuse' });
      expect(refused.statusCode).toBe(422);
      expect(await store.readIdempotencyRecord('org-a/u-1', 'k-4')).toBeNull();
      expect((await post('k-4', { title: 'refuse' })).headers['idempotent-replayed']).toBeUndefined();
      expect((await post('k-5', { colour: 'red' })).statusCode).toBe(400);
      expect((await post('k-5', { title: 'x' })).headers['idempotent-replayed']).toBeUndefined();
    },
  );

  it.skipIf(!up)('without a key each request runs; a malformed key is a 400 naming the header', async () => {
    const before = (await tickets()).length;
    await post(undefined, { title: 'a' });
    await post(undefined, { title: 'a' });
    expect((await tickets()).length).toBe(before + 2);
    const bad = await post('a'.repeat(300), { title: 'a' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ errors: [{ pointer: '/headers/idempotency-key' }] });
  });

  it.skipIf(!up)('a command writing two streams commits both with its record; its retries write nothing', async () => {
    const { ticketId } = (await post(undefined, { title: 'original' })).json() as { ticketId: string };
    const url = `/tickets/${ticketId}/split`;
    const answers = await Promise.all(Array.from({ length: 8 }, () => post('k-split', { title: 'part' }, { url })));
    expect(new Set(answers.map((a) => a.body)).size).toBe(1);
    const into = (answers[0]!.json() as { ticketId: string }).ticketId;
    const original = await store.readStream(ticketStream(ticketId));
    expect(original.map((e) => e.type)).toEqual(['TicketOpened', 'TicketSplit']);
    expect(original[1]!.data).toEqual({ ticketId, into });
    expect(await store.readStream(ticketStream(into))).toHaveLength(1);
  });

  it.skipIf(!up)('records are pruned by age; the events stay', async () => {
    await post('k-6', { title: 'a' });
    expect(await pruneIdempotencyRecords(store, new Date(Date.now() + 1_000))).toBeGreaterThan(0);
    expect(await store.readIdempotencyRecord('org-a/u-1', 'k-6')).toBeNull();
    const later = await post('k-6', { title: 'a' });
    expect(later.headers['idempotent-replayed']).toBeUndefined();
  });
});
