import { randomUUID } from 'node:crypto';
import { assertValidEvent, eventSource, EVENT_SCHEMA_IDS, type EventEnvelope } from '@estia/contracts';
import type { EventDataByType, EventType } from '@estia/contracts';
import type { SqlDatabase } from '@estia/infra/sql/types.js';
import { applyRegistryEvent } from '../directory/registryConsumer.js';

/** A registry integration event as the registry publishes it (validated against the contract). */
export function registryEnvelope<T extends EventType>(type: T, data: EventDataByType[T]): EventEnvelope {
  const envelope = {
    specversion: '1.0',
    id: randomUUID(),
    source: eventSource(type),
    type,
    subject:
      (data as { serviceId?: string; organisationId: string }).serviceId ??
      (data as { organisationId: string }).organisationId,
    time: '2025-01-01T00:00:00.000Z',
    datacontenttype: 'application/json',
    dataschema: EVENT_SCHEMA_IDS[type],
    correlationid: randomUUID(),
    causationid: randomUUID(),
    actororganisation: 'system',
    schemaversion: 1,
    data,
  } as unknown as EventEnvelope;
  assertValidEvent(envelope);
  return envelope;
}

export const membershipChanged = (
  organisationId: string,
  status: 'approved' | 'suspended' = 'approved',
  changedAt = '2025-01-01T00:00:00.000Z',
): EventEnvelope =>
  registryEnvelope('estia.registry.organisation.membership-changed.v1', {
    organisationId,
    name: `Organisation ${organisationId.slice(0, 8)}`,
    kind: 'ngo',
    country: 'GR',
    region: 'EL30',
    status,
    change: status === 'approved' ? 'approved' : 'suspended',
    licence: { number: 'L-1', validUntil: '2030-01-01' },
    codeOfConductVersionAccepted: 1,
    currentCodeOfConductVersion: 1,
    mayExchange: status === 'approved',
    changedAt,
  });

export interface TestService {
  serviceId: string;
  organisationId: string;
  category: string;
  name?: string;
  legalStatuses?: string[];
  languages?: string[];
  areas?: { country: string; region?: string }[];
  locations?: { locality: string; lat: number; lon: number }[];
  intakeStatus?: 'open' | 'waitlist' | 'closed';
  responseTimeHours?: number;
  revision?: number;
}

export const servicePublished = (s: TestService): EventEnvelope =>
  registryEnvelope('estia.registry.service.published.v1', {
    serviceId: s.serviceId,
    organisationId: s.organisationId,
    organisationName: `Organisation ${s.organisationId.slice(0, 8)}`,
    name: s.name ?? `${s.category} service`,
    category: { topLevel: s.category, term: { code: s.category, name: s.category }, ancestors: [] },
    eligibility: { legalStatuses: s.legalStatuses ?? ['asylum_seeker', 'refugee', 'subsidiary_protection'] },
    languages: s.languages ?? ['en', 'ar', 'el'],
    serviceAreas: s.areas ?? [{ country: 'GR' }],
    locations: (s.locations ?? []).map((l) => ({
      locationId: randomUUID(),
      address: { locality: l.locality, country: 'GR' },
      coordinates: { lat: l.lat, lon: l.lon },
    })),
    capacity: { available: 3, maximum: 10, intakeStatus: s.intakeStatus ?? 'open' },
    expectedResponseTimeHours: s.responseTimeHours ?? 48,
    revision: s.revision ?? 1,
    changedAt: '2025-01-01T00:00:00.000Z',
  } as EventDataByType['estia.registry.service.published.v1']);

/** Feeds registry facts straight through the consumer's handler (the consumer itself is infra's). */
export async function applyRegistryFacts(db: SqlDatabase, envelopes: readonly EventEnvelope[]): Promise<void> {
  await db.transaction(async (tx) => {
    for (const envelope of envelopes) await applyRegistryEvent(tx, envelope);
  });
}
