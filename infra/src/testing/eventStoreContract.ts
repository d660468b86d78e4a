import { describe, expect, it } from 'vitest';
import { isAppError } from '../errors/appError.js';
import { StreamVersionConflictError, isIdempotencyKeyTaken } from '../eventStore/errors.js';
import { chainHash } from '../eventStore/hashChain.js';
import type { Appended, EventStore, NewEvent, StoredEvent } from '../eventStore/types.js';

/** What an adapter's test file hands to the shared contract suite, once per test (fresh, empty storage). */
export interface EventStoreHarness {
  store: EventStore;
  /** Alters the stored event (streamId, revision) behind the store's back (raw SQL UPDATE or equivalent). */
  tamper?: (streamId: string, revision: number) => Promise<void>;
  /** A new store instance on the same storage, as after a restart. The caller closes it. */
  reopen?: () => Promise<EventStore>;
  /** Closes `store` and removes the storage (file, schema, …). */
  cleanup: () => Promise<void>;
}

export type EventStoreHarnessFactory = () => Promise<EventStoreHarness>;

export interface EventStoreContractOptions {
  /** Events appended by the concurrent-writers test (default 10,000; the issue requires 10,000). */
  raceEvents?: number;
  /** Whether the harness provides `tamper` (default true; an immutable store like KurrentDB may say false). */
  tamper?: boolean;
  /** Whether the harness provides `reopen` (default true). */
  reopen?: boolean;
}

const ev = (type: string, data: unknown = {}, extra: Partial<NewEvent> = {}): NewEvent => ({ type, data, ...extra });

async function withStore<T>(factory: EventStoreHarnessFactory, fn: (h: EventStoreHarness) => Promise<T>): Promise<T> {
  const harness = await factory();
  try {
    return await fn(harness);
  } finally {
    await harness.cleanup();
  }
}

/** Liveness deadline for asynchronous delivery (not a performance assertion). */
async function waitFor(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

async function expectConflict(promise: Promise<unknown>, actual: number | null): Promise<void> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(StreamVersionConflictError);
  expect((error as StreamVersionConflictError).code).toBe('STREAM_VERSION_CONFLICT');
  expect((error as StreamVersionConflictError).actual).toBe(actual);
}

const increasing = (events: readonly StoredEvent[]): boolean =>
  events.every((e, i) => i === 0 || e.position > events[i - 1]!.position);

/**
 * The one contract suite every event-store adapter (SQLite, PostgreSQL, KurrentDB) must pass.
 *
 *   eventStoreContract('sqlite', async () => { const store = …; return { store, tamper, reopen, cleanup } });
 */
