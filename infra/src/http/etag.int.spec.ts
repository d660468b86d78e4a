import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handleCommand } from '../commandHandling/handleCommand.js';
import type { Decider } from '../decider/types.js';
import { createSqliteEventStore } from '../eventStore/sqlite/sqliteEventStore.js';
import type { EventStore } from '../eventStore/types.js';
import { createHttpApp } from './createHttpApp.js';
import { etagFor, expectedVersionFromIfMatch, requireIfMatch, setEtag } from './etag.js';
import { createLogger } from './logger.js';
import { eventMetadataFor } from './requestContext.js';

type Event = { type: 'Noted'; data: { text: string } };
type Command = { type: 'Note'; text: string };
const notes: Decider<{ count: number }, Command, Event> = {
  initialState: () => ({ count: 0 }),
  decide: (command) => [{ type: 'Noted', data: { text: command.text } }],
  evolve: (state) => ({ count: state.count + 1 }),
};

const dir = mkdtempSync(join(tmpdir(), 'estia-etag-'));
let store: EventStore;
let app: FastifyInstance;
// Lets a test change the stream between the handler's read and its append.
let beforeAppend: (() => Promise<void>) | undefined;

beforeAll(async () => {
  store = createSqliteEventStore({ path: join(dir, 'events.sqlite') });
  app = await createHttpApp({
    service: 'test',
    logger: createLogger({ service: 'test', level: 'silent' }),
    auth: false,
    rateLimit: false,
  });
  app.get('/notes/:id', async (request, reply) => {
    const id = (request.params as { id: string }).id;
    const version = await store.streamVersion(`notes-${id}`);
    return setEtag(reply, version).send({ id, version });
  });
  app.post('/notes/:id', async (request, reply) => {
    const id = (request.params as { id: string }).id;
    const result = await handleCommand({
      store,
      streamId: `notes-${id}`,
      decider: notes,
      command: { type: 'Note', text: (request.body as { text: string }).text },
      expectedVersion: expectedVersionFromIfMatch(request),
      metadata: eventMetadataFor(request),
      codec: {
        decode: (stored) => stored as unknown as Event,
        encode: async (event, metadata) => {
          await beforeAppend?.();
          return { type: event.type, data: event.data, metadata };
        },
      },
    });
    return setEtag(reply, result.nextExpectedVersion).code(200).send({ count: result.state.count });
  });
  app.put('/strict/:id', async (request) => ({ expected: requireIfMatch(request) }));
  await app.ready();
});
afterAll(async () => {
  await app.close();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

const note = (id: string, headers: Record<string, string> = {}) =>
  app.inject({ method: 'POST', url: `/notes/${id}`, headers, payload: { text: 't' } });

describe('ETag / If-Match on aggregates', () => {
  it('sets a strong ETag from the stream revision and accepts it back', async () => {
    const created = await note('a');
    expect(created.headers.etag).toBe('"0"');
    expect((await app.inject({ url: '/notes/a' })).headers.etag).toBe('"0"');
    const next = await note('a', { 'if-match': '"0"' });
    expect(next.statusCode).toBe(200);
    expect(next.headers.etag).toBe('"1"');
    expect((await note('a', { 'if-match': '"1"' })).headers.etag).toBe('"2"');
    expect((await note('a', { 'if-match': '*' })).statusCode).toBe(200);
    expect(etagFor(4)).toBe('"4"');
    // If-Match compares strongly: a weak tag never matches, even with the right number.
    const weak = await note('a', { 'if-match': 'W/"3"' });
    expect(weak.statusCode).toBe(412);
    expect(await store.streamVersion('notes-a')).toBe(3);
  });

  it('412 for a stale If-Match, with nothing appended', async () => {
    await note('b');
    await note('b');
    const stale = await note('b', { 'if-match': '"0"' });
    expect(stale.statusCode).toBe(412);
    expect(stale.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(stale.json()).toMatchObject({ code: 'PRECONDITION_FAILED', status: 412, currentVersion: 1 });
    expect(stale.headers.etag).toBe('"1"');
    expect(await store.streamVersion('notes-b')).toBe(1);
    expect((await note('never', { 'if-match': '*' })).statusCode).toBe(412);
  });

  it('409 when the stream changes concurrently and the request had no If-Match', async () => {
    await note('c');
    beforeAppend = async () => {
      beforeAppend = undefined;
      await store.append('notes-c', [{ type: 'Noted', data: { text: 'sneaky' } }], { expectedVersion: 0 });
    };
    const conflicted = await note('c');
    expect(conflicted.statusCode).toBe(409);
    expect(conflicted.json()).toMatchObject({ code: 'STREAM_VERSION_CONFLICT', status: 409 });
    expect((await store.readStream('notes-c')).map((e) => (e.data as { text: string }).text)).toEqual(['t', 'sneaky']);
  });

  it('412 (not 409) when the concurrent change races a request that had If-Match', async () => {
    await note('d');
    beforeAppend = async () => {
      beforeAppend = undefined;
      await store.append('notes-d', [{ type: 'Noted', data: { text: 'sneaky' } }], { expectedVersion: 0 });
    };
    expect((await note('d', { 'if-match': '"0"' })).statusCode).toBe(412);
  });

  it('400 for a malformed If-Match; 428 where If-Match is required', async () => {
    const bad = await note('e', { 'if-match': '"1", "2"' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ errors: [{ pointer: '/headers/if-match' }] });
    const missing = await app.inject({ method: 'PUT', url: '/strict/x' });
    expect(missing.statusCode).toBe(428);
    expect((await app.inject({ method: 'PUT', url: '/strict/x', headers: { 'if-match': '"7"' } })).json()).toEqual({
      expected: 7,
    });
  });
});
