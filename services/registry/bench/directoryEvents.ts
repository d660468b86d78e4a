/**
 * Benchmark directory: organisations (applied, approved, code of conduct accepted) with four services
 * each, as the deciders write them (the events skip the deciders; their shape is the deciders'), from
 * a seeded pseudo-random sequence so every run and every store gets the same directory.
 */
import type { EventStore, NewEvent } from '@estia/infra/eventStore/types.js';
import { organisationStreamId, type OrganisationProfile } from '../src/domain/organisation/organisation.js';
import { serviceStreamId } from '../src/domain/service/service.js';
import { LEGAL_STATUSES, type ServiceDetails } from '../src/domain/service/serviceDetails.js';
import { TAXONOMY } from '../src/domain/service/taxonomy.js';
import { DEMO_REGIONS } from '../src/demo/demoData.js';

export const SERVICES_PER_ORG = 4;
const KINDS = [
  'ngo',
  'municipality',
  'reception_centre',
  'social_partner',
  'public_employment_service',
  'employer',
] as const;
export const LANGS = ['el', 'en', 'ar', 'fa', 'fr', 'uk', 'ps', 'ur', 'so', 'ti'];

let seed = 42;
/** Restarts the pseudo-random sequence: the same seed gives the same directory and the same queries. */
export const reseed = (value: number): void => void (seed = value);
export const rnd = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
export const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
export const jitter = (c: { latitude: number; longitude: number }) => ({
  latitude: c.latitude + (rnd() - 0.5) * 1.2,
  longitude: c.longitude + (rnd() - 0.5) * 1.2,
});
const uuid = (n: number, kind: number) =>
  `${kind.toString(16).padStart(8, '0')}-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;

const now = '2026-01-01T00:00:00.000Z';
const meta = { actor: { userId: 'bench' } };

/** One organisation's streams: its own (applied, approved, code accepted) and its services'. */
export function organisationEvents(o: number): Array<{ streamId: string; events: NewEvent[] }> {
  const organisationId = uuid(o, 1);
  const region = pick(DEMO_REGIONS);
  const profile: OrganisationProfile = {
    name: `Organisation ${o} ${region.city}`,
    kind: pick(KINDS),
    legalIdentifier: `EL${100000000 + o}`,
    country: 'GR',
    region: region.code,
    address: { street: `Street ${o}`, locality: region.city, postalCode: region.postalCode },
    coordinates: jitter(region.centre),
    contact: { email: `org${o}@example.org` },
    dataProtectionRegistration: `DPA-${o}`,
  };
  const streams: Array<{ streamId: string; events: NewEvent[] }> = [
    {
      streamId: organisationStreamId(organisationId),
      events: [
        { type: 'OrganisationApplied', data: { organisationId, profile, appliedAt: now, appliedBy: 'bench' } },
        {
          type: 'OrganisationApproved',
          data: {
            organisationId,
            licenceNumber: `L-${o}`,
            licenceValidUntil: '2030-01-01T00:00:00.000Z',
            approvedAt: now,
            approvedBy: 'bench',
          },
        },
        { type: 'CodeOfConductAccepted', data: { organisationId, version: 1, acceptedAt: now, acceptedBy: 'bench' } },
      ].map((e) => ({ ...e, metadata: meta })),
    },
  ];
  for (let s = 0; s < SERVICES_PER_ORG; s++) {
    const serviceId = uuid(o * SERVICES_PER_ORG + s, 2);
    const term = pick(TAXONOMY);
    const locations = Array.from({ length: 1 + Math.floor(rnd() * 2) }, (_, l) => ({
      locationId: `loc-${l}`,
      name: `Point ${l}`,
      address: {
        street: `Street ${o}`,
        locality: region.city,
        postalCode: region.postalCode,
        region: region.code,
        country: 'GR',
      },
      coordinates: jitter(region.centre),
      schedule: [{ weekday: 1 as const, opens: '09:00', closes: '17:00' }],
    }));
    const details: ServiceDetails = {
      name: `${term.name} ${o}-${s}`,
      categoryId: term.id,
      description: `${term.name} offered in ${region.city}`,
      eligibility: {
        legalStatuses: [pick(LEGAL_STATUSES), pick(LEGAL_STATUSES)].filter((v, i, a) => a.indexOf(v) === i),
        minAge: null,
        maxAge: null,
      },
      languages: [pick(LANGS), pick(LANGS), 'el'].filter((v, i, a) => a.indexOf(v) === i),
      serviceAreas: [region.code, pick(DEMO_REGIONS).code].filter((v, i, a) => a.indexOf(v) === i),
      locations,
      responseTimeHours: 48,
    };
    const open = rnd() < 0.6;
    streams.push({
      streamId: serviceStreamId(serviceId),
      events: [
        {
          type: 'ServiceRegistered',
          data: {
            serviceId,
            organisationId,
            details,
            capacity: { available: open ? 5 : 0, maximum: 20, intake: open ? 'open' : 'closed' },
            registeredAt: now,
            registeredBy: 'bench',
          },
          metadata: meta,
        },
      ],
    });
  }
  return streams;
}

/** Appends every organisation's streams, 100 organisations' appends in flight at a time (group commit). */
export async function seedEvents(
  store: EventStore,
  organisations: number,
  progress: (done: number, total: number) => void = () => undefined,
): Promise<number> {
  let events = 0;
  for (let o = 0; o < organisations; o += 100) {
    const appends: Promise<unknown>[] = [];
    for (let k = o; k < Math.min(organisations, o + 100); k++)
      for (const { streamId, events: batch } of organisationEvents(k)) {
        events += batch.length;
        appends.push(store.append(streamId, batch, { expectedVersion: 'no-stream' }));
      }
    await Promise.all(appends);
    progress(Math.min(organisations, o + 100), organisations);
  }
  return events;
}
