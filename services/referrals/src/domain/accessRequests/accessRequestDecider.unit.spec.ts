import { DeciderSpecification } from '@estia/infra/testing/givenWhenThen.js';
import { describe, it } from 'vitest';
import type { Actor } from '../shared/actor.js';
import {
  accessRequestDecider,
  effectiveStatus,
  type AccessRequestCommand,
  type AccessRequestEvent,
} from './accessRequestDecider.js';

const spec = DeciderSpecification.for(accessRequestDecider);
const now = '2025-06-01T10:00:00.000Z';
const later = '2025-06-03T10:00:00.000Z';
const accessRequestId = 'ar-1';
const clientId = '0b5f6c1e-0000-4000-8000-000000000001';
const requester: Actor = { organisationId: 'org-b', userId: 'u-b', roles: ['referral_officer'] };
const holder: Actor = { organisationId: 'org-a', userId: 'u-a', roles: ['referral_officer'] };

const request = (
  over: Partial<Extract<AccessRequestCommand, { type: 'RequestAccess' }>> = {},
): AccessRequestCommand => ({
  type: 'RequestAccess',
  accessRequestId,
  now,
  actor: requester,
  clientId,
  purpose: 'continuity_of_care',
  scope: ['needs', 'languages'],
  organisation: { mayExchange: true },
  requester: { holdsClient: false, pendingRequestId: null },
  ...over,
});
const subject = { accessRequestId, clientId, requesterOrganisationId: 'org-b' };
const requested: AccessRequestEvent = {
  type: 'AccessRequested',
  data: {
    ...subject,
    requestedBy: { organisationId: 'org-b', userId: 'u-b' },
    requestedAt: now,
    purpose: 'continuity_of_care',
    scope: ['needs', 'languages'],
    expiresAt: '2025-06-15T10:00:00.000Z',
  },
};
const approve = (
  over: Partial<Extract<AccessRequestCommand, { type: 'ApproveAccessRequest' }>> = {},
): AccessRequestCommand => ({
  type: 'ApproveAccessRequest',
  accessRequestId,
  now: later,
  actor: holder,
  actorIsHolder: true,
  consent: { consentId: 'c-1', purpose: 'continuity_of_care', scope: ['needs'], method: 'written', expiresAt: null },
  ...over,
});
const approved: AccessRequestEvent = {
  type: 'AccessRequestApproved',
  data: {
    ...subject,
    approvedBy: { organisationId: 'org-a', userId: 'u-a' },
    approvedAt: later,
    consent: {
      consentId: 'c-1',
      purpose: 'continuity_of_care',
      recipient: { organisationId: 'org-b' },
      scope: ['needs'],
      method: 'written',
      givenAt: later,
      expiresAt: null,
    },
  },
};
const decline = (reason = { code: 'not_the_same_person', note: 'different mother name' }): AccessRequestCommand => ({
  type: 'DeclineAccessRequest',
  accessRequestId,
  now: later,
  actor: holder,
  actorIsHolder: true,
  reason,
});

