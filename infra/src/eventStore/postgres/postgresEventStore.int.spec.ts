import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventStoreContract } from '../../testing/eventStoreContract.js';
import { PG_URL, dropSchema, postgresAvailable, randomSchemaName } from '../../testing/postgres.js';
import type { StoredEvent } from '../types.js';
import { PostgresEventStore } from './postgresEventStore.js';

const pgUp = await postgresAvailable();

describe.skipIf(!pgUp)('PostgresEventStore', () => {
  eventStoreContract('postgres', async () => {
    const schema = randomSchemaName('es');
    const store = new PostgresEventStore({ connectionString: PG_URL, schema });
    await store.init();
    return {
      store,
      tamper: async (streamId, revision) => {
        const client = new pg.Client({ connectionString: PG_URL });
        await client.connect();
        await client.query(
          `UPDATE ${pg.escapeIdentifier(schema)}.events SET data = jsonb_set(data::jsonb, '{tampered}', '1')::text
            WHERE stream_id = $1 AND revision = $2`,
          [streamId, revision],
        );
        await client.end();
      },
      reopen: async () => new PostgresEventStore({ connectionString: PG_URL, schema }),
      cleanup: async () => {
        await store.close();
        await dropSchema(schema);
      },
    };
  });

  describe('a transaction held open for seconds', () => {
    const schema = randomSchemaName('es');
    let store: PostgresEventStore;
    let raw: pg.Client;
    beforeAll(async () => {
      store = new PostgresEventStore({ connectionString: PG_URL, schema, pollIntervalMs: 50 });
      await store.init();
      raw = new pg.Client({ connectionString: PG_URL });
      await raw.connect();
    });
    afterAll(async () => {
      await raw.end();
      await store.close();
      await dropSchema(schema);
    });

    it('delays readers instead of letting them skip its event', async () => {
      await store.append('before', [{ type: 'Before', data: {} }]);
      const seen: StoredEvent[] = [];
      const sub = store.subscribe((events) => void seen.push(...events));
      await sub.caughtUp;

      // A slow writer: takes its xid and inserts a row with the position the store would give it.
      await raw.query('BEGIN');
      await raw.query(
        `INSERT INTO ${pg.escapeIdentifier(schema)}.events
           (position, stream_id, revision, event_id, type, data, metadata, recorded_at, hash)
         VALUES ((pg_current_xact_id()::text::bigint << 16) + 1, 'slow', 0, 'slow-1', 'Slow', '{}', '{}', now(), 'x')`,
      );
      const fast = [];
      for (let i = 0; i < 20; i += 1) fast.push(await store.append(`fast-${i}`, [{ type: 'Fast', data: { i } }]));
      await new Promise((r) => setTimeout(r, 2_000));
      // Committed fast events sit above the open xid: nobody may read them yet, or the slow one is skipped.
      expect(seen.map((e) => e.type)).toEqual(['Before']);
      expect((await store.readAll()).map((e) => e.type)).toEqual(['Before']);
      await raw.query('COMMIT');

      const deadline = Date.now() + 5_000;
      while (seen.length < 22 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
      await sub.stop();
      const trace = seen.map((e) => `${e.type}@${e.position}`).join(' ');
      expect(
        seen.map((e) => e.type),
        trace,
      ).toEqual(['Before', 'Slow', ...fast.map(() => 'Fast')]);
      expect(seen.every((e, i) => i === 0 || e.position > seen[i - 1]!.position)).toBe(true);
    });
  });

  it('orders positions numerically across a change in digit count', async () => {
    const schema = randomSchemaName('es');
    const store = new PostgresEventStore({ connectionString: PG_URL, schema });
    await store.init();
    try {
      const raw = new pg.Client({ connectionString: PG_URL });
      await raw.connect();
      for (const [position, revision] of [
        [1_000_000, 1],
        [999_999, 0],
      ] as const) {
        await raw.query(
          `INSERT INTO ${pg.escapeIdentifier(schema)}.events
             (position, stream_id, revision, event_id, type, data, metadata, recorded_at, hash)
           VALUES ($1, 'digits', $2, $3, 'D', '{}', '{}', now(), 'x')`,
          [position, revision, `d-${revision}`],
        );
      }
      await raw.end();
      expect((await store.readAll()).map((e) => e.position)).toEqual([999_999, 1_000_000]);
      expect((await store.readAll({ types: ['D'] })).map((e) => e.position)).toEqual([999_999, 1_000_000]);
    } finally {
      await store.close();
      await dropSchema(schema);
    }
  });

  it('rejects a batch larger than the position ordinal allows, clearly', async () => {
    const schema = randomSchemaName('es');
    const store = new PostgresEventStore({ connectionString: PG_URL, schema });
    try {
      const batch = Array.from({ length: 65_536 }, () => ({ type: 'X', data: null }));
      await expect(store.append('big', batch)).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
      expect(await store.streamVersion('big')).toBeNull();
    } finally {
      await store.close();
      await dropSchema(schema);
    }
  });

  it('groups concurrent appends into one statement, each with its own version check', async () => {
    const schema = randomSchemaName('es');
    const store = new PostgresEventStore({ connectionString: PG_URL, schema });
    try {
      await store.append('taken', [{ type: 'A', data: {} }]);
      await store.append('moved-on', [
        { type: 'A', data: {} },
        { type: 'A', data: {} },
      ]);
      // Not awaited one by one: the first goes alone, the rest queue behind it and go as one group.
      const outcomes = await Promise.allSettled([
        store.append('first', [{ type: 'A', data: {} }]),
        ...['g1', 'g2', 'g3'].map((id) =>
          store.append(id, [{ type: 'A', data: { id } }], { expectedVersion: 'no-stream' }),
        ),
        store.append('taken', [{ type: 'B', data: {} }], { expectedVersion: 'no-stream' }),
        store.append('moved-on', [{ type: 'B', data: {} }], { expectedVersion: 0 }),
        store.append('moved-on', [{ type: 'B', data: {} }], { expectedVersion: 1 }),
        store.append(
          'g4',
          [
            { type: 'A', data: {} },
            { type: 'A', data: {} },
          ],
          { expectedVersion: 'no-stream' },
        ),
      ]);
      expect(store.stats.groups).toBeGreaterThan(0);
      expect(outcomes.map((o) => o.status)).toEqual([
        'fulfilled',
        'fulfilled',
        'fulfilled',
        'fulfilled',
        'rejected',
        'rejected',
        'fulfilled',
        'fulfilled',
      ]);
      expect(outcomes[4]).toMatchObject({ reason: { code: 'STREAM_VERSION_CONFLICT' } });
      expect(outcomes[5]).toMatchObject({ reason: { code: 'STREAM_VERSION_CONFLICT' } });
      expect(outcomes[7]).toMatchObject({ value: { nextExpectedVersion: 1 } });
      expect((await store.readStream('moved-on')).map((e) => e.type)).toEqual(['A', 'A', 'B']);
      expect((await store.readStream('taken')).map((e) => e.type)).toEqual(['A']);
      for (const id of ['first', 'g1', 'g2', 'g3', 'g4', 'moved-on'])
        expect((await store.verifyStream(id)).ok).toBe(true);
      const all = await store.readAll();
      expect(all).toHaveLength(1 + 2 + 1 + 3 + 1 + 2);
      expect(all.every((e, i) => i === 0 || e.position > all[i - 1]!.position)).toBe(true);
    } finally {
      await store.close();
      await dropSchema(schema);
    }
  });

  it('sees appends of another store instance (another process) through LISTEN/NOTIFY', async () => {
    const schema = randomSchemaName('es');
    const writer = new PostgresEventStore({ connectionString: PG_URL, schema });
    await writer.init();
    // A long poll interval: delivery within the deadline below needs the NOTIFY path.
    const reader = new PostgresEventStore({ connectionString: PG_URL, schema, pollIntervalMs: 60_000 });
    try {
      const seen: string[] = [];
      const sub = reader.subscribe((events) => void seen.push(...events.map((e) => e.type)));
      await sub.caughtUp;
      await new Promise((r) => setTimeout(r, 200));
      await writer.append('s', [{ type: 'Remote', data: {} }]);
      const deadline = Date.now() + 5_000;
      while (seen.length < 1 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
      expect(seen).toEqual(['Remote']);
      await sub.stop();
    } finally {
      await reader.close();
      await writer.close();
      await dropSchema(schema);
    }
  });
});
