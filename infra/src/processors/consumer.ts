import type { EventEnvelope } from '@estia/contracts';
import type { Bus, BusConsumer, DeliveredMessage } from '../bus/types.js';
import type { SqlDatabase, SqlExecutor } from '../sql/types.js';
import { silentLogger, type BusLogger } from '../bus/logger.js';
import { backoffDelay, sleep, type BackoffOptions } from './backoff.js';
import { deadLetterStore } from './deadLetterStore.js';
import { composeValidator, eventIdOf, type EnvelopeCheck, type EnvelopeValidator } from './envelopeValidator.js';
import { ensureProcessorTables } from './schema.js';

export interface ConsumerMessageContext {
  topic: string;
  partition: number;
  offset: string;
  key: string;
  /** 1 on first delivery, then 2, 3 … while retrying. */
  attempt: number;
}

/** Writes the message's effect with `tx` only: the inbox entry and the checkpoint commit with it. */
export type ConsumerHandler = (
  tx: SqlExecutor,
  envelope: EventEnvelope,
  context: ConsumerMessageContext,
) => Promise<void>;

/** One claimed message of a batch: its envelope and where it came from. */
export interface ConsumerBatchItem {
  envelope: EventEnvelope;
  context: ConsumerMessageContext;
}

/**
 * Writes the effect of several messages at once with `tx` (their inbox claims and the checkpoint commit
 * with it), in delivery order; duplicates already handled are left out. Must have the same effect as
 * `handle` on each message in turn: when it throws, the consumer falls back to `handle`, one message per
 * transaction, so a poison message is still retried and parked alone.
 */
export type ConsumerBatchHandler = (tx: SqlExecutor, items: readonly ConsumerBatchItem[]) => Promise<void>;

export interface StartConsumerOptions {
  bus: Bus;
  /** The consuming service's own database: inbox, checkpoint, dead letters and the handler's tables. */
  db: SqlDatabase;
  /** Consumer group and inbox name, one per consuming service and purpose, e.g. `matching.referrals-candidates`. */
  group: string;
  topics: readonly string[];
  handle: ConsumerHandler;
  /** Optional batched handling of a delivered batch (see ConsumerBatchHandler); `handle` stays the fallback. */
  handleBatch?: ConsumerBatchHandler;
  /** Attempts before a message is dead-lettered (the consumer then moves on). Default 5. */
  maxAttempts?: number;
  /** Delay between attempts: initial 100 ms, doubling, capped at 10 s by default. */
  backoff?: BackoffOptions;
  /**
   * Schema validation; default: the contracts (envelope + data schema of `type`). A failing message is
   * dead-lettered at once with the readable error.
   */
  validate?: EnvelopeValidator;
  /** Start of the topics for a new group (default true: a new read model wants the whole history). */
  fromBeginning?: boolean;
  /** Most messages per delivered batch (the bus adapter's default when absent); see ConsumeOptions. */
  maxBatchSize?: number;
  logger?: BusLogger;
  /** Called after each committed message or batch with its number of messages (metrics). */
  onProgress?: (messages: number) => void;
  /** Called when a message was dead-lettered (metrics). */
  onParked?: () => void;
}

export interface RunningConsumer {
  readonly group: string;
  /** Stops fetching, lets the in-flight transaction finish (a retry wait is cut short and redelivered later). */
  stop(): Promise<void>;
}

class ConsumerStoppedError extends Error {
  constructor() {
    super('consumer stopped while retrying; the message will be redelivered');
    this.name = 'ConsumerStoppedError';
  }
}

const describeError = (error: unknown): string => {
  if (!(error instanceof Error)) return String(error);
  const fields = (error as { errors?: { pointer: string; detail: string }[] }).errors;
  const detail = Array.isArray(fields) ? ` (${fields.map((f) => `${f.pointer}: ${f.detail}`).join('; ')})` : '';
  return `${error.name}: ${error.message}${detail}`;
};

