import Database from 'better-sqlite3';
import type { SqlDatabase, SqlExecutor } from './types.js';
import { AsyncMutex } from './asyncMutex.js';
import { toSqlitePlaceholders } from './placeholders.js';
import { preparePrivateDatabaseFile } from './privateFiles.js';

export interface SqliteDatabaseOptions {
  /** File path, or ':memory:' for a private in-memory database (tests). */
  path: string;
  /** How long a writer waits for another process's lock before SQLITE_BUSY. Default 5000 ms. */
  busyTimeoutMs?: number;
}

// Bound with one array of values, in the order of the statement's anonymous `?` (placeholders.ts).
type Statement = Database.Statement<unknown[]>;

const STATEMENT_CACHE_SIZE = 200;
const WAL_AUTOCHECKPOINT_PAGES = 10_000;

/**
 * SqlDatabase on one better-sqlite3 connection (WAL, synchronous=FULL so a commit survives power
 * loss). Every top-level statement and every transaction runs under one async mutex, so concurrent
 * async callers never interleave inside a transaction.
 */
export const createSqliteDatabase = async (options: SqliteDatabaseOptions): Promise<SqlDatabase> => {
  preparePrivateDatabaseFile(options.path);
  const db = new Database(options.path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma(`busy_timeout = ${Math.trunc(options.busyTimeoutMs ?? 5000)}`);
  db.pragma('foreign_keys = ON');
  // A read model's batch rewrites leaf pages all over its random-key (UUID) indexes, thousands per
  // commit in a rebuild. At SQLite's default (a checkpoint once the WAL holds 1,000 pages) every such
  // commit was followed by a checkpoint copying them into the file, and the next commit dirtied the
  // same pages again: the commits were a fifth of a 1M-event referrals rebuild. Every 10,000 pages
  // (about 40 MB of WAL) a page rewritten by several commits is copied once (referrals, 1M events,
  // back to back: 45.0k → 54.6k events/s). Live commits are a few pages: a checkpoint less often.
  db.pragma(`wal_autocheckpoint = ${WAL_AUTOCHECKPOINT_PAGES}`);

  const mutex = new AsyncMutex();
  const statements = new Map<string, { stmt: Statement; order: number[] }>();
  let closed = false;

  const prepare = (sql: string): { stmt: Statement; order: number[] } | undefined => {
    const cached = statements.get(sql);
    if (cached) {
      // Re-insert to keep the map in least-recently-used order.
      statements.delete(sql);
      statements.set(sql, cached);
      return cached;
    }
    const translated = toSqlitePlaceholders(sql);
    let stmt: Statement;
    try {
      stmt = db.prepare(translated.sql);
    } catch (error) {
      // Migrations pass several statements at once; only possible without parameters.
      if (isMultiStatement(error) && translated.order.length === 0) return undefined;
      throw error;
    }
    const entry = { stmt, order: translated.order };
    statements.set(sql, entry);
    if (statements.size > STATEMENT_CACHE_SIZE) statements.delete(statements.keys().next().value!);
    return entry;
  };

  const bind = (order: readonly number[], params: readonly unknown[]): unknown[] =>
    order.map((n) => {
      if (n < 1 || n > params.length)
        throw new RangeError(`SQL references $${n} but ${params.length} parameter(s) were given`);
      return toSqliteValue(params[n - 1]);
    });

  const executor: SqlExecutor = {
    dialect: 'sqlite',
    async query<Row>(sql: string, params: readonly unknown[] = []): Promise<Row[]> {
      const entry = prepare(sql);
      if (!entry) {
        db.exec(sql);
        return [];
      }
      if (!entry.stmt.reader) {
        entry.stmt.run(bind(entry.order, params));
        return [];
      }
      return entry.stmt.all(bind(entry.order, params)) as Row[];
    },
    async execute(sql: string, params: readonly unknown[] = []): Promise<{ rowCount: number }> {
      const entry = prepare(sql);
      if (!entry) {
        db.exec(sql);
        return { rowCount: 0 };
      }
      return { rowCount: entry.stmt.run(bind(entry.order, params)).changes };
    },
  };

  const assertOpen = (): void => {
    if (closed) throw new Error('SQLite database is closed');
  };

  return {
    dialect: 'sqlite',
    query: (sql, params) =>
      mutex.runExclusive(() => {
        assertOpen();
        return executor.query(sql, params);
      }),
    execute: (sql, params) =>
      mutex.runExclusive(() => {
        assertOpen();
        return executor.execute(sql, params);
      }),
    transaction: (fn) =>
      mutex.runExclusive(async () => {
        assertOpen();
        // IMMEDIATE takes the write lock up front, so two processes cannot both read then deadlock on upgrade.
        db.exec('BEGIN IMMEDIATE');
        try {
          const result = await fn(executor);
          db.exec('COMMIT');
          return result;
        } catch (error) {
          if (db.inTransaction) db.exec('ROLLBACK');
          throw error;
        }
      }),
    close: () =>
      mutex.runExclusive(() => {
        if (closed) return;
        closed = true;
        statements.clear();
        db.close();
      }),
  };
};

const isMultiStatement = (error: unknown): boolean =>
  error instanceof Error && /more than one statement/.test(error.message);

/** SQLite has no boolean or date type; keep the values PostgreSQL would accept in the same statement. */
const toSqliteValue = (value: unknown): unknown => {
  if (value === undefined) return null;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (value instanceof Date) return value.toISOString();
  return value;
};
