import type { SqlExecutor } from '../sql/types.js';

/** Named positions in estia_checkpoints (relays, projections). Call ensureProcessorTables first. */
export const checkpointStore = {
  async load(db: SqlExecutor, name: string): Promise<number | null> {
    const rows = await db.query<{ position: number | string }>(
      'SELECT position FROM estia_checkpoints WHERE name = $1',
      [name],
    );
    // PostgreSQL returns BIGINT as a string.
    return rows[0] === undefined ? null : Number(rows[0].position);
  },

  async save(db: SqlExecutor, name: string, position: number): Promise<void> {
    await db.execute(
      `INSERT INTO estia_checkpoints (name, position, updated_at) VALUES ($1, $2, $3)
       ON CONFLICT (name) DO UPDATE SET position = excluded.position, updated_at = excluded.updated_at`,
      [name, position, new Date().toISOString()],
    );
  },
};
