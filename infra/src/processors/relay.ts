import type { EventEnvelope } from '@estia/contracts';
import type { Bus, OutgoingMessage } from '../bus/types.js';
import type { EventStore, StoredEvent, Subscription } from '../eventStore/types.js';
import type { SqlDatabase } from '../sql/types.js';
import { silentLogger, type BusLogger } from '../bus/logger.js';
import { backoffDelay, sleep, type BackoffOptions } from './backoff.js';
import { checkpointStore } from './checkpointStore.js';
import { ensureProcessorTables } from './schema.js';

export interface RelayMessage {
  topic: string;
  /** The aggregate id: the bus keeps order per key. */
  key: string;
  envelope: EventEnvelope;
  /**
   * Erasure: once the bus acknowledged this message, it forgets every earlier message of the same topic
   * and key (Bus.forget), before the checkpoint moves, so a crash in between repeats the forget.
   */
  forgetEarlier?: true;
}

/**
 * Public events become a message; private events map to null and are passed over. One stored event may
 * stand for more than one public event, each for its own audience (messages in order, each with its own
 * envelope id: see `publicEvent`'s facet). May be async: a mapper that must open sealed personal data
 * (with a key that erasure may have destroyed) awaits it.
 */
export type RelayMapped = RelayMessage | readonly RelayMessage[] | null;
export type RelayMapper = (event: StoredEvent) => RelayMapped | Promise<RelayMapped>;

export interface StartRelayOptions {
  store: EventStore;
  /** The service's SqlDatabase: holds the relay checkpoint (estia_checkpoints). */
  db: SqlDatabase;
  bus: Bus;
  /** Checkpoint name, e.g. `registry.relay`. */
  name: string;
  map: RelayMapper;
  batchSize?: number;
  /** Delay before re-reading from the checkpoint after a failed publish. */
  backoff?: BackoffOptions;
  /** Only to restrict reading to public event types (the mapper still decides). */
  types?: readonly string[];
  logger?: BusLogger;
  /**
   * False under the processor runtime: a failure ends the relay (`done` rejects) and the runtime restarts
   * it with its backoff. Default true: the relay retries from its checkpoint by itself.
   */
  retry?: boolean;
  /** Called after each checkpointed batch with its number of events. */
  onProgress?: (events: number) => void;
  /** Test seam: runs after the bus acknowledged a batch (and forgot what it made obsolete), before the checkpoint is written. */
  afterPublish?: (events: readonly StoredEvent[]) => void | Promise<void>;
}

export interface Relay {
  /** Resolves once the relay has caught up with the log the first time. */
  readonly caughtUp: Promise<void>;
  /** Resolves once stopped; rejects with the failure when `retry` is false. */
  readonly done: Promise<void>;
  /** Last global position whose batch was acknowledged and checkpointed. */
  position(): number | null;
  /** Stops reading; the in-flight batch finishes publishing and checkpointing first. */
  stop(): Promise<void>;
}

/**
 * The event log is the outbox. The relay reads the store in global order from its checkpoint, publishes
 * each batch's public events and moves the checkpoint only after the bus acknowledged. A crash between
 * the two republishes the batch: consumers absorb the duplicates by event id.
 */
export async function startRelay(options: StartRelayOptions): Promise<Relay> {
  const { store, db, bus, name, map } = options;
  const logger = options.logger ?? silentLogger;
  const stopper = new AbortController();
  await ensureProcessorTables(db);
  let position = await checkpointStore.load(db, name);

  const publishBatch = async (events: StoredEvent[]): Promise<void> => {
    const byTopic = new Map<string, OutgoingMessage[]>();
    const forgets: RelayMessage[] = [];
    for (const event of events) {
      const mapped = await map(event);
      if (mapped === null) continue;
      for (const message of Array.isArray(mapped) ? mapped : [mapped as RelayMessage]) {
        const list = byTopic.get(message.topic) ?? [];
        list.push({ key: message.key, value: message.envelope });
        byTopic.set(message.topic, list);
        if (message.forgetEarlier) forgets.push(message);
      }
    }
    for (const [topic, messages] of byTopic) await bus.publish(topic, messages);
    // Only after the acknowledgement: the erasure message must be on the bus before what it replaces goes.
    for (const { topic, key, envelope } of forgets) await bus.forget(topic, key, { beforeEventId: envelope.id });
    await options.afterPublish?.(events);
    const last = events[events.length - 1]!.position;
    await checkpointStore.save(db, name, last);
    position = last;
    options.onProgress?.(events.length);
  };

  let markCaughtUp!: () => void;
  const caughtUp = new Promise<void>((resolve) => (markCaughtUp = resolve));
  let subscription: Subscription | undefined;

  const run = async (): Promise<void> => {
    let failures = 0;
    while (!stopper.signal.aborted) {
      subscription = store.subscribe(publishBatch, {
        ...(position === null ? {} : { after: position }),
        ...(options.types === undefined ? {} : { types: options.types }),
        batchSize: options.batchSize ?? 500,
        signal: stopper.signal,
      });
      subscription.caughtUp.then(
        () => {
          failures = 0;
          markCaughtUp();
        },
        () => undefined,
      );
      try {
        await subscription.done;
      } catch (error) {
        if (options.retry === false) throw error;
        failures += 1;
        const delay = backoffDelay(failures, options.backoff ?? { initialMs: 200, maxMs: 10_000 });
        logger.error({ relay: name, err: error, delay }, 'relay: publish failed, retrying from the checkpoint');
        await sleep(delay, stopper.signal);
        // The in-memory position is only moved after a checkpoint write, so it is the checkpoint.
      }
    }
  };
  const loop = run();
  loop.catch(() => undefined);

  return {
    caughtUp,
    done: loop,
    position: () => position,
    async stop() {
      stopper.abort();
      await subscription?.stop();
      await loop.catch(() => undefined);
    },
  };
}
