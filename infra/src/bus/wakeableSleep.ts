/**
 * A sleep that stop() can cut short, and that a local publish can end early, so an idle loop waits
 * without holding up shutdown or adding a poll interval to in-process latency.
 */
export class Waker {
  private waiters = new Set<() => void>();

  wakeAll(): void {
    const waiters = this.waiters;
    this.waiters = new Set();
    for (const wake of waiters) wake();
  }

  sleep(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.waiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.waiters.add(done);
    });
  }
}
