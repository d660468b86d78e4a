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
