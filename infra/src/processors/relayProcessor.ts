import type { Bus } from '../bus/types.js';
import type { EventStore, StoredEvent } from '../eventStore/types.js';
import type { SqlDatabase } from '../sql/types.js';
import { checkpointStore } from './checkpointStore.js';
import { deadLetterStore } from './deadLetterStore.js';
import { startRelay, type RelayMapper, type StartRelayOptions } from './relay.js';
import type { ProcessorDefinition } from './runtime.js';
import { storeLag } from './storeLag.js';

export interface RelayProcessorOptions extends Pick<StartRelayOptions, 'batchSize' | 'types' | 'afterPublish'> {
  store: EventStore;
  db: SqlDatabase;
  bus: Bus;
  /** Processor and checkpoint name, e.g. `referrals.relay`. */
  name: string;
  map: RelayMapper;
  /** Attempts of one event's mapping before it is parked and the relay goes on. Default 5. */
  maxAttempts?: number;
}

/**
 * The relay as a supervised processor. A failed publish ends the run and the runtime restarts it from
 * the checkpoint with its backoff (the bus being down is not the event's fault: nothing is parked). An
 * event whose mapping fails `maxAttempts` times (e.g. its sealed data cannot be opened) is parked and
 * passed over, so one bad event does not stop every later one from being published.
 */
export function relayProcessor(options: RelayProcessorOptions): ProcessorDefinition {
  const { store, db, bus, name, map } = options;
  const maxAttempts = Math.max(1, options.maxAttempts ?? 5);
  const attempts = new Map<string, number>();
  return {
    name,
    kind: 'relay',
    lag: async () =>
      storeLag(store, await checkpointStore.load(db, name), {
        ...(options.types === undefined ? {} : { types: options.types }),
      }),
    parkedCount: () => deadLetterStore.count(db, name),
    async start(context) {
      const parking: RelayMapper = async (event: StoredEvent) => {
        try {
          const message = await map(event);
          attempts.delete(event.id);
          return message;
        } catch (error) {
          const tried = (attempts.get(event.id) ?? 0) + 1;
          attempts.set(event.id, tried);
          if (tried < maxAttempts) throw error;
          const detail = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
          await db.transaction((tx) =>
            deadLetterStore.addStoreEvent(tx, { processor: name, event, error: detail.slice(0, 500), attempts: tried }),
          );
          attempts.delete(event.id);
          context.parked(1);
          context.logger.error(
            { relay: name, eventId: event.id, position: event.position, error: detail },
            'relay: event parked after its last attempt',
          );
          return null;
        }
      };
      const relay = await startRelay({
        store,
        db,
        bus,
        name,
        map: parking,
        retry: false,
        logger: context.logger,
        onProgress: (n) => context.processed(n),
        ...(options.batchSize === undefined ? {} : { batchSize: options.batchSize }),
        ...(options.types === undefined ? {} : { types: options.types }),
        ...(options.afterPublish === undefined ? {} : { afterPublish: options.afterPublish }),
      });
      return { done: relay.done, stop: () => relay.stop() };
    },
  };
}
