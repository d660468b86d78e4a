import { rmSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { commitProbe, type CommitProbe } from './commitProbe.js';

/**
 * A bare one-row INSERT commit in a fresh SQLite file in `dir`, with the event
 * store's durability (WAL, synchronous=FULL): the floor under any durable single-event append on the
 * embedded store, recorded next to benchmark figures as PostgreSQL's commitLatencyProbe is. A commit
 * appends its frames to the WAL and syncs it, which costs more than rewriting one block in place.
 */
const WARM_UP = 2_000;

export function sqliteCommitProbe(dir: string, samples = 2_000): CommitProbe {
  const path = join(dir, `commit-probe-${process.pid}.sqlite`);
  const db = new Database(path);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.exec('CREATE TABLE probe (id INTEGER PRIMARY KEY, v TEXT NOT NULL)');
    const insert = db.prepare('INSERT INTO probe (v) VALUES (?)');
    const value = 'x'.repeat(400);
    // Untimed first: until the WAL has been checkpointed and restarted a few times, commits also grow
    // the file, which a store that has run for a while no longer does.
    for (let i = 0; i < WARM_UP; i += 1) insert.run(value);
    const times: number[] = [];
    for (let i = 0; i < samples; i += 1) {
      const started = performance.now();
      insert.run(value);
      times.push(performance.now() - started);
    }
    return commitProbe(times);
  } finally {
    db.close();
    for (const suffix of ['', '-wal', '-shm']) rmSync(path + suffix, { force: true });
  }
}
