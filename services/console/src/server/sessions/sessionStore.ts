import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import { open, seal } from '@estia/infra/crypto/aesGcm.js';
import type { Sealed } from '@estia/infra/crypto/sealed.js';
import { createSqliteDatabase } from '@estia/infra/sql/sqliteDatabase.js';
import type { SqlDatabase } from '@estia/infra/sql/types.js';
import { sessionIdOf, tokenKeyOf, type SessionSecret } from './sessionSecret.js';

/** What a live session gives the back end: the person's access token and when it stops being valid. */
export interface OpenSession {
  accessToken: string;
  /** Epoch ms: the earlier of the token's expiry and the idle deadline. */
  endsAt: number;
  tokenExpiresAt: number;
}

export interface SessionStore {
  create(secret: SessionSecret, accessToken: string, tokenExpiresAt: number): Promise<void>;
  /** The session if it is live; touching it moves the idle deadline. Ended sessions are deleted. */
  touch(secret: SessionSecret): Promise<OpenSession | null>;
  /** Stores a refreshed token for a live session (sealed like the first). */
  renew(secret: SessionSecret, accessToken: string, tokenExpiresAt: number): Promise<void>;
  destroy(secret: SessionSecret): Promise<void>;
  /** Rows on file (tests and readiness). */
  count(): Promise<number>;
  ping(): Promise<unknown>;
  close(): Promise<void>;
}

export interface SessionStoreOptions {
  /** SQLite file (created 0600) or ':memory:'. */
  path: string;
  idleMs: number;
  now?: () => number;
}

// Only ids (hashes) and sealed tokens: no names, e-mails or case data ever reach this file.
const DDL = `CREATE TABLE IF NOT EXISTS console_sessions (
  id TEXT PRIMARY KEY,
  sealed_token TEXT NOT NULL,
  token_expires_at INTEGER NOT NULL,
  last_seen_at INTEGER NOT NULL
)`;

/** A sliding deadline rewritten on every request would turn reads into writes; a minute is precise enough. */
const TOUCH_GRANULARITY_MS = 60_000;

const createOwnerOnlyFile = (path: string): void => {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  if (!existsSync(path)) closeSync(openSync(path, 'a', 0o600));
  chmodSync(path, 0o600);
};

export const openSessionStore = async (options: SessionStoreOptions): Promise<SessionStore> => {
  const now = options.now ?? Date.now;
  if (options.path !== ':memory:') createOwnerOnlyFile(options.path);
  const db: SqlDatabase = await createSqliteDatabase({ path: options.path });
  await db.execute(DDL);
  // SQLite gives -wal/-shm the database file's mode; make sure of it for files left by older runs.
  if (options.path !== ':memory:')
    for (const suffix of ['-wal', '-shm'])
      if (existsSync(options.path + suffix)) chmodSync(options.path + suffix, 0o600);

  const aad = (id: string) => `console-session/${id}`;
  const endOf = (row: { token_expires_at: number; last_seen_at: number }) =>
    Math.min(Number(row.token_expires_at), Number(row.last_seen_at) + options.idleMs);

  return {
    async create(secret, accessToken, tokenExpiresAt) {
      const id = sessionIdOf(secret);
      const sealed = seal(tokenKeyOf(secret), Buffer.from(accessToken, 'utf8'), aad(id));
      const at = now();
      // Sessions end on their own; sign-in is the moment to forget the ones that did.
      await db.execute('DELETE FROM console_sessions WHERE token_expires_at <= $1 OR last_seen_at <= $2', [
        at,
        at - options.idleMs,
      ]);
      await db.execute(
        'INSERT INTO console_sessions (id, sealed_token, token_expires_at, last_seen_at) VALUES ($1, $2, $3, $4)',
        [id, JSON.stringify(sealed), tokenExpiresAt, at],
      );
    },
    async touch(secret) {
      const id = sessionIdOf(secret);
      const [row] = await db.query<{ sealed_token: string; token_expires_at: number; last_seen_at: number }>(
        'SELECT sealed_token, token_expires_at, last_seen_at FROM console_sessions WHERE id = $1',
        [id],
      );
      if (!row) return null;
      const at = now();
      if (endOf(row) <= at) {
        await db.execute('DELETE FROM console_sessions WHERE id = $1', [id]);
        return null;
      }
      let accessToken: string;
      try {
        accessToken = open(tokenKeyOf(secret), JSON.parse(row.sealed_token) as Sealed, aad(id)).toString('utf8');
      } catch {
        return null;
      }
      let seen = Number(row.last_seen_at);
      if (at - seen >= TOUCH_GRANULARITY_MS) {
        await db.execute('UPDATE console_sessions SET last_seen_at = $1 WHERE id = $2', [at, id]);
        seen = at;
      }
      const tokenExpiresAt = Number(row.token_expires_at);
      return { accessToken, tokenExpiresAt, endsAt: Math.min(tokenExpiresAt, seen + options.idleMs) };
    },
    async renew(secret, accessToken, tokenExpiresAt) {
      const id = sessionIdOf(secret);
      const sealed = seal(tokenKeyOf(secret), Buffer.from(accessToken, 'utf8'), aad(id));
      await db.execute('UPDATE console_sessions SET sealed_token = $1, token_expires_at = $2 WHERE id = $3', [
        JSON.stringify(sealed),
        tokenExpiresAt,
        id,
      ]);
    },
    async destroy(secret) {
      await db.execute('DELETE FROM console_sessions WHERE id = $1', [sessionIdOf(secret)]);
    },
    async count() {
      const [row] = await db.query<{ n: number }>('SELECT COUNT(*) AS n FROM console_sessions');
      return Number(row?.n ?? 0);
    },
    ping: () => db.query('SELECT 1'),
    close: () => db.close(),
  };
};
