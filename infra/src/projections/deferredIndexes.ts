import type { SqlExecutor } from '../sql/types.js';

const CREATE_INDEX = /^\s*CREATE\s+INDEX\s+(?:IF\s+NOT\s+EXISTS\s+)?("?[A-Za-z_][\w$]*"?)\s+ON\s/i;

/**
 * The name of the index a `CREATE INDEX` statement creates. Only plain (non-unique) indexes may be
 * deferred: a unique index is what an upsert's ON CONFLICT relies on, so it must exist while rows arrive.
 */
export function indexName(statement: string): string {
  const match = CREATE_INDEX.exec(statement);
  if (!match) throw new Error(`not a deferrable CREATE INDEX statement (a unique index must stay): ${statement}`);
  return match[1]!;
}

/**
 * A rebuild from the first event writes every row once; keeping secondary indexes current row by row
 * costs more than the rows (several B-tree updates per status change). So the catch-up drops them
 * before and creates them once, sorted, at the end. Crash-safe: a projection's `migrate` creates its
 * indexes (IF NOT EXISTS) on every start, so an interrupted rebuild resumes with them in place.
 */
export async function dropDeferredIndexes(db: SqlExecutor, statements: readonly string[]): Promise<void> {
  for (const statement of statements) await db.execute(`DROP INDEX IF EXISTS ${indexName(statement)}`);
}

/**
 * On PostgreSQL the indexes are built side by side, each on a connection of the pool (builds on one
 * table share its lock): a build is one sort on one core, and a rebuild waited for them one by one.
 */
export async function createDeferredIndexes(db: SqlExecutor, statements: readonly string[]): Promise<void> {
  for (const statement of statements) indexName(statement);
  if (db.dialect === 'postgres') {
    const built = await Promise.allSettled(statements.map((statement) => db.execute(statement)));
    const failed = built.find((result) => result.status === 'rejected');
    if (failed) throw failed.reason;
    return;
  }
  for (const statement of statements) await db.execute(statement);
}
