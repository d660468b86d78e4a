import { EVENT_SCHEMA_IDS, assertValidEvent, eventSource, eventTopic } from '@estia/contracts';
import type { EventDataByType, EventEnvelope, EventType } from '@estia/contracts';
import type { StoredEvent } from '../eventStore/types.js';
import type { RelayMessage } from './relay.js';

/**
 * Turns a stored (private) event into the public integration message it stands for. The envelope id is
 * the stored event's id, so a republished event is recognised by every inbox; the subject is the
 * aggregate id. The bus key is the stream id the event was stored in, so the bus keeps order per stream
 * (a Kafka partition per key; topics are cleanup.policy=delete, never compacted by key). Validated
 * against the contract before it can leave the service.
 */
export function publicEvent<T extends EventType>(
  stored: StoredEvent,
  type: T,
  subject: string,
  data: EventDataByType[T],
): RelayMessage {
  const meta = stored.metadata;
  const envelope: EventEnvelope = {
    specversion: '1.0',
    id: stored.id,
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
  return { topic: eventTopic(type), key: stored.streamId, envelope };
}
