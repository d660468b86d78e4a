import { AppError } from '../errors/appError.js';
import type { ExpectedVersion } from './types.js';

/** Thrown by every adapter when the expected version does not hold. */
export class StreamVersionConflictError extends AppError {
  readonly streamId: string;
  readonly expected: ExpectedVersion;
  readonly actual: number | null;

  constructor(streamId: string, expected: ExpectedVersion, actual: number | null) {
    super(
      'STREAM_VERSION_CONFLICT',
      `Stream ${streamId} was changed concurrently: expected ${String(expected)}, found ${actual === null ? 'no stream' : `revision ${actual}`}`,
      { extensions: { streamId, expectedVersion: String(expected), actualVersion: actual } },
    );
    this.name = 'StreamVersionConflictError';
    this.streamId = streamId;
    this.expected = expected;
    this.actual = actual;
  }
}

export const isStreamVersionConflict = (e: unknown): e is StreamVersionConflictError =>
  e instanceof StreamVersionConflictError;

/**
 * Thrown when an append carries an Idempotency-Key record whose key another append already committed:
 * nothing was written. The caller answers with that earlier record (a 409 only if it never gets there).
 */
export class IdempotencyKeyTakenError extends AppError {
  readonly scope: string;
  readonly key: string;

  constructor(scope: string, key: string) {
    super('CONFLICT', 'A request with this Idempotency-Key was already committed');
    this.name = 'IdempotencyKeyTakenError';
    this.scope = scope;
    this.key = key;
  }
}

export const isIdempotencyKeyTaken = (e: unknown): e is IdempotencyKeyTakenError =>
  e instanceof IdempotencyKeyTakenError;
