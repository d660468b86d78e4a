import { ANY, NO_STREAM, STREAM_EXISTS, WrongExpectedVersionError } from '@kurrent/kurrentdb-client';
import type { RecordedEvent } from '@kurrent/kurrentdb-client';
import { describe, expect, it } from 'vitest';
import { StreamVersionConflictError } from '../errors.js';
import { chainHash, verifyChain } from '../hashChain.js';
import {
  ESTIA_METADATA_KEY,
  commitPositionOf,
  decodeEvent,
  encodeBatch,
  positionToNumber,
  toServerEventId,
} from './eventMapping.js';
import { headFromServer, retryableExpectation, serverStreamState, toConflict } from './expectedVersion.js';
import { acceptedStreamId, serverFilter } from './logScope.js';

/** What the server hands back for an appended event: JSON serialised and parsed again, with a server id and position. */
const asServerRecord = (
  streamName: string,
  encoded: ReturnType<typeof encodeBatch>[number],
  commit: bigint,
): RecordedEvent =>
  ({
    streamId: streamName,
    id: encoded.eventData.id,
    isJson: true,
    revision: BigInt(encoded.revision),
    type: encoded.eventData.type,
    created: new Date('2030-01-01T00:00:00.000Z'),
    data: JSON.parse(JSON.stringify(encoded.eventData.data)) as unknown,
    metadata: JSON.parse(JSON.stringify(encoded.eventData.metadata)) as unknown,
    position: { commit, prepare: commit },
  }) as RecordedEvent;

describe('KurrentDB event mapping', () => {
  const recordedAt = '2025-03-01T10:00:00.000Z';

  it('chains hashes that verify after the server round trip, with the caller metadata and ids restored', async () => {
    const first = encodeBatch(
      'case-1',
      null,
      [
        { id: 'evt-1', type: 'Opened', data: { b: 2, a: [1, null] }, metadata: { correlationId: 'c1' } },
        { type: 'Noted', data: { text: 'ünïcødé', at: new Date(recordedAt) } },
      ],
      recordedAt,
    );
    const second = encodeBatch(
      'case-1',
      { version: 1, lastHash: first[1]!.hash },
      [{ type: 'Closed', data: null }],
      recordedAt,
    );
    const stored = [...first, ...second].map((e, i) =>
      decodeEvent(asServerRecord('ns-case-1', e, BigInt(100 + i)), 'case-1', 100 + i),
    );

    expect(stored.map((e) => [e.revision, e.type, e.position])).toEqual([
      [0, 'Opened', 100],
      [1, 'Noted', 101],
      [2, 'Closed', 102],
    ]);
    expect(stored[0]!.id).toBe('evt-1');
    expect(stored[0]!.metadata).toEqual({ correlationId: 'c1' });
    expect(stored[1]!.metadata).toEqual({});
    expect(stored[1]!.data).toEqual({ text: 'ünïcødé', at: recordedAt });
    expect(stored[0]!.recordedAt).toBe(recordedAt);
    expect(stored[0]!.hash).toBe(chainHash(null, stored[0]!));
    expect(await verifyChain('case-1', stored)).toEqual({
      ok: true,
      streamId: 'case-1',
      events: 3,
      lastHash: stored[2]!.hash,
    });
  });

  it('a changed payload or a forged stamp breaks verification at that revision', async () => {
    const encoded = encodeBatch(
      's',
      null,
      [1, 2, 3].map((n) => ({ type: 'N', data: { n } })),
      recordedAt,
    );
    const stored = encoded.map((e, i) => decodeEvent(asServerRecord('s', e, BigInt(i * 10)), 's', i * 10));
    const altered = stored.map((e) => (e.revision === 1 ? { ...e, data: { n: 20 } } : e));
    expect(await verifyChain('s', altered)).toMatchObject({ ok: false, brokenAt: 1, actual: stored[1]!.hash });
    const forged = stored.map((e) => (e.revision === 2 ? { ...e, hash: stored[1]!.hash } : e));
    expect(await verifyChain('s', forged)).toMatchObject({ ok: false, brokenAt: 2 });
  });

  it('rejects values that would not survive JSON before anything is sent', () => {
    expect(() => encodeBatch('s', null, [{ type: 'N', data: { n: Number.NaN } }], recordedAt)).toThrow();
  });

  it('decodes a record written around the adapter with an empty hash and the server timestamp', () => {
    const record = {
      streamId: 's',
      id: '5c1b4bde-5f9f-4b1e-9a40-0a5f3b1f6c11',
      isJson: true,
      revision: 0n,
      type: 'Foreign',
      created: new Date('2030-01-01T00:00:00.000Z'),
      data: { x: 1 },
      metadata: undefined,
      position: { commit: 7n, prepare: 7n },
    } as RecordedEvent;
    expect(decodeEvent(record, 's', 7)).toMatchObject({
      id: record.id,
      hash: '',
      metadata: {},
      recordedAt: '2030-01-01T00:00:00.000Z',
    });
  });

  it('keeps canonical UUIDs and maps any other id to a stable UUID (the server only takes UUIDs)', () => {
    const uuid = '0b7d3c4e-1f2a-4b5c-8d6e-7f8091a2b3c4';
    expect(toServerEventId(uuid)).toBe(uuid);
    const mapped = toServerEventId('request-42/event-1');
    expect(mapped).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(toServerEventId('request-42/event-1')).toBe(mapped);
    expect(toServerEventId('request-42/event-2')).not.toBe(mapped);
    // The server lower-cases UUIDs, so an upper-case id must be kept by the adapter, not trusted to round-trip.
    expect(toServerEventId(uuid.toUpperCase())).not.toBe(uuid.toUpperCase());
    const [encoded] = encodeBatch('s', null, [{ id: uuid.toUpperCase(), type: 'N', data: {} }], recordedAt);
    expect(encoded!.eventData.metadata).toMatchObject({ [ESTIA_METADATA_KEY]: { id: uuid.toUpperCase() } });
  });

  it('converts commit positions to numbers only inside the safe integer range', () => {
    expect(positionToNumber(123n)).toBe(123);
    expect(() => positionToNumber(2n ** 53n)).toThrow(/safe integer/);
    const record = { streamId: 's', revision: 0n, position: undefined } as RecordedEvent;
    expect(commitPositionOf(record, 55n)).toBe(55);
    expect(() => commitPositionOf(record)).toThrow(/no commit position/);
  });
});

