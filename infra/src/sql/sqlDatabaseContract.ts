import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import type { SqlDatabase } from './types.js';

/**
 * The behaviour every SqlDatabase adapter must show, written once and run against each adapter.
 * `open` returns a fresh, empty database; `close` also disposes of it (drops the test schema).
 */
export const describeSqlDatabaseContract = (
  name: string,
  open: () => Promise<SqlDatabase>,
  dispose: (db: SqlDatabase) => Promise<void> = (db) => db.close(),
): void => {
  describe(`SqlDatabase contract: ${name}`, () => {
    let db: SqlDatabase;
    beforeEach(async () => {
      db = await open();
      await db.execute('CREATE TABLE items (id TEXT PRIMARY KEY, n INTEGER NOT NULL, note TEXT)');
    });
    afterEach(async () => {
      await dispose(db);
    });

    it('binds $n placeholders, including a repeated one, and returns rows', async () => {
      await db.execute('INSERT INTO items (id, n, note) VALUES ($1, $2, $3)', ['a', 1, 'x']);
      await db.execute('INSERT INTO items (id, n, note) VALUES ($1, $2, $3)', ['b', 2, null]);
      const rows = await db.query<{ id: string; n: number }>(
        'SELECT id, n FROM items WHERE n >= $1 OR id = $2 ORDER BY id',
        [2, 'a'],
      );
      expect(rows).toEqual([
        { id: 'a', n: 1 },
        { id: 'b', n: 2 },
      ]);
      const same = await db.query<{ c: number }>('SELECT count(*) AS c FROM items WHERE id = $1 OR note = $1', ['a']);
      expect(same[0]!.c).toBe(1);
    });

    it('leaves a "$1" inside a string literal alone', async () => {
      await db.execute("INSERT INTO items (id, n, note) VALUES ($1, $2, 'costs $1')", ['p', 1]);
      const rows = await db.query<{ note: string }>('SELECT note FROM items WHERE id = $1', ['p']);
      expect(rows[0]!.note).toBe('costs $1');
    });

    it('reports the row count of writes and returns RETURNING rows from query', async () => {
      await db.execute('INSERT INTO items (id, n) VALUES ($1, 1), ($2, 1), ($3, 2)', ['a', 'b', 'c']);
      expect(await db.execute('UPDATE items SET n = n + 10 WHERE n = $1', [1])).toEqual({ rowCount: 2 });
      const returned = await db.query<{ id: string }>('DELETE FROM items WHERE n = $1 RETURNING id', [2]);
      expect(returned).toEqual([{ id: 'c' }]);
      expect(
        (await db.execute('INSERT INTO items (id, n) VALUES ($1, 1) ON CONFLICT DO NOTHING', ['a'])).rowCount,
      ).toBe(0);
    });

    it('runs several statements in one parameterless string (migrations)', async () => {
      await db.execute('CREATE TABLE m1 (x INTEGER); CREATE TABLE m2 (y INTEGER); INSERT INTO m1 (x) VALUES (7);');
      expect(await db.query('SELECT x FROM m1')).toEqual([{ x: 7 }]);
    });

    it('commits a transaction that resolves', async () => {
      const result = await db.transaction(async (tx) => {
        await tx.execute('INSERT INTO items (id, n) VALUES ($1, $2)', ['t', 1]);
        return (await tx.query<{ n: number }>('SELECT n FROM items WHERE id = $1', ['t']))[0]!.n;
      });
      expect(result).toBe(1);
      expect(await db.query('SELECT id FROM items')).toEqual([{ id: 't' }]);
    });

    it('rolls back a transaction that throws, and rethrows', async () => {
      const boom = new Error('boom');
      await expect(
        db.transaction(async (tx) => {
          await tx.execute('INSERT INTO items (id, n) VALUES ($1, $2)', ['r', 1]);
          throw boom;
        }),
      ).rejects.toBe(boom);
      expect(await db.query('SELECT id FROM items')).toEqual([]);
    });

    it('rolls back when a statement inside fails (constraint)', async () => {
      await db.execute('INSERT INTO items (id, n) VALUES ($1, $2)', ['dup', 1]);
      await expect(
        db.transaction(async (tx) => {
          await tx.execute('INSERT INTO items (id, n) VALUES ($1, $2)', ['new', 1]);
          await tx.execute('INSERT INTO items (id, n) VALUES ($1, $2)', ['dup', 1]);
        }),
      ).rejects.toThrow();
      expect(await db.query('SELECT id FROM items ORDER BY id')).toEqual([{ id: 'dup' }]);
    });

    it('keeps concurrent async transactions from interleaving (read-modify-write counter)', async () => {
      await db.execute('INSERT INTO items (id, n) VALUES ($1, 0)', ['counter']);
      const increment = () =>
        db.transaction(async (tx) => {
          const [row] = await tx.query<{ n: number }>(
            db.dialect === 'postgres'
              ? 'SELECT n FROM items WHERE id = $1 FOR UPDATE'
              : 'SELECT n FROM items WHERE id = $1',
            ['counter'],
          );
          // Yield to the event loop between read and write: another caller would run here if allowed.
          await new Promise((resolve) => setImmediate(resolve));
          await tx.execute('UPDATE items SET n = $1 WHERE id = $2', [row!.n + 1, 'counter']);
        });
      await Promise.all(Array.from({ length: 20 }, increment));
      const [row] = await db.query<{ n: number }>('SELECT n FROM items WHERE id = $1', ['counter']);
      expect(row!.n).toBe(20);
    });

    it('does not let a statement outside the transaction see or join uncommitted writes', async () => {
      let release!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      let started!: () => void;
      const inside = new Promise<void>((resolve) => (started = resolve));
      const tx = db.transaction(async (t) => {
        await t.execute('INSERT INTO items (id, n) VALUES ($1, 1)', ['in-tx']);
        started();
        await gate;
        throw new Error('abort');
      });
      await inside;
      const outside = db.execute('INSERT INTO items (id, n) VALUES ($1, 2)', ['outside']);
      const seen = db.query<{ id: string }>('SELECT id FROM items WHERE id = $1', ['in-tx']);
      release();
      await expect(tx).rejects.toThrow('abort');
      await outside;
      expect(await seen).toEqual([]);
      expect(await db.query('SELECT id FROM items ORDER BY id')).toEqual([{ id: 'outside' }]);
    });

    it('counts come back as numbers on both dialects', async () => {
      await db.execute('INSERT INTO items (id, n) VALUES ($1, 5)', ['a']);
      const [row] = await db.query<{ c: unknown; s: unknown }>('SELECT count(*) AS c, sum(n) AS s FROM items');
      expect(row!.c).toBe(1);
      expect(Number(row!.s)).toBe(5);
    });
  });
};
