import type { Decider } from '../decider/types.js';
import { StreamVersionConflictError } from '../eventStore/errors.js';
import type { EventMetadata, EventStore, ExpectedVersion, NewEvent, StoredEvent } from '../eventStore/types.js';

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

/** Load the stream, fold it, decide, append with the exact version read. */
export const handleCommand = async <State, Command, Event>(
  options: HandleCommandOptions<State, Command, Event>,
): Promise<HandleCommandResult<State, Event>> => {
  const retries = options.retriesOnConflict ?? 0;
  if (retries > 0 && typeof options.expectedVersion === 'number')
    throw new TypeError('handleCommand: retriesOnConflict cannot be combined with a numeric expectedVersion');
  for (let attempt = 0; ; attempt++) {
    try {
      return await handleOnce(options);
    } catch (error) {
      if (!(error instanceof StreamVersionConflictError) || attempt >= retries) throw error;
    }
  }
};

const handleOnce = async <State, Command, Event>({
  store,
  streamId,
  decider,
  command,
  expectedVersion,
  metadata = {},
  codec = defaultCodec<Event>(),
}: HandleCommandOptions<State, Command, Event>): Promise<HandleCommandResult<State, Event>> => {
  const stored = await store.readStream(streamId);
  const current = stored.length === 0 ? null : stored[stored.length - 1]!.revision;
  // Deciding on a state the caller has not seen would be meaningless; refuse before deciding.
  if (!expectationHolds(expectedVersion, current))
    throw new StreamVersionConflictError(streamId, expectedVersion!, current);

  let state = decider.initialState();
  for (const event of stored) state = decider.evolve(state, await codec.decode(event));

  const events = decider.decide(command, state);
  if (events.length === 0) return { events, nextExpectedVersion: current, state };

  const newEvents: NewEvent[] = [];
  for (const event of events) newEvents.push(await codec.encode(event, { ...metadata }));
  const result = await store.append(streamId, newEvents, { expectedVersion: current === null ? 'no-stream' : current });
  for (const event of events) state = decider.evolve(state, event);
  return { events, nextExpectedVersion: result.nextExpectedVersion, state, lastPosition: result.lastPosition };
};

const expectationHolds = (expected: ExpectedVersion | undefined, current: number | null): boolean => {
  if (expected === undefined || expected === 'any') return true;
  if (expected === 'no-stream') return current === null;
  if (expected === 'exists') return current !== null;
  return expected === current;
};
