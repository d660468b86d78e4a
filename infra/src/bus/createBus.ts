import type { Bus } from './types.js';
import type { BusLogger } from './logger.js';
import { createEmbeddedBus, type EmbeddedBusOptions } from './embedded/embeddedBus.js';
import { createKafkaBus, type KafkaBusOptions } from './kafka/kafkaBus.js';

/** Serializable bus configuration (config files, env, and the test workers spawned as child processes). */
export type BusConfig =
  ({ kind: 'embedded' } & Omit<EmbeddedBusOptions, 'logger'>) | ({ kind: 'kafka' } & Omit<KafkaBusOptions, 'logger'>);

export function createBus(config: BusConfig, logger?: BusLogger): Bus {
  const { kind, ...rest } = config;
  const withLogger = logger === undefined ? {} : { logger };
  return kind === 'embedded'
    ? createEmbeddedBus({ ...(rest as EmbeddedBusOptions), ...withLogger })
    : createKafkaBus({ ...(rest as KafkaBusOptions), ...withLogger });
}