describe('access request decider', () => {
  describe('requesting', () => {
    it('records who asks for what, for which purpose, until when', () =>
      spec.given([]).when(request()).then([requested]));

    it('needs a referral officer of a member that may exchange cases', () => {
      spec
        .given([])
        .when(request({ actor: { ...requester, roles: ['org_admin'] } }))
        .thenThrows('FORBIDDEN', /referral_officer/);
      spec
        .given([])
        .when(request({ organisation: { mayExchange: false } }))
        .thenThrows('FORBIDDEN', /exchange/);
    });

    it('refuses a second request while one waits, and a request for a case already held', () => {
      spec
        .given([])
        .when(request({ requester: { holdsClient: false, pendingRequestId: 'ar-0' } }))
        .thenThrows('CONFLICT', /already asked/);
      spec
        .given([])
        .when(request({ requester: { holdsClient: true, pendingRequestId: null } }))
        .thenThrows('CONFLICT', /already has access/);
    });

    it('names a bad purpose and every bad scope', () =>
      spec
        .given([])
        .when(request({ purpose: 'Because I say so', scope: ['needs', 'passport' as never] }))
        .thenThrows('VALIDATION_FAILED', /\/body\/purpose.*\/body\/scope\/1/));
  });

  describe('answering', () => {
    it('approves by recording the client consent: purpose, the requester as recipient, scope', () =>
      spec.given([requested]).when(approve()).then([approved]));

    it('never grants more than was asked', () =>
      spec
        .given([requested])
        .when(approve({ consent: { ...approved.data.consent, scope: ['needs', 'contact_details'] } as never }))
        .thenThrows('VALIDATION_FAILED', /\/body\/consent\/scope\/1 was not requested/));

    it('lets only the holding organisation answer', () => {
      spec
        .given([requested])
        .when(approve({ actor: requester, actorIsHolder: false }))
        .thenThrows('FORBIDDEN', /holding the case/);
      spec
        .given([requested])
        .when({ ...decline(), actor: requester, actorIsHolder: false } as AccessRequestCommand)
        .thenThrows('FORBIDDEN', /holding the case/);
    });

    it('declines with a reason code (the note stays sealed personal data)', () => {
      spec
        .given([requested])
        .when(decline())
        .then([
          {
            type: 'AccessRequestDeclined',
            data: {
              ...subject,
              declinedBy: { organisationId: 'org-a', userId: 'u-a' },
              declinedAt: later,
              reasonCode: 'not_the_same_person',
              personal: { reasonNote: 'different mother name' },
            },
          },
        ]);
      spec
        .given([requested])
        .when({ ...decline(), reason: undefined } as never)
        .thenThrows('VALIDATION_FAILED', /\/body\/reason is required/);
    });

    it('answers once: an approved, declined or withdrawn request is closed', () => {
      spec
        .given([requested, approved])
        .when(decline())
        .thenThrows('ILLEGAL_TRANSITION', /approved/);
      spec
        .given([requested, approved])
        .when(approve())
        .thenThrows('ILLEGAL_TRANSITION', /approved/);
    });

    it('expires unanswered after two weeks: then it can no longer be approved', () => {
      spec
        .given([requested])
        .when(approve({ now: '2025-06-15T10:00:00.000Z' }))
        .thenThrows('ILLEGAL_TRANSITION', /expired/);
      if (effectiveStatus('requested', requested.data.expiresAt, '2025-06-15T10:00:00.000Z') !== 'expired')
        throw new Error('an unanswered request past its time reads as expired');
    });

    it('does not exist before it was requested', () => spec.given([]).when(approve()).thenThrows('NOT_FOUND'));
  });

  describe('withdrawal and revocation', () => {
    const withdraw: AccessRequestCommand = {
      type: 'WithdrawAccessRequest',
      accessRequestId,
      now: later,
      actor: requester,
    };
    const withdrawn: AccessRequestEvent = {
      type: 'AccessRequestWithdrawn',
      data: { ...subject, withdrawnBy: { organisationId: 'org-b', userId: 'u-b' }, withdrawnAt: later },
    };

    it('the requester withdraws a waiting request, idempotently; nobody else can', () => {
      spec.given([requested]).when(withdraw).then([withdrawn]);
      spec.given([requested, withdrawn]).when(withdraw).thenNothing();
      spec
        .given([requested])
        .when({ ...withdraw, actor: holder })
        .thenThrows('FORBIDDEN', /requesting organisation/);
    });

    it('the holder revokes granted access when the client withdraws that consent', () => {
      const revoke: AccessRequestCommand = {
        type: 'RevokeAccess',
        accessRequestId,
        now: later,
        actor: holder,
        actorIsHolder: true,
        reason: { code: 'consent_withdrawn' },
      };
      const revoked: AccessRequestEvent = {
        type: 'AccessRevoked',
        data: {
          ...subject,
          revokedBy: { organisationId: 'org-a', userId: 'u-a' },
          revokedAt: later,
          reasonCode: 'consent_withdrawn',
        },
      };
      spec.given([requested, approved]).when(revoke).then([revoked]);
      spec.given([requested, approved, revoked]).when(revoke).thenNothing();
      spec
        .given([requested])
        .when(revoke)
        .thenThrows('ILLEGAL_TRANSITION', /nothing to revoke/);
    });
  });
});
