/**
 * True for an error that means "the database could not be reached or dropped the connection" rather than
 * "the statement was wrong": PostgreSQL's connection-exception class (08…), operator intervention
 * (57P01 terminated by an administrator, 57P02 crash shutdown, 57P03 cannot connect now), a socket
 * refused or reset, or pg's own message for a connection that ended under a query. Such a failure is
 * transient: the request may be retried (with its Idempotency-Key) once the pool has reconnected.
 */
export function isConnectionLost(error: unknown, depth = 0): boolean {
  if (error === null || typeof error !== 'object') return false;
  const { code, message, cause } = error as { code?: unknown; message?: unknown; cause?: unknown };
  // A store or handler that wraps the driver's error keeps it as the cause.
  if (depth < 3 && cause !== undefined && isConnectionLost(cause, depth + 1)) return true;
  if (typeof code === 'string') {
    if (/^08[0-9A-Z]{3}$/.test(code) || /^57P0[123]$/.test(code)) return true;
    if (code === 'ECONNREFUSED' || code === 'ECONNRESET' || code === 'EPIPE' || code === 'ETIMEDOUT') return true;
  }
  return (
    typeof message === 'string' &&
    /^(Connection terminated|Client has encountered a connection error|timeout exceeded when trying to connect)/.test(
      message,
    )
  );
}
