import { randomUUID } from 'node:crypto';
import { systemClock } from '@estia/infra/clock/clock.js';
import type { EventMetadata, EventStore } from '@estia/infra/eventStore/types.js';
import type { Actor } from '../domain/shared/actor.js';

/** What every command handler needs; the clock and id source are injected so the demo is deterministic. */
export interface RegistryContext {
  store: EventStore;
  now: () => string;
  newId: () => string;
}

export const defaultContext = (store: EventStore): RegistryContext => ({
  store,
  now: () => systemClock().toISOString(),
  newId: () => randomUUID(),
});

/** Carried into every event: who acted (ids only) and the request's correlation id. */
export const metadataFor = (actor: Actor, correlationId?: string): EventMetadata => ({
  actor: {
    ...(actor.organisationId ? { organisationId: actor.organisationId } : {}),
    userId: actor.principalId,
  },
  ...(correlationId ? { correlationId } : {}),
});
