import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { createSqliteDatabase } from './sqliteDatabase.js';
import { describeSqlDatabaseContract } from './sqlDatabaseContract.js';

const dir = mkdtempSync(join(tmpdir(), 'estia-sql-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;

describeSqlDatabaseContract('sqlite (file)', () =>
  createSqliteDatabase({ path: join(dir, `db-${n++}`, 'read.sqlite') }),
);

describe('createSqliteDatabase', () => {
  it('opens the file in WAL mode with synchronous=FULL and a busy timeout', async () => {
    const path = join(dir, 'pragmas.sqlite');
    const db = await createSqliteDatabase({ path, busyTimeoutMs: 1234 });
    await db.execute('CREATE TABLE t (x INTEGER)');
    const [journal] = await db.query<{ journal_mode: string }>('PRAGMA journal_mode');
    const [sync] = await db.query<{ synchronous: number }>('PRAGMA synchronous');
    const [busy] = await db.query<{ timeout: number }>('PRAGMA busy_timeout');
    expect(journal!.journal_mode).toBe('wal');
    expect(sync!.synchronous).toBe(2);
    expect(busy!.timeout).toBe(1234);
    await db.close();
  });

  it('makes committed writes visible to another connection on the same file', async () => {
    const path = join(dir, 'shared.sqlite');
    const db = await createSqliteDatabase({ path });
    await db.transaction(async (tx) => {
      await tx.execute('CREATE TABLE t (x INTEGER)');
      await tx.execute('INSERT INTO t (x) VALUES ($1)', [true]);
    });
    await db.close();
    const other = new Database(path, { readonly: true });
    expect(other.prepare('SELECT x FROM t').all()).toEqual([{ x: 1 }]);
    other.close();
  });

  it('refuses a placeholder with no parameter and use after close', async () => {
    const db = await createSqliteDatabase({ path: ':memory:' });
    await expect(db.query('SELECT $2 AS x', [1])).rejects.toThrow(/\$2/);
    await db.close();
    await expect(db.query('SELECT 1')).rejects.toThrow(/closed/);
  });
});
