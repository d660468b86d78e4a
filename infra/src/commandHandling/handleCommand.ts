import type { Decider } from '../decider/types.js';
import { StreamVersionConflictError } from '../eventStore/errors.js';
import type {
  AppendResult,
  EventMetadata,
  EventStore,
  ExpectedVersion,
  NewEvent,
  StoredEvent,
} from '../eventStore/types.js';
import { settlePrimaryDecision, takePrimaryDecision, type Decision } from './commandScope.js';

/**
 * How domain events are stored. The default keeps `{ type, data }` as is; a service whose events
 * carry personal data plugs its encryption here (encode on write, decode on read).
 */
export interface EventCodec<Event> {
  decode(stored: StoredEvent): Event | Promise<Event>;
  encode(event: Event, metadata: EventMetadata): NewEvent | Promise<NewEvent>;
}

export interface HandleCommandOptions<State, Command, Event> {
  store: EventStore;
  streamId: string;
  decider: Decider<State, Command, Event>;
  command: Command;
  /**
   * What the caller believes the stream's version is (e.g. from If-Match). A number must equal the
   * last revision; 'no-stream' requires an empty stream; 'exists' a non-empty one. When omitted, the
   * version read here is the expectation, so a concurrent writer still causes a conflict.
   */
  expectedVersion?: ExpectedVersion;
  /** Copied onto every event produced (correlation, causation, actor). */
  metadata?: EventMetadata;
  codec?: EventCodec<Event>;
  /**
   * Re-run load → decide → append this many times after a conflict. Only allowed without an
   * explicit numeric expectedVersion: the caller's expectation must never be silently replaced.
   */
  retriesOnConflict?: number;
}

export interface HandleCommandResult<State, Event> {
  /** Events the decider produced (possibly none: the command changed nothing). */
  events: Event[];
  /** Stream revision after the command: the new ETag. null if the stream still does not exist. */
  nextExpectedVersion: number | null;
  /** State after the new events. */
  state: State;
  /** Global position of the last appended event, if any were appended. */
  lastPosition?: number;
}

const defaultCodec = <Event>(): EventCodec<Event> => ({
  decode: (stored) => ({ type: stored.type, data: stored.data }) as Event,
  encode: (event, metadata) => {
    const { type, data } = event as { type: string; data: unknown };
    return { type, data, metadata };
  },
});

/**
 * Load the stream, fold it, decide, append with the exact version read. Inside a command scope (see
 * commandScope.ts) the first decision is the one the HTTP answer is built from, and an Idempotency-Key
 * record, if any, is appended in the same transaction as its events.
 */
export const handleCommand = async <State, Command, Event>(
  options: HandleCommandOptions<State, Command, Event>,
): Promise<HandleCommandResult<State, Event>> => {
  const [result] = await withConflictRetries([options], () => handleOnce([options]));
  return result as HandleCommandResult<State, Event>;
};

/**
 * Several aggregates decided together and appended atomically (one transaction; see
 * `EventStore.appendMany`): every decision is taken on its own stream, then all events are written or
 * none. The first is the primary decision (the answer is about it). Used when a command must change
 * two aggregates, e.g. a forward creates a referral and records the link on the original.
 */
export const handleCommands = async <Ts extends readonly AnyCommandOptions[]>(
  commands: Ts,
): Promise<{ [K in keyof Ts]: ResultOf<Ts[K]> }> =>
  (await withConflictRetries(commands, () => handleOnce(commands))) as never;

// Each command of a multi-aggregate call keeps its own State/Command/Event; the shared steps below
// only move them around, so they see them untyped.
/* eslint-disable @typescript-eslint/no-explicit-any */
type AnyCommandOptions = HandleCommandOptions<any, any, any>;
type ResultOf<O> = O extends HandleCommandOptions<infer S, any, infer E> ? HandleCommandResult<S, E> : never;
/* eslint-enable @typescript-eslint/no-explicit-any */

