import { randomUUID } from 'node:crypto';
import { EVENT_SCHEMA_IDS, type EventDataByType, type EventType } from '../generated/eventCatalogue.js';
import type { TypedEventEnvelope } from '../validation/validateEvent.js';
import { eventSource } from '../events/topics.js';

const org = '6f1c2a4e-8a4b-4f53-9d55-0b2f4c1d2e3f';
const org2 = '0d6b3b57-1f7e-4c0e-a3c1-7e0a1f9c2b11';
const client = '9b2e7c1a-3d4f-4a5b-8c6d-1e2f3a4b5c6d';
const now = '2025-03-01T10:00:00Z';

/** Valid data for some event types, for tests of producers and consumers. */
export const sampleData: { [T in EventType]?: EventDataByType[T] } = {
  'estia.registry.organisation.membership-changed.v1': {
    organisationId: org,
    name: 'Solidarity Now',
    kind: 'ngo',
    country: 'GR',
    region: 'EL30',
    status: 'approved',
    change: 'approved',
    licence: { number: 'ESTIA-2025-001', validUntil: '2027-12-31' },
    codeOfConductVersionAccepted: 2,
    currentCodeOfConductVersion: 2,
    mayExchange: true,
    changedAt: now,
  },
  'estia.referrals.client.consent-given.v1': {
    consentId: randomUUID(),
    clientId: client,
    purpose: 'job_matching',
    recipient: {},
    scope: ['legal_status', 'languages', 'skills'],
    givenAt: now,
    expiresAt: null,
    recordedByOrganisationId: org,
  },
  'estia.referrals.client.candidate-profile-shared.v1': {
    clientId: client,
    consentId: randomUUID(),
    legalStatus: { status: 'refugee', decisionDate: '2024-06-01', workPermitValidUntil: '2027-06-01' },
    languages: [
      { language: 'ar', level: 'C2', native: true },
      { language: 'el', level: 'A2' },
    ],
    location: { country: 'GR', region: 'EL30', coordinates: { lat: 37.98, lon: 23.73 } },
    skills: ['http://data.europa.eu/esco/skill/ccd0a1d9-afda-43d9-b901-96344886e14d'],
    occupations: [{ iscoCode: '5120' }],
    educationLevel: 3,
    drivingLicences: ['B'],
    availability: { from: '2025-04-01', opportunityKinds: ['job', 'traineeship'] },
    sharedAt: now,
  },
  'estia.referrals.referral.status-changed.v1': {
    referralId: randomUUID(),
    fromOrganisationId: org,
    toOrganisationId: org2,
    category: 'legal',
    previousStatus: 'requested',
    status: 'rejected',
    reasonCode: 'no_capacity',
    changedAt: now,
  },
  'estia.matching.placement.hired.v1': {
    placementId: randomUUID(),
    applicationId: randomUUID(),
    opportunityId: randomUUID(),
    clientId: client,
    employerOrganisationId: org2,
    opportunityKind: 'job',
    startDate: '2025-04-15',
    hiredAt: now,
  },
};

/** A complete, valid envelope around `data`. */
export function sampleEnvelope<T extends EventType>(
  type: T,
  data: EventDataByType[T],
  subject: string,
): TypedEventEnvelope<T> {
  return {
    specversion: '1.0',
    id: randomUUID(),
    source: eventSource(type),
    type,
    subject,
    time: now,
    datacontenttype: 'application/json',
    dataschema: EVENT_SCHEMA_IDS[type],
    correlationid: randomUUID(),
    causationid: randomUUID(),
    actororganisation: org,
    actoruser: 'user-7f3a',
    schemaversion: 1,
    data,
  } as TypedEventEnvelope<T>;
}
