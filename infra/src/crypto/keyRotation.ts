import type { SqlDatabase } from '../sql/types.js';
import { DecryptionError } from './errors.js';
import { masterKeyOf, type MasterKeyRing } from './keyEncryptionKey.js';
import { unwrapKey, wrapKey } from './keyWrapping.js';
import type { Sealed } from './sealed.js';
import { createTable } from './sqlKeyStore.js';

/**
 * Master-key rotation for the SqlKeyStore table. Only the wrapping changes: each client's data key
 * stays the same bytes, so nothing sealed with it (events, read models) is touched or re-encrypted.
 */

export interface MasterKeyUsage {
  /** The master key's version (its id, stored with every key it wraps). */
  version: string;
  keys: number;
}

/** How many live client keys each master key version wraps (erased clients have no key left). */
export async function masterKeyUsage(db: SqlDatabase): Promise<MasterKeyUsage[]> {
  await createTable(db);
  const rows = await db.query<{ kek_id: string; keys: number | string }>(
    `SELECT kek_id, COUNT(*) AS keys FROM estia_client_keys WHERE wrapped_key IS NOT NULL GROUP BY kek_id ORDER BY kek_id`,
  );
  return rows.map((r) => ({ version: r.kek_id, keys: Number(r.keys) }));
}

export interface RewrapProgress {
  done: number;
  total: number;
}

interface WrappedRow {
  client_id: string;
  wrapped_key: string;
  kek_id: string;
}

/**
 * Re-wraps every client key not yet under `ring.current`, in batches of one transaction each, so it
 * can be interrupted and run again (it resumes with what is left). Each update names the version it
 * re-wrapped from, so a key erased or re-wrapped meanwhile is left as it is. Fails, before writing
 * anything of a batch, on a key whose master version is not in the ring.
 */
export async function rewrapClientKeys(
  db: SqlDatabase,
  ring: MasterKeyRing,
  options: { batchSize?: number; onProgress?: (progress: RewrapProgress) => void } = {},
): Promise<{ rewrapped: number; total: number }> {
  await createTable(db);
  const current = ring.current;
  const batchSize = options.batchSize ?? 500;
  const [count] = await db.query<{ n: number | string }>(
    'SELECT COUNT(*) AS n FROM estia_client_keys WHERE wrapped_key IS NOT NULL AND kek_id <> $1',
    [current.id],
  );
  const total = Number(count?.n ?? 0);
  let done = 0;
  let rewrapped = 0;
  let after = '';
  options.onProgress?.({ done, total });
  for (;;) {
    const rows = await db.query<WrappedRow>(
      `SELECT client_id, wrapped_key, kek_id FROM estia_client_keys
        WHERE wrapped_key IS NOT NULL AND kek_id <> $1 AND client_id > $2 ORDER BY client_id LIMIT $3`,
      [current.id, after, batchSize],
    );
    if (rows.length === 0) break;
    const updates = rows.map((row) => {
      const from = masterKeyOf(ring, row.kek_id);
      if (!from)
        throw new DecryptionError(
          `key of client ${row.client_id} is wrapped by master key ${row.kek_id}, which is not configured: add it as a previous key`,
        );
      const key = unwrapKey(from, row.client_id, JSON.parse(row.wrapped_key) as Sealed);
      return {
        clientId: row.client_id,
        from: row.kek_id,
        wrapped: JSON.stringify(wrapKey(current, row.client_id, key)),
      };
    });
    await db.transaction(async (tx) => {
      for (const u of updates) {
        const { rowCount } = await tx.execute(
          `UPDATE estia_client_keys SET wrapped_key = $1, kek_id = $2
            WHERE client_id = $3 AND kek_id = $4 AND wrapped_key IS NOT NULL`,
          [u.wrapped, current.id, u.clientId, u.from],
        );
        rewrapped += rowCount;
      }
    });
    done += rows.length;
    after = rows[rows.length - 1]!.client_id;
    options.onProgress?.({ done: Math.min(done, total), total });
  }
  return { rewrapped, total };
}

/** A master key version may be retired (forgotten) only once no client key is wrapped by it. */
export async function keysWrappedBy(db: SqlDatabase, version: string): Promise<number> {
  return (await masterKeyUsage(db)).find((u) => u.version === version)?.keys ?? 0;
}
