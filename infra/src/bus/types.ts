import type { EventEnvelope } from '@estia/contracts';

/**
 * The integration-bus port. Adapters: embedded (durable, cross-process, needs no server) and Kafka.
 * Topics are per publishing service (`estia.registry`, `estia.referrals`, `estia.matching`); the key is
 * the aggregate id, so every adapter keeps order per key.
 */
export interface OutgoingMessage {
  key: string;
  value: EventEnvelope;
}

export interface DeliveredMessage {
  topic: string;
  partition: number;
  /** Adapter-specific, increasing per partition. */
  offset: string;
  key: string;
  value: EventEnvelope;
}

export interface ConsumeOptions {
  /** Consumer group: one per consuming service (and purpose), e.g. `referrals.registry-directory`. */
  group: string;
  topics: readonly string[];
  /**
   * Handles a batch (one partition, in order). Resolves only after the consumer's own transaction
   * committed; only then may the adapter commit the offsets. A rejection means redelivery.
   */
  handler: (messages: DeliveredMessage[]) => Promise<void>;
  /** Where to start when the group has no committed offset. */
  fromBeginning?: boolean;
  /**
   * Most messages per handler call, instead of the adapter's default: a handler that folds a batch into
   * one write per entity does less work per message the larger its batches while it catches up.
   */
  maxBatchSize?: number;
  signal?: AbortSignal;
}

export interface BusConsumer {
  /** Resolves once the consumer is subscribed and receiving. */
  readonly ready: Promise<void>;
  /** Stops fetching, waits for the in-flight batch, commits, disconnects. */
  stop(): Promise<void>;
}

export interface ForgetOptions {
  /**
   * The envelope id of the message (already published under the same topic and key) that makes the
   * earlier ones obsolete, e.g. `client.erased`. It stays, so consumers still learn of the erasure.
   */
  beforeEventId: string;
}

export interface Bus {
  readonly kind: 'embedded' | 'kafka';
  /** Resolves only when the bus acknowledged every message durably (acks=all on Kafka). */
  publish(topic: string, messages: readonly OutgoingMessage[]): Promise<void>;
  /**
   * Erasure (GDPR art. 17): removes every message of `topic` under `key` published before the message
   * `beforeEventId`. Idempotent: the relay repeats it after a crash. Embedded: payloads blanked in place at
   * once, their bytes zeroed. Kafka cannot delete a record and event topics are cleanup.policy=delete
   * (never compacted by key): the earlier payloads leave the topic once its retention.ms has passed.
   */
  forget(topic: string, key: string, options: ForgetOptions): Promise<void>;
  consume(options: ConsumeOptions): Promise<BusConsumer>;
  /**
   * How far `group` is behind on `topics`: messages not yet committed and the age of the oldest of them
   * (null where the adapter cannot tell cheaply: Kafka keeps no per-message time in its offsets).
   */
  lag(group: string, topics: readonly string[]): Promise<{ messages: number; seconds: number | null }>;
  /**
   * Retention: drops `topic`'s messages published before `before`, like a Kafka topic's retention.ms
   * (cleanup.policy=delete). Embedded: deleted from the file; Kafka: the broker does it, this returns 0.
   */
  prune(topic: string, before: Date): Promise<number>;
  ping(): Promise<void>;
  close(): Promise<void>;
}

export const topicFor = (service: 'registry' | 'referrals' | 'matching'): string => `estia.${service}`;