const withConflictRetries = async <T>(
  commands: readonly AnyCommandOptions[],
  attempt: () => Promise<T>,
): Promise<T> => {
  const retries = Math.max(...commands.map((c) => c.retriesOnConflict ?? 0));
  if (retries > 0 && commands.some((c) => typeof c.expectedVersion === 'number'))
    throw new TypeError('handleCommand: retriesOnConflict cannot be combined with a numeric expectedVersion');
  for (let n = 0; ; n++) {
    try {
      return await attempt();
    } catch (error) {
      if (!(error instanceof StreamVersionConflictError) || n >= retries) throw error;
    }
  }
};

interface Decided {
  options: AnyCommandOptions;
  current: number | null;
  lastRecordedAt: string | null;
  state: unknown;
  events: unknown[];
  newEvents: NewEvent[];
}

const decideOne = async ({ options }: { options: AnyCommandOptions }): Promise<Decided> => {
  const { store, streamId, decider, command, expectedVersion, metadata = {} } = options;
  const codec = options.codec ?? defaultCodec();
  const stored = await store.readStream(streamId);
  const last = stored[stored.length - 1];
  const current = last === undefined ? null : last.revision;
  // Deciding on a state the caller has not seen would be meaningless; refuse before deciding.
  if (!expectationHolds(expectedVersion, current))
    throw new StreamVersionConflictError(streamId, expectedVersion!, current);

  let state = decider.initialState();
  for (const event of stored) state = decider.evolve(state, await codec.decode(event));
  const events = decider.decide(command, state);
  const newEvents: NewEvent[] = [];
  for (const event of events) newEvents.push(await codec.encode(event, { ...metadata }));
  for (const event of events) state = decider.evolve(state, event);
  return { options, current, lastRecordedAt: last?.recordedAt ?? null, state, events, newEvents };
};

const handleOnce = async (commands: readonly AnyCommandOptions[]): Promise<HandleCommandResult<unknown, unknown>[]> => {
  const decided: Decided[] = [];
  for (const options of commands) decided.push(await decideOne({ options }));
  const writing = decided.filter((d) => d.events.length > 0);
  const decisionOf = (d: Decided, appended?: AppendResult): Decision => ({
    streamId: d.options.streamId,
    state: d.state,
    events: d.events,
    nextExpectedVersion: appended?.nextExpectedVersion ?? d.current,
    recordedAt: appended?.recordedAt ?? d.lastRecordedAt,
    metadata: d.options.metadata ?? {},
    ...(appended ? { lastPosition: appended.lastPosition } : {}),
  });
  const primary = decided[0]!;
  const idempotency = takePrimaryDecision(decisionOf(primary), primary.events.length > 0);

  const store = commands[0]!.store;
  const appends = writing.map((d) => ({
    streamId: d.options.streamId,
    events: d.newEvents,
    expectedVersion: (d.current === null ? 'no-stream' : d.current) as ExpectedVersion,
  }));
  const results =
    appends.length === 0
      ? []
      : appends.length === 1
        ? [
            await store.append(appends[0]!.streamId, appends[0]!.events, {
              expectedVersion: appends[0]!.expectedVersion,
              ...(idempotency ? { idempotency } : {}),
            }),
          ]
        : await store.appendMany(appends, idempotency ? { idempotency } : {});
  const appended = new Map(writing.map((d, i) => [d, results[i]!]));
  settlePrimaryDecision(decisionOf(primary, appended.get(primary)));
  return decided.map((d) => {
    const result = appended.get(d);
    return {
      events: d.events,
      nextExpectedVersion: result?.nextExpectedVersion ?? d.current,
      state: d.state,
      ...(result ? { lastPosition: result.lastPosition } : {}),
    };
  });
};
const expectationHolds = (expected: ExpectedVersion | undefined, current: number | null): boolean => {
  if (expected === undefined || expected === 'any') return true;
  if (expected === 'no-stream') return current === null;
  if (expected === 'exists') return current !== null;
  return expected === current;
};
