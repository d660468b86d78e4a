import type { EventStore, StoredEvent } from '../eventStore/types.js';
import { PROJECTION_BATCH_SIZE } from '../projections/batchSize.js';
import { startProjector, type Projector } from '../projections/projector.js';
import type { Projection } from '../projections/projection.js';
import { handleBatch } from '../projections/writeBatch.js';
import type { SqlDatabase } from '../sql/types.js';
import { sleep } from './backoff.js';
import { checkpointStore } from './checkpointStore.js';
import { deadLetterStore } from './deadLetterStore.js';
import type { ProcessorDefinition, ProcessorRuntime } from './runtime.js';
import { ensureProcessorTables } from './schema.js';
import { storeLag } from './storeLag.js';

export interface ProjectionProcessorsOptions {
  store: EventStore;
  db: SqlDatabase;
  projections: readonly Projection[];
  /** For `rebuild`: the runtime the definitions are added to. */
  runtime: Pick<ProcessorRuntime, 'suspend' | 'resume'>;
  /** Attempts of one event before it is parked and the projection goes on. Default 5. */
  maxAttempts?: number;
  batchSize?: number;
  /** How often `waitFor` re-reads the checkpoints. Default 20 ms. */
  pollMs?: number;
}

interface PoisonState {
  /** Set after a failed batch: the projection runs one event at a time until past this position. */
  carefulUntil: number | null;
  attempts: Map<string, number>;
  toPark?: { event: StoredEvent; error: string; attempts: number };
}

const describe = (error: unknown): string =>
  error instanceof Error ? `${error.name}: ${error.message}`.slice(0, 500) : String(error).slice(0, 500);

/**
 * Every projection becomes a processor of its own (lease, restart, lag, parking) running the projector
 * on just that projection. A failing batch is retried one event at a time, so the event that fails is
 * found; after `maxAttempts` it is parked (a dead letter naming it, in the same transaction as the
 * checkpoint that passes it) and the projection goes on with the next one.
 *
 * The returned `projector` is what routes and bootstrapping use on every replica, the standby included:
 * it reads the shared checkpoints, so `waitFor` works wherever the projection actually runs.
 */