/** Marks the event handled for this consumer; false when it already was (a duplicate delivery). */
const claim = async (tx: SqlExecutor, consumer: string, eventId: string): Promise<boolean> => {
  const result = await tx.execute(
    `INSERT INTO estia_inbox (consumer, event_id, handled_at) VALUES ($1, $2, $3)
     ON CONFLICT (consumer, event_id) DO NOTHING`,
    [consumer, eventId, new Date().toISOString()],
  );
  return result.rowCount > 0;
};

/** Rows per multi-row statement: well under the parameter limits of SQLite (32,766) and PostgreSQL (65,535). */
const CLAIM_CHUNK = 1000;

/** Claims many events at once; returns the ids it claimed (those not yet in the inbox), each once. */
const claimAll = async (tx: SqlExecutor, consumer: string, eventIds: readonly string[]): Promise<Set<string>> => {
  const claimed = new Set<string>();
  const at = new Date().toISOString();
  for (let start = 0; start < eventIds.length; start += CLAIM_CHUNK) {
    const chunk = [...new Set(eventIds.slice(start, start + CLAIM_CHUNK))].filter((id) => !claimed.has(id));
    if (chunk.length === 0) continue;
    const values = chunk.map((_, i) => `($1, $${i + 3}, $2)`).join(', ');
    const rows = await tx.query<{ event_id: string }>(
      `INSERT INTO estia_inbox (consumer, event_id, handled_at) VALUES ${values}
       ON CONFLICT (consumer, event_id) DO NOTHING RETURNING event_id`,
      [consumer, at, ...chunk],
    );
    for (const row of rows) claimed.add(row.event_id);
  }
  return claimed;
};

const saveOffset = (tx: SqlExecutor, consumer: string, message: DeliveredMessage): Promise<unknown> =>
  tx.execute(
    `INSERT INTO estia_consumer_offsets (consumer, topic, topic_partition, msg_offset, updated_at)
     VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (consumer, topic, topic_partition)
     DO UPDATE SET msg_offset = excluded.msg_offset, updated_at = excluded.updated_at`,
    [consumer, message.topic, message.partition, message.offset, new Date().toISOString()],
  );

/**
 * A checkpointed, idempotent cross-service consumer. Per delivered message, one transaction in the
 * consumer's database holds: the inbox claim by event id (a redelivery finds it and does nothing), the
 * handler's writes, and the topic/partition/offset checkpoint. Only then is the bus acknowledged.
 * A failing message is retried with exponential backoff and, after `maxAttempts`, dead-lettered in the
 * same database so that one poison message does not stop the stream.
 */
