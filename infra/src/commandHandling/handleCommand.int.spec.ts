import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Decider } from '../decider/types.js';
import { AppError } from '../errors/appError.js';
import { StreamVersionConflictError } from '../eventStore/errors.js';
import { createSqliteEventStore } from '../eventStore/sqlite/sqliteEventStore.js';
import type { EventStore, StoredEvent } from '../eventStore/types.js';
import { handleCommand, type EventCodec } from './handleCommand.js';

// A tiny counter aggregate: opened once, then incremented; closing twice is refused.
type Event =
  | { type: 'Opened'; data: { owner: string } }
  | { type: 'Incremented'; data: { by: number } }
  | { type: 'Closed'; data: Record<string, never> };
type Command =
  { type: 'Open'; owner: string } | { type: 'Increment'; by: number } | { type: 'Close' } | { type: 'Noop' };
interface State {
  status: 'none' | 'open' | 'closed';
  total: number;
}

let decisions = 0;
const counter: Decider<State, Command, Event> = {
  initialState: () => ({ status: 'none', total: 0 }),
  decide: (command, state) => {
    decisions++;
    switch (command.type) {
      case 'Open':
        if (state.status !== 'none') throw new AppError('CONFLICT', 'already opened');
        return [{ type: 'Opened', data: { owner: command.owner } }];
      case 'Increment':
        if (state.status !== 'open') throw new AppError('ILLEGAL_TRANSITION', `counter is ${state.status}`);
        return [{ type: 'Incremented', data: { by: command.by } }];
      case 'Close':
        if (state.status !== 'open') throw new AppError('ILLEGAL_TRANSITION', `counter is ${state.status}`);
        return [{ type: 'Closed', data: {} }];
      case 'Noop':
        return [];
    }
  },
  evolve: (state, event) => {
    switch (event.type) {
      case 'Opened':
        return { ...state, status: 'open' };
      case 'Incremented':
        return { ...state, total: state.total + event.data.by };
      case 'Closed':
        return { ...state, status: 'closed' };
    }
  },
};

