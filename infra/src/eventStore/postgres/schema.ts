import pg from 'pg';

/**
 * `position` = (transaction id << 16) + ordinal in the batch (1…65,535). Readers only read below
 * (oldest running transaction id << 16): everything below it is final, so a catching-up reader never
 * sees a later position before an earlier one, however slowly a transaction commits. Positions are
 * increasing but not dense. Payloads are canonical JSON text (not jsonb): stored bytes are exactly the
 * hashed bytes, and jsonb would refuse some valid JSON strings (\u0000) that SQLite accepts.
 * `idempotency_records` sit in the store's schema so that a key's record commits with its events.
 */
export const postgresSchemaSql = (schema: string): string => {
  const s = pg.escapeIdentifier(schema);
  return `
CREATE SCHEMA IF NOT EXISTS ${s};
CREATE TABLE IF NOT EXISTS ${s}.streams (
  seq        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  stream_id  text NOT NULL UNIQUE,
  version    bigint NOT NULL,
  last_hash  text NOT NULL
);
CREATE TABLE IF NOT EXISTS ${s}.events (
  position    bigint PRIMARY KEY,
  stream_id   text NOT NULL,
  revision    bigint NOT NULL,
  event_id    text NOT NULL,
  type        text NOT NULL,
  data        text NOT NULL,
  metadata    text NOT NULL,
  recorded_at timestamptz NOT NULL,
  hash        text NOT NULL,
  UNIQUE (stream_id, revision)
);
CREATE TABLE IF NOT EXISTS ${s}.idempotency_records (
  scope        text NOT NULL,
  idem_key     text NOT NULL,
  request_hash text NOT NULL,
  response     text NOT NULL,
  recorded_at  timestamptz NOT NULL,
  CONSTRAINT idempotency_records_pkey PRIMARY KEY (scope, idem_key)
);
CREATE INDEX IF NOT EXISTS idempotency_records_recorded_at ON ${s}.idempotency_records (recorded_at);
`;
};

/** Ordinal bits in a position: at most 2^16 - 1 events per append. */
export const ORDINAL_BITS = 16;
export const MAX_BATCH = 2 ** ORDINAL_BITS - 1;
