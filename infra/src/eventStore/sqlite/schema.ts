/**
 * One file per store. `position` is the rowid: SQLite has a single writer per file and a transaction
 * holds the write lock until it commits, so rowid order is commit order and readers never see a
 * later position before an earlier one. AUTOINCREMENT: a position is never reused, even if the last
 * row were ever removed, so a consumer's checkpoint can never point at a different event.
 * `idempotency_records` live in the same file so that a key's record commits with its events.
 */
export const SQLITE_SCHEMA = `
CREATE TABLE IF NOT EXISTS streams (
  seq        INTEGER PRIMARY KEY AUTOINCREMENT,
  stream_id  TEXT NOT NULL UNIQUE,
  version    INTEGER NOT NULL,
  last_hash  TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS events (
  position    INTEGER PRIMARY KEY AUTOINCREMENT,
  stream_id   TEXT NOT NULL,
  revision    INTEGER NOT NULL,
  event_id    TEXT NOT NULL,
  type        TEXT NOT NULL,
  data        TEXT NOT NULL,
  metadata    TEXT NOT NULL,
  recorded_at TEXT NOT NULL,
  hash        TEXT NOT NULL,
  UNIQUE (stream_id, revision)
);
CREATE TABLE IF NOT EXISTS idempotency_records (
  scope        TEXT NOT NULL,
  idem_key     TEXT NOT NULL,
  request_hash TEXT NOT NULL,
  response     TEXT NOT NULL,
  recorded_at  TEXT NOT NULL,
  PRIMARY KEY (scope, idem_key)
);
CREATE INDEX IF NOT EXISTS idempotency_records_recorded_at ON idempotency_records (recorded_at);
`;
