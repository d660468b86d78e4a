import { randomUUID } from 'node:crypto';
import type { SqlExecutor } from '../sql/types.js';
import type { DeliveredMessage } from '../bus/types.js';
import type { StoredEvent } from '../eventStore/types.js';
import { eventIdOf, eventTypeOf } from './envelopeValidator.js';

export interface DeadLetter {
  id: string;
  consumer: string;
  topic: string;
  partition: number;
  offset: string;
  eventId: string | null;
  eventType: string | null;
  /** The message value as delivered (parsed envelope, or the raw text when it was not JSON). */
  envelope: unknown;
  error: string;
  attempts: number;
  failedAt: string;
}

interface DeadLetterRow {
  id: string;
  consumer: string;
  topic: string;
  topic_partition: number | string;
  msg_offset: string;
  event_id: string | null;
  event_type: string | null;
  envelope: string;
  error: string;
  attempts: number | string;
  failed_at: string;
}

const toDeadLetter = (row: DeadLetterRow): DeadLetter => {
  let envelope: unknown;
  try {
    envelope = JSON.parse(row.envelope);
  } catch {
    envelope = row.envelope;
  }
  return {
    id: row.id,
    consumer: row.consumer,
    topic: row.topic,
    partition: Number(row.topic_partition),
    offset: row.msg_offset,
    eventId: row.event_id,
    eventType: row.event_type,
    envelope,
    error: row.error,
    attempts: Number(row.attempts),
    failedAt: row.failed_at,
  };
};

/** `topic` of a dead letter parked from the service's own event log rather than from the bus. */
export const STORE_SOURCE = '(event store)';

/** Poison messages a consumer gave up on, kept in the consumer's own database for an operator. */
export const deadLetterStore = {
  async add(
    tx: SqlExecutor,
    entry: { consumer: string; message: DeliveredMessage; error: string; attempts: number },
  ): Promise<void> {
    const { message } = entry;
    await tx.execute(
      `INSERT INTO estia_dead_letters
        (id, consumer, topic, topic_partition, msg_offset, event_id, event_type, envelope, error, attempts, failed_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
      [
        randomUUID(),
        entry.consumer,
        message.topic,
        message.partition,
        message.offset,
        eventIdOf(message.value),
        eventTypeOf(message.value),
        typeof message.value === 'string' ? message.value : JSON.stringify(message.value),
        entry.error,
        entry.attempts,
        new Date().toISOString(),
      ],
    );
  },

  /**
   * Parks an event of the service's own log that a projection or relay gave up on. Only a reference is
   * kept (stream, revision, position, type, id): the event itself stays in the log, where its personal
   * data is sealed; the operator reads it there.
   */
  async addStoreEvent(
    tx: SqlExecutor,
    entry: { processor: string; event: StoredEvent; error: string; attempts: number; at?: string },
  ): Promise<void> {
    const { event } = entry;
    await tx.execute(
      `INSERT INTO estia_dead_letters
        (id, consumer, topic, topic_partition, msg_offset, event_id, event_type, envelope, error, attempts, failed_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
      [
        randomUUID(),
        entry.processor,
        STORE_SOURCE,
        0,
        String(event.position),
        event.id,
        event.type,
        JSON.stringify({ streamId: event.streamId, revision: event.revision, position: event.position }),
        entry.error,
        entry.attempts,
        entry.at ?? new Date().toISOString(),
      ],
    );
  },

  /** Retention: deletes dead letters parked before `olderThan` (ISO-8601); returns how many. */
  async prune(db: SqlExecutor, olderThan: string): Promise<number> {
    return (await db.execute('DELETE FROM estia_dead_letters WHERE failed_at < $1', [olderThan])).rowCount;
  },

  async list(db: SqlExecutor, options: { consumer?: string; limit?: number } = {}): Promise<DeadLetter[]> {
    const limit = Math.max(1, Math.min(options.limit ?? 100, 1_000));
    const rows =
      options.consumer === undefined
        ? await db.query<DeadLetterRow>(`SELECT * FROM estia_dead_letters ORDER BY failed_at, id LIMIT ${limit}`)
        : await db.query<DeadLetterRow>(
            `SELECT * FROM estia_dead_letters WHERE consumer = $1 ORDER BY failed_at, id LIMIT ${limit}`,
            [options.consumer],
          );
    return rows.map(toDeadLetter);
  },

  async count(db: SqlExecutor, consumer?: string): Promise<number> {
    const rows =
      consumer === undefined
        ? await db.query<{ n: number | string }>('SELECT COUNT(*) AS n FROM estia_dead_letters')
        : await db.query<{ n: number | string }>('SELECT COUNT(*) AS n FROM estia_dead_letters WHERE consumer = $1', [
            consumer,
          ]);
    return Number(rows[0]?.n ?? 0);
  },
};
