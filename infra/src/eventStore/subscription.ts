import type { StoredEvent, Subscription, SubscriptionHandler, SubscribeOptions } from './types.js';
import type { ChangeSignal } from './changeSignal.js';

/**
 * One page of the global log. `scannedTo` is the highest position the adapter has *finished* with:
 * every event at or below it was either returned or filtered out, and no event at or below it can
 * appear later. A filtered subscription moves its cursor there instead of re-scanning skipped events.
 */
export interface LogPage {
  events: StoredEvent[];
  scannedTo: number;
}

export interface LogSource {
  readPage(after: number, maxCount: number, types: readonly string[] | undefined): Promise<LogPage>;
  readonly changes: ChangeSignal;
  /** Safety-net poll while live (catches appends by other processes and missed hints). */
  readonly pollIntervalMs: number;
}

/** Before the first event: positions are ≥ 0 on every adapter. */
export const START = -1;

/** Catch-up-then-live subscription shared by the SQL adapters: read pages in order, await the handler, wait for a change. */
export function runSubscription(
  source: LogSource,
  handler: SubscriptionHandler,
  options: SubscribeOptions = {},
): Subscription {
  const batchSize = Math.max(1, options.batchSize ?? 500);
  const stopper = new AbortController();
  const external = options.signal;
  const onExternalAbort = (): void => stopper.abort();
  if (external?.aborted) stopper.abort();
  else external?.addEventListener('abort', onExternalAbort, { once: true });

  let markCaughtUp!: () => void;
  let failCaughtUp!: (error: unknown) => void;
  const caughtUp = new Promise<void>((resolve, reject) => {
    markCaughtUp = resolve;
    failCaughtUp = reject;
  });
  // A consumer that only awaits `done` must not get an unhandled rejection from `caughtUp`.
  caughtUp.catch(() => undefined);

  const loop = async (): Promise<void> => {
    let cursor = options.after ?? START;
    let live = false;
    while (!stopper.signal.aborted) {
      const seen = source.changes.current;
      const page = await source.readPage(cursor, batchSize, options.types);
      if (stopper.signal.aborted) break;
      if (page.events.length > 0) await handler(page.events);
      cursor = Math.max(cursor, page.scannedTo);
      if (page.events.length >= batchSize) continue;
      if (!live) {
        live = true;
        markCaughtUp();
      }
      await source.changes.waitAfter(seen, source.pollIntervalMs, stopper.signal);
    }
    if (!live) markCaughtUp();
  };

  const done = loop().then(
    () => external?.removeEventListener('abort', onExternalAbort),
    (error: unknown) => {
      external?.removeEventListener('abort', onExternalAbort);
      failCaughtUp(error);
      throw error;
    },
  );
  done.catch(() => undefined);

  return {
    caughtUp,
    done,
    async stop() {
      stopper.abort();
      await done.catch(() => undefined);
    },
  };
}
