import type { SqlDatabase } from '../sql/types.js';
import { applyDdl } from '../sql/applyDdl.js';

/**
 * Tables the processors keep in the service's own database, next to its read models, so that a
 * handler's writes, the inbox entry and the checkpoint commit together. Plain SQL both dialects speak.
 * `msg_offset` / `topic_partition`: OFFSET is reserved in PostgreSQL.
 */
const DDL = [
  `CREATE TABLE IF NOT EXISTS estia_checkpoints (
    name TEXT PRIMARY KEY,
    position BIGINT NOT NULL,
    updated_at TEXT NOT NULL
  )`,
  `CREATE TABLE IF NOT EXISTS estia_inbox (
    consumer TEXT NOT NULL,
    event_id TEXT NOT NULL,
    handled_at TEXT NOT NULL,
    PRIMARY KEY (consumer, event_id)
  )`,
  `CREATE TABLE IF NOT EXISTS estia_consumer_offsets (
    consumer TEXT NOT NULL,
    topic TEXT NOT NULL,
    topic_partition INTEGER NOT NULL,
    msg_offset TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (consumer, topic, topic_partition)
  )`,
  `CREATE TABLE IF NOT EXISTS estia_dead_letters (
    id TEXT PRIMARY KEY,
    consumer TEXT NOT NULL,
    topic TEXT NOT NULL,
    topic_partition INTEGER NOT NULL,
    msg_offset TEXT NOT NULL,
    event_id TEXT,
    event_type TEXT,
    envelope TEXT NOT NULL,
    error TEXT NOT NULL,
    attempts INTEGER NOT NULL,
    failed_at TEXT NOT NULL
  )`,
  `CREATE INDEX IF NOT EXISTS estia_dead_letters_consumer ON estia_dead_letters (consumer, failed_at)`,
];

/** Idempotent; safe when several processes of one service start together. */
export async function ensureProcessorTables(db: SqlDatabase): Promise<void> {
  await applyDdl(db, DDL);
}
