import { EVENT_SCHEMA_IDS, eventSource, eventTopic, isEventType } from '@estia/contracts';
import type { StoredEvent } from '@estia/infra/eventStore/types.js';
import type { RelayMapper } from '@estia/infra/processors/relay.js';
import { isIntegrationEvent } from './integrationEvents.js';

const subjectOf = (data: Record<string, unknown>): string =>
  String(data.serviceId ?? data.organisationId ?? 'code-of-conduct');

/**
 * Stored integration events → CloudEvents envelopes for the relay; domain events stay private (null).
 * The envelope id is the stored event id, so a republished batch is deduplicated by consumers.
 */
export const registryRelayMapper: RelayMapper = (event: StoredEvent) => {
  if (!isIntegrationEvent(event) || !isEventType(event.type)) return null;
  const data = event.data as Record<string, unknown>;
  const actor = event.metadata.actor ?? {};
  const subject = subjectOf(data);
  return {
    topic: eventTopic(event.type),
    key: subject,
    envelope: {
      specversion: '1.0',
      id: event.id,
      source: eventSource(event.type),
      type: event.type,
      subject,
      time: event.recordedAt,
      datacontenttype: 'application/json',
      dataschema: EVENT_SCHEMA_IDS[event.type],
      correlationid: event.metadata.correlationId ?? event.id,
      causationid: event.metadata.causationId ?? event.metadata.correlationId ?? event.id,
      actororganisation: actor.organisationId ?? 'system',
      ...(actor.clientId || actor.userId ? { actoruser: actor.clientId ?? actor.userId } : {}),
      schemaversion: Number(/\.v(\d+)$/.exec(event.type)![1]),
      data,
    } as never,
  };
};

export const REGISTRY_PUBLIC_EVENT_PREFIX = 'estia.registry.';
