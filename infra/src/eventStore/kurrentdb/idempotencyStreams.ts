import { createHash, randomUUID } from 'node:crypto';
import type { JSONEventData, RecordedEvent } from '@kurrent/kurrentdb-client';
import type { IdempotencyRecord } from '../types.js';

/**
 * KurrentDB has no table to commit an Idempotency-Key record with, and one append reaches one stream.
 * So each key gets its own stream, named from the key, and the record is claimed there with a
 * no-stream expectation *before* the events are written: of two concurrent duplicates exactly one
 * claim succeeds. The claim names the events it stands for (stream, revision, event id); it counts as
 * a record only once those events exist. A claim whose events never came (the writer died in between)
 * is "in progress" for CLAIM_TIMEOUT_MS, then stale: the next request supersedes it with an expected
 * revision, so again only one wins.
 */
export const RECORD_STREAM_PREFIX = '~idempotency-';

/** After this long without its events, a claim's writer is presumed dead. */
export const CLAIM_TIMEOUT_MS = 60_000;

export const CLAIMED = 'IdempotencyKeyClaimed';
export const RELEASED = 'IdempotencyKeyReleased';

export const recordStreamId = (scope: string, key: string): string =>
  `${RECORD_STREAM_PREFIX}${createHash('sha256').update(scope).update('\u0000').update(key).digest('hex')}`;

/** Port stream ids never start with the record prefix, so records stay out of every port read. */
export const isRecordStream = (streamId: string): boolean => streamId.startsWith(RECORD_STREAM_PREFIX);

export interface Claim {
  record: IdempotencyRecord;
  /** The first stream the claimed append writes, and where its last event must be. */
  streamId: string;
  revision: number;
  eventId: string;
}

export const claimEvent = (claim: Claim): JSONEventData => ({
  id: randomUUID(),
  contentType: 'application/json',
  type: CLAIMED,
  data: { ...claim.record, streamId: claim.streamId, revision: claim.revision, eventId: claim.eventId },
  metadata: {},
});

export const releaseEvent = (): JSONEventData => ({
  id: randomUUID(),
  contentType: 'application/json',
  type: RELEASED,
  data: {},
  metadata: {},
});

/** The claim in a record stream's last event, or null for a release (or anything else). */
export function readClaim(recorded: RecordedEvent): Claim | null {
  if (recorded.type !== CLAIMED || !recorded.isJson) return null;
  const d = recorded.data as Record<string, unknown>;
  const strings = ['scope', 'key', 'requestHash', 'response', 'recordedAt', 'streamId', 'eventId'] as const;
  if (strings.some((k) => typeof d[k] !== 'string') || typeof d.revision !== 'number') return null;
  return {
    record: {
      scope: d.scope as string,
      key: d.key as string,
      requestHash: d.requestHash as string,
      response: d.response as string,
      recordedAt: d.recordedAt as string,
    },
    streamId: d.streamId as string,
    revision: d.revision,
    eventId: d.eventId as string,
  };
}
