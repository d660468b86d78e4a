import { createHash } from 'node:crypto';
import { START } from '@kurrent/kurrentdb-client';
import type { JSONEventData, JSONType, ReadPosition, RecordedEvent } from '@kurrent/kurrentdb-client';
import { AppError } from '../../errors/appError.js';
import { prepareEvents, type StreamHead } from '../appendBatch.js';
import type { EventMetadata, NewEvent, StoredEvent } from '../types.js';

/**
 * KurrentDB neither hashes events nor lets us choose `recordedAt` (its `created` is set by the
 * server after we hashed), so the adapter keeps both inside the event's own metadata under this key.
 * Readers strip it: callers see exactly the metadata they appended.
 */
export const ESTIA_METADATA_KEY = '$estia';

export interface EstiaStamp {
  hash: string;
  recordedAt: string;
  /** The caller's event id when it is not the server's canonical UUID form (KurrentDB ids are UUIDs). */
  id?: string;
}

const CANONICAL_UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * KurrentDB only accepts UUID event ids and returns them lower-cased. Any other id is mapped to a
 * name-based UUID (sha256, RFC 9562 v8 layout) so that the same logical id always lands on the same
 * server id, which keeps the server's idempotent-append check meaningful for retried requests.
 */
export function toServerEventId(id: string): string {
  if (CANONICAL_UUID.test(id)) return id;
  const bytes = createHash('sha256').update(id, 'utf8').digest().subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x80;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export interface EncodedEvent {
  /** What is sent to the server. */
  eventData: JSONEventData;
  revision: number;
  hash: string;
}

/**
 * Revisions, ids and hashes come from the same `prepareEvents` the SQL adapters use, so the chain is
 * byte-for-byte the same on every adapter. The server gets the canonical JSON parsed back, which
 * re-serialises to the same canonical bytes when verifyStream reads it.
 */
export function encodeBatch(
  streamId: string,
  head: StreamHead | null,
  events: readonly NewEvent[],
  recordedAt: string,
): EncodedEvent[] {
  const prepared = prepareEvents(streamId, events, head, recordedAt);
  return prepared.map((event) => {
    const serverId = toServerEventId(event.id);
    const stamp: EstiaStamp =
      serverId === event.id ? { hash: event.hash, recordedAt } : { hash: event.hash, recordedAt, id: event.id };
    const metadata = JSON.parse(event.metadataJson) as EventMetadata;
    return {
      eventData: {
        id: serverId,
        contentType: 'application/json',
        type: event.type,
        data: JSON.parse(event.dataJson) as JSONType,
        metadata: { ...metadata, [ESTIA_METADATA_KEY]: stamp },
      },
      revision: event.revision,
      hash: event.hash,
    };
  });
}

/**
 * Commit position as a JS number. Positions are byte offsets in the transaction log, so the 2^53
 * limit is ~9 PB of log; past it we refuse rather than hand out a position that silently collides.
 */
export function positionToNumber(position: bigint): number {
  if (position < 0n || position > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new AppError('INTERNAL', `KurrentDB position ${position} is outside the safe integer range of the port`);
  }
  return Number(position);
}

/**
 * A port position as a server read position. Every event written through gRPC commits itself, so
 * its commit and prepare positions are equal; -1 (or any negative) means the start of the log.
 */
export const toReadPosition = (after: number): ReadPosition =>
  after < 0 ? START : { commit: BigInt(after), prepare: BigInt(after) };

/** Position of an event read from a stream or from $all (modern servers fill both for self-committed events). */
export function commitPositionOf(recorded: RecordedEvent, resolvedCommitPosition?: bigint): number {
  const commit = recorded.position?.commit ?? resolvedCommitPosition;
  if (commit === undefined || commit < 0n) {
    throw new AppError(
      'INTERNAL',
      `KurrentDB returned no commit position for ${recorded.streamId}@${recorded.revision}; the server is too old for this adapter`,
    );
  }
  return positionToNumber(commit);
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array);

const readStamp = (value: unknown): EstiaStamp | null => {
  if (!isRecord(value)) return null;
  const { hash, recordedAt, id } = value;
  if (typeof hash !== 'string' || typeof recordedAt !== 'string') return null;
  return typeof id === 'string' ? { hash, recordedAt, id } : { hash, recordedAt };
};

/**
 * Server record → port event. An event written around the adapter (no stamp) keeps an empty hash
 * and the server's timestamp, so verifyStream reports it instead of the read failing.
 */
export function decodeEvent(recorded: RecordedEvent, logicalStreamId: string, position: number): StoredEvent {
  let metadata: EventMetadata = {};
  let stamp: EstiaStamp | null = null;
  if (isRecord(recorded.metadata)) {
    const { [ESTIA_METADATA_KEY]: rawStamp, ...rest } = recorded.metadata;
    stamp = readStamp(rawStamp);
    metadata = rest;
  }
  const data = recorded.isJson ? recorded.data : Buffer.from(recorded.data).toString('base64');
  return {
    id: stamp?.id ?? recorded.id,
    streamId: logicalStreamId,
    revision: Number(recorded.revision),
    position,
    type: recorded.type,
    data,
    metadata,
    recordedAt: stamp?.recordedAt ?? recorded.created.toISOString(),
    hash: stamp?.hash ?? '',
  };
}
