import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { applyDdl } from '../sql/applyDdl.js';
import type { SqlDatabase } from '../sql/types.js';

/**
 * Named, expiring leases in the service's own database (SQLite file or PostgreSQL schema), so that of
 * several replicas of one service exactly one runs each processor. The holder renews its lease well
 * within the TTL; a standby takes over once the lease expired or, at once, when the holder was a
 * process on the same host that no longer exists (a SIGKILLed replica must not stall a processor for
 * a whole TTL). Pids are only compared on the same host name: replicas in separate containers sharing
 * a database see different pid namespaces.
 *
 * Every change is one conditional statement (compare-and-set on the owner and expiry that were read),
 * so two contenders can never both win, on either dialect.
 */
export interface LeaseStore {
  /** This store's owner id: host, pid and a random part (two runtimes in one process differ). */
  readonly owner: string;
  /** True when this owner holds `name` afterwards (acquired, or already held and extended). */
  tryAcquire(name: string, ttlMs: number): Promise<boolean>;
  /** Extends a held lease; false when it was lost (expired and taken over): stop the work at once. */
  renew(name: string, ttlMs: number): Promise<boolean>;
  release(name: string): Promise<void>;
  /** The current holder of every lease (for /ready and operators). */
  holders(): Promise<Record<string, { owner: string; expiresAt: number }>>;
}

interface LeaseRow {
  name: string;
  owner: string;
  host: string;
  pid: number | string;
  expires_at: number | string;
}

const DDL = [
  `CREATE TABLE IF NOT EXISTS estia_leases (
    name TEXT PRIMARY KEY,
    owner TEXT NOT NULL,
    host TEXT NOT NULL,
    pid INTEGER NOT NULL,
    expires_at BIGINT NOT NULL
  )`,
];

const processAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

export async function createSqlLeaseStore(
  db: SqlDatabase,
  options: { now?: () => number; host?: string; pid?: number } = {},
): Promise<LeaseStore> {
  await applyDdl(db, DDL);
  const now = options.now ?? Date.now;
  const host = options.host ?? hostname();
  const pid = options.pid ?? process.pid;
  const owner = `${host}:${pid}:${randomUUID().slice(0, 8)}`;

  const holderGone = (row: LeaseRow): boolean =>
    row.host === host && Number(row.pid) !== pid && !processAlive(Number(row.pid));

  return {
    owner,
    async tryAcquire(name, ttlMs) {
      const at = now();
      const [row] = await db.query<LeaseRow>('SELECT * FROM estia_leases WHERE name = $1', [name]);
      if (row === undefined) {
        const inserted = await db.execute(
          `INSERT INTO estia_leases (name, owner, host, pid, expires_at) VALUES ($1, $2, $3, $4, $5)
           ON CONFLICT (name) DO NOTHING`,
          [name, owner, host, pid, at + ttlMs],
        );
        return inserted.rowCount === 1;
      }
      const free = row.owner === owner || Number(row.expires_at) < at || holderGone(row);
      if (!free) return false;
      const taken = await db.execute(
        `UPDATE estia_leases SET owner = $1, host = $2, pid = $3, expires_at = $4
         WHERE name = $5 AND owner = $6 AND expires_at = $7`,
        [owner, host, pid, at + ttlMs, name, row.owner, Number(row.expires_at)],
      );
      return taken.rowCount === 1;
    },
    async renew(name, ttlMs) {
      const at = now();
      const renewed = await db.execute(
        // Also when it just expired: as long as nobody took it over, the compare-and-set of a contender
        // that read the old expiry fails.
        'UPDATE estia_leases SET expires_at = $1 WHERE name = $2 AND owner = $3',
        [at + ttlMs, name, owner],
      );
      return renewed.rowCount === 1;
    },
    async release(name) {
      await db.execute('DELETE FROM estia_leases WHERE name = $1 AND owner = $2', [name, owner]);
    },
    async holders() {
      const rows = await db.query<LeaseRow>('SELECT * FROM estia_leases ORDER BY name');
      return Object.fromEntries(rows.map((r) => [r.name, { owner: r.owner, expiresAt: Number(r.expires_at) }]));
    },
  };
}
