import { describe, expect, it } from 'vitest';
import { createPostgresDatabase } from '../sql/postgresDatabase.js';
import { createSqliteDatabase } from '../sql/sqliteDatabase.js';
import type { SqlDatabase } from '../sql/types.js';
import { PG_URL, dropSchema, postgresAvailable, randomSchemaName } from '../testing/postgres.js';
import { inlineParameters, writeBatch } from './writeBatch.js';

const available = await postgresAvailable();

const awkward = [
  "O'Brien",
  'back\\slash and \\x41',
  '$1 inside text',
  'semi; colon -- not a comment /* nor this */',
  'ελληνικά, العربية, 🙂',
  '',
];

const TABLE = `CREATE TABLE rows (id TEXT PRIMARY KEY, n INTEGER, amount DOUBLE PRECISION, note TEXT, doc TEXT)`;

/** Writes the same rows with bound parameters and through a write batch; returns both tables' rows. */
async function bothWays(db: SqlDatabase) {
  await db.execute(TABLE);
  await db.execute(TABLE.replace('rows', 'batched'));
  const insert = (table: string) =>
    `INSERT INTO ${table} (id, n, amount, note, doc) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (id) DO NOTHING`;
  const values = awkward.map((note, i) => [
    `r${i}`,
    i % 2 ? null : i * 7,
    i / 3,
    note,
    JSON.stringify({ note, list: [i, 'x'] }),
  ]);
  for (const v of values) await db.execute(insert('rows'), v);
  let seenBefore = -1;
  await db.transaction(async (tx) => {
    const batch = writeBatch(tx);
    for (const v of values) await batch.execute(insert('batched'), v);
    await batch.execute('UPDATE batched SET n = n + $2 WHERE id = $1', ['r0', 1]);
    // A read flushes first: it sees the batch's earlier writes.
    seenBefore = (await batch.query<{ c: number }>('SELECT COUNT(*) AS c FROM batched'))[0]!.c;
    await batch.execute('UPDATE batched SET n = n - $2 WHERE id = $1', ['r0', 1]);
    await batch.flush();
  });
  const read = (table: string) => db.query(`SELECT id, n, amount, note, doc FROM ${table} ORDER BY id`);
  return { direct: await read('rows'), batched: await read('batched'), seenBefore: Number(seenBefore) };
}

describe('write batch', () => {
  it('renders parameters as literals, leaving $n inside literals alone', () => {
    expect(inlineParameters("SELECT $1, '$2', $2", ["it's", 3])).toBe("SELECT 'it''s', '$2', '3'");
    expect(inlineParameters('SELECT $1', ['a\\b'])).toBe("SELECT  E'a\\\\b'");
    expect(() => inlineParameters('SELECT $2', [1])).toThrow(/\$2/);
  });

  it('on SQLite, writes what bound parameters write', async () => {
    const db = await createSqliteDatabase({ path: ':memory:' });
    try {
      const { direct, batched, seenBefore } = await bothWays(db);
      expect(batched).toEqual(direct);
      expect(seenBefore).toBe(awkward.length);
    } finally {
      await db.close();
    }
  });

  it.skipIf(!available)('on PostgreSQL, writes what bound parameters write, in one transaction', async () => {
    const schema = randomSchemaName('wbatch');
    const db = await createPostgresDatabase({ url: PG_URL, schema, max: 2 });
    try {
      const { direct, batched, seenBefore } = await bothWays(db);
      expect(batched).toEqual(direct);
      expect(seenBefore).toBe(awkward.length);
      // A failing statement fails the flush, so the transaction writes nothing.
      await expect(
        db.transaction(async (tx) => {
          const batch = writeBatch(tx);
          await batch.execute('INSERT INTO batched (id) VALUES ($1)', ['new']);
          await batch.execute('INSERT INTO batched (id) VALUES ($1)', ['r1']);
          await batch.flush();
        }),
      ).rejects.toThrow(/duplicate key/);
      expect(await db.query('SELECT id FROM batched WHERE id = $1', ['new'])).toEqual([]);
    } finally {
      await db.close();
      await dropSchema(schema);
    }
  });
});
