import type { AllStreamResolvedEvent, AllStreamSubscription, KurrentDBClient } from '@kurrent/kurrentdb-client';
import { ChangeSignal } from '../changeSignal.js';
import type { StoredEvent, Subscription, SubscriptionHandler, SubscribeOptions } from '../types.js';
import { toReadPosition } from './eventMapping.js';
import { serverFilter, type LogScope } from './logScope.js';

export interface AllSubscriptionDeps {
  client: KurrentDBClient;
  scope: LogScope;
  /** Commit position of a server record (as a port position). */
  positionOf(resolved: AllStreamResolvedEvent): number;
  /** Server record → port event, or null when it is out of scope. */
  decode(resolved: AllStreamResolvedEvent, position: number): StoredEvent | null;
  /** Position of the newest record the server filter lets through, or null if none: the catch-up target. */
  lastPosition(): Promise<number | null>;
}

/** Wakes the pump at least this often even without a stream event (a safety net, not a poll). */
const IDLE_WAKE_MS = 30_000;

/**
 * Catch-up-then-live delivery over one server-side $all subscription. The pump drains what the
 * subscription has buffered (up to batchSize), awaits the handler, and only then reads on; the
 * Readable stops pulling from gRPC meanwhile, so a slow handler applies backpressure to the server
 * instead of buffering the log in memory.
 */
export function subscribeToAllScoped(
  deps: AllSubscriptionDeps,
  handler: SubscriptionHandler,
  options: SubscribeOptions = {},
): Subscription {
  const batchSize = Math.max(1, options.batchSize ?? 500);
  const after = options.after ?? -1;
  const scope: LogScope = { prefix: deps.scope.prefix, types: options.types };
  const stopper = new AbortController();
  const external = options.signal;
  const onExternalAbort = (): void => stopper.abort();
  if (external?.aborted) stopper.abort();
  else external?.addEventListener('abort', onExternalAbort, { once: true });

  let markCaughtUp!: () => void;
  let failCaughtUp!: (error: unknown) => void;
  let isCaughtUp = false;
  const caughtUp = new Promise<void>((resolve, reject) => {
    markCaughtUp = () => {
      isCaughtUp = true;
      resolve();
    };
    failCaughtUp = reject;
  });
  caughtUp.catch(() => undefined);

  const wake = new ChangeSignal();
  let failure: unknown;
  let ended = false;
  // Records pulled from the stream so far (in scope or not), those whose batch the handler finished,
  // and the highest position pulled.
  let pulledTotal = 0;
  let handledTotal = 0;
  let lastSeen = after;
  // Server "caught up" arrives in stream order: everything buffered before it belongs to the catch-up.
  let caughtUpAtCount: number | null = null;
  // Fallback for servers that never send it: the newest in-scope position when we subscribed.
  let target: number | null | undefined;

  const subscription: AllStreamSubscription | null =
    scope.types !== undefined && scope.types.length === 0
      ? null
      : deps.client.subscribeToAll({ fromPosition: toReadPosition(after), filter: serverFilter(scope) });

  if (subscription !== null) {
    subscription.on('readable', () => wake.notify());
    subscription.on('end', () => {
      ended = true;
      wake.notify();
    });
    subscription.on('error', (error: Error) => {
      failure ??= error;
      wake.notify();
    });
    subscription.on('caughtUp', () => {
      caughtUpAtCount ??= pulledTotal + subscription.readableLength;
      wake.notify();
    });
    deps.lastPosition().then(
      (position) => {
        target = position;
        wake.notify();
      },
      (error: unknown) => {
        failure ??= error;
        wake.notify();
      },
    );
  }

  const checkCaughtUp = (): void => {
    if (isCaughtUp) return;
    const bySignal = caughtUpAtCount !== null && handledTotal >= caughtUpAtCount;
    const byTarget = target !== undefined && (target === null || target <= lastSeen);
    if (bySignal || byTarget) markCaughtUp();
  };

  const pump = async (): Promise<void> => {
    if (subscription === null) {
      // An empty type list matches nothing: idle until stopped.
      markCaughtUp();
      while (!stopper.signal.aborted) await wake.waitAfter(wake.current, IDLE_WAKE_MS, stopper.signal);
      return;
    }
    try {
      while (!stopper.signal.aborted) {
        const seen = wake.current;
        const batch: StoredEvent[] = [];
        let pulled = 0;
        let item: unknown;
        while (batch.length < batchSize && (item = subscription.read()) !== null) {
          pulled += 1;
          pulledTotal += 1;
          const resolved = item as AllStreamResolvedEvent;
          const position = deps.positionOf(resolved);
          // The server starts after the checkpoint; re-checking keeps resume exact if it ever did not.
          if (position <= lastSeen) continue;
          lastSeen = position;
          const event = deps.decode(resolved, position);
          if (event !== null) batch.push(event);
        }
        if (batch.length > 0) await handler(batch);
        // Counted after the handler returned: caughtUp means "handled", not "buffered".
        handledTotal = pulledTotal;
        checkCaughtUp();
        if (pulled > 0) continue;
        if (failure !== undefined) throw failure;
        if (ended) break;
        await wake.waitAfter(seen, IDLE_WAKE_MS, stopper.signal);
      }
    } finally {
      await subscription.unsubscribe().catch(() => undefined);
    }
  };

  const done = pump().then(
    () => {
      external?.removeEventListener('abort', onExternalAbort);
      if (!isCaughtUp) markCaughtUp();
    },
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
