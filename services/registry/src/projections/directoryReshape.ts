import type { SqlDatabase } from '@estia/infra/sql/types.js';
import { ensureProcessorTables } from '@estia/infra/processors/schema.js';
import { DIRECTORY_TABLES } from './directorySchema.js';

/**
 * A read model created before locations and schedules were keyed by service (directorySchema.ts)
 * cannot take the new rows, and CREATE TABLE IF NOT EXISTS leaves it as it is: its tables are dropped
 * and its checkpoint forgotten, so the projection rebuilds them from the log in their new shape.
 * Returns whether it did (the caller then tells the search index's readers to start over).
 */
export async function dropOutdatedDirectory(db: SqlDatabase, projection: string): Promise<boolean> {
  const columns = await db.query<{ name: string }>(
    db.dialect === 'sqlite'
      ? `SELECT name FROM pragma_table_info('registry_location_schedules')`
      : `SELECT column_name AS name FROM information_schema.columns
          WHERE table_schema = current_schema() AND table_name = 'registry_location_schedules'`,
  );
  if (columns.length === 0 || columns.some((c) => c.name === 'service_id')) return false;
  await ensureProcessorTables(db);
  await db.transaction(async (tx) => {
    for (const table of DIRECTORY_TABLES) await tx.execute(`DROP TABLE IF EXISTS ${table}`);
    await tx.execute('DELETE FROM estia_checkpoints WHERE name = $1', [projection]);
  });
  return true;
}
