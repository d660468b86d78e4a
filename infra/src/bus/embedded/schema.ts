import type Database from 'better-sqlite3';

/**
 * One append-only log with dense per-topic offsets like a Kafka partition, committed offsets per
 * consumer group, and one lease per (group, topic) so that only one process of a group consumes a topic
 * at a time.
 *
 * bus_log is a rowid table on purpose (not clustered by (topic, offset)): forget must leave no byte of a
 * message in the file, and SQLite's secure_delete only zeroes the cell it deletes. When a page splits
 * (balance_nonroot -> rebuildPage), the cells moved to the sibling stay behind as stale bytes in the
 * page's unallocated gap, which no later delete touches. Appending with an ever-growing rowid splits the
 * rightmost leaf by balance_quick, which moves no existing cell; forget then blanks `value` in place
 * (UPDATE to NULL: the old cell is zeroed, the row shrinks in its page, no rebalance), so a message's
 * bytes only ever exist in its own cell and overflow pages. Never DELETE from bus_log without a VACUUM
 * afterwards: an underfull page is merged with its siblings and that leaves stale copies of other keys'
 * messages behind (retention, Bus.prune, deletes old messages and then vacuums the file).
 */
const DDL = `
CREATE TABLE IF NOT EXISTS bus_topics (
  topic TEXT PRIMARY KEY,
  next_offset INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS bus_log (
  seq INTEGER PRIMARY KEY,
  topic TEXT NOT NULL,
  offset INTEGER NOT NULL,
  key TEXT NOT NULL,
  -- NULL once forgotten (erasure); consumers pass over it.
  value TEXT,
  published_at INTEGER NOT NULL,
  UNIQUE (topic, offset)
);
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
  db.transaction(() => {
    migrateClusteredLog(db);
    db.exec(DDL);
  }).immediate();
}

/**
 * Files written before bus_log became a rowid table: the rows move to the new table and the old one is
 * dropped, which frees (and, with secure_delete, zeroes) every page that may hold stale copies.
 */
function migrateClusteredLog(db: Database.Database): void {
  const old = db
    .prepare<[], { sql: string }>("SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = 'bus_log'")
    .get();
  if (old === undefined || !/WITHOUT\s+ROWID/i.test(old.sql)) return;
  db.exec('DROP INDEX IF EXISTS bus_log_by_key; ALTER TABLE bus_log RENAME TO bus_log_clustered;');
  db.exec(DDL);
  db.exec(
    `INSERT INTO bus_log (topic, offset, key, value, published_at)
       SELECT topic, offset, key, value, published_at FROM bus_log_clustered ORDER BY topic, offset;
     DROP TABLE bus_log_clustered;`,
  );
}
