import { describe, it, expect } from 'vitest';
import { DeciderSpecification } from '@estia/infra/testing/givenWhenThen.js';
import { fold } from '@estia/infra/decider/types.js';
import type { Actor } from '../shared/actor.js';
import { organisationDecider, type OrganisationEvent, type OrganisationProfile } from './organisation.js';
import { exchangeBlockers, mayExchange } from './mayExchange.js';

const spec = DeciderSpecification.for(organisationDecider);
const organisationId = 'org-1';
const now = '2025-03-01T10:00:00.000Z';
const admin: Actor = { principalId: 'admin-1', roles: ['network_admin'] };
const orgAdmin: Actor = { principalId: 'p-1', organisationId, roles: ['org_admin'] };
const officer: Actor = { principalId: 'p-2', organisationId, roles: ['referral_officer'] };
const applicant: Actor = { principalId: 'anonymous-applicant', roles: [] };

const profile: OrganisationProfile = {
  name: 'Solidarity Now Thessaloniki',
  kind: 'ngo',
  legalIdentifier: 'EL-099999999',
  country: 'GR',
  region: 'EL52',
  address: { street: 'Egnatia 1', locality: 'Thessaloniki', postalCode: '54630' },
  coordinates: { latitude: 40.6401, longitude: 22.9444 },
  contact: { email: 'info@example.org', phone: '+30 2310 000000', website: 'https://example.org' },
  dataProtectionRegistration: 'HDPA-2025-0001',
};

const applied: OrganisationEvent = {
  type: 'OrganisationApplied',
  data: { organisationId, profile, appliedAt: now, appliedBy: applicant.principalId },
};
const approved: OrganisationEvent = {
  type: 'OrganisationApproved',
  data: {
    organisationId,
    licenceNumber: 'LIC-1',
    licenceValidUntil: '2026-03-01T00:00:00.000Z',
    approvedAt: now,
    approvedBy: 'admin-1',
  },
};
const accepted1: OrganisationEvent = {
  type: 'CodeOfConductAccepted',
  data: { organisationId, version: 1, acceptedAt: now, acceptedBy: 'p-1' },
};
const suspended: OrganisationEvent = {
  type: 'OrganisationSuspended',
  data: { organisationId, reason: 'audit', suspendedAt: now, suspendedBy: 'admin-1' },
};
const withdrawn: OrganisationEvent = {
  type: 'OrganisationWithdrawn',
  data: { organisationId, reason: null, withdrawnAt: now, withdrawnBy: 'p-1' },
};
const rejected: OrganisationEvent = {
  type: 'OrganisationRejected',
  data: { organisationId, reason: 'no registration', rejectedAt: now, rejectedBy: 'admin-1' },
};

const base = { organisationId, now };
const approve = {
  ...base,
  type: 'ApproveOrganisation',
  actor: admin,
  licenceNumber: 'LIC-1',
  licenceValidUntil: '2026-03-01T00:00:00.000Z',
} as const;

