import type { SqlDatabase } from '@estia/infra/sql/types.js';

/**
 * Erasure deletes rows about the person from the read models (rf_client_index holds names and dates
 * of birth). SQLite leaves deleted bytes in the file's free space unless secure_delete is on — the
 * erasure test found the names there. Per connection, so it is set on the service's own read-model
 * connection; idempotent. (PostgreSQL: dead tuples stay until VACUUM; see the erasure notes.)
 */
export async function zeroFreedBytes(db: SqlDatabase): Promise<void> {
  if (db.dialect === 'sqlite') await db.query('PRAGMA secure_delete = ON');
}
