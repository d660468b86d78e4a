import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestIssuer } from '../auth/testIssuer.js';
import { createPostgresEventStore } from '../eventStore/postgres/postgresEventStore.js';
import { createSqliteEventStore } from '../eventStore/sqlite/sqliteEventStore.js';
import type { EventStore } from '../eventStore/types.js';
import { startChildService } from '../testing/childService.js';
import { PG_URL, dropSchema, postgresAvailable, randomSchemaName } from '../testing/postgres.js';
import { ticketStream } from '../testing/ticketsApp.js';

const fixture = fileURLToPath(new URL('../testing/ticketsServer.fixture.ts', import.meta.url));
const pgUp = await postgresAvailable();
const dir = mkdtempSync(join(tmpdir(), 'estia-crash-'));
const pgSchema = randomSchemaName('crash');
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  if (pgUp) await dropSchema(pgSchema);
});

const backends: { name: string; up: boolean; env: Record<string, string>; open: () => Promise<EventStore> }[] = [
  {
    name: 'sqlite',
    up: true,
    env: { STORE: 'sqlite', EVENTS_PATH: join(dir, 'events.sqlite') },
    open: async () => createSqliteEventStore({ path: join(dir, 'events.sqlite') }),
  },
  {
    name: 'postgres',
    up: pgUp,
    env: { STORE: 'postgres', PG_URL, PG_SCHEMA: pgSchema },
    open: () => createPostgresEventStore({ connectionString: PG_URL, schema: pgSchema }),
  },
];

describe.each(backends)('a process killed between commit and answer ($name)', ({ up, env, open }) => {
  let jwks: string;
  let authorization: string;
  let store: EventStore;
  beforeAll(async () => {
    if (!up) return;
    const issuer = await createTestIssuer();
    jwks = JSON.stringify(issuer.jwks);
    authorization = `Bearer ${await issuer.sign({ organisationId: 'org-a', subject: 'u-1' })}`;
    store = await open();
  });
  afterAll(async () => store?.close());

  const start = (crashOn?: number) =>
    startChildService(fixture, { ...env, JWKS: jwks, ...(crashOn ? { CRASH_ON: String(crashOn) } : {}) });
  const post = (url: string, key: string, body: unknown) =>
    fetch(url, {
      method: 'POST',
      headers: { authorization, 'idempotency-key': key, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  it.skipIf(!up)('the retry gets the answer committed with the events: one ticket, not two', async () => {
    const before = await store.listStreams({ prefix: 'ticket-' });
    const doomed = await start(1);
    const lost = await post(`${doomed.url}/tickets`, 'crash-1', { title: 'housing' }).then(
      () => 'answered',
      () => 'connection lost',
    );
    expect(lost).toBe('connection lost');
    expect((await doomed.exited).signal).toBe('SIGKILL');
    const after = (await store.listStreams({ prefix: 'ticket-' })).filter((s) => !before.includes(s));
    expect(after).toHaveLength(1);

    const service = await start();
    try {
      const retry = await post(`${service.url}/tickets`, 'crash-1', { title: 'housing' });
      expect(retry.status).toBe(201);
      expect(retry.headers.get('idempotent-replayed')).toBe('true');
      const body = (await retry.clone().json()) as { ticketId: string; openedAt: string };
      // The original answer: it names the ticket the killed process created, with that commit's time.
      expect(ticketStream(body.ticketId)).toBe(after[0]);
      expect(retry.headers.get('location')).toBe(`/tickets/${body.ticketId}`);
      expect(retry.headers.get('etag')).toBe('"0"');
      expect(body.openedAt).toBe((await store.readStream(after[0]!))[0]!.recordedAt);
      const again = await post(`${service.url}/tickets`, 'crash-1', { title: 'housing' });
      expect(await again.text()).toBe(await retry.text());
      expect((await post(`${service.url}/tickets`, 'crash-1', { title: 'legal' })).status).toBe(422);
      expect((await store.listStreams({ prefix: 'ticket-' })).filter((s) => !before.includes(s))).toHaveLength(1);
    } finally {
      await service.stop();
    }
  });

  it.skipIf(!up)(
    'a command writing two streams: both were committed with the record, the retry adds nothing',
    async () => {
      const service = await start();
      const original = (await (await post(`${service.url}/tickets`, 'original-2', { title: 'case' })).json()) as {
        ticketId: string;
      };
      await service.stop();
      const doomed = await start(1);
      await post(`${doomed.url}/tickets/${original.ticketId}/split`, 'split-2', { title: 'part' }).catch(
        () => undefined,
      );
      expect((await doomed.exited).signal).toBe('SIGKILL');
      const link = (await store.readStream(ticketStream(original.ticketId))).filter((e) => e.type === 'TicketSplit');
      expect(link).toHaveLength(1);
      const into = (link[0]!.data as { into: string }).into;
      expect(await store.readStream(ticketStream(into))).toHaveLength(1);

      const again = await start();
      try {
        const retry = await post(`${again.url}/tickets/${original.ticketId}/split`, 'split-2', { title: 'part' });
        expect(retry.status).toBe(201);
        expect(((await retry.json()) as { ticketId: string }).ticketId).toBe(into);
        expect(await store.readStream(ticketStream(original.ticketId))).toHaveLength(2);
      } finally {
        await again.stop();
      }
    },
  );
});
