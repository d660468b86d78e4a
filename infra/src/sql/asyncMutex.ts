/**
 * A FIFO async mutex. better-sqlite3 is synchronous but our SQL port is async: without this, a
 * caller awaiting inside `transaction(fn)` would let another caller's statements run inside the
 * same open transaction on the shared connection.
 */
export class AsyncMutex {
  private tail: Promise<void> = Promise.resolve();

  async runExclusive<T>(fn: () => Promise<T> | T): Promise<T> {
    let release!: () => void;
    const next = new Promise<void>((resolve) => (release = resolve));
    const previous = this.tail;
    this.tail = previous.then(() => next);
    await previous;
    try {
      return await fn();
    } finally {
      release();
    }
  }
}
