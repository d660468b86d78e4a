import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import type { EventEnvelope } from '@estia/contracts';
import { createEmbeddedBus } from '../bus/embedded/embeddedBus.js';
import type { Bus } from '../bus/types.js';
import { createSqliteEventStore } from '../eventStore/sqlite/sqliteEventStore.js';
import { createPostgresDatabase } from '../sql/postgresDatabase.js';
import { createSqliteDatabase } from '../sql/sqliteDatabase.js';
import type { SqlDatabase, SqlExecutor } from '../sql/types.js';
import { PG_URL, dropSchema, postgresAvailable, randomSchemaName } from '../testing/postgres.js';
import { checkpointStore } from './checkpointStore.js';
import { startConsumer } from './consumer.js';
import { contractsEnvelopeValidator } from './envelopeValidator.js';
import { deadLetterStore } from './deadLetterStore.js';
import { startRelay } from './relay.js';
import { EFFECTS_DDL, testEnvelope, testRelayMapper } from './testWorkers/testEnvelope.js';

const dir = mkdtempSync(join(tmpdir(), 'estia-processors-'));
const pgAvailable = await postgresAvailable();
const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
  rmSync(dir, { recursive: true, force: true });
});

const eventually = async (probe: () => Promise<boolean>, what: string): Promise<void> => {
  const deadline = Date.now() + 20_000;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
};

const count = async (db: SqlDatabase, sql: string, params: unknown[] = []): Promise<number> =>
  Number((await db.query<{ n: number | string }>(sql, params))[0]?.n ?? 0);

const newBus = (): Bus => {
  const bus = createEmbeddedBus({ path: join(dir, `bus-${randomUUID()}.sqlite`), pollIntervalMs: 5 });
  cleanups.push(() => bus.close());
  return bus;
};

const databases: { name: string; skip: boolean; open: () => Promise<SqlDatabase> }[] = [
  {
    name: 'SQLite',
    skip: false,
    open: async () => {
      const db = await createSqliteDatabase({ path: join(dir, `db-${randomUUID()}.sqlite`) });
      cleanups.push(() => db.close());
      return db;
    },
  },
  {
    name: 'PostgreSQL',
    skip: !pgAvailable,
    open: async () => {
      const schema = randomSchemaName('processors');
      const db = await createPostgresDatabase({ url: PG_URL, schema, max: 4 });
      cleanups.push(async () => {
        await db.close();
        await dropSchema(schema);
      });
      return db;
    },
  },
];

