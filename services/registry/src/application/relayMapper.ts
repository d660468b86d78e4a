import { isEventType } from '@estia/contracts';
import type { StoredEvent } from '@estia/infra/eventStore/types.js';
import type { RelayMessage } from '@estia/infra/processors/relay.js';
import { publicEvent } from '@estia/infra/processors/publicEvent.js';
import { isIntegrationEvent } from './integrationEvents.js';

const subjectOf = (data: Record<string, unknown>): string =>
  String(data.serviceId ?? data.organisationId ?? 'code-of-conduct');

/**
 * Stored integration events → contract-validated CloudEvents for the relay; domain events stay private
 * (null). The envelope id is the stored event id, so a republished batch is deduplicated by consumers.
 */
export const registryRelayMapper = (event: StoredEvent): RelayMessage | null => {
  if (!isIntegrationEvent(event) || !isEventType(event.type)) return null;
  const data = event.data as Record<string, unknown>;
  return publicEvent(event, event.type, subjectOf(data), data as never);
};

export const REGISTRY_PUBLIC_EVENT_PREFIX = 'estia.registry.';
