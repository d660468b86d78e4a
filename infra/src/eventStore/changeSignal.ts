/**
 * An in-process "something was appended" signal. Subscriptions wait on it instead of sleeping, so a
 * local append reaches a live subscriber at once; adapters also fire it on a cross-process hint
 * (PostgreSQL NOTIFY) and subscriptions still poll, so a missed hint only costs one poll interval.
 */
export class ChangeSignal {
  private version = 0;
  private waiters = new Set<() => void>();

  /** Current version; pass it to `waitAfter` so a change between read and wait is not lost. */
  get current(): number {
    return this.version;
  }

  notify(): void {
    this.version += 1;
    const waiters = this.waiters;
    this.waiters = new Set();
    for (const wake of waiters) wake();
  }

  /** Resolves when the version moved past `seen`, after `timeoutMs`, or when `signal` aborts. */
  waitAfter(seen: number, timeoutMs: number, signal?: AbortSignal): Promise<void> {
    if (this.version !== seen || signal?.aborted) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.waiters.delete(done);
        signal?.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, timeoutMs);
      this.waiters.add(done);
      signal?.addEventListener('abort', done, { once: true });
    });
  }
}