export async function startConsumer(options: StartConsumerOptions): Promise<RunningConsumer> {
  const { bus, db, group, handle } = options;
  const maxAttempts = Math.max(1, options.maxAttempts ?? 5);
  const logger = options.logger ?? silentLogger;
  const validate = composeValidator(options.validate);
  const stopper = new AbortController();
  await ensureProcessorTables(db);

  const deadLetter = async (message: DeliveredMessage, error: string, attempts: number): Promise<void> => {
    await db.transaction(async (tx) => {
      await deadLetterStore.add(tx, { consumer: group, message, error, attempts });
      // Claimed too, so a duplicate of the poison message is not retried all over again.
      const id = eventIdOf(message.value);
      if (id !== null) await claim(tx, group, id);
      await saveOffset(tx, group, message);
    });
    options.onParked?.();
    logger.error(
      { group, topic: message.topic, offset: message.offset, eventId: eventIdOf(message.value), attempts, error },
      'consumer: message dead-lettered',
    );
  };

  const contextOf = (message: DeliveredMessage, attempt: number): ConsumerMessageContext => ({
    topic: message.topic,
    partition: message.partition,
    offset: message.offset,
    key: message.key,
    attempt,
  });

  const apply = async (tx: SqlExecutor, message: DeliveredMessage, attempt: number): Promise<void> => {
    if (await claim(tx, group, eventIdOf(message.value)!)) {
      await handle(tx, message.value, contextOf(message, attempt));
    }
  };

  /** The slow path: one transaction per message, with retries and dead-lettering. */
  const processOne = async (
    message: DeliveredMessage,
    check: EnvelopeCheck,
    priorFailures: number,
    priorError: unknown,
  ) => {
    if (!check.ok) return deadLetter(message, `schema: ${check.error}`, 0);
    let failures = priorFailures;
    let lastError = priorError;
    while (failures < maxAttempts) {
      if (failures > 0 && !(await sleep(backoffDelay(failures, options.backoff), stopper.signal))) {
        throw new ConsumerStoppedError();
      }
      try {
        await db.transaction(async (tx) => {
          await apply(tx, message, failures + 1);
          await saveOffset(tx, group, message);
        });
        options.onProgress?.(1);
        return;
      } catch (error) {
        failures += 1;
        lastError = error;
        logger.warn({ group, offset: message.offset, attempt: failures, err: error }, 'consumer: handler failed');
      }
    }
    await deadLetter(message, describeError(lastError), failures);
  };

  /**
   * The batched path: one transaction, one multi-row inbox claim, one handler call, one checkpoint.
   * False when a message is invalid or the handler failed (the caller falls back to one by one).
   */
  const processBatch = async (messages: DeliveredMessage[], checks: EnvelopeCheck[]): Promise<boolean> => {
    if (checks.some((check) => !check.ok)) return false;
    let handlerFailed = false;
    try {
      await db.transaction(async (tx) => {
        const claimed = await claimAll(
          tx,
          group,
          messages.map((message) => eventIdOf(message.value)!),
        );
        const items: ConsumerBatchItem[] = [];
        for (const message of messages) {
          const id = eventIdOf(message.value)!;
          // Claimed now, and the first copy of it in this batch.
          if (claimed.delete(id)) items.push({ envelope: message.value, context: contextOf(message, 1) });
        }
        try {
          if (items.length > 0) await options.handleBatch!(tx, items);
        } catch (error) {
          handlerFailed = true;
          logger.warn({ group, offset: messages[0]!.offset, err: error }, 'consumer: batch handler failed');
          throw error;
        }
        await saveOffset(tx, group, messages[messages.length - 1]!);
      });
    } catch (error) {
      if (!handlerFailed) throw error; // the database itself failed: let the bus redeliver the batch
      return false;
    }
    options.onProgress?.(messages.length);
    return true;
  };

  const handler = async (messages: DeliveredMessage[]): Promise<void> => {
    const checks = await Promise.all(messages.map((message) => validate(message.value)));
    if (options.handleBatch) {
      if (await processBatch(messages, checks)) return;
      // Which message failed is unknown: each gets its full number of attempts on its own.
      for (const [i, message] of messages.entries()) await processOne(message, checks[i]!, 0, undefined);
      return;
    }
    // Fast path: the whole batch in one transaction (one fsync, not one per message). Each message is
    // still all-or-nothing with its inbox claim and the checkpoint; a failure falls back to the slow path.
    let failedAt = -1;
    let failure: unknown;
    try {
      await db.transaction(async (tx) => {
        for (const [i, message] of messages.entries()) {
          const check = checks[i]!;
          if (!check.ok) {
            failedAt = i;
            throw new Error('schema');
          }
          try {
            await apply(tx, message, 1);
          } catch (error) {
            failedAt = i;
            failure = error;
            throw error;
          }
        }
        await saveOffset(tx, group, messages[messages.length - 1]!);
      });
      options.onProgress?.(messages.length);
      return;
    } catch (error) {
      if (failedAt < 0) throw error; // the database itself failed: let the bus redeliver the batch
    }
    for (const [i, message] of messages.entries()) {
      await processOne(message, checks[i]!, i === failedAt && failure !== undefined ? 1 : 0, failure);
    }
  };

  const consumer: BusConsumer = await bus.consume({
    group,
    topics: options.topics,
    handler,
    fromBeginning: options.fromBeginning ?? true,
    maxBatchSize: options.maxBatchSize,
  });

  return {
    group,
    async stop() {
      stopper.abort();
      await consumer.stop();
    },
  };
}
