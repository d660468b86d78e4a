import type { SqlExecutor } from './types.js';

/**
 * Runs idempotent DDL (CREATE … IF NOT EXISTS) in order. Safe when several processes of one service
 * start together: on PostgreSQL two concurrent CREATE … IF NOT EXISTS can still collide on the system
 * catalogue, so a failed attempt is retried a few times before the error is let through.
 */
export async function applyDdl(db: SqlExecutor, statements: readonly string[], attempts = 3): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      for (const statement of statements) await db.execute(statement);
      return;
    } catch (error) {
      if (attempt >= attempts) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50 * attempt));
    }
  }
}
