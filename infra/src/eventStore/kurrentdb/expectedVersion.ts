import { NO_STREAM, WrongExpectedVersionError } from '@kurrent/kurrentdb-client';
import type { AppendStreamState, CurrentStreamState } from '@kurrent/kurrentdb-client';
import { StreamVersionConflictError } from '../errors.js';
import type { ExpectedVersion } from '../types.js';

/** Revision of a stream's last event as the port counts it (null = no stream). */
export type Head = number | null;

/**
 * The state sent to the server. 'no-stream' → NO_STREAM and a number → that revision, as asked;
 * 'any' and 'exists' are pinned to the head the adapter just read instead of ANY / STREAM_EXISTS,
 * because the hashes were computed on that head: letting the server place the events after some
 * other writer's would fork the chain. The adapter re-reads and retries instead (see `append`).
 */
export function serverStreamState(expected: ExpectedVersion, head: Head): AppendStreamState {
  if (expected === 'no-stream') return NO_STREAM;
  if (typeof expected === 'number') return BigInt(expected);
  return head === null ? NO_STREAM : BigInt(head);
}

/** Only expectations that do not name a revision may be re-evaluated after a lost race. */
export const retryableExpectation = (expected: ExpectedVersion): boolean => expected === 'any' || expected === 'exists';

export const headFromServer = (state: CurrentStreamState): Head => {
  if (state === NO_STREAM || state < 0n) return null;
  return Number(state);
};

export const isWrongExpectedVersion = (error: unknown): error is WrongExpectedVersionError =>
  error instanceof WrongExpectedVersionError;

/** The client's WrongExpectedVersionError → the port's StreamVersionConflictError (the caller's expectation, the server's actual). */
export const toConflict = (
  streamId: string,
  expected: ExpectedVersion,
  error: WrongExpectedVersionError,
): StreamVersionConflictError => {
  const conflict = new StreamVersionConflictError(streamId, expected, headFromServer(error.actualState));
  Object.defineProperty(conflict, 'cause', { value: error, enumerable: false });
  return conflict;
};