export function eventStoreContract(
  name: string,
  factory: EventStoreHarnessFactory,
  options: EventStoreContractOptions = {},
): void {
  const raceEvents = options.raceEvents ?? 10_000;
  const run =
    <T>(fn: (h: EventStoreHarness) => Promise<T>): (() => Promise<T>) =>
    () =>
      withStore(factory, fn);

  describe(`event store contract: ${name}`, () => {
    describe('append and read a stream', () => {
      it(
        'stores a batch with consecutive revisions, ids, metadata, timestamps and hashes',
        run(async ({ store }) => {
          const result = await store.append('case-1', [
            ev('Opened', { n: 1 }, { id: 'a1b2c3d4-0000-4000-8000-000000000001', metadata: { correlationId: 'c1' } }),
            ev('Noted', { text: 'ünïcødé \u0000 "quoted"', nested: { b: 2, a: [1, null, true] } }),
          ]);
          expect(result.nextExpectedVersion).toBe(1);
          const events = await store.readStream('case-1');
          expect(events.map((e) => [e.streamId, e.revision, e.type])).toEqual([
            ['case-1', 0, 'Opened'],
            ['case-1', 1, 'Noted'],
          ]);
          expect(events[0]!.id).toBe('a1b2c3d4-0000-4000-8000-000000000001');
          expect(events[1]!.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
          expect(events[0]!.metadata).toEqual({ correlationId: 'c1' });
          expect(events[1]!.metadata).toEqual({});
          expect(events[1]!.data).toEqual({ text: 'ünïcødé \u0000 "quoted"', nested: { b: 2, a: [1, null, true] } });
          expect(new Date(events[0]!.recordedAt).toISOString()).toBe(events[0]!.recordedAt);
          expect(result.lastPosition).toBe(events[1]!.position);
          expect(result.recordedAt).toBe(events[1]!.recordedAt);
          expect(events[1]!.position).toBeGreaterThan(events[0]!.position);
          // The chain is adapter-independent: anyone can recompute it from what readStream returns.
          expect(events[0]!.hash).toBe(chainHash(null, events[0]!));
          expect(events[1]!.hash).toBe(chainHash(events[0]!.hash, events[1]!));
        }),
      );

      it(
        'reads forwards and backwards from a revision with maxCount; a missing stream reads empty',
        run(async ({ store }) => {
          await store.append(
            's',
            [0, 1, 2, 3, 4].map((n) => ev('N', { n })),
          );
          const revs = (events: StoredEvent[]) => events.map((e) => e.revision);
          expect(revs(await store.readStream('s', { fromRevision: 2 }))).toEqual([2, 3, 4]);
          expect(revs(await store.readStream('s', { fromRevision: 1, maxCount: 2 }))).toEqual([1, 2]);
          expect(revs(await store.readStream('s', { direction: 'backwards' }))).toEqual([4, 3, 2, 1, 0]);
          expect(revs(await store.readStream('s', { direction: 'backwards', fromRevision: 3, maxCount: 2 }))).toEqual([
            3, 2,
          ]);
          expect(await store.readStream('nope')).toEqual([]);
          expect(await store.streamVersion('s')).toBe(4);
          expect(await store.streamVersion('nope')).toBeNull();
        }),
      );

      it(
        'rejects an empty batch with a validation error',
        run(async ({ store }) => {
          const error = await store.append('s', []).catch((e: unknown) => e);
          expect(isAppError(error) && error.code).toBe('VALIDATION_FAILED');
        }),
      );
    });

    describe('expected version', () => {
      it(
        "'no-stream' succeeds only on a new stream",
        run(async ({ store }) => {
          await store.append('s', [ev('A')], { expectedVersion: 'no-stream' });
          await expectConflict(store.append('s', [ev('B')], { expectedVersion: 'no-stream' }), 0);
          expect(await store.streamVersion('s')).toBe(0);
        }),
      );

      it(
        "'exists' succeeds only on an existing stream",
        run(async ({ store }) => {
          await expectConflict(store.append('s', [ev('A')], { expectedVersion: 'exists' }), null);
          expect(await store.readStream('s')).toEqual([]);
          await store.append('s', [ev('A')]);
          await store.append('s', [ev('B')], { expectedVersion: 'exists' });
          expect(await store.streamVersion('s')).toBe(1);
        }),
      );

      it(
        'an exact revision must be the last revision',
        run(async ({ store }) => {
          await expectConflict(store.append('s', [ev('A')], { expectedVersion: 0 }), null);
          await store.append('s', [ev('A'), ev('B')]);
          await expectConflict(store.append('s', [ev('C')], { expectedVersion: 0 }), 1);
          await expectConflict(store.append('s', [ev('C')], { expectedVersion: 2 }), 1);
          const ok = await store.append('s', [ev('C'), ev('D')], { expectedVersion: 1 });
          expect(ok.nextExpectedVersion).toBe(3);
        }),
      );

      it(
        "'any' (the default) appends to new and existing streams",
        run(async ({ store }) => {
          await store.append('s', [ev('A')], { expectedVersion: 'any' });
          await store.append('s', [ev('B')]);
          expect((await store.readStream('s')).map((e) => e.type)).toEqual(['A', 'B']);
        }),
      );

      it(
        'a rejected batch writes nothing, whether the version or an event is wrong',
        run(async ({ store }) => {
          await store.append('s', [ev('A')]);
          const before = await store.readAll();
          await expectConflict(store.append('s', [ev('B'), ev('C'), ev('D')], { expectedVersion: 5 }), 0);
          await expect(store.append('t', [ev('B'), ev('C', { bad: Number.NaN })])).rejects.toThrow();
          expect(await store.readAll()).toEqual(before);
          expect(await store.streamVersion('t')).toBeNull();
        }),
      );

      it(
        "two writers racing to create a stream with 'no-stream': exactly one wins",
        run(async ({ store, reopen }) => {
          const other = reopen ? await reopen() : store;
          try {
            for (let round = 0; round < 20; round += 1) {
              const id = `race-${round}`;
              const results = await Promise.allSettled([
                store.append(id, [ev('ByA'), ev('ByA2')], { expectedVersion: 'no-stream' }),
                other.append(id, [ev('ByB')], { expectedVersion: 'no-stream' }),
              ]);
              expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
              const loser = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
              expect(loser.reason).toBeInstanceOf(StreamVersionConflictError);
              const types = (await store.readStream(id)).map((e) => e.type);
              expect([['ByA', 'ByA2'], ['ByB']]).toContainEqual(types);
            }
          } finally {
            if (other !== store) await other.close();
          }
        }),
      );

      it(
        'two writers racing at the same exact revision: exactly one wins',
        run(async ({ store, reopen }) => {
          const other = reopen ? await reopen() : store;
          try {
            await store.append('s', [ev('Start')]);
            for (let round = 0; round < 20; round += 1) {
              const results = await Promise.allSettled([
                store.append('s', [ev('ByA')], { expectedVersion: round }),
                other.append('s', [ev('ByB')], { expectedVersion: round }),
              ]);
              expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
            }
            expect(await store.streamVersion('s')).toBe(20);
            expect((await store.verifyStream('s')).ok).toBe(true);
          } finally {
            if (other !== store) await other.close();
          }
        }),
      );

      it(
        "writers racing with 'any' all succeed and keep the chain intact",
        run(async ({ store, reopen }) => {
          const other = reopen ? await reopen() : store;
          try {
            await Promise.all(
              Array.from({ length: 20 }, (_, i) => (i % 2 ? store : other).append('s', [ev('X', { i })])),
            );
            const events = await store.readStream('s');
            expect(events.map((e) => e.revision)).toEqual(Array.from({ length: 20 }, (_, i) => i));
            expect((await store.verifyStream('s')).ok).toBe(true);
          } finally {
            if (other !== store) await other.close();
          }
        }),
      );
    });

    describe('global order', () => {
      it(
        'reads all events in append order, after a position, with maxCount and a type filter',
        run(async ({ store }) => {
          await store.append('a', [ev('A1'), ev('A2')]);
          await store.append('b', [ev('B1')]);
          await store.append('a', [ev('A3')]);
          await store.append('c', [ev('C1'), ev('C2')]);
          const all = await store.readAll();
          expect(all.map((e) => e.type)).toEqual(['A1', 'A2', 'B1', 'A3', 'C1', 'C2']);
          expect(increasing(all)).toBe(true);
          expect((await store.readAll({ after: all[2]!.position })).map((e) => e.type)).toEqual(['A3', 'C1', 'C2']);
          expect((await store.readAll({ after: all[0]!.position, maxCount: 2 })).map((e) => e.type)).toEqual([
            'A2',
            'B1',
          ]);
          expect((await store.readAll({ types: ['A3', 'B1', 'C2'] })).map((e) => e.type)).toEqual(['B1', 'A3', 'C2']);
          expect(
            (await store.readAll({ types: ['A1', 'C1'], after: all[0]!.position, maxCount: 1 })).map((e) => e.type),
          ).toEqual(['C1']);
          expect(await store.readAll({ after: all[5]!.position })).toEqual([]);
        }),
      );

      it(
        'finds events of a rare type far apart in a long log, in order, page by page',
        run(async ({ store }) => {
          // A filtered read pages across thousands of skipped events and keeps the log's order.
          const rareAt = new Set([0, 1, 12_345, 12_346, 29_999]);
          for (let start = 0; start < 30_000; start += 500)
            await store.append(
              `long-${start}`,
              Array.from({ length: 500 }, (_, k) =>
                rareAt.has(start + k) ? ev('Rare', { at: start + k }) : ev('Common'),
              ),
            );
          const at = (events: StoredEvent[]) => events.map((e) => (e.data as { at: number }).at);
          expect(at(await store.readAll({ types: ['Rare'] }))).toEqual([0, 1, 12_345, 12_346, 29_999]);
          const firstTwo = await store.readAll({ types: ['Rare'], maxCount: 2 });
          expect(at(firstTwo)).toEqual([0, 1]);
          expect(at(await store.readAll({ types: ['Rare'], after: firstTwo[1]!.position, maxCount: 2 }))).toEqual([
            12_345, 12_346,
          ]);
          const seen: StoredEvent[] = [];
          const sub = store.subscribe((events) => void seen.push(...events), { types: ['Rare'], batchSize: 2 });
          await sub.caughtUp;
          await sub.stop();
          expect(at(seen)).toEqual([0, 1, 12_345, 12_346, 29_999]);
        }),
      );

      it(
        'lists streams in order of first appearance, by prefix, after a stream, with a limit',
        run(async ({ store }) => {
          for (const id of ['client-2', 'referral-1', 'client-1', 'client-3']) await store.append(id, [ev('X')]);
          await store.append('client-2', [ev('Y')]);
          expect(await store.listStreams()).toEqual(['client-2', 'referral-1', 'client-1', 'client-3']);
          expect(await store.listStreams({ prefix: 'client-' })).toEqual(['client-2', 'client-1', 'client-3']);
          expect(await store.listStreams({ prefix: 'client-', after: 'client-2', limit: 1 })).toEqual(['client-1']);
          expect(await store.listStreams({ prefix: 'nobody' })).toEqual([]);
        }),
      );

      it(
        'answers ping and closes cleanly',
        run(async ({ store }) => {
          await expect(store.ping()).resolves.toBeUndefined();
          await store.close();
          await store.close();
        }),
      );
    });

    describe('hash chain', () => {
      it.skipIf(options.tamper === false)(
        'verifies an intact stream and reports the first link altered behind the store',
        run(async ({ store, tamper }) => {
          await store.append('s', [ev('A', { n: 1 }), ev('B', { n: 2 })]);
          await store.append('s', [ev('C', { n: 3 }), ev('D', { n: 4 })]);
          await store.append('other', [ev('Z')]);
          const intact = await store.verifyStream('s');
          const events = await store.readStream('s');
          expect(intact).toEqual({ ok: true, streamId: 's', events: 4, lastHash: events[3]!.hash });
          expect(await store.verifyStream('missing')).toEqual({
            ok: true,
            streamId: 'missing',
            events: 0,
            lastHash: null,
          });
          expect(tamper, 'the harness must provide tamper()').toBeTypeOf('function');
          await tamper!('s', 2);
          const broken = await store.verifyStream('s');
          expect(broken.ok).toBe(false);
          expect(broken).toMatchObject({ streamId: 's', brokenAt: 2, events: 2, actual: events[2]!.hash });
          expect((await store.verifyStream('other')).ok).toBe(true);
        }),
      );
    });

    describe('subscriptions', () => {
      it(
        'catches up in batches, then goes live, and stops cleanly',
        run(async ({ store }) => {
          await store.append(
            's',
            Array.from({ length: 7 }, (_, i) => ev('Old', { i })),
          );
          const batches: StoredEvent[][] = [];
          const sub = store.subscribe(
            async (events) => {
              batches.push(events);
            },
            { batchSize: 3 },
          );
          await sub.caughtUp;
          expect(batches.flat()).toHaveLength(7);
          expect(batches.every((b) => b.length <= 3)).toBe(true);
          await store.append('t', [ev('New1'), ev('New2')]);
          await waitFor(() => batches.flat().length === 9, 'live events');
          await sub.stop();
          await sub.done;
          await store.append('t', [ev('AfterStop')]);
          await new Promise((r) => setTimeout(r, 100));
          const seen = batches.flat();
          expect(seen.map((e) => e.type).slice(7)).toEqual(['New1', 'New2']);
          expect(increasing(seen)).toBe(true);
        }),
      );

      it(
        'starts after a checkpoint, filters by type, and stops on an AbortSignal',
        run(async ({ store }) => {
          await store.append('a', [ev('Keep', { n: 1 }), ev('Skip'), ev('Keep', { n: 2 })]);
          const checkpoint = (await store.readAll())[0]!.position;
          const seen: StoredEvent[] = [];
          const abort = new AbortController();
          const sub = store.subscribe((events) => void seen.push(...events), {
            after: checkpoint,
            types: ['Keep'],
            signal: abort.signal,
          });
          await sub.caughtUp;
          expect(seen.map((e) => e.data)).toEqual([{ n: 2 }]);
          await store.append('b', [ev('Skip'), ev('Keep', { n: 3 })]);
          await waitFor(() => seen.length === 2, 'the live filtered event');
          abort.abort();
          await sub.done;
          expect(seen.map((e) => e.data)).toEqual([{ n: 2 }, { n: 3 }]);
        }),
      );

      it(
        'waits for the handler before delivering more, and rejects done when the handler fails',
        run(async ({ store }) => {
          await store.append('s', [ev('A'), ev('B'), ev('C')]);
          let running = 0;
          let overlapped = false;
          let calls = 0;
          const sub = store.subscribe(
            async () => {
              running += 1;
              overlapped ||= running > 1;
              await new Promise((r) => setTimeout(r, 20));
              running -= 1;
              calls += 1;
              if (calls === 2) throw new Error('handler failed');
            },
            { batchSize: 1 },
          );
          await expect(sub.done).rejects.toThrow('handler failed');
          expect(overlapped).toBe(false);
          expect(calls).toBe(2);
        }),
      );

      it.skipIf(options.reopen === false)(
        'resumes from its checkpoint on a new store instance (restart)',
        run(async ({ store, reopen }) => {
          await store.append('s', [ev('One'), ev('Two')]);
          let checkpoint = -1;
          const first = store.subscribe((events) => {
            checkpoint = events[events.length - 1]!.position;
          });
          await first.caughtUp;
          await first.stop();
          await store.close();
          expect(reopen, 'the harness must provide reopen()').toBeTypeOf('function');
          const restarted = await reopen!();
          try {
            await restarted.append('s', [ev('Three')], { expectedVersion: 1 });
            const seen: string[] = [];
            const second = restarted.subscribe((events) => void seen.push(...events.map((e) => e.type)), {
              after: checkpoint,
            });
            await second.caughtUp;
            expect(seen).toEqual(['Three']);
            await second.stop();
            expect((await restarted.verifyStream('s')).ok).toBe(true);
          } finally {
            await restarted.close();
          }
        }),
      );

      it(
        `no gaps for readers: 8 concurrent writers append ${raceEvents} events while a subscriber follows live`,
        { timeout: 180_000 },
        run(async ({ store }) => {
          const live: StoredEvent[] = [];
          let outOfOrder = 0;
          const sub = store.subscribe(
            (events) => {
              for (const e of events) {
                if (live.length > 0 && e.position <= live[live.length - 1]!.position) outOfOrder += 1;
                live.push(e);
              }
            },
            { batchSize: 250 },
          );
          await sub.caughtUp;
          const writers = 8;
          const perWriter = Math.ceil(raceEvents / writers);
          await Promise.all(
            Array.from({ length: writers }, async (_, w) => {
              const versions = new Map<string, number>();
              for (let i = 0; i < perWriter && w * perWriter + i < raceEvents; i += 1) {
                const streamId = `race-${w}-${i % 16}`;
                const expected = versions.get(streamId);
                const result = await store.append(streamId, [ev('Raced', { w, i })], {
                  expectedVersion: expected ?? 'no-stream',
                });
                versions.set(streamId, result.nextExpectedVersion);
              }
            }),
          );
          await waitFor(() => live.length >= raceEvents, `${raceEvents} live events (got ${live.length})`, 30_000);
          await sub.stop();
          expect(outOfOrder).toBe(0);
          expect(live).toHaveLength(raceEvents);
          expect(new Set(live.map((e) => e.id)).size).toBe(raceEvents);

          const replay: StoredEvent[] = [];
          const again = store.subscribe((events) => void replay.push(...events), { after: -1, batchSize: 1000 });
          await again.caughtUp;
          await again.stop();
          expect(replay.map((e) => e.id)).toEqual(live.map((e) => e.id));
          expect(replay.map((e) => e.position)).toEqual(live.map((e) => e.position));
        }),
      );
    });

    describe('atomic multi-stream appends', () => {
      it(
        'writes every stream or none: a failing expectation on one leaves the others untouched',
        run(async ({ store }) => {
          await store.append('m-existing', [ev('A')]);
          const conflict = store.appendMany([
            { streamId: 'm-new', events: [ev('B')], expectedVersion: 'no-stream' },
            { streamId: 'm-existing', events: [ev('C')], expectedVersion: 5 },
          ]);
          await expectConflict(conflict, 0);
          expect(await store.readStream('m-new')).toEqual([]);
          expect(await store.streamVersion('m-existing')).toBe(0);

          const results = await store.appendMany([
            { streamId: 'm-new', events: [ev('B'), ev('B2')], expectedVersion: 'no-stream' },
            { streamId: 'm-existing', events: [ev('C')], expectedVersion: 0 },
          ]);
          expect(results.map((r) => r.nextExpectedVersion)).toEqual([1, 1]);
          const [newStream, existing] = [await store.readStream('m-new'), await store.readStream('m-existing')];
          expect(newStream.map((e) => e.type)).toEqual(['B', 'B2']);
          expect(existing.map((e) => e.type)).toEqual(['A', 'C']);
          expect(results[0]!.lastPosition).toBe(newStream[1]!.position);
          expect(results[1]!.lastPosition).toBe(existing[1]!.position);
          expect((await store.verifyStream('m-new')).ok).toBe(true);
          expect((await store.verifyStream('m-existing')).ok).toBe(true);
        }),
      );
    });

    describe('idempotency records', () => {
      const record = (key: string, response = (a: readonly Appended[]) => JSON.stringify(a)) => ({
        scope: 'org-1/user-1',
        key,
        requestHash: `hash-of-${key}`,
        response,
      });

      it(
        'commits the record with the events; its answer sees the revision and recordedAt of the append',
        run(async ({ store }) => {
          expect(await store.readIdempotencyRecord('org-1/user-1', 'k1')).toBeNull();
          await store.append('i-1', [ev('A'), ev('B')], { expectedVersion: 'no-stream', idempotency: record('k1') });
          const [, last] = await store.readStream('i-1');
          const stored = await store.readIdempotencyRecord('org-1/user-1', 'k1');
          expect(stored).toMatchObject({ scope: 'org-1/user-1', key: 'k1', requestHash: 'hash-of-k1' });
          expect(JSON.parse(stored!.response)).toEqual([
            { streamId: 'i-1', nextExpectedVersion: 1, recordedAt: last!.recordedAt },
          ]);
          expect(new Date(stored!.recordedAt).getTime()).toBe(new Date(last!.recordedAt).getTime());
          // Keys are per scope: another caller's identical key is another record.
          expect(await store.readIdempotencyRecord('org-2/user-9', 'k1')).toBeNull();
          await store.append('i-2', [ev('A')], { idempotency: { ...record('k1'), scope: 'org-2/user-9' } });
          expect(await store.readStream('i-2')).toHaveLength(1);
        }),
      );

      it(
        'a used key writes nothing, on any stream; a failed append records nothing',
        run(async ({ store }) => {
          await store.append('u-1', [ev('A')], { idempotency: record('k2') });
          const again = await store
            .append('u-other', [ev('A')], { expectedVersion: 'no-stream', idempotency: record('k2') })
            .then(
              () => undefined,
              (e: unknown) => e,
            );
          expect(isIdempotencyKeyTaken(again)).toBe(true);
          expect(await store.readStream('u-other')).toEqual([]);

          await expectConflict(store.append('u-1', [ev('B')], { expectedVersion: 7, idempotency: record('k3') }), 0);
          expect(await store.readIdempotencyRecord('org-1/user-1', 'k3')).toBeNull();
          await expectConflict(
            store.appendMany(
              [
                { streamId: 'u-new', events: [ev('B')], expectedVersion: 'no-stream' },
                { streamId: 'u-1', events: [ev('B')], expectedVersion: 7 },
              ],
              { idempotency: record('k3') },
            ),
            0,
          );
          expect(await store.readIdempotencyRecord('org-1/user-1', 'k3')).toBeNull();
          expect(await store.readStream('u-new')).toEqual([]);

          await store.appendMany(
            [
              { streamId: 'u-new', events: [ev('B')], expectedVersion: 'no-stream' },
              { streamId: 'u-1', events: [ev('B')], expectedVersion: 0 },
            ],
            { idempotency: record('k3') },
          );
          const stored = await store.readIdempotencyRecord('org-1/user-1', 'k3');
          expect(JSON.parse(stored!.response).map((a: Appended) => [a.streamId, a.nextExpectedVersion])).toEqual([
            ['u-new', 0],
            ['u-1', 1],
          ]);
        }),
      );

      it(
        'concurrent duplicates with one key: exactly one commits, on new streams and on one existing stream',
        run(async ({ store }) => {
          const fresh = await Promise.allSettled(
            Array.from({ length: 12 }, (_, i) =>
              store.append(`dup-${i}`, [ev('Created', { i })], {
                expectedVersion: 'no-stream',
                idempotency: record('k-race'),
              }),
            ),
          );
          expect(fresh.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
          for (const r of fresh) if (r.status === 'rejected') expect(isIdempotencyKeyTaken(r.reason)).toBe(true);
          const written = await Promise.all(Array.from({ length: 12 }, (_, i) => store.readStream(`dup-${i}`)));
          expect(written.flat()).toHaveLength(1);

          await store.append('shared', [ev('Opened')]);
          const same = await Promise.allSettled(
            Array.from({ length: 12 }, () =>
              store.append('shared', [ev('Consented')], { expectedVersion: 'any', idempotency: record('k-same') }),
            ),
          );
          expect(same.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
          expect((await store.readStream('shared')).map((e) => e.type)).toEqual(['Opened', 'Consented']);
        }),
      );

      it(
        'prunes records committed before a time, and only those',
        run(async ({ store }) => {
          await store.append('p-1', [ev('A')], { idempotency: record('old') });
          await new Promise((r) => setTimeout(r, 20));
          const cutoff = new Date().toISOString();
          await new Promise((r) => setTimeout(r, 20));
          await store.append('p-2', [ev('A')], { idempotency: record('new') });
          expect(await store.pruneIdempotencyRecords(cutoff)).toBe(1);
          expect(await store.readIdempotencyRecord('org-1/user-1', 'old')).toBeNull();
          expect(await store.readIdempotencyRecord('org-1/user-1', 'new')).not.toBeNull();
          // The events stay: a record is only the answer to a retry.
          expect(await store.readStream('p-1')).toHaveLength(1);
          await store.append('p-3', [ev('A')], { idempotency: record('old') });
        }),
      );
    });
  });
}
