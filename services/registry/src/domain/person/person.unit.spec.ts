import { describe, it, expect } from 'vitest';
import { DeciderSpecification } from '@estia/infra/testing/givenWhenThen.js';
import { fold } from '@estia/infra/decider/types.js';
import type { Actor } from '../shared/actor.js';
import { personDecider, type PersonEvent } from './person.js';

const spec = DeciderSpecification.for(personDecider);
const now = '2025-03-01T10:00:00.000Z';
const personId = 'person-7';
const organisationId = 'org-1';
const tokenHash = 'a'.repeat(64);
const orgAdmin: Actor = { principalId: 'p-1', organisationId, roles: ['org_admin'] };
const otherAdmin: Actor = { principalId: 'p-8', organisationId: 'org-2', roles: ['org_admin'] };
const networkAdmin: Actor = { principalId: 'na-1', roles: ['network_admin'] };

const invited: PersonEvent = {
  type: 'PersonInvited',
  data: {
    personId,
    organisationId,
    email: 'maria@example.org',
    displayName: 'Maria K.',
    roles: ['referral_officer'],
    permissions: ['consent_override'],
    invitationTokenHash: tokenHash,
    invitationExpiresAt: '2025-03-08T10:00:00.000Z',
    invitedAt: now,
    invitedBy: 'p-1',
  },
};
const active: PersonEvent = {
  type: 'InvitationAccepted',
  data: { personId, passwordHash: 'scrypt$'.padEnd(40, 'x'), acceptedAt: now },
};
const invite = {
  type: 'InvitePerson',
  personId,
  now,
  actor: orgAdmin,
  organisationId,
  email: ' Maria@Example.org ',
  displayName: 'Maria K.',
  roles: ['referral_officer'],
  permissions: ['consent_override'],
  invitationTokenHash: tokenHash,
} as const;
const at = (minutes: number): string => new Date(Date.parse(now) + minutes * 60_000).toISOString();
const failures = (n: number): PersonEvent[] =>
  Array.from({ length: n }, (_, i) => ({
    type: 'SignInFailed',
    data: { personId, failedAt: at(i), consecutiveFailures: i + 1 },
  }));

describe('people', () => {
  describe('invitation', () => {
    it('an org admin invites a person with roles (e-mail normalised, expiry in 7 days)', () =>
      spec.given([]).when(invite).then([invited]));
    it('an admin of another organisation may not', () =>
      spec
        .given([])
        .when({ ...invite, actor: otherAdmin })
        .thenThrows('FORBIDDEN'));
    it('an org admin cannot grant a network role', () =>
      spec
        .given([])
        .when({ ...invite, roles: ['auditor'], organisationId: null })
        .thenThrows('FORBIDDEN', /network administrator/));
    it('a network admin invites an auditor without organisation', () =>
      spec
        .given([])
        .when({ ...invite, actor: networkAdmin, organisationId: null, roles: ['auditor'], permissions: [] })
        .thenEvents(([event]) => expect(event).toMatchObject({ data: { roles: ['auditor'], organisationId: null } })));
    it('organisation roles need an organisation', () =>
      spec
        .given([])
        .when({ ...invite, actor: networkAdmin, organisationId: null })
        .thenThrows('VALIDATION_FAILED', /\/body\/roles\/0/));
    it('refuses unknown roles', () =>
      spec
        .given([])
        .when({ ...invite, roles: ['superuser' as 'org_admin'] })
        .thenThrows('VALIDATION_FAILED', /not a known role/));
    it('cannot invite the same person twice', () =>
      spec
        .given([invited])
        .when(invite)
        .thenThrows('ILLEGAL_TRANSITION', /invited/));
  });

  describe('accepting the invitation sets the password hash', () => {
    const accept = {
      type: 'AcceptInvitation',
      personId,
      now,
      invitationTokenHash: tokenHash,
      passwordHash: 'scrypt$'.padEnd(40, 'x'),
    } as const;
    it('with the right token', () => spec.given([invited]).when(accept).then([active]));
    it('not with a wrong token', () =>
      spec
        .given([invited])
        .when({ ...accept, invitationTokenHash: 'b'.repeat(64) })
        .thenThrows('FORBIDDEN'));
    it('not after expiry', () =>
      spec
        .given([invited])
        .when({ ...accept, now: '2025-03-08T10:00:00.000Z' })
        .thenThrows('FORBIDDEN'));
    it('not twice', () =>
      spec
        .given([invited, active])
        .when(accept)
        .thenThrows('ILLEGAL_TRANSITION', /active/));
  });

  describe('roles and deactivation', () => {
    it('changes roles', () =>
      spec
        .given([invited, active])
        .when({ type: 'ChangePersonRoles', personId, now, actor: orgAdmin, roles: ['referral_officer', 'job_coach'] })
        .then([
          {
            type: 'PersonRolesChanged',
            data: {
              personId,
              roles: ['referral_officer', 'job_coach'],
              permissions: [],
              changedAt: now,
              changedBy: 'p-1',
            },
          },
        ]));
    it('an org admin cannot drop their own admin role', () => {
      const self: PersonEvent[] = [
        { ...invited, data: { ...invited.data, personId: 'p-1', roles: ['org_admin'] } } as PersonEvent,
        active,
      ];
      spec
        .given(self)
        .when({ type: 'ChangePersonRoles', personId: 'p-1', now, actor: orgAdmin, roles: ['referral_officer'] })
        .thenThrows('BUSINESS_RULE_VIOLATED');
    });
    it('deactivates', () =>
      spec
        .given([invited, active])
        .when({ type: 'DeactivatePerson', personId, now, actor: orgAdmin, reason: 'left' })
        .then([
          { type: 'PersonDeactivated', data: { personId, reason: 'left', deactivatedAt: now, deactivatedBy: 'p-1' } },
        ]));
    it('deactivation is refused from another organisation', () =>
      spec
        .given([invited, active])
        .when({ type: 'DeactivatePerson', personId, now, actor: otherAdmin })
        .thenThrows('FORBIDDEN'));
  });

  describe('no lock-out: sign-in is throttled per account and address by the HTTP layer', () => {
    it('lock-out events of older streams no longer lock anyone out', () => {
      const state = fold(personDecider, [
        invited,
        active,
        ...failures(5),
        { type: 'PersonLockedOut', data: { personId, lockedAt: at(4), lockedUntil: at(19) } },
      ]);
      expect(state).toEqual(fold(personDecider, [invited, active]));
    });
  });
});
