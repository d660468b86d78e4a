import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { PG_URL, postgresAvailable } from '../testing/postgres.js';
import { guardPool } from './guardPool.js';

const available = await postgresAvailable();

describe.skipIf(!available)('guardPool', () => {
  it('a checked-out connection cut while no statement is in flight fails its next statement, not the process', async () => {
    const pool = guardPool(new pg.Pool({ connectionString: PG_URL, max: 2 }));
    const admin = new pg.Client({ connectionString: PG_URL });
    await admin.connect();
    try {
      const client = await pool.connect();
      const { rows } = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
      await admin.query('SELECT pg_terminate_backend($1)', [rows[0]!.pid]);
      // The server's FATAL notice reaches the client with nothing in flight: unguarded, its 'error' event
      // has no listener and ends the process (vitest reports an uncaught error and fails the run).
      await new Promise((resolve) => setTimeout(resolve, 300));
      await expect(client.query('SELECT 1')).rejects.toThrow(/not queryable|terminat/);
      client.release(true);
      // The pool goes on with a fresh connection.
      expect((await pool.query<{ one: number }>('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
    } finally {
      await admin.end();
      await pool.end();
    }
  });
});