export async function projectionProcessors(
  options: ProjectionProcessorsOptions,
): Promise<{ definitions: ProcessorDefinition[]; projector: Projector }> {
  const { store, db, projections, runtime } = options;
  const maxAttempts = Math.max(1, options.maxAttempts ?? 5);
  const pollMs = options.pollMs ?? 20;
  // Migrated on every replica: a standby serves reads from the same tables.
  await ensureProcessorTables(db);
  for (const projection of projections) await projection.migrate(db);

  const definitions = projections.map((projection): ProcessorDefinition => {
    const poison: PoisonState = { carefulUntil: null, attempts: new Map() };
    return {
      name: projection.name,
      kind: 'projection',
      lag: async () =>
        storeLag(store, await checkpointStore.load(db, projection.name), {
          ...(projection.types === undefined ? {} : { types: projection.types }),
        }),
      parkedCount: () => deadLetterStore.count(db, projection.name),
      async start(context) {
        const park = poison.toPark;
        if (park) {
          await db.transaction(async (tx) => {
            await deadLetterStore.addStoreEvent(tx, {
              processor: projection.name,
              event: park.event,
              error: park.error,
              attempts: park.attempts,
            });
            const at = await checkpointStore.load(tx, projection.name);
            if (at === null || at < park.event.position)
              await checkpointStore.save(tx, projection.name, park.event.position);
          });
          context.parked(1);
          context.logger.error(
            { projection: projection.name, eventId: park.event.id, position: park.event.position, error: park.error },
            'projection: event parked after its last attempt',
          );
          poison.toPark = undefined;
          poison.attempts.delete(park.event.id);
        }
        const careful = poison.carefulUntil !== null;
        let failed: { events: readonly StoredEvent[]; error: unknown } | undefined;
        let settle!: { resolve: () => void; reject: (error: unknown) => void };
        const done = new Promise<void>((resolve, reject) => (settle = { resolve, reject }));
        const supervised: Projection = {
          name: projection.name,
          ...(projection.types === undefined ? {} : { types: projection.types }),
          ...(projection.analyzeAfterRebuild === undefined
            ? {}
            : { analyzeAfterRebuild: projection.analyzeAfterRebuild }),
          migrate: (d) => projection.migrate(d),
          reset: (tx) => projection.reset(tx),
          handle: async (tx, events) => {
            try {
              // The batch's writes (sent together when the projection allows) are flushed in here, so a
              // failing write is the batch's failure too.
              await handleBatch(projection, tx, events);
            } catch (error) {
              failed = { events, error };
              throw error;
            }
            context.processed(events.length);
            const last = events[events.length - 1]!.position;
            if (careful && poison.carefulUntil !== null && last > poison.carefulUntil) {
              // Past the batch that failed: start again with whole batches.
              poison.carefulUntil = null;
              setImmediate(() => settle.resolve());
            }
          },
        };
        const running = await startProjector({
          store,
          db,
          projections: [supervised],
          batchSize: careful ? 1 : (options.batchSize ?? PROJECTION_BATCH_SIZE),
          onError: (_name, error) => {
            if (failed) {
              const { events } = failed;
              if (events.length > 1) poison.carefulUntil = events[events.length - 1]!.position;
              else if (events.length === 1) {
                const event = events[0]!;
                const attempts = (poison.attempts.get(event.id) ?? 0) + 1;
                poison.attempts.set(event.id, attempts);
                poison.carefulUntil ??= event.position;
                if (attempts >= maxAttempts) poison.toPark = { event, error: describe(failed.error), attempts };
              }
            }
            settle.reject(error);
          },
        });
        // A failed run rejects caughtUp too; the failure is reported through `done`.
        running.caughtUp.catch(() => undefined);
        return { done, stop: () => running.stop() };
      },
    };
  });

  const names = projections.map((p) => p.name);
  const positions: Record<string, number | null> = Object.fromEntries(names.map((n) => [n, null]));
  const refresh = async (): Promise<void> => {
    for (const name of names) positions[name] = await checkpointStore.load(db, name);
  };
  const reached = (position: number): boolean => names.every((name) => (positions[name] ?? -1) >= position);
  let stopped = false;

  const waitFor = async (position: number, timeoutMs = 5_000): Promise<void> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      await refresh();
      if (reached(position)) return;
      if (stopped) return;
      if (Date.now() >= deadline)
        throw new Error(`read models did not reach position ${position} within ${timeoutMs} ms`);
      await sleep(pollMs);
    }
  };

  const caughtUpOnce = async (name?: string): Promise<void> => {
    const wanted = name === undefined ? projections : projections.filter((p) => p.name === name);
    for (const projection of wanted) {
      for (;;) {
        const lag = await storeLag(store, await checkpointStore.load(db, projection.name), {
          ...(projection.types === undefined ? {} : { types: projection.types }),
        });
        if (lag.events === 0 || stopped) break;
        await sleep(pollMs);
      }
    }
  };
  let caughtUp: Promise<void> | undefined;

  const projector: Projector = {
    get caughtUp() {
      caughtUp ??= caughtUpOnce();
      return caughtUp;
    },
    waitFor,
    async rebuild(name) {
      const projection = projections.find((p) => p.name === name);
      if (!projection) throw new Error(`unknown projection ${name}`);
      await runtime.suspend(name);
      try {
        await db.transaction(async (tx) => {
          await projection.reset(tx);
          await tx.execute('DELETE FROM estia_checkpoints WHERE name = $1', [name]);
        });
      } finally {
        runtime.resume(name);
      }
      await caughtUpOnce(name);
    },
    positions: () => ({ ...positions }),
    async stop() {
      stopped = true;
    },
  };
  return { definitions, projector };
}
