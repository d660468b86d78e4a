import type { SqlDatabase } from '../sql/types.js';
import { ClientKeyErasedError, DecryptionError } from './errors.js';
import { systemClock, type Clock } from '../clock/clock.js';
import {
  isMasterKeyRing,
  masterKeyOf,
  masterKeyRing,
  type KeyEncryptionKey,
  type MasterKeyRing,
} from './keyEncryptionKey.js';
import type { ClientKey, KeyStore } from './keyStore.js';
import { newDataKey, unwrapKey, wrapKey } from './keyWrapping.js';
import type { Sealed } from './sealed.js';
import { applyDdl } from '../sql/applyDdl.js';

const DDL = `CREATE TABLE IF NOT EXISTS estia_client_keys (
  client_id TEXT PRIMARY KEY,
  wrapped_key TEXT,
  kek_id TEXT,
  created_at TEXT NOT NULL,
  erased_at TEXT
)`;

interface KeyRow {
  wrapped_key: string | null;
  kek_id: string | null;
  erased_at: string | null;
}

export interface SqlKeyStoreOptions {
  /**
   * The master key (KEY_ENCRYPTION_KEY), or a ring of them while a rotation runs: new keys are wrapped
   * by the current one, existing keys open with whichever version wrapped them. The table alone is
   * useless without them.
   */
  kek: KeyEncryptionKey | MasterKeyRing;
  /**
   * Reads the master keys again, for a key wrapped by a version this process does not know yet (a
   * rotation ran while it was up, e.g. the embedded key file gained a version). Called at most once per miss.
   */
  reloadKeys?: () => MasterKeyRing;
  clock?: Clock;
}

/**
 * KeyStore on the SqlDatabase port (SQLite or PostgreSQL). Keep this table out of the event log and,
 * ideally, out of backups that outlive the erasure period: a destroyed key is overwritten (NULL) in
 * place, and on SQLite secure_delete zeroes the freed bytes instead of leaving them in the file.
 */
export const createSqlKeyStore = async (db: SqlDatabase, options: SqlKeyStoreOptions): Promise<KeyStore> => {
  let ring = isMasterKeyRing(options.kek) ? options.kek : masterKeyRing(options.kek);
  const wrappingOf = (version: string | null): KeyEncryptionKey | undefined => {
    const known = masterKeyOf(ring, version);
    if (known || !options.reloadKeys) return known;
    ring = options.reloadKeys();
    return masterKeyOf(ring, version);
  };
  const clock = options.clock ?? systemClock;
  if (db.dialect === 'sqlite') await db.query('PRAGMA secure_delete = ON');
  await createTable(db);

  const readRow = async (clientId: string): Promise<KeyRow | undefined> =>
    (
      await db.query<KeyRow>('SELECT wrapped_key, kek_id, erased_at FROM estia_client_keys WHERE client_id = $1', [
        clientId,
      ])
    )[0];

  const toClientKey = (clientId: string, row: KeyRow): ClientKey => {
    if (row.erased_at !== null) return { status: 'erased', erasedAt: row.erased_at };
    if (row.wrapped_key === null)
      throw new DecryptionError(`key row for client ${clientId} has neither key nor tombstone`);
    const wrapping = wrappingOf(row.kek_id);
    if (!wrapping)
      throw new DecryptionError(
        `key of client ${clientId} was wrapped by master key ${String(row.kek_id)}, which is not configured (current ${ring.current.id})`,
      );
    return { status: 'active', key: unwrapKey(wrapping, clientId, JSON.parse(row.wrapped_key) as Sealed) };
  };

  return {
    async createKey(clientId) {
      const kek = ring.current;
      const wrapped = JSON.stringify(wrapKey(kek, clientId, newDataKey()));
      // Concurrent creators race on the primary key; the loser reads the winner's key.
      await db.execute(
        `INSERT INTO estia_client_keys (client_id, wrapped_key, kek_id, created_at, erased_at)
         VALUES ($1, $2, $3, $4, NULL) ON CONFLICT (client_id) DO NOTHING`,
        [clientId, wrapped, kek.id, clock().toISOString()],
      );
      const row = await readRow(clientId);
      if (!row) throw new Error(`key for client ${clientId} vanished right after it was created`);
      const key = toClientKey(clientId, row);
      if (key.status === 'erased') throw new ClientKeyErasedError(clientId, key.erasedAt);
      return key.key;
    },

    async getKey(clientId) {
      const row = await readRow(clientId);
      return row ? toClientKey(clientId, row) : null;
    },

    async destroyKey(clientId, at) {
      const erasedAt = new Date(at).toISOString();
      await db.execute(
        `INSERT INTO estia_client_keys (client_id, wrapped_key, kek_id, created_at, erased_at)
         VALUES ($1, NULL, NULL, $2, $2)
         ON CONFLICT (client_id) DO UPDATE SET wrapped_key = NULL, kek_id = NULL,
           erased_at = COALESCE(estia_client_keys.erased_at, excluded.erased_at)`,
        [clientId, erasedAt],
      );
    },
  };
};

export async function createTable(db: SqlDatabase): Promise<void> {
  await applyDdl(db, [DDL]);
}
