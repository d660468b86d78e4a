import type pg from 'pg';

const ignore = (): void => undefined;

/**
 * Lets the server cut any of the pool's connections (restart, `pg_terminate_backend`) without ending the
 * process. pg-pool listens for a client's 'error' only while it is idle, so a cut reaching a checked-out
 * client with no statement in flight (between two statements of a transaction, or in the same read as the
 * reply that just handed it to the next caller, before that caller could add a listener) would be an
 * unhandled 'error' event. Every client gets a listener of its own when the pool creates it; the cut then
 * surfaces as the next statement's rejection, and the client is destroyed when released with it.
 */
export function guardPool(pool: pg.Pool): pg.Pool {
  pool.on('error', ignore);
  pool.on('connect', (client) => {
    client.on('error', ignore);
  });
  return pool;
}
