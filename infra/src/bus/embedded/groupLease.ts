import { hostname } from 'node:os';
import type Database from 'better-sqlite3';

interface LeaseRow {
  owner: string;
  host: string;
  pid: number;
  expires_at: number;
}

const host = hostname();

const processAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/**
 * Exclusive ownership of (group, topic) between processes on one machine. A holder renews its lease;
 * a contender takes over when the lease expired or, at once, when the holder's process is gone (a
 * SIGKILLed consumer must not stall its group for a whole TTL). Pids are only compared on the same host
 * name: processes in separate containers sharing the file see different pid namespaces.
 */
export class GroupLeases {
  private readonly select: Database.Statement<[string, string], LeaseRow>;
  private readonly upsert: Database.Statement<[string, string, string, string, number, number]>;
  private readonly renewStmt: Database.Statement<[number, string, string, string]>;
  private readonly releaseStmt: Database.Statement<[string, string, string]>;

  constructor(
    private readonly db: Database.Database,
    private readonly owner: string,
    private readonly ttlMs: number,
  ) {
    this.select = db.prepare('SELECT owner, host, pid, expires_at FROM bus_leases WHERE grp = ? AND topic = ?');
    this.upsert = db.prepare(
      `INSERT INTO bus_leases (grp, topic, owner, host, pid, expires_at) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (grp, topic) DO UPDATE
       SET owner = excluded.owner, host = excluded.host, pid = excluded.pid, expires_at = excluded.expires_at`,
    );
    this.renewStmt = db.prepare('UPDATE bus_leases SET expires_at = ? WHERE owner = ? AND grp = ? AND topic = ?');
    this.releaseStmt = db.prepare('DELETE FROM bus_leases WHERE grp = ? AND topic = ? AND owner = ?');
  }

  /** True when this owner holds the lease afterwards. */
  tryAcquire(group: string, topic: string): boolean {
    return this.db
      .transaction((): boolean => {
        const now = Date.now();
        const row = this.select.get(group, topic);
        const free =
          row === undefined ||
          row.owner === this.owner ||
          row.expires_at < now ||
          (row.host === host && row.pid !== process.pid && !processAlive(row.pid));
        if (!free) return false;
        this.upsert.run(group, topic, this.owner, host, process.pid, now + this.ttlMs);
        return true;
      })
      .immediate();
  }

  /** False when the lease was taken over meanwhile: the caller must stop consuming the topic. */
  renew(group: string, topic: string): boolean {
    return this.renewStmt.run(Date.now() + this.ttlMs, this.owner, group, topic).changes === 1;
  }

  holds(group: string, topic: string): boolean {
    const row = this.select.get(group, topic);
    return row !== undefined && row.owner === this.owner && row.expires_at >= Date.now();
  }

  release(group: string, topic: string): void {
    this.releaseStmt.run(group, topic, this.owner);
  }
}
