import type { EventStore, StoredEvent, Subscription } from '@estia/infra/eventStore/types.js';
import type { SqlDatabase, SqlExecutor } from '@estia/infra/sql/types.js';
import { checkpointStore } from '@estia/infra/processors/checkpointStore.js';
import { ensureProcessorTables } from '@estia/infra/processors/schema.js';

export interface ProjectionOptions {
  store: EventStore;
  db: SqlDatabase;
  /** Checkpoint name, e.g. `registry.directory`. */
  name: string;
  types: readonly string[];
  project: (tx: SqlExecutor, event: StoredEvent) => Promise<void>;
  batchSize?: number;
}

/** One batch: the projection's writes and its checkpoint commit in one transaction (all or nothing). */
const applyBatch = async (options: ProjectionOptions, events: readonly StoredEvent[]): Promise<void> => {
  const last = events[events.length - 1];
  if (!last) return;
  await options.db.transaction(async (tx) => {
    for (const event of events) await options.project(tx, event);
    await checkpointStore.save(tx, options.name, last.position);
  });
};

/** Live: follows the log from the stored checkpoint; `caughtUp` resolves once it reached the end. */
export async function startProjection(options: ProjectionOptions): Promise<Subscription> {
  await ensureProcessorTables(options.db);
  const after = (await checkpointStore.load(options.db, options.name)) ?? undefined;
  return options.store.subscribe((events) => applyBatch(options, events), {
    ...(after === undefined ? {} : { after }),
    types: options.types,
    batchSize: options.batchSize ?? 200,
  });
}

/** Applies everything after the checkpoint, then returns: for tools, the demo seeder and tests. */
export async function catchUpProjection(options: ProjectionOptions): Promise<number> {
  await ensureProcessorTables(options.db);
  let after = (await checkpointStore.load(options.db, options.name)) ?? undefined;
  let applied = 0;
  for (;;) {
    const events = await options.store.readAll({
      ...(after === undefined ? {} : { after }),
      types: options.types,
      maxCount: options.batchSize ?? 500,
    });
    if (events.length === 0) return applied;
    await applyBatch(options, events);
    applied += events.length;
    after = events[events.length - 1]!.position;
  }
}

/** Drops the read model and its checkpoint in one transaction; the next run rebuilds from the log. */
export async function resetProjection(db: SqlDatabase, name: string, tables: readonly string[]): Promise<void> {
  await ensureProcessorTables(db);
  await db.transaction(async (tx) => {
    for (const table of tables) await tx.execute(`DELETE FROM ${table}`);
    await tx.execute('DELETE FROM estia_checkpoints WHERE name = $1', [name]);
  });
}
