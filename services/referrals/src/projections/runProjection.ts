import type { KeyStore } from '@estia/infra/crypto/keyStore.js';
import type { EventStore, StoredEvent, Subscription } from '@estia/infra/eventStore/types.js';
import { checkpointStore } from '@estia/infra/processors/checkpointStore.js';
import { ensureProcessorTables } from '@estia/infra/processors/schema.js';
import type { SqlDatabase } from '@estia/infra/sql/types.js';
import { applyEvent, prepareEvent, type PreparedEvent } from './referralsProjector.js';
import { ensureReferralsReadModels } from './schema.js';

export const READ_MODELS_CHECKPOINT = 'referrals.read-models';

export interface ProjectionDeps {
  store: EventStore;
  db: SqlDatabase;
  keyStore: KeyStore;
  name?: string;
}

/** Applies a batch and its checkpoint in one transaction; a crash replays the whole batch. */
async function applyBatch(
  { db, keyStore, name = READ_MODELS_CHECKPOINT }: ProjectionDeps,
  events: StoredEvent[],
): Promise<void> {
  if (events.length === 0) return;
  const prepared: PreparedEvent[] = [];
  for (const event of events) prepared.push(await prepareEvent(keyStore, event));
  await db.transaction(async (tx) => {
    for (const p of prepared) await applyEvent(tx, p);
    await checkpointStore.save(tx, name, events[events.length - 1]!.position);
  });
  // Safety net for a crash between appending ClientErased and destroying the key: idempotent.
  for (const event of events)
    if (event.type === 'ClientErased') {
      const { clientId, erasedAt } = event.data as { clientId: string; erasedAt: string };
      await keyStore.destroyKey(clientId, erasedAt);
    }
}

export async function prepareReadModels(db: SqlDatabase): Promise<void> {
  await ensureProcessorTables(db);
  await ensureReferralsReadModels(db);
}

/** Catches up once with the log (tests, rebuilds, one-off tools). Returns the number of events applied. */
export async function projectPending(deps: ProjectionDeps, batchSize = 500): Promise<number> {
  await prepareReadModels(deps.db);
  let applied = 0;
  for (;;) {
    const after = (await checkpointStore.load(deps.db, deps.name ?? READ_MODELS_CHECKPOINT)) ?? undefined;
    const events = await deps.store.readAll({ ...(after === undefined ? {} : { after }), maxCount: batchSize });
    if (events.length === 0) return applied;
    await applyBatch(deps, events);
    applied += events.length;
  }
}

/** Keeps the read models live: resumes from the checkpoint, handles batches in global order. */
export async function startReadModelProjection(
  deps: ProjectionDeps,
  options: { signal?: AbortSignal } = {},
): Promise<Subscription> {
  await prepareReadModels(deps.db);
  const after = (await checkpointStore.load(deps.db, deps.name ?? READ_MODELS_CHECKPOINT)) ?? undefined;
  return deps.store.subscribe((events) => applyBatch(deps, events), {
    ...(after === undefined ? {} : { after }),
    batchSize: 200,
    ...(options.signal ? { signal: options.signal } : {}),
  });
}
