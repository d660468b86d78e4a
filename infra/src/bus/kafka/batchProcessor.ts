import type { EventEnvelope } from '@estia/contracts';
import type { DeliveredMessage } from '../types.js';

export interface KafkaBatchLike {
  topic: string;
  partition: number;
  messages: readonly { offset: string; key: Buffer | null; value: Buffer | null }[];
}

export interface BatchProcessorDeps {
  handler: (messages: DeliveredMessage[]) => Promise<void>;
  maxBatchSize: number;
  /** False once the partition was revoked or the consumer is stopping: stop without committing. */
  canContinue: () => boolean;
  /** Waits before redelivering a slice whose handler rejected (`failures` ≥ 1). */
  backoff: (failures: number, error: unknown) => Promise<void>;
  heartbeat: () => Promise<void>;
  /** Commits `nextOffset` (last handled + 1, Kafka's convention) for the batch's partition. */
  commit: (nextOffset: string, lastOffset: string) => Promise<void>;
}

export const parseKafkaValue = (raw: Buffer | null): EventEnvelope => {
  const text = raw?.toString('utf8') ?? '';
  try {
    return JSON.parse(text) as EventEnvelope;
  } catch {
    // Handed on as is: the consumer's envelope validation dead-letters it with a readable error.
    return text as unknown as EventEnvelope;
  }
};

/**
 * One fetched Kafka batch, handled in slices of at most `maxBatchSize`: each slice is retried until its
 * handler resolves (its transaction committed), and only then is its offset committed. A revoked
 * partition or a stop leaves the rest uncommitted, so the next owner gets it again.
 */
export async function processKafkaBatch(batch: KafkaBatchLike, deps: BatchProcessorDeps): Promise<void> {
  const raw = batch.messages;
  for (let start = 0; start < raw.length; start += deps.maxBatchSize) {
    const rawSlice = raw.slice(start, start + deps.maxBatchSize);
    // A null value is a tombstone written by forget(): it carries nothing to handle, only marks the key
    // for compaction. It is committed past like any message, so a slice of tombstones only commits.
    const slice: DeliveredMessage[] = rawSlice
      .filter((m) => m.value !== null)
      .map((m) => ({
        topic: batch.topic,
        partition: batch.partition,
        offset: m.offset,
        key: m.key?.toString('utf8') ?? '',
        value: parseKafkaValue(m.value),
      }));
    for (let failures = 0; ;) {
      if (!deps.canContinue()) return;
      if (slice.length === 0) break;
      try {
        await deps.handler(slice);
        break;
      } catch (error) {
        failures += 1;
        await deps.backoff(failures, error);
        await deps.heartbeat();
      }
    }
    const last = rawSlice[rawSlice.length - 1]!.offset;
    await deps.commit((BigInt(last) + 1n).toString(), last);
    await deps.heartbeat();
  }
}
