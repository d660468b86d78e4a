import type { SqlDatabase } from '@estia/infra/sql/types.js';

/**
 * A rebuild's batch rewrites leaf pages all over the read models' random-key (UUID) indexes, some
 * thousands of pages per commit. At SQLite's default (a checkpoint once the WAL holds 1,000 pages)
 * every commit was followed by a checkpoint copying those pages into the database file, and the next
 * commit dirtied mostly the same pages again: the commits were a fifth of a 1M-event rebuild. Every
 * 10,000 pages (about 40 MB of WAL), a page rewritten by several commits is copied once
 * (bench:rebuild, SQLite, 1M events, back to back: 45.0k → 54.6k events/s). Live commits are a few
 * pages, so there it only means a checkpoint less often. Per connection: the service's read-model one.
 */
export async function checkpointLessOften(db: SqlDatabase): Promise<void> {
  if (db.dialect === 'sqlite') await db.query('PRAGMA wal_autocheckpoint = 10000');
}
