import type pg from 'pg';

/**
 * A pooled client for a transaction (the pool is guarded: guardPool.ts), with `done` releasing it,
 * destroyed when it ends with a connection error.
 */
export async function checkoutClient(pool: pg.Pool): Promise<pg.PoolClient & { done: (error?: Error) => void }> {
  const client = await pool.connect();
  return Object.assign(client, { done: (error?: Error) => client.release(error) });
}
