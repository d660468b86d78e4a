import type { EventStore } from '../eventStore/types.js';
import type { SqlDatabase } from '../sql/types.js';
import { checkpointStore } from '../processors/checkpointStore.js';
import { ensureProcessorTables } from '../processors/schema.js';
import type { Projection } from './projection.js';
import { createDeferredIndexes, dropDeferredIndexes } from './deferredIndexes.js';
import { analyzeRebuilt } from './analyzeRebuilt.js';
import { PROJECTION_BATCH_SIZE } from './batchSize.js';
import { handleBatch } from './writeBatch.js';

/**
 * Applies everything after each projection's checkpoint, then returns: for CLIs, seeders and tests that
 * need the read models current without a live subscription. Same transaction rule as the projector.
 */
export async function catchUpProjections(
  store: EventStore,
  db: SqlDatabase,
  projections: readonly Projection[],
  batchSize = PROJECTION_BATCH_SIZE,
  /** Called after each committed batch (long rebuilds show progress). */
  onBatch?: (projection: string, position: number, applied: number) => void,
): Promise<number> {
  await ensureProcessorTables(db);
  let applied = 0;
  for (const projection of projections) {
    await projection.migrate(db);
    const wanted = projection.types ? new Set(projection.types) : null;
    let after = await checkpointStore.load(db, projection.name);
    const rebuilding = after === null;
    const deferred = rebuilding ? (projection.deferredIndexes ?? []) : [];
    if (deferred.length > 0) await dropDeferredIndexes(db, deferred);
    // The store filters by type (in its query on PostgreSQL): a projection of a few event types does
    // not fetch and parse the rest of the log. The checkpoint then stands at the last relevant event.
    const read = (from: number | null) =>
      store.readAll({
        ...(from === null ? {} : { after: from }),
        maxCount: batchSize,
        ...(projection.types ? { types: projection.types } : {}),
      });
    let next = read(after);
    try {
      for (;;) {
        const events = await next;
        if (events.length === 0) break;
        const relevant = wanted ? events.filter((e) => wanted.has(e.type)) : events;
        const last = events[events.length - 1]!.position;
        // The next page is read while this one is written (the log is not the read-model database):
        // on PostgreSQL the two round trips overlap.
        next = read(last);
        next.catch(() => undefined);
        await db.transaction(async (tx) => {
          if (relevant.length > 0) await handleBatch(projection, tx, relevant);
          await checkpointStore.save(tx, projection.name, last);
        });
        applied += relevant.length;
        after = last;
        onBatch?.(projection.name, last, applied);
      }
    } finally {
      // After a failure too: the read model keeps being served, with its indexes, while it is dealt with.
      if (deferred.length > 0) await createDeferredIndexes(db, deferred);
    }
    if (rebuilding) await analyzeRebuilt(db, projection);
  }
  return applied;
}
