import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createSqliteEventStore } from '../eventStore/sqlite/sqliteEventStore.js';
import { createSqliteDatabase } from '../sql/sqliteDatabase.js';
import type { SqlDatabase, SqlExecutor } from '../sql/types.js';
import type { Projection } from './projection.js';
import { startProjector } from './projector.js';
import { catchUpProjections } from './catchUp.js';
import { indexName } from './deferredIndexes.js';
import { sqlBackends } from '../testing/sqlBackends.js';

// Counts "Added" events per stream; "Ignored" events must only move the checkpoint.
const counter: Projection = {
  name: 'counter',
  types: ['Added'],
  migrate: async (db) => {
    await db.execute('CREATE TABLE IF NOT EXISTS counts (stream_id TEXT PRIMARY KEY, n INTEGER NOT NULL)');
  },
  reset: async (tx) => {
    await tx.execute('DELETE FROM counts');
  },
  handle: async (tx, events) => {
    for (const e of events)
      await tx.execute(
        'INSERT INTO counts (stream_id, n) VALUES ($1, 1) ON CONFLICT (stream_id) DO UPDATE SET n = counts.n + 1',
        [e.streamId],
      );
  },
};

const counts = async (db: SqlDatabase) =>
  Object.fromEntries(
    (await db.query<{ stream_id: string; n: number }>('SELECT stream_id, n FROM counts ORDER BY stream_id')).map(
      (r) => [r.stream_id, Number(r.n)],
    ),
  );

describe('projector (SQLite store + SQLite read models)', () => {
  const dirs: string[] = [];
  afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

  const open = async () => {
    const dir = dirs[0] ?? mkdtempSync(join(tmpdir(), 'estia-projector-'));
    if (!dirs.includes(dir)) dirs.push(dir);
    const store = createSqliteEventStore({ path: join(dir, 'events.sqlite') });
    const db = await createSqliteDatabase({ path: join(dir, 'read.sqlite') });
    return { store, db };
  };

  it('applies each event once, resumes from its checkpoint after a restart, and rebuilds', async () => {
    const first = await open();
    await first.store.append('a', [
      { type: 'Added', data: {} },
      { type: 'Ignored', data: {} },
    ]);
    let projector = await startProjector({ store: first.store, db: first.db, projections: [counter] });
    await projector.caughtUp;
    const { lastPosition } = await first.store.append('b', [{ type: 'Added', data: {} }]);
    await projector.waitFor(lastPosition);
    expect(await counts(first.db)).toEqual({ a: 1, b: 1 });
    await projector.stop();
    await first.store.close();
    await first.db.close();

    // A new process on the same files: nothing re-applied, new events picked up.
    const second = await open();
    const more = await second.store.append('a', [{ type: 'Added', data: {} }], { expectedVersion: 1 });
    projector = await startProjector({ store: second.store, db: second.db, projections: [counter] });
    await projector.waitFor(more.lastPosition);
    expect(await counts(second.db)).toEqual({ a: 2, b: 1 });
    expect(projector.positions().counter).toBe(more.lastPosition);

    await second.db.execute('UPDATE counts SET n = 99');
    await projector.rebuild('counter');
    expect(await counts(second.db)).toEqual({ a: 2, b: 1 });
    await projector.stop();
    await second.store.close();
    await second.db.close();
  });

  it('catchUpProjections brings a read model up to date and agrees with the live projector', async () => {
    const { store, db } = await open();
    await store.append('a', [
      { type: 'Added', data: {} },
      { type: 'Added', data: {} },
    ]);
    await store.append('b', [{ type: 'Ignored', data: {} }]);
    expect(await catchUpProjections(store, db, [counter])).toBe(2);
    expect(await catchUpProjections(store, db, [counter])).toBe(0);
    expect(await counts(db)).toEqual({ a: 2 });
    await store.close();
    await db.close();
  });

  it('a catch-up from the first event drops its deferred indexes and creates them again, even after a failure', async () => {
    const { store, db } = await open();
    const INDEX = 'CREATE INDEX IF NOT EXISTS counts_n ON counts (n)';
    const indexes = async (on: SqlExecutor = db) =>
      (await on.query<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'index' AND name = 'counts_n'"))
        .length;
    let seenDuring = -1;
    const indexed: Projection = {
      ...counter,
      deferredIndexes: [INDEX],
      migrate: async (d) => {
        await counter.migrate(d);
        await d.execute(INDEX);
      },
      handle: async (tx, events) => {
        seenDuring = await indexes(tx);
        await counter.handle(tx, events);
      },
    };
    await store.append('a', [{ type: 'Added', data: {} }]);
    expect(await catchUpProjections(store, db, [indexed])).toBe(1);
    expect(seenDuring).toBe(0);
    expect(await indexes()).toBe(1);
    // From a checkpoint (not from the first event), the indexes stay.
    await store.append('b', [{ type: 'Added', data: {} }]);
    await catchUpProjections(store, db, [indexed]);
    expect(seenDuring).toBe(1);
    const failing: Projection = {
      ...indexed,
      name: 'failing',
      handle: async (tx) => {
        seenDuring = await indexes(tx);
        throw new Error('boom');
      },
    };
    await expect(catchUpProjections(store, db, [failing])).rejects.toThrow('boom');
    expect(seenDuring).toBe(0);
    expect(await indexes()).toBe(1);
    expect(() => indexName('CREATE UNIQUE INDEX IF NOT EXISTS u ON counts (n)')).toThrow(/unique/);
    expect(indexName(INDEX)).toBe('counts_n');
    await store.close();
    await db.close();
  });

  it('waitFor rejects when the position is never reached', async () => {
    const { store, db } = await open();
    const projector = await startProjector({ store, db, projections: [counter] });
    await expect(projector.waitFor(1_000_000, 100)).rejects.toThrow(/did not reach/);
    await projector.stop();
    await store.close();
    await db.close();
  });
});

describe('projector and catch-up on PostgreSQL read models: statistics after a run from the first event', async () => {
  const [, postgres] = await sqlBackends('projector');
  const analysed: Projection = { ...counter, name: 'counter-analysed', analyzeAfterRebuild: ['counts'] };
  // reltuples stays -1 until the table is analysed (PostgreSQL 14 and later).
  const statistics = async (db: SqlDatabase) =>
    Number(
      (await db.query<{ reltuples: number }>(`SELECT reltuples FROM pg_class WHERE oid = to_regclass('counts')`))[0]!
        .reltuples,
    );

  it.skipIf(postgres!.skip)('the live projector analyses the tables it filled from the first event', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'estia-projector-pg-'));
    const store = createSqliteEventStore({ path: join(dir, 'events.sqlite') });
    const { db, close } = await postgres!.open();
    try {
      await store.append('a', [{ type: 'Added', data: {} }]);
      const projector = await startProjector({ store, db, projections: [analysed] });
      await projector.caughtUp;
      for (let i = 0; i < 100 && (await statistics(db)) < 0; i++) await new Promise((r) => setTimeout(r, 20));
      expect(await statistics(db)).toBe(1);
      await projector.stop();
    } finally {
      await store.close();
      await close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it.skipIf(postgres!.skip)('so does a catch-up from the first event', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'estia-projector-pg-'));
    const store = createSqliteEventStore({ path: join(dir, 'events.sqlite') });
    const { db, close } = await postgres!.open();
    try {
      await store.append('a', [{ type: 'Added', data: {} }]);
      await store.append('b', [{ type: 'Added', data: {} }]);
      await catchUpProjections(store, db, [analysed]);
      expect(await statistics(db)).toBe(2);
    } finally {
      await store.close();
      await close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