describe('organisation membership', () => {
  describe('apply', () => {
    it('records the application', () =>
      spec
        .given([])
        .when({ ...base, type: 'ApplyForMembership', actor: applicant, profile })
        .then([applied]));

    it('lists every invalid field with a JSON pointer', () => {
      const bad = {
        ...profile,
        name: ' ',
        kind: 'club',
        country: 'XX',
        coordinates: { latitude: 91, longitude: -181 },
        contact: { email: 'not-an-email' },
      } as unknown as OrganisationProfile;
      try {
        organisationDecider.decide(
          { ...base, type: 'ApplyForMembership', actor: applicant, profile: bad },
          organisationDecider.initialState(),
        );
        expect.unreachable();
      } catch (error) {
        expect(error).toMatchObject({ code: 'VALIDATION_FAILED', status: 400 });
        const pointers = (error as { errors: { pointer: string }[] }).errors.map((e) => e.pointer);
        expect(pointers).toEqual([
          '/body/profile/name',
          '/body/profile/kind',
          '/body/profile/country',
          '/body/profile/coordinates/latitude',
          '/body/profile/coordinates/longitude',
          '/body/profile/contact/email',
        ]);
      }
    });

    it('accepts boundary coordinates', () =>
      spec
        .given([])
        .when({
          ...base,
          type: 'ApplyForMembership',
          actor: applicant,
          profile: { ...profile, coordinates: { latitude: -90, longitude: 180 } },
        })
        .thenEvents((events) => expect(events).toHaveLength(1)));

    it('refuses a second application while one is under review', () =>
      spec
        .given([applied])
        .when({ ...base, type: 'ApplyForMembership', actor: applicant, profile })
        .thenThrows('ILLEGAL_TRANSITION', /applied/));

    it('allows applying again after a rejection', () =>
      spec
        .given([applied, rejected])
        .when({ ...base, type: 'ApplyForMembership', actor: applicant, profile })
        .then([applied]));
  });

  describe('approve / reject', () => {
    it('a network admin approves with a licence', () => spec.given([applied]).when(approve).then([approved]));

    it('only a network admin approves', () =>
      spec
        .given([applied])
        .when({ ...approve, actor: orgAdmin })
        .thenThrows('FORBIDDEN', /network administrator/));

    it('refuses approving a withdrawn organisation, naming its state', () =>
      spec
        .given([applied, withdrawn])
        .when(approve)
        .thenThrows('ILLEGAL_TRANSITION', /withdrawn/));

    it('refuses approving twice', () =>
      spec
        .given([applied, approved])
        .when(approve)
        .thenThrows('ILLEGAL_TRANSITION', /approved/));

    it('refuses a licence already expired', () =>
      spec
        .given([applied])
        .when({ ...approve, licenceValidUntil: '2025-02-28T00:00:00.000Z' })
        .thenThrows('VALIDATION_FAILED', /licenceValidUntil must be in the future/));

    it('rejection needs a reason', () =>
      spec
        .given([applied])
        .when({ ...base, type: 'RejectOrganisation', actor: admin, reason: '  ' })
        .thenThrows('VALIDATION_FAILED', /reason/));

    it('rejects with a reason', () =>
      spec
        .given([applied])
        .when({ ...base, type: 'RejectOrganisation', actor: admin, reason: 'no registration' })
        .then([rejected]));
  });

  describe('code of conduct', () => {
    const accept = { ...base, type: 'AcceptCodeOfConduct', actor: orgAdmin, version: 1, currentVersion: 1 } as const;

    it('an org admin accepts the current version', () =>
      spec.given([applied, approved]).when(accept).then([accepted1]));
    it('accepting the same version again changes nothing', () =>
      spec.given([applied, approved, accepted1]).when(accept).thenNothing());
    it('a referral officer may not accept', () =>
      spec
        .given([applied, approved])
        .when({ ...accept, actor: officer })
        .thenThrows('FORBIDDEN', /org_admin/));
    it('an admin of another organisation may not accept', () =>
      spec
        .given([applied, approved])
        .when({ ...accept, actor: { ...orgAdmin, organisationId: 'org-2' } })
        .thenThrows('FORBIDDEN'));
    it('an outdated version cannot be accepted', () =>
      spec
        .given([applied, approved])
        .when({ ...accept, version: 1, currentVersion: 2 })
        .thenThrows('BUSINESS_RULE_VIOLATED', /version 2/));
    it('nothing to accept before a code is published', () =>
      spec
        .given([applied])
        .when({ ...accept, currentVersion: null })
        .thenThrows('BUSINESS_RULE_VIOLATED'));
    it('a withdrawn organisation cannot accept', () =>
      spec
        .given([applied, withdrawn])
        .when(accept)
        .thenThrows('ILLEGAL_TRANSITION', /withdrawn/));
  });

  describe('suspend / reinstate / withdraw', () => {
    it('suspends an approved organisation with a reason', () =>
      spec
        .given([applied, approved])
        .when({ ...base, type: 'SuspendOrganisation', actor: admin, reason: 'audit' })
        .then([suspended]));
    it('cannot suspend an application', () =>
      spec
        .given([applied])
        .when({ ...base, type: 'SuspendOrganisation', actor: admin, reason: 'audit' })
        .thenThrows('ILLEGAL_TRANSITION', /applied/));
    it('reinstates a suspended organisation', () =>
      spec
        .given([applied, approved, suspended])
        .when({ ...base, type: 'ReinstateOrganisation', actor: admin })
        .then([
          { type: 'OrganisationReinstated', data: { organisationId, reinstatedAt: now, reinstatedBy: 'admin-1' } },
        ]));
    it('cannot reinstate an approved organisation', () =>
      spec
        .given([applied, approved])
        .when({ ...base, type: 'ReinstateOrganisation', actor: admin })
        .thenThrows('ILLEGAL_TRANSITION', /approved/));
    it('an org admin withdraws its own organisation', () =>
      spec
        .given([applied, approved])
        .when({ ...base, type: 'WithdrawOrganisation', actor: orgAdmin })
        .then([withdrawn]));
    it('withdrawal is final', () =>
      spec
        .given([applied, withdrawn])
        .when({ ...base, type: 'WithdrawOrganisation', actor: orgAdmin })
        .thenThrows('ILLEGAL_TRANSITION', /withdrawn/));
    it('cannot withdraw what never applied', () =>
      spec
        .given([])
        .when({ ...base, type: 'WithdrawOrganisation', actor: admin })
        .thenThrows('ILLEGAL_TRANSITION', /not registered/));
    it('renews the licence of an approved organisation', () =>
      spec
        .given([applied, approved])
        .when({
          ...base,
          type: 'RenewLicence',
          actor: admin,
          licenceNumber: 'LIC-2',
          licenceValidUntil: '2027-03-01T00:00:00.000Z',
        })
        .thenEvents(([event]) =>
          expect(event).toMatchObject({ type: 'LicenceRenewed', data: { licenceNumber: 'LIC-2' } }),
        ));
  });

  describe('profile', () => {
    const { kind: _kind, legalIdentifier: _id, country: _country, ...own } = profile;
    const moved = {
      ...own,
      name: 'Solidarity Now',
      address: { street: 'Tsimiski 10', locality: 'Thessaloniki', postalCode: '54624' },
      contact: { email: 'hello@example.org' },
    };
    const update = (actor: Actor, changes: unknown) =>
      ({ ...base, type: 'UpdateOrganisationProfile', actor, changes }) as const as Parameters<
        typeof organisationDecider.decide
      >[0];

    it('an org admin updates its own profile; who it is (kind, legal identifier, country) stays', () =>
      spec
        .given([applied, approved])
        .when(update(orgAdmin, moved))
        .then([
          {
            type: 'OrganisationProfileUpdated',
            data: {
              organisationId,
              profile: { ...profile, ...moved },
              updatedAt: now,
              updatedBy: 'p-1',
            },
          },
        ]));
    it('ignores an attempt to change the identity through the edit', () =>
      spec
        .given([applied, approved])
        .when(update(orgAdmin, { ...moved, kind: 'municipality', legalIdentifier: 'EL-1', country: 'DE' }))
        .thenEvents(([event]) =>
          expect(event).toMatchObject({
            data: { profile: { kind: 'ngo', legalIdentifier: 'EL-099999999', country: 'GR' } },
          }),
        ));
    it('saving it unchanged is no change, whatever the key order', () =>
      spec
        .given([applied, approved])
        .when(
          update(orgAdmin, {
            ...own,
            contact: { website: own.contact.website, phone: own.contact.phone, email: own.contact.email },
          }),
        )
        .then([]));
    it('the network admin may correct it; an officer or another organisation may not', () => {
      spec
        .given([applied, approved])
        .when(update(admin, moved))
        .thenEvents((events) => expect(events).toHaveLength(1));
      spec
        .given([applied, approved])
        .when(update(officer, moved))
        .thenThrows('FORBIDDEN', /org_admin/);
      spec
        .given([applied, approved])
        .when(update({ principalId: 'x', organisationId: 'org-2', roles: ['org_admin'] }, moved))
        .thenThrows('FORBIDDEN', /org_admin/);
    });
    it('names every invalid field, as on application', () => {
      try {
        organisationDecider.decide(
          update(orgAdmin, { ...own, name: ' ', contact: { email: 'nope' }, address: undefined }),
          [applied, approved].reduce(organisationDecider.evolve, organisationDecider.initialState()),
        );
        expect.unreachable();
      } catch (error) {
        expect(error).toMatchObject({ code: 'VALIDATION_FAILED', status: 400 });
        expect((error as { errors: { pointer: string }[] }).errors.map((e) => e.pointer)).toEqual([
          '/body/profile/name',
          '/body/profile/address',
          '/body/profile/contact/email',
        ]);
      }
    });
    it('a withdrawn or rejected organisation has no profile to keep', () => {
      spec
        .given([applied, withdrawn])
        .when(update(orgAdmin, moved))
        .thenThrows('ILLEGAL_TRANSITION', /withdrawn/);
      spec
        .given([applied, rejected])
        .when(update(admin, moved))
        .thenThrows('ILLEGAL_TRANSITION', /rejected/);
    });
    it('a later membership event carries the new name', () => {
      const state = [applied, approved].reduce(organisationDecider.evolve, organisationDecider.initialState());
      const events = organisationDecider.decide(update(orgAdmin, moved), state);
      expect(events.reduce(organisationDecider.evolve, state).profile).toMatchObject({
        name: 'Solidarity Now',
        country: 'GR',
      });
    });
  });

  describe('mayExchange', () => {
    const ctx = { currentCodeVersion: 1, acceptanceDueAt: null, now };
    it('approved, current code accepted, licence valid', () => {
      expect(mayExchange(fold(organisationDecider, [applied, approved, accepted1]), ctx)).toBe(true);
    });
    it('not before the code is accepted', () => {
      expect(exchangeBlockers(fold(organisationDecider, [applied, approved]), ctx)).toEqual([
        'code_of_conduct_not_accepted',
      ]);
    });
    it('a new code version requires acceptance again', () => {
      expect(
        exchangeBlockers(fold(organisationDecider, [applied, approved, accepted1]), { ...ctx, currentCodeVersion: 2 }),
      ).toEqual(['code_of_conduct_not_accepted']);
    });
    it('not once the licence has expired', () => {
      expect(
        exchangeBlockers(fold(organisationDecider, [applied, approved, accepted1]), {
          ...ctx,
          now: '2026-03-01T00:00:00.000Z',
        }),
      ).toEqual(['licence_expired']);
    });
    it('not while suspended', () => {
      expect(mayExchange(fold(organisationDecider, [applied, approved, accepted1, suspended]), ctx)).toBe(false);
    });
    it('a new version with a grace period: exchange goes on until its due date, then stops with no event', () => {
      const state = fold(organisationDecider, [applied, approved, accepted1]);
      const dueAt = new Date(Date.parse(now) + 30 * 86_400_000).toISOString();
      const v2 = { currentCodeVersion: 2, acceptanceDueAt: dueAt };
      expect(exchangeBlockers(state, { ...v2, now })).toEqual([]);
      expect(exchangeBlockers(state, { ...v2, now: new Date(Date.parse(dueAt) - 1).toISOString() })).toEqual([]);
      expect(exchangeBlockers(state, { ...v2, now: dueAt })).toEqual(['code_of_conduct_not_accepted']);
    });
    it('the grace period is for members that had accepted the previous version only', () => {
      const dueAt = new Date(Date.parse(now) + 30 * 86_400_000).toISOString();
      expect(
        exchangeBlockers(fold(organisationDecider, [applied, approved]), {
          currentCodeVersion: 2,
          acceptanceDueAt: dueAt,
          now,
        }),
      ).toEqual(['code_of_conduct_not_accepted']);
    });
    it('the licence stops exchange at its instant', () => {
      const state = fold(organisationDecider, [applied, approved, accepted1]);
      const expiry = new Date(state.licence!.validUntil).getTime();
      expect(mayExchange(state, { ...ctx, now: new Date(expiry - 1).toISOString() })).toBe(true);
      expect(exchangeBlockers(state, { ...ctx, now: new Date(expiry).toISOString() })).toEqual(['licence_expired']);
    });
    it('an application accepted the code but is not approved', () => {
      expect(exchangeBlockers(fold(organisationDecider, [applied, accepted1]), ctx)).toEqual([
        'not_approved',
        'licence_expired',
      ]);
    });
  });
});