describe('KurrentDB expected version mapping', () => {
  it('sends NO_STREAM and exact revisions as asked, and pins any/exists to the head that was hashed', () => {
    expect(serverStreamState('no-stream', null)).toBe(NO_STREAM);
    expect(serverStreamState(4, 4)).toBe(4n);
    expect(serverStreamState('any', null)).toBe(NO_STREAM);
    expect(serverStreamState('any', 7)).toBe(7n);
    expect(serverStreamState('exists', 7)).toBe(7n);
    expect([ANY, STREAM_EXISTS]).not.toContain(serverStreamState('exists', 7));
  });

  it('retries only expectations that do not name a revision', () => {
    expect((['any', 'exists', 'no-stream', 3] as const).map((e) => retryableExpectation(e))).toEqual([
      true,
      true,
      false,
      false,
    ]);
  });

  it("turns the client's WrongExpectedVersionError into the port's conflict with the actual revision", () => {
    const onExisting = new WrongExpectedVersionError(undefined, { streamName: 'ns-s', expected: 0n, current: 3n });
    const conflict = toConflict('s', 0, onExisting);
    expect(conflict).toBeInstanceOf(StreamVersionConflictError);
    expect(conflict).toMatchObject({ code: 'STREAM_VERSION_CONFLICT', streamId: 's', expected: 0, actual: 3 });
    expect(conflict.cause).toBe(onExisting);
    const onMissing = new WrongExpectedVersionError(undefined, {
      streamName: 'ns-s',
      expected: 0n,
      current: NO_STREAM,
    });
    expect(toConflict('s', 'exists', onMissing).actual).toBeNull();
    expect(headFromServer(-1n)).toBeNull();
  });
});

describe('KurrentDB log scope', () => {
  const record = (streamId: string, type: string) => ({ streamId, type }) as RecordedEvent;

  it('filters on the namespace prefix, else on the requested types, else on non-system streams', () => {
    expect(serverFilter({ prefix: 'ns-' })).toMatchObject({ filterOn: 'streamName', prefixes: ['ns-'] });
    expect(serverFilter({ prefix: '', types: ['A.b', 'C'] })).toMatchObject({
      filterOn: 'eventType',
      regex: '^(?:A\\.b|C)$',
    });
    expect(serverFilter({ prefix: '' })).toMatchObject({ filterOn: 'streamName', regex: '^[^$]' });
  });

  it('accepts only in-scope, non-system records and strips the namespace', () => {
    const scope = { prefix: 'ns-', types: ['A'] };
    expect(acceptedStreamId(scope, record('ns-case-1', 'A'))).toBe('case-1');
    expect(acceptedStreamId(scope, record('ns-case-1', 'B'))).toBeNull();
    expect(acceptedStreamId(scope, record('other-case-1', 'A'))).toBeNull();
    expect(acceptedStreamId({ prefix: '' }, record('$settings', 'A'))).toBeNull();
    expect(acceptedStreamId({ prefix: '' }, record('case', '$metadata'))).toBeNull();
    expect(acceptedStreamId({ prefix: '' }, record('case', 'A'))).toBe('case');
  });
});
