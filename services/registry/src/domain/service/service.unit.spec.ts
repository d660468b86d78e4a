import { describe, it, expect } from 'vitest';
import { DeciderSpecification } from '@estia/infra/testing/givenWhenThen.js';
import type { Actor } from '../shared/actor.js';
import { serviceDecider, type Capacity, type ServiceDetails, type ServiceEvent } from './service.js';

const spec = DeciderSpecification.for(serviceDecider);
const now = '2025-03-01T10:00:00.000Z';
const serviceId = 'svc-1';
const organisationId = 'org-1';
const orgAdmin: Actor = { principalId: 'p-1', organisationId, roles: ['org_admin'] };
const officer: Actor = { principalId: 'p-2', organisationId, roles: ['referral_officer'] };
const coach: Actor = { principalId: 'p-3', organisationId, roles: ['job_coach'] };
const outsider: Actor = { principalId: 'p-9', organisationId: 'org-2', roles: ['org_admin'] };

const details: ServiceDetails = {
  name: 'Emergency shelter for families',
  categoryId: 'emergency_shelter',
  description: 'Beds for families on arrival.',
  eligibility: { legalStatuses: ['asylum_seeker', 'refugee'], minAge: 0, maxAge: null },
  languages: ['el', 'en', 'ar', 'prs', 'kmr'],
  serviceAreas: ['EL52'],
  locations: [
    {
      locationId: 'loc-1',
      name: 'Shelter Kalamaria',
      address: {
        street: 'Ethnikis Antistaseos 10',
        locality: 'Kalamaria',
        postalCode: '55134',
        region: 'EL52',
        country: 'GR',
      },
      coordinates: { latitude: 40.5826, longitude: 22.9501 },
      schedule: [
        { weekday: 1, opens: '09:00', closes: '17:00' },
        { weekday: 6, opens: '10:00', closes: '14:00' },
      ],
    },
  ],
  responseTimeHours: 24,
};
const capacity: Capacity = { available: 12, maximum: 40, intake: 'open' };

const registered: ServiceEvent = {
  type: 'ServiceRegistered',
  data: { serviceId, organisationId, details, capacity, registeredAt: now, registeredBy: 'p-1' },
};
const withdrawn: ServiceEvent = {
  type: 'ServiceWithdrawn',
  data: { serviceId, organisationId, reason: null, withdrawnAt: now, withdrawnBy: 'p-1' },
};
const register = {
  type: 'RegisterService',
  serviceId,
  organisationId,
  organisationStatus: 'approved',
  details,
  capacity,
  now,
  actor: orgAdmin,
} as const;
const change = (c: Capacity, actor: Actor = officer) =>
  ({ type: 'ChangeServiceCapacity', serviceId, capacity: c, now, actor }) as const;

const errorsOf = (run: () => unknown): string[] => {
  try {
    run();
  } catch (error) {
    return ((error as { errors?: { pointer: string }[] }).errors ?? []).map((e) => e.pointer);
  }
  throw new Error('expected a validation error');
};

describe('services offered', () => {
  it('an org admin of an approved organisation registers a service', () =>
    spec.given([]).when(register).then([registered]));
  it('not for an organisation that is only applying', () =>
    spec
      .given([])
      .when({ ...register, organisationStatus: 'applied' })
      .thenThrows('BUSINESS_RULE_VIOLATED', /applied/));
  it('not by an admin of another organisation', () =>
    spec
      .given([])
      .when({ ...register, actor: outsider })
      .thenThrows('FORBIDDEN'));
  it('not twice', () =>
    spec
      .given([registered])
      .when(register)
      .thenThrows('ILLEGAL_TRANSITION', /active/));

  it('validates category, languages, eligibility, locations and schedules with pointers', () => {
    const bad = {
      ...details,
      categoryId: 'spa',
      languages: ['el', 'xx'],
      eligibility: { legalStatuses: ['tourist'], minAge: 30, maxAge: 18 },
      locations: [
        {
          ...details.locations[0]!,
          coordinates: { latitude: 40, longitude: 200 },
          schedule: [{ weekday: 8, opens: '18:00', closes: '09:00' }],
        },
      ],
    } as unknown as ServiceDetails;
    expect(errorsOf(() => serviceDecider.decide({ ...register, details: bad }, serviceDecider.initialState()))).toEqual(
      [
        '/body/details/categoryId',
        '/body/details/eligibility/legalStatuses/0',
        '/body/details/eligibility/maxAge',
        '/body/details/languages/1',
        '/body/details/locations/0/coordinates/longitude',
        '/body/details/locations/0/schedule/0/weekday',
        '/body/details/locations/0/schedule/0/closes',
      ],
    );
  });

  it('accepts ISO 639-3 codes and sub-terms of the taxonomy', () =>
    spec
      .given([])
      .when({ ...register, details: { ...details, categoryId: 'trauma_support', languages: ['ckb', 'apc'] } })
      .thenEvents((events) => expect(events[0]?.type).toBe('ServiceRegistered')));

  describe('capacity', () => {
    it('a referral officer updates capacity as its own event, with the previous value', () =>
      spec
        .given([registered])
        .when(change({ available: 0, maximum: 40, intake: 'waitlist' }))
        .then([
          {
            type: 'ServiceCapacityChanged',
            data: {
              serviceId,
              organisationId,
              capacity: { available: 0, maximum: 40, intake: 'waitlist' },
              previous: capacity,
              changedAt: now,
              changedBy: 'p-2',
            },
          },
        ]));
    it('the same capacity again records nothing', () => spec.given([registered]).when(change(capacity)).thenNothing());
    it('a job coach may not change capacity', () =>
      spec.given([registered]).when(change(capacity, coach)).thenThrows('FORBIDDEN'));
    it('available cannot exceed maximum', () =>
      spec
        .given([registered])
        .when(change({ available: 41, maximum: 40, intake: 'open' }))
        .thenThrows('VALIDATION_FAILED', /must not exceed/));
    it('intake cannot be open with no places', () =>
      spec
        .given([registered])
        .when(change({ available: 0, maximum: 40, intake: 'open' }))
        .thenThrows('BUSINESS_RULE_VIOLATED'));
    it('no capacity changes after withdrawal', () =>
      spec
        .given([registered, withdrawn])
        .when(change(capacity))
        .thenThrows('ILLEGAL_TRANSITION', /withdrawn/));
  });

  it('updates details', () =>
    spec
      .given([registered])
      .when({
        type: 'UpdateServiceDetails',
        serviceId,
        details: { ...details, responseTimeHours: 48 },
        now,
        actor: orgAdmin,
      })
      .thenEvents(([event]) =>
        expect(event).toMatchObject({ type: 'ServiceDetailsUpdated', data: { details: { responseTimeHours: 48 } } }),
      ));

  it('withdraws, and refuses withdrawing twice', () => {
    spec.given([registered]).when({ type: 'WithdrawService', serviceId, now, actor: orgAdmin }).then([withdrawn]);
    spec
      .given([registered, withdrawn])
      .when({ type: 'WithdrawService', serviceId, now, actor: orgAdmin })
      .thenThrows('ILLEGAL_TRANSITION', /withdrawn/);
  });
  it('cannot update a service that was never registered', () =>
    spec
      .given([])
      .when({ type: 'UpdateServiceDetails', serviceId, details, now, actor: orgAdmin })
      .thenThrows('ILLEGAL_TRANSITION', /not registered/));
});
