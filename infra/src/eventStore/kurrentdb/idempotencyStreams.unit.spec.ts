import type { RecordedEvent } from '@kurrent/kurrentdb-client';
import { describe, expect, it } from 'vitest';
import { CLAIMED, claimEvent, readClaim, recordStreamId, releaseEvent, type Claim } from './idempotencyStreams.js';
import { acceptedStreamId } from './logScope.js';

const recorded = (streamId: string, data: ReturnType<typeof claimEvent>): RecordedEvent =>
  ({ streamId, type: data.type, isJson: true, data: data.data, metadata: {}, id: data.id }) as unknown as RecordedEvent;

const claim: Claim = {
  record: {
    scope: 'org/user',
    key: 'k-1',
    requestHash: 'h',
    response: '{"status":201}',
    recordedAt: '2025-01-01T00:00:00.000Z',
  },
  streamId: 'client-1',
  revision: 0,
  eventId: '0b6c1a4e-0000-4000-8000-000000000001',
};

describe('KurrentDB Idempotency-Key claim streams', () => {
  it('names one stream per (scope, key), never the same for another caller', () => {
    expect(recordStreamId('org/user', 'k-1')).toBe(recordStreamId('org/user', 'k-1'));
    expect(recordStreamId('org/user', 'k-1')).not.toBe(recordStreamId('org/other', 'k-1'));
    // The separator keeps ("a/b", "c") and ("a", "b/c") apart.
    expect(recordStreamId('a', 'bc')).not.toBe(recordStreamId('ab', 'c'));
  });

  it('reads back the claim it wrote; a release or anything else is no claim', () => {
    const name = recordStreamId('org/user', 'k-1');
    expect(readClaim(recorded(name, claimEvent(claim)))).toEqual(claim);
    expect(readClaim(recorded(name, releaseEvent()))).toBeNull();
    expect(readClaim(recorded(name, { ...claimEvent(claim), data: { scope: 1 } }))).toBeNull();
    expect(claimEvent(claim).type).toBe(CLAIMED);
  });

  it('keeps record streams out of every port read', () => {
    const name = recordStreamId('org/user', 'k-1');
    expect(acceptedStreamId({ prefix: 'referrals-' }, recorded(`referrals-${name}`, claimEvent(claim)))).toBeNull();
    expect(acceptedStreamId({ prefix: '' }, recorded(name, claimEvent(claim)))).toBeNull();
  });
});
