import { Transform, type TransformCallback } from 'node:stream';
import type { AllStreamResolvedEvent, KurrentDBClient, SubscribeToAllOptions } from '@kurrent/kurrentdb-client';
import { describe, expect, it } from 'vitest';
import type { StoredEvent } from '../types.js';
import { subscribeToAllScoped, type AllSubscriptionDeps } from './allSubscription.js';

/**
 * No KurrentDB server runs here, so the pump is driven by a stand-in for the client's subscription:
 * an object-mode stream that emits 'caughtUp' in stream order, as the client's Subscription does.
 * The same pump runs against a real server in kurrentdbEventStore.int.spec.ts when one is available.
 */
class FakeSubscription extends Transform {
  unsubscribed = 0;
  constructor() {
    super({ objectMode: true, highWaterMark: 4 });
  }
  override _transform(chunk: { caughtUp?: true }, _encoding: BufferEncoding, next: TransformCallback): void {
    if (chunk.caughtUp) {
      this.emit('caughtUp', {});
      next();
    } else next(null, chunk);
  }
  async unsubscribe(): Promise<void> {
    this.unsubscribed += 1;
  }
  deliver(...positions: number[]): void {
    for (const p of positions) this.write({ commitPosition: BigInt(p), event: { type: p % 2 ? 'Odd' : 'Even' } });
  }
  /** Like the client, caughtUp is emitted while transforming, i.e. after every earlier event was pushed. */
  signalCaughtUp(): void {
    this.write({ caughtUp: true });
  }
}

const harness = (lastPosition: () => Promise<number | null> = () => new Promise(() => undefined)) => {
  const subscription = new FakeSubscription();
  const requests: SubscribeToAllOptions[] = [];
  const client = {
    subscribeToAll(options: SubscribeToAllOptions) {
      requests.push(options);
      return subscription;
    },
  } as unknown as KurrentDBClient;
  const deps: AllSubscriptionDeps = {
    client,
    scope: { prefix: 'ns-' },
    positionOf: (r: AllStreamResolvedEvent) => Number(r.commitPosition),
    decode: (r: AllStreamResolvedEvent, position: number) =>
      r.event?.type === 'Odd' || r.event?.type === 'Even' ? ({ position, type: r.event.type } as StoredEvent) : null,
    lastPosition,
  };
  return { subscription, requests, deps };
};

const tick = (ms = 5) => new Promise((r) => setTimeout(r, ms));

describe('subscribeToAllScoped', () => {
  it('delivers in bounded batches, one handler call at a time, and is caught up only once those are handled', async () => {
    const { subscription, requests, deps } = harness();
    const batches: number[][] = [];
    let running = 0;
    let overlapped = false;
    let caughtUpWith = -1;
    const sub = subscribeToAllScoped(
      deps,
      async (events) => {
        running += 1;
        overlapped ||= running > 1;
        await tick();
        batches.push(events.map((e) => e.position));
        running -= 1;
      },
      { batchSize: 3, after: 10 },
    );
    void sub.caughtUp.then(() => (caughtUpWith = batches.flat().length));
    expect(requests[0]!.fromPosition).toEqual({ commit: 10n, prepare: 10n });
    subscription.deliver(10, 11, 12, 13, 14, 15, 16);
    subscription.signalCaughtUp();
    await sub.caughtUp;
    // The server re-sent the checkpoint itself (10): skipped, so exactly 11..16 were handled before caughtUp.
    expect(caughtUpWith).toBe(6);
    expect(batches.flat()).toEqual([11, 12, 13, 14, 15, 16]);
    expect(batches.every((b) => b.length <= 3)).toBe(true);
    subscription.deliver(17);
    while (batches.flat().length < 7) await tick();
    await sub.stop();
    await sub.done;
    expect(overlapped).toBe(false);
    expect(subscription.unsubscribed).toBe(1);
  });

  it('without a caught-up signal, is caught up once the position that was last at subscribe time is handled', async () => {
    const { subscription, requests, deps } = harness(async () => 3);
    const seen: number[] = [];
    const sub = subscribeToAllScoped(deps, (events) => void seen.push(...events.map((e) => e.position)));
    expect(requests[0]!.fromPosition).toBe('start');
    let caught = false;
    void sub.caughtUp.then(() => (caught = true));
    subscription.deliver(1, 2);
    await tick(20);
    expect(caught).toBe(false);
    subscription.deliver(3);
    await sub.caughtUp;
    expect(seen).toEqual([1, 2, 3]);
    await sub.stop();
  });

  it('is caught up at once on an empty log and stops on an AbortSignal', async () => {
    const { subscription, deps } = harness(async () => null);
    const abort = new AbortController();
    const sub = subscribeToAllScoped(deps, () => undefined, { signal: abort.signal });
    await sub.caughtUp;
    abort.abort();
    await sub.done;
    expect(subscription.unsubscribed).toBe(1);
  });

  it('rejects done (and a pending caughtUp) when the handler throws, and stops pulling', async () => {
    const { subscription, deps } = harness();
    let calls = 0;
    const sub = subscribeToAllScoped(
      deps,
      () => {
        calls += 1;
        if (calls === 2) throw new Error('handler failed');
      },
      { batchSize: 1 },
    );
    subscription.deliver(1, 2, 3);
    await expect(sub.done).rejects.toThrow('handler failed');
    await expect(sub.caughtUp).rejects.toThrow('handler failed');
    expect(calls).toBe(2);
    expect(subscription.unsubscribed).toBe(1);
  });

  it('rejects done when the server subscription fails', async () => {
    const { subscription, deps } = harness();
    const sub = subscribeToAllScoped(deps, () => undefined);
    subscription.emit('error', new Error('connection lost'));
    await expect(sub.done).rejects.toThrow('connection lost');
  });

  it('does not subscribe at all for an empty type list', async () => {
    const { requests, deps } = harness();
    const sub = subscribeToAllScoped(deps, () => undefined, { types: [] });
    await sub.caughtUp;
    await sub.stop();
    expect(requests).toHaveLength(0);
  });
});