const dir = mkdtempSync(join(tmpdir(), 'estia-cmd-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let store: EventStore;
let n = 0;
beforeEach(() => {
  store = createSqliteEventStore({ path: join(dir, `events-${n++}.sqlite`) });
  decisions = 0;
});
afterEach(() => store.close());

const run = (command: Command, extra: Partial<Parameters<typeof handleCommand<State, Command, Event>>[0]> = {}) =>
  handleCommand({ store, streamId: 'counter-1', decider: counter, command, ...extra });

/** A codec whose reads wait at a gate, to park one command between its read and its append. */
const gatedCodec = (): { codec: EventCodec<Event>; reached: Promise<void>; open: () => void } => {
  let open!: () => void;
  const gate = new Promise<void>((resolve) => (open = resolve));
  let reach!: () => void;
  const reached = new Promise<void>((resolve) => (reach = resolve));
  return {
    reached,
    open,
    codec: {
      decode: async (stored: StoredEvent) => {
        reach();
        await gate;
        return { type: stored.type, data: stored.data } as Event;
      },
      encode: (event, metadata) => ({ type: event.type, data: event.data, metadata }),
    },
  };
};

describe('handleCommand (SQLite event store)', () => {
  it('creates a stream with no-stream and carries the metadata onto the events', async () => {
    const result = await run(
      { type: 'Open', owner: 'org-1' },
      {
        metadata: { correlationId: 'corr-1', causationId: 'req-1', actor: { organisationId: 'org-1', userId: 'u-1' } },
      },
    );
    expect(result.events).toEqual([{ type: 'Opened', data: { owner: 'org-1' } }]);
    expect(result.nextExpectedVersion).toBe(0);
    expect(result.state).toEqual({ status: 'open', total: 0 });
    const [stored] = await store.readStream('counter-1');
    expect(stored!.metadata).toMatchObject({
      correlationId: 'corr-1',
      causationId: 'req-1',
      actor: { organisationId: 'org-1', userId: 'u-1' },
    });
  });

  it('folds the stream before deciding and appends at the revision read', async () => {
    await run({ type: 'Open', owner: 'o' });
    await run({ type: 'Increment', by: 2 });
    const result = await run({ type: 'Increment', by: 3 }, { expectedVersion: 1 });
    expect(result.nextExpectedVersion).toBe(2);
    expect(result.state.total).toBe(5);
    expect(await store.streamVersion('counter-1')).toBe(2);
  });

  it('refuses a stale expected version before deciding', async () => {
    await run({ type: 'Open', owner: 'o' });
    await run({ type: 'Increment', by: 1 });
    decisions = 0;
    const error = await run({ type: 'Increment', by: 1 }, { expectedVersion: 0 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StreamVersionConflictError);
    expect(error).toMatchObject({ streamId: 'counter-1', expected: 0, actual: 1 });
    expect(decisions).toBe(0);
    await expect(run({ type: 'Open', owner: 'o' }, { expectedVersion: 'no-stream' })).rejects.toBeInstanceOf(
      StreamVersionConflictError,
    );
    await expect(
      handleCommand({
        store,
        streamId: 'missing',
        decider: counter,
        command: { type: 'Open', owner: 'o' },
        expectedVersion: 'exists',
      }),
    ).rejects.toBeInstanceOf(StreamVersionConflictError);
  });

  it('turns a concurrent change between read and append into a conflict, never an overwrite', async () => {
    await run({ type: 'Open', owner: 'o' });
    const slow = gatedCodec();
    const parked = run({ type: 'Close' }, { codec: slow.codec });
    await slow.reached;
    await run({ type: 'Increment', by: 7 });
    slow.open();
    await expect(parked).rejects.toBeInstanceOf(StreamVersionConflictError);
    expect((await store.readStream('counter-1')).map((e) => e.type)).toEqual(['Opened', 'Incremented']);
  });

  it('two creators racing on an empty stream: exactly one wins', async () => {
    // Park the first creator after it read the empty stream and decided, just before it appends.
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    let reach!: () => void;
    const reached = new Promise<void>((resolve) => (reach = resolve));
    const parkedEncode: EventCodec<Event> = {
      decode: (stored) => ({ type: stored.type, data: stored.data }) as Event,
      encode: async (event, metadata) => {
        reach();
        await gate;
        return { type: event.type, data: event.data, metadata };
      },
    };
    const first = run({ type: 'Open', owner: 'first' }, { codec: parkedEncode });
    await reached;
    await run({ type: 'Open', owner: 'second' });
    open();
    const error = await first.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StreamVersionConflictError);
    expect(error).toMatchObject({ expected: 'no-stream', actual: 0 });
    const events = await store.readStream('counter-1');
    expect(events.map((e) => e.data)).toEqual([{ owner: 'second' }]);
  });

  it('retries after a conflict when asked to, deciding on the fresh state', async () => {
    await run({ type: 'Open', owner: 'o' });
    const slow = gatedCodec();
    let first = true;
    const codec: EventCodec<Event> = {
      decode: (stored) => (first ? slow.codec.decode(stored) : ({ type: stored.type, data: stored.data } as Event)),
      encode: slow.codec.encode,
    };
    const parked = run({ type: 'Increment', by: 1 }, { codec, retriesOnConflict: 1 });
    await slow.reached;
    await run({ type: 'Increment', by: 10 });
    first = false;
    slow.open();
    const result = await parked;
    expect(result.state.total).toBe(11);
    expect(result.nextExpectedVersion).toBe(2);
    await expect(run({ type: 'Increment', by: 1 }, { expectedVersion: 2, retriesOnConflict: 1 })).rejects.toThrow(
      TypeError,
    );
  });

  it('appends nothing when the decider refuses or decides nothing', async () => {
    await expect(run({ type: 'Close' })).rejects.toMatchObject({ code: 'ILLEGAL_TRANSITION' });
    expect(await store.streamVersion('counter-1')).toBeNull();
    await run({ type: 'Open', owner: 'o' });
    const result = await run({ type: 'Noop' });
    expect(result).toMatchObject({ events: [], nextExpectedVersion: 0 });
    expect(await store.streamVersion('counter-1')).toBe(0);
  });
});