for (const target of databases) {
  describe.skipIf(target.skip)(`processors on ${target.name}`, () => {
    it('applies a redelivered event once, rolls back a failed attempt and checkpoints the offset', async () => {
      const bus = newBus();
      const db = await target.open();
      await db.execute(EFFECTS_DDL);
      const topic = 'estia.registry';
      const first = testEnvelope('org-1', { seq: 0 });
      const flaky = testEnvelope('org-1', { seq: 1 });
      // The same event published twice, as a relay that crashed before its checkpoint would.
      await bus.publish(topic, [
        { key: 'org-1', value: first },
        { key: 'org-1', value: first },
        { key: 'org-1', value: flaky },
      ]);
      const group = `g-${randomUUID()}`;
      let flakyRuns = 0;
      const consumer = await startConsumer({
        // Test event types are not in the contracts catalogue: check the envelope schema only.
        validate: contractsEnvelopeValidator,
        bus,
        db,
        group,
        topics: [topic],
        backoff: { initialMs: 5, maxMs: 10 },
        handle: async (tx, envelope) => {
          const seq = (envelope.data as { seq: number }).seq;
          await tx.execute('INSERT INTO effects (event_id, subject, seq) VALUES ($1, $2, $3)', [
            envelope.id,
            envelope.subject,
            seq,
          ]);
          if (envelope.id === flaky.id && ++flakyRuns < 3) throw new Error('transient');
        },
      });
      await eventually(async () => (await count(db, 'SELECT COUNT(*) AS n FROM estia_inbox')) === 2, 'both events');
      await consumer.stop();
      expect(flakyRuns).toBe(3);
      const rows = await db.query<{ event_id: string }>('SELECT event_id FROM effects ORDER BY seq');
      expect(rows.map((r) => r.event_id)).toEqual([first.id, flaky.id]);
      const [offset] = await db.query<{ msg_offset: string }>(
        'SELECT msg_offset FROM estia_consumer_offsets WHERE consumer = $1 AND topic = $2',
        [group, topic],
      );
      expect(offset?.msg_offset).toBe('2');
      expect(await deadLetterStore.count(db, group)).toBe(0);
    });

    it('in batch mode handles each event once, leaves out what the inbox holds and parks a poison event alone', async () => {
      const bus = newBus();
      const db = await target.open();
      await db.execute(EFFECTS_DDL);
      const topic = 'estia.registry';
      const [a, b, poison, c] = [0, 1, 2, 3].map((seq) => testEnvelope('org-1', { seq }));
      const group = `g-${randomUUID()}`;
      const batches: string[][] = [];
      const insert = (tx: SqlExecutor, e: EventEnvelope) =>
        tx.execute('INSERT INTO effects (event_id, subject, seq) VALUES ($1, $2, $3)', [
          e.id,
          e.subject,
          (e.data as { seq: number }).seq,
        ]);
      let poisonRuns = 0;
      const consumer = await startConsumer({
        validate: contractsEnvelopeValidator,
        bus,
        db,
        group,
        topics: [topic],
        maxAttempts: 3,
        backoff: { initialMs: 5, maxMs: 10 },
        handle: async (tx, envelope) => {
          await insert(tx, envelope);
          if (envelope.id === poison!.id) {
            poisonRuns += 1;
            throw new Error('poison');
          }
        },
        handleBatch: async (tx, items) => {
          batches.push(items.map((item) => item.envelope.id));
          for (const { envelope } of items) {
            await insert(tx, envelope);
            if (envelope.id === poison!.id) throw new Error('poison');
          }
        },
      });
      // A batch with a duplicate inside it, then a redelivery of `a` beside a new event.
      await bus.publish(topic, [
        { key: 'org-1', value: a! },
        { key: 'org-1', value: a! },
      ]);
      await eventually(async () => (await count(db, 'SELECT COUNT(*) AS n FROM estia_inbox')) === 1, 'a');
      await bus.publish(topic, [
        { key: 'org-1', value: a! },
        { key: 'org-1', value: b! },
      ]);
      await eventually(async () => (await count(db, 'SELECT COUNT(*) AS n FROM estia_inbox')) === 2, 'b');
      await bus.publish(topic, [
        { key: 'org-1', value: poison! },
        { key: 'org-1', value: c! },
      ]);
      await eventually(async () => (await deadLetterStore.count(db, group)) === 1, 'the dead letter');
      await eventually(async () => (await count(db, 'SELECT COUNT(*) AS n FROM estia_inbox')) === 4, 'c');
      await consumer.stop();
      expect(batches.slice(0, 3)).toEqual([[a!.id], [b!.id], [poison!.id, c!.id]]);
      expect(poisonRuns).toBe(3);
      const rows = await db.query<{ event_id: string }>('SELECT event_id FROM effects ORDER BY seq');
      expect(rows.map((r) => r.event_id)).toEqual([a!.id, b!.id, c!.id]);
      const [letter] = await deadLetterStore.list(db, { consumer: group });
      expect(letter).toMatchObject({ eventId: poison!.id, attempts: 3 });
      const [offset] = await db.query<{ msg_offset: string }>(
        'SELECT msg_offset FROM estia_consumer_offsets WHERE consumer = $1 AND topic = $2',
        [group, topic],
      );
      expect(offset?.msg_offset).toBe('5');
    });

    it('a relay publishes public events only, checkpoints the last position and resumes after it', async () => {
      const bus = newBus();
      const db = await target.open();
      const storePath = join(dir, `store-${randomUUID()}.sqlite`);
      const store = createSqliteEventStore({ path: storePath, pollIntervalMs: 10 });
      cleanups.push(() => store.close());
      const topic = 'estia.referrals';
      await store.append('case-1', [
        { type: 'public.referral-sent', data: { seq: 0 } },
        { type: 'private.note-added', data: { seq: 1 } },
      ]);
      await store.append('case-2', [{ type: 'public.referral-sent', data: { seq: 2 } }]);
      const received: string[] = [];
      const raw = await bus.consume({
        group: `raw-${randomUUID()}`,
        topics: [topic],
        fromBeginning: true,
        handler: async (batch) =>
          void received.push(...batch.map((m) => `${m.key}:${(m.value.data as { seq: number }).seq}`)),
      });
      const relay = await startRelay({ store, db, bus, name: 'referrals.relay', map: testRelayMapper(topic) });
      await relay.caughtUp;
      const end = (await store.readAll()).at(-1)!.position;
      expect(relay.position()).toBe(end);
      expect(await checkpointStore.load(db, 'referrals.relay')).toBe(end);
      await relay.stop();

      await store.append('case-1', [{ type: 'public.referral-accepted', data: { seq: 3 } }]);
      const again = await startRelay({ store, db, bus, name: 'referrals.relay', map: testRelayMapper(topic) });
      await again.caughtUp;
      await eventually(async () => received.length >= 3, 'the relayed events');
      await again.stop();
      await raw.stop();
      expect(received).toEqual(['case-1:0', 'case-2:2', 'case-1:3']);
    });
  });
}

describe('consumer validation by default', () => {
  it('dead-letters an event the contracts do not describe, with the readable contracts error', async () => {
    const bus = newBus();
    const db = await databases[0]!.open();
    const unknown = testEnvelope('org-1', { seq: 0 });
    await bus.publish('estia.registry', [{ key: 'org-1', value: unknown }]);
    const group = `g-${randomUUID()}`;
    let handled = 0;
    const consumer = await startConsumer({
      bus,
      db,
      group,
      topics: ['estia.registry'],
      handle: async () => void (handled += 1),
    });
    await eventually(async () => (await deadLetterStore.count(db, group)) === 1, 'the dead letter');
    await consumer.stop();
    expect(handled).toBe(0);
    const [letter] = await deadLetterStore.list(db, { consumer: group });
    expect(letter).toMatchObject({ eventId: unknown.id, attempts: 0 });
    expect(letter!.error).toBe(`schema: /type is not a known event type: ${unknown.type}`);
  });
});
