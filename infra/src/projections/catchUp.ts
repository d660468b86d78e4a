import type { EventStore } from '../eventStore/types.js';
import type { SqlDatabase } from '../sql/types.js';
import { checkpointStore } from '../processors/checkpointStore.js';
import { ensureProcessorTables } from '../processors/schema.js';
import type { Projection } from './projection.js';
import { handleBatch } from './writeBatch.js';

/**
 * Applies everything after each projection's checkpoint, then returns: for CLIs, seeders and tests that
 * need the read models current without a live subscription. Same transaction rule as the projector.
 */
export async function catchUpProjections(
  store: EventStore,
  db: SqlDatabase,
  projections: readonly Projection[],
  batchSize = 500,
  /** Called after each committed batch (long rebuilds show progress). */
  onBatch?: (projection: string, position: number, applied: number) => void,
): Promise<number> {
  await ensureProcessorTables(db);
  let applied = 0;
  for (const projection of projections) {
    await projection.migrate(db);
    const wanted = projection.types ? new Set(projection.types) : null;
    let after = await checkpointStore.load(db, projection.name);
    for (;;) {
      const events = await store.readAll({ ...(after === null ? {} : { after }), maxCount: batchSize });
      if (events.length === 0) break;
      const relevant = wanted ? events.filter((e) => wanted.has(e.type)) : events;
      const last = events[events.length - 1]!.position;
      await db.transaction(async (tx) => {
        if (relevant.length > 0) await handleBatch(projection, tx, relevant);
        await checkpointStore.save(tx, projection.name, last);
      });
      applied += relevant.length;
      after = last;
      onBatch?.(projection.name, last, applied);
    }
  }
  return applied;
}
