import type pg from 'pg';

const ignore = (): void => undefined;

/**
 * A pooled client for a transaction. pg-pool drops its own error listener while a client is checked out,
 * so a connection cut between two statements (server restart, `pg_terminate_backend`) would be an
 * unhandled 'error' event and end the process; with this listener the cut surfaces as the next
 * statement's rejection instead, and `release` destroys the client.
 */
export async function checkoutClient(pool: pg.Pool): Promise<pg.PoolClient & { done: (error?: Error) => void }> {
  const client = await pool.connect();
  client.on('error', ignore);
  return Object.assign(client, {
    done: (error?: Error) => {
      client.removeListener('error', ignore);
      client.release(error);
    },
  });
}
