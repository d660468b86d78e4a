import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createEmbeddedBus } from '../bus/embedded/embeddedBus.js';
import { createSqliteEventStore } from '../eventStore/sqlite/sqliteEventStore.js';
import { createSqliteDatabase } from '../sql/sqliteDatabase.js';
import { deadLetterStore } from './deadLetterStore.js';
import { checkRetentionWindows, pruneOnce } from './retention.js';
import { ensureProcessorTables } from './schema.js';
import { testEnvelope } from './testWorkers/testEnvelope.js';

const dir = mkdtempSync(join(tmpdir(), 'estia-retention-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const HOUR = 3_600_000;

describe('retention (embedded store, bus and service database)', () => {
  it('prunes inbox, bus messages, idempotency records and parked events older than their windows, nothing newer', async () => {
    const store = createSqliteEventStore({ path: join(dir, 'events.sqlite') });
    const db = await createSqliteDatabase({ path: join(dir, 'read.sqlite') });
    const bus = createEmbeddedBus({ path: join(dir, 'bus.sqlite') });
    try {
      await ensureProcessorTables(db);
      const now = Date.now();
      const at = (hoursAgo: number) => new Date(now - hoursAgo * HOUR).toISOString();
      for (const [id, hoursAgo] of [
        ['old', 30],
        ['new', 1],
      ] as const)
        await db.execute('INSERT INTO estia_inbox (consumer, event_id, handled_at) VALUES ($1, $2, $3)', [
          'c',
          id,
          at(hoursAgo),
        ]);
      await bus.publish('estia.test', [{ key: 'k', value: testEnvelope('k', { seq: 1 }) }]);
      const [oldStored] = await store.append('s', [{ type: 'Parked', data: {} }]).then(() => store.readAll());
      await db.transaction((tx) =>
        deadLetterStore.addStoreEvent(tx, { processor: 'p', event: oldStored!, error: 'x', attempts: 5, at: at(50) }),
      );
      await db.transaction((tx) =>
        deadLetterStore.addStoreEvent(tx, { processor: 'p', event: oldStored!, error: 'x', attempts: 5, at: at(2) }),
      );
      await store.append('t', [{ type: 'Done', data: {} }], {
        idempotency: { scope: 'org/a', key: 'k1', requestHash: 'h', response: () => '{}' },
      });

      const windows = { inboxMs: 24 * HOUR, busMs: 24 * HOUR, idempotencyMs: 24 * HOUR, parkedMs: 24 * HOUR };
      expect(await pruneOnce({ store, db, bus, topic: 'estia.test', windows })).toEqual({
        inbox: 1,
        bus: 0,
        idempotency: 0,
        parked: 1,
      });
      expect((await db.query('SELECT event_id FROM estia_inbox')).map((r) => r.event_id)).toEqual(['new']);
      expect(await deadLetterStore.count(db, 'p')).toBe(1);

      // Two days later the message, the key record and the rest are past their windows.
      const later = () => new Date(now + 48 * HOUR);
      expect(await pruneOnce({ store, db, bus, topic: 'estia.test', windows, clock: later })).toEqual({
        inbox: 1,
        bus: 1,
        idempotency: 1,
        parked: 1,
      });
      expect(await store.readIdempotencyRecord('org/a', 'k1')).toBeNull();
      expect((await bus.lag('fresh-group', ['estia.test'])).messages).toBe(0);
      // The events themselves are never pruned.
      expect(await store.readAll()).toHaveLength(2);
    } finally {
      await bus.close();
      await db.close();
      await store.close();
    }
  });

  it('refuses an inbox window shorter than the bus retention', () => {
    expect(() =>
      checkRetentionWindows({ inboxMs: HOUR, busMs: 2 * HOUR, idempotencyMs: HOUR, parkedMs: HOUR }),
    ).toThrow(/RETENTION_INBOX_HOURS/);
  });
});
