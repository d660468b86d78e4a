import type { SqlExecutor } from '../sql/types.js';
import type { Projection } from './projection.js';

/**
 * After a projection was filled from the first event: SQLite plans by the indexes there are, PostgreSQL
 * by statistics, which a freshly filled table lacks until autovacuum gets to it.
 */
export async function analyzeRebuilt(db: SqlExecutor, projection: Projection): Promise<void> {
  if (db.dialect !== 'postgres') return;
  for (const table of projection.analyzeAfterRebuild ?? []) await db.execute(`ANALYZE ${table}`);
}
