import type { EventStore, StoredEvent, Subscription } from '../eventStore/types.js';
import type { SqlDatabase } from '../sql/types.js';
import { checkpointStore } from '../processors/checkpointStore.js';
import { ensureProcessorTables } from '../processors/schema.js';
import type { Projection } from './projection.js';
import { analyzeRebuilt } from './analyzeRebuilt.js';
import { PROJECTION_BATCH_SIZE } from './batchSize.js';
import { handleBatch } from './writeBatch.js';

export interface ProjectorOptions {
  store: EventStore;
  db: SqlDatabase;
  projections: readonly Projection[];
  batchSize?: number;
  onError?: (projection: string, error: unknown) => void;
}

export interface Projector {
  /** Resolves when every projection has caught up with the log as it was at start. */
  readonly caughtUp: Promise<void>;
  /**
   * Waits until every projection has handled the event at `position`, so an API can answer a command
   * with read-your-writes. Rejects after `timeoutMs`.
   */
  waitFor(position: number, timeoutMs?: number): Promise<void>;
  /** Empties a projection and replays the whole log into it. */
  rebuild(name: string): Promise<void>;
  /** The position each projection has handled, for /ready and operators. */
  positions(): Record<string, number | null>;
  stop(): Promise<void>;
}

interface Running {
  projection: Projection;
  position: number | null;
  subscription: Subscription;
}

export async function startProjector(options: ProjectorOptions): Promise<Projector> {
  const { store, db, projections } = options;
  await ensureProcessorTables(db);
  for (const p of projections) await p.migrate(db);

  const running = new Map<string, Running>();
  const waiters = new Set<{ position: number; resolve: () => void }>();

  const lowest = (): number => {
    let min = Number.POSITIVE_INFINITY;
    for (const r of running.values()) min = Math.min(min, r.position ?? -1);
    return min;
  };
  const wake = (): void => {
    const reached = lowest();
    for (const w of waiters) {
      if (w.position > reached) continue;
      waiters.delete(w);
      w.resolve();
    }
  };

  const start = async (projection: Projection): Promise<Running> => {
    const position = await checkpointStore.load(db, projection.name);
    const wanted = projection.types ? new Set(projection.types) : null;
    const entry: Running = { projection, position, subscription: undefined as unknown as Subscription };
    entry.subscription = store.subscribe(
      async (events: StoredEvent[]) => {
        const relevant = wanted ? events.filter((e) => wanted.has(e.type)) : events;
        const last = events[events.length - 1]!.position;
        await db.transaction(async (tx) => {
          if (relevant.length > 0) await handleBatch(projection, tx, relevant);
          await checkpointStore.save(tx, projection.name, last);
        });
        entry.position = last;
        wake();
      },
      { ...(position === null ? {} : { after: position }), batchSize: options.batchSize ?? PROJECTION_BATCH_SIZE },
    );
    entry.subscription.done.catch((error: unknown) => options.onError?.(projection.name, error));
    // A run from the first event (a new read model, a rebuild) has just filled its tables.
    if (position === null)
      entry.subscription.caughtUp.then(
        () => analyzeRebuilt(db, projection).catch((error: unknown) => options.onError?.(projection.name, error)),
        () => undefined, // a failed run is reported through `done`
      );
    return entry;
  };

  for (const p of projections) running.set(p.name, await start(p));

  const caughtUp = Promise.all([...running.values()].map((r) => r.subscription.caughtUp)).then(() => undefined);

  return {
    caughtUp,
    waitFor(position, timeoutMs = 5_000) {
      if (position <= lowest()) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        const waiter = {
          position,
          resolve: () => {
            clearTimeout(timer);
            resolve();
          },
        };
        const timer = setTimeout(() => {
          waiters.delete(waiter);
          reject(new Error(`read models did not reach position ${position} within ${timeoutMs} ms`));
        }, timeoutMs);
        waiters.add(waiter);
      });
    },
    async rebuild(name) {
      const current = running.get(name);
      if (!current) throw new Error(`unknown projection ${name}`);
      await current.subscription.stop();
      await db.transaction(async (tx) => {
        await current.projection.reset(tx);
        await tx.execute('DELETE FROM estia_checkpoints WHERE name = $1', [name]);
      });
      const restarted = await start(current.projection);
      running.set(name, restarted);
      await restarted.subscription.caughtUp;
    },
    positions() {
      return Object.fromEntries([...running.entries()].map(([name, r]) => [name, r.position]));
    },
    async stop() {
      await Promise.all([...running.values()].map((r) => r.subscription.stop()));
      for (const w of waiters) w.resolve();
      waiters.clear();
    },
  };
}
