import { createHash } from 'node:crypto';
import { EVENT_SCHEMA_IDS, assertValidEvent, eventSource, eventTopic } from '@estia/contracts';
import type { EventDataByType, EventEnvelope, EventType } from '@estia/contracts';
import type { StoredEvent } from '../eventStore/types.js';
import type { RelayMessage } from './relay.js';

/**
 * The envelope id of a second public event one stored event stands for (`facet` names it): derived, so
 * it is the same on every republish, and distinct from the stored id, so no inbox mistakes one for the
 * other. A UUID (version 8: custom) from the SHA-256 of both.
 */
export function facetEventId(storedId: string, facet: string): string {
  const hex = createHash('sha256').update(`${storedId}\n${facet}`).digest('hex');
  const variant = ((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/**
 * Turns a stored (private) event into the public integration message it stands for. The envelope id is
 * the stored event's id (or, for a second public event of the same stored event, one derived from it
 * and the `facet`), so a republished event is recognised by every inbox; the subject is the
 * aggregate id. The bus key is the stream id the event was stored in, so the bus keeps order per stream
 * (a Kafka partition per key; topics are cleanup.policy=delete, never compacted by key). Validated
 * against the contract before it can leave the service.
 */
export function publicEvent<T extends EventType>(
  stored: StoredEvent,
  type: T,
  subject: string,
  data: EventDataByType[T],
  options: { facet?: string; key?: string } = {},
): RelayMessage {
  const meta = stored.metadata;
  const envelope: EventEnvelope = {
    specversion: '1.0',
    id: options.facet === undefined ? stored.id : facetEventId(stored.id, options.facet),
    source: eventSource(type),
    type,
    subject,
    time: stored.recordedAt,
    datacontenttype: 'application/json',
    dataschema: EVENT_SCHEMA_IDS[type],
    correlationid: meta.correlationId ?? stored.id,
    causationid: meta.causationId ?? stored.id,
    actororganisation: meta.actor?.organisationId ?? 'system',
    ...(meta.actor?.userId ? { actoruser: meta.actor.userId } : {}),
    schemaversion: Number(/\.v(\d+)$/.exec(type)![1]),
    data: data as Record<string, unknown>,
  } as EventEnvelope;
  assertValidEvent(envelope);
  return { topic: eventTopic(type), key: options.key ?? stored.streamId, envelope };
}
