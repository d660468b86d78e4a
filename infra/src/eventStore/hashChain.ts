import { createHash } from 'node:crypto';
import { canonicalJson } from './canonicalJson.js';
import type { ChainVerification, EventMetadata } from './types.js';

/** The previous hash of a stream's first event. */
export const GENESIS_HASH = '0'.repeat(64);

/**
 * Exactly the fields that are hashed. The global position is deliberately absent: it is
 * adapter-specific (PostgreSQL derives it from transaction ids), and the chain must verify the same
 * way after a migration between adapters or an export.
 */
export interface HashedEventFields {
  streamId: string;
  revision: number;
  id: string;
  type: string;
  data: unknown;
  metadata: EventMetadata;
  recordedAt: string;
}

/** Canonical bytes of a stored event (what the chain commits to). */
export const canonicalEventBytes = (event: HashedEventFields): string =>
  canonicalEventBytesFromJson(event, canonicalJson(event.data), canonicalJson(event.metadata));

/**
 * Same bytes as `canonicalJson({...fields})` (keys in sorted order), assembled from data/metadata that
 * are already canonical JSON text, so appends canonicalise each payload once (it is also what is stored).
 */
export const canonicalEventBytesFromJson = (
  event: Omit<HashedEventFields, 'data' | 'metadata'>,
  dataJson: string,
  metadataJson: string,
): string =>
  `{"data":${dataJson},"id":${JSON.stringify(event.id)},"metadata":${metadataJson},` +
  `"recordedAt":${JSON.stringify(event.recordedAt)},"revision":${canonicalJson(event.revision)},` +
  `"streamId":${JSON.stringify(event.streamId)},"type":${JSON.stringify(event.type)}}`;

const sha256 = (previousHash: string | null, bytes: string): string =>
  createHash('sha256')
    .update(previousHash ?? GENESIS_HASH, 'utf8')
    .update(bytes, 'utf8')
    .digest('hex');

/** sha256 hex over previous hash (hex, GENESIS_HASH for revision 0) + canonical bytes of the event. */
export const chainHash = (previousHash: string | null, event: HashedEventFields): string =>
  sha256(previousHash, canonicalEventBytes(event));

/** `chainHash` for payloads already in canonical JSON text. */
export const chainHashFromJson = (
  previousHash: string | null,
  event: Omit<HashedEventFields, 'data' | 'metadata'>,
  dataJson: string,
  metadataJson: string,
): string => sha256(previousHash, canonicalEventBytesFromJson(event, dataJson, metadataJson));

/**
 * Walks a stream in revision order and reports the first broken link. Takes an iterable so adapters
 * can feed it page by page without holding a long stream in memory.
 */
export async function verifyChain(
  streamId: string,
  events: AsyncIterable<HashedEventFields & { hash: string }> | Iterable<HashedEventFields & { hash: string }>,
): Promise<ChainVerification> {
  let previous: string | null = null;
  let count = 0;
  for await (const event of events) {
    if (event.revision !== count) {
      return {
        ok: false,
        streamId,
        events: count,
        brokenAt: count,
        expected: `revision ${count}`,
        actual: `revision ${event.revision}`,
        reason: 'revision sequence has a gap or duplicate',
      };
    }
    const expected = chainHash(previous, event);
    if (expected !== event.hash) {
      return {
        ok: false,
        streamId,
        events: count,
        brokenAt: event.revision,
        expected,
        actual: event.hash,
        reason: 'stored hash does not match the event content and the previous hash',
      };
    }
    previous = event.hash;
    count += 1;
  }
  return { ok: true, streamId, events: count, lastHash: previous };
}
