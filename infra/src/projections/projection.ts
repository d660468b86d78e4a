import type { SqlDatabase, SqlExecutor } from '../sql/types.js';
import type { StoredEvent } from '../eventStore/types.js';

/**
 * A read model fed from the service's own event log. `handle` runs inside the same transaction that
 * stores the projection's checkpoint, so a crash never applies a batch twice or skips one.
 */
export interface Projection {
  /** Stable name: the checkpoint key. Renaming it rebuilds the read model from the start. */
  name: string;
  /** Event types the projection cares about; others only advance its checkpoint. */
  types?: readonly string[];
  /** Creates the projection's tables (idempotent). */
  migrate(db: SqlDatabase): Promise<void>;
  /** Empties the projection's tables before a rebuild. */
  reset(tx: SqlExecutor): Promise<void>;
  handle(tx: SqlExecutor, events: readonly StoredEvent[]): Promise<void>;
  /**
   * The handler never reads `execute`'s rowCount: its writes may then be sent together, one round
   * trip for many statements on PostgreSQL (writeBatch.ts), still in the checkpoint's transaction.
   */
  batchWrites?: boolean;
  /**
   * `CREATE INDEX IF NOT EXISTS …` statements of secondary (non-unique) indexes that `migrate` also
   * creates: a catch-up from the first event drops them and creates them once at its end, which is
   * much cheaper than keeping them current row by row (deferredIndexes.ts).
   */
  deferredIndexes?: readonly string[];
  /**
   * Tables to ANALYZE (PostgreSQL) once a catch-up from the first event has filled them: until
   * autovacuum gets there, the planner has no statistics and plans a lookup of 20 rows among 150,000
   * as a scan of them all.
   */
  analyzeAfterRebuild?: readonly string[];
}
