import type Database from 'better-sqlite3';

/**
 * One log keyed by (topic, offset) — clustered, so each topic is read as its own contiguous log —
 * dense per-topic offsets like a Kafka partition, committed offsets per consumer group, and one lease
 * per (group, topic) so that only one process of a group consumes a topic at a time.
 */
const DDL = `
CREATE TABLE IF NOT EXISTS bus_topics (
  topic TEXT PRIMARY KEY,
  next_offset INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS bus_log (
  topic TEXT NOT NULL,
  offset INTEGER NOT NULL,
  key TEXT NOT NULL,
  value TEXT NOT NULL,
  published_at INTEGER NOT NULL,
  PRIMARY KEY (topic, offset)
) WITHOUT ROWID;
-- Erasure forgets one key of a topic; holds (topic, key, offset), nothing personal.
CREATE INDEX IF NOT EXISTS bus_log_by_key ON bus_log (topic, key);
CREATE TABLE IF NOT EXISTS bus_group_offsets (
  grp TEXT NOT NULL,
  topic TEXT NOT NULL,
  next_offset INTEGER NOT NULL,
  PRIMARY KEY (grp, topic)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS bus_leases (
  grp TEXT NOT NULL,
  topic TEXT NOT NULL,
  owner TEXT NOT NULL,
  host TEXT NOT NULL,
  pid INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  PRIMARY KEY (grp, topic)
) WITHOUT ROWID;
`;

export function openBusDatabase(db: Database.Database, busyTimeoutMs: number): void {
  // Set first: the WAL switch and the DDL below take locks that other processes may hold.
  db.pragma(`busy_timeout = ${busyTimeoutMs}`);
  db.pragma('journal_mode = WAL');
  // FULL: in WAL mode every commit is fsynced, so publish() resolving means the message survives a crash.
  db.pragma('synchronous = FULL');
  // On every connection, not only the one that forgets: a page split at publish time moves cells and
  // would otherwise leave stale copies of a message in a page's free space, out of reach of a delete.
  db.pragma('secure_delete = ON');
  db.transaction(() => db.exec(DDL)).immediate();
}
