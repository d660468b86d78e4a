import type { Bus } from '../bus/types.js';
import type { SqlDatabase } from '../sql/types.js';
import { startConsumer, type StartConsumerOptions } from './consumer.js';
import { deadLetterStore } from './deadLetterStore.js';
import type { ProcessorDefinition } from './runtime.js';

export type ConsumerProcessorOptions = Omit<StartConsumerOptions, 'bus' | 'db' | 'logger' | 'onProgress' | 'onParked'>;

/**
 * A checkpointed bus consumer as a supervised processor, named by its group. Lag is what the bus holds
 * beyond the group's committed offsets; parked messages are its dead letters.
 */
export function consumerProcessor(bus: Bus, db: SqlDatabase, options: ConsumerProcessorOptions): ProcessorDefinition {
  return {
    name: options.group,
    kind: 'consumer',
    lag: async () => {
      const lag = await bus.lag(options.group, options.topics);
      return { events: lag.messages, seconds: lag.seconds };
    },
    parkedCount: () => deadLetterStore.count(db, options.group),
    async start(context) {
      const consumer = await startConsumer({
        ...options,
        bus,
        db,
        logger: context.logger,
        onProgress: (n) => context.processed(n),
        onParked: () => context.parked(1),
      });
      // A consumer retries and dead-letters by itself; its run ends only when stopped.
      let ended!: () => void;
      const done = new Promise<void>((resolve) => (ended = resolve));
      return {
        done,
        async stop() {
          await consumer.stop();
          ended();
        },
      };
    },
  };
}
