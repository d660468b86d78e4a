import type { Decider } from '@estia/infra/decider/types.js';
import { AppError } from '@estia/infra/errors/appError.js';
import { actedBy, requireRole, type Actor } from '../shared/actor.js';
import type { Opaque, Reason } from '../shared/personal.js';
import { Problems, isInstant, isReasonCode, REQUIRED } from '../shared/validation.js';
import {
  CONSENT_METHODS,
  CONSENT_SCOPES,
  isOneOf,
  type ConsentMethod,
  type ConsentScope,
} from '../shared/vocabulary.js';

/**
 * An access request: an organisation that may already meet a client of another organisation (duplicate
 * detection said "may already be known in the network") asks the holder for access to the case. The
 * holder's officer approves — recording the client's consent: purpose, recipient, scope — or declines
 * with a reason. The only way, besides registering a client or an accepted referral, to see one.
 */
export const accessRequestStreamId = (accessRequestId: string): string => `access-request-${accessRequestId}`;

/** An unanswered request lapses after this long: the requester asks again if still needed. */
export const ACCESS_REQUEST_DAYS = 14;

export type AccessRequestStatus = 'requested' | 'approved' | 'declined' | 'withdrawn' | 'revoked' | 'expired';

type By = { organisationId: string; userId: string };

interface Base {
  accessRequestId: string;
  now: string;
  actor: Actor;
}

export interface AccessConsent {
  consentId: string;
  /** Why the requester needs the case (a code, e.g. continuity_of_care). */
  purpose: string;
  recipient: { organisationId: string };
  scope: ConsentScope[];
  method: ConsentMethod;
  givenAt: string;
  expiresAt: string | null;
}

export type AccessRequestCommand =
  | (Base & {
      type: 'RequestAccess';
      /** From the requester's token: the client duplicate detection matched (never given by the caller). */
      clientId: string;
      purpose: string;
      scope: ConsentScope[];
      /** Pre-computed: the requesting organisation is an approved member that may exchange cases. */
      organisation: { mayExchange: boolean };
      /** Pre-computed: the requester already holds the case, or has a request for it waiting. */
      requester: { holdsClient: boolean; pendingRequestId: string | null };
    })
  | (Base & {
      type: 'ApproveAccessRequest';
      /** Pre-computed: the actor's organisation registered the client. */
      actorIsHolder: boolean;
      consent: {
        consentId: string;
        purpose: string;
        scope: ConsentScope[];
        method: ConsentMethod;
        expiresAt: string | null;
      };
    })
  | (Base & { type: 'DeclineAccessRequest'; actorIsHolder: boolean; reason: Reason })
  | (Base & { type: 'WithdrawAccessRequest' })
  | (Base & { type: 'RevokeAccess'; actorIsHolder: boolean; reason: Reason });

/** Every event names the client (its key seals any note) and the requester (whom the answer is for). */
interface Subject {
  accessRequestId: string;
  clientId: string;
  requesterOrganisationId: string;
}

export type AccessRequestEvent =
  | {
      type: 'AccessRequested';
      data: Subject & {
        requestedBy: By;
        requestedAt: string;
        purpose: string;
        scope: ConsentScope[];
        expiresAt: string;
      };
    }
  | { type: 'AccessRequestApproved'; data: Subject & { approvedBy: By; approvedAt: string; consent: AccessConsent } }
  | {
      type: 'AccessRequestDeclined';
      data: Subject & { declinedBy: By; declinedAt: string; reasonCode: string; personal?: { reasonNote: string } };
    }
  | { type: 'AccessRequestWithdrawn'; data: Subject & { withdrawnBy: By; withdrawnAt: string } }
  | {
      type: 'AccessRevoked';
      data: Subject & { revokedBy: By; revokedAt: string; reasonCode: string; personal?: { reasonNote: string } };
    };

export type AccessRequestState =
  | { status: 'none' }
  | {
      status: Exclude<AccessRequestStatus, 'expired'>;
      accessRequestId: string;
      clientId: string;
      requesterOrganisationId: string;
      requestedScope: ConsentScope[];
      expiresAt: string;
    };

/** The status as of `now`: an unanswered request past its time reads as expired (nothing is written). */
export const effectiveStatus = (status: AccessRequestStatus, expiresAt: string, now: string): AccessRequestStatus =>
  status === 'requested' && Date.parse(expiresAt) <= Date.parse(now) ? 'expired' : status;

const notFound = (): AppError => new AppError('NOT_FOUND', 'access request not found');

const requireRequest = (state: AccessRequestState): Extract<AccessRequestState, { accessRequestId: string }> => {
  if (state.status === 'none') throw notFound();
  return state;
};

const requireOpen = (state: Extract<AccessRequestState, { accessRequestId: string }>, now: string, action: string) => {
  const status = effectiveStatus(state.status, state.expiresAt, now);
  if (status !== 'requested')
    throw new AppError(
      'ILLEGAL_TRANSITION',
      `access request ${state.accessRequestId} is ${status}: it cannot be ${action}`,
      {
        extensions: { status },
      },
    );
};

const requireHolder = (isHolder: boolean, actor: Actor, action: string): void => {
  if (!isHolder)
    throw new AppError(
      'FORBIDDEN',
      `only the organisation holding the case may ${action} (not ${actor.organisationId})`,
    );
};

const checkScope = (problems: Problems, scope: unknown, pointer: string): void => {
  if (!Array.isArray(scope) || scope.length === 0) {
    problems.add(pointer, 'must name at least one kind of data');
    return;
  }
  scope.forEach((s, i) =>
    problems.check(isOneOf(CONSENT_SCOPES, s), `${pointer}/${i}`, `must be one of ${CONSENT_SCOPES.join(', ')}`),
  );
};

const checkReason = (reason: Reason | undefined, what: string): string => {
  const problems = new Problems();
  if (reason === undefined) problems.add('/reason', 'is required', REQUIRED);
  else problems.check(isReasonCode(reason.code), '/reason/code', 'must be a reason code (a-z, 0-9, _)');
  problems.throwIfAny(`${what} is not valid`);
  return reason!.code;
};

const addDays = (iso: string, days: number): string => new Date(Date.parse(iso) + days * 86_400_000).toISOString();

function decide(command: AccessRequestCommand, state: AccessRequestState): AccessRequestEvent[] {
  const { accessRequestId, now, actor } = command;
  switch (command.type) {
    case 'RequestAccess': {
      requireRole(actor, 'referral_officer', 'requesting access to a case');
      if (state.status !== 'none') throw new AppError('CONFLICT', `access request ${accessRequestId} already exists`);
      if (!command.organisation.mayExchange)
        throw new AppError('FORBIDDEN', `organisation ${actor.organisationId} may not exchange cases in the network`);
      if (command.requester.holdsClient)
        throw new AppError('CONFLICT', 'your organisation already has access to this case');
      if (command.requester.pendingRequestId !== null)
        throw new AppError('CONFLICT', 'your organisation already asked for access to this case', {
          extensions: { accessRequestId: command.requester.pendingRequestId },
        });
      const problems = new Problems().check(
        isReasonCode(command.purpose),
        '/purpose',
        'must be a purpose code (a-z, 0-9, _)',
      );
      checkScope(problems, command.scope, '/scope');
      problems.throwIfAny('access request is not valid');
      return [
        {
          type: 'AccessRequested',
          data: {
            accessRequestId,
            clientId: command.clientId,
            requesterOrganisationId: actor.organisationId,
            requestedBy: actedBy(actor),
            requestedAt: now,
            purpose: command.purpose,
            scope: [...new Set(command.scope)],
            expiresAt: addDays(now, ACCESS_REQUEST_DAYS),
          },
        },
      ];
    }

    case 'ApproveAccessRequest': {
      requireRole(actor, 'referral_officer', 'approving an access request');
      const request = requireRequest(state);
      requireHolder(command.actorIsHolder, actor, 'approve an access request');
      requireOpen(request, now, 'approved');
      const { consent } = command;
      const problems = new Problems()
        .check(isReasonCode(consent?.purpose), '/consent/purpose', 'must be a purpose code (a-z, 0-9, _)')
        .check(
          isOneOf(CONSENT_METHODS, consent?.method),
          '/consent/method',
          `must be one of ${CONSENT_METHODS.join(', ')}`,
        );
      checkScope(problems, consent?.scope, '/consent/scope');
      // The client consents to what was asked, or to less: never to more than the requester sought.
      (consent?.scope ?? []).forEach((s, i) =>
        problems.check(request.requestedScope.includes(s), `/consent/scope/${i}`, 'was not requested'),
      );
      if (consent?.expiresAt !== null && consent?.expiresAt !== undefined) {
        if (!isInstant(consent.expiresAt)) problems.add('/consent/expiresAt', 'must be a date-time or null');
        else
          problems.check(
            Date.parse(consent.expiresAt) > Date.parse(now),
            '/consent/expiresAt',
            'must be in the future',
          );
      }
      problems.throwIfAny('consent is not valid');
      return [
        {
          type: 'AccessRequestApproved',
          data: {
            accessRequestId,
            clientId: request.clientId,
            requesterOrganisationId: request.requesterOrganisationId,
            approvedBy: actedBy(actor),
            approvedAt: now,
            consent: {
              consentId: consent.consentId,
              purpose: consent.purpose,
              recipient: { organisationId: request.requesterOrganisationId },
              scope: [...new Set(consent.scope)],
              method: consent.method,
              givenAt: now,
              expiresAt: consent.expiresAt == null ? null : new Date(consent.expiresAt).toISOString(),
            },
          },
        },
      ];
    }

    case 'DeclineAccessRequest': {
      requireRole(actor, 'referral_officer', 'declining an access request');
      const request = requireRequest(state);
      requireHolder(command.actorIsHolder, actor, 'decline an access request');
      requireOpen(request, now, 'declined');
      const reasonCode = checkReason(command.reason, 'decline');
      return [
        {
          type: 'AccessRequestDeclined',
          data: {
            accessRequestId,
            clientId: request.clientId,
            requesterOrganisationId: request.requesterOrganisationId,
            declinedBy: actedBy(actor),
            declinedAt: now,
            reasonCode,
            ...(command.reason.note === undefined ? {} : { personal: { reasonNote: command.reason.note } }),
          },
        },
      ];
    }

    case 'WithdrawAccessRequest': {
      requireRole(actor, 'referral_officer', 'withdrawing an access request');
      const request = requireRequest(state);
      if (request.requesterOrganisationId !== actor.organisationId)
        throw new AppError('FORBIDDEN', 'only the requesting organisation may withdraw its access request');
      if (request.status === 'withdrawn') return [];
      requireOpen(request, now, 'withdrawn');
      return [
        {
          type: 'AccessRequestWithdrawn',
          data: {
            accessRequestId,
            clientId: request.clientId,
            requesterOrganisationId: request.requesterOrganisationId,
            withdrawnBy: actedBy(actor),
            withdrawnAt: now,
          },
        },
      ];
    }

    case 'RevokeAccess': {
      requireRole(actor, 'referral_officer', 'revoking access');
      const request = requireRequest(state);
      requireHolder(command.actorIsHolder, actor, 'revoke access');
      if (request.status === 'revoked') return [];
      if (request.status !== 'approved')
        throw new AppError(
          'ILLEGAL_TRANSITION',
          `access request ${accessRequestId} is ${request.status}: nothing to revoke`,
          {
            extensions: { status: request.status },
          },
        );
      const reasonCode = checkReason(command.reason, 'revocation');
      return [
        {
          type: 'AccessRevoked',
          data: {
            accessRequestId,
            clientId: request.clientId,
            requesterOrganisationId: request.requesterOrganisationId,
            revokedBy: actedBy(actor),
            revokedAt: now,
            reasonCode,
            ...(command.reason.note === undefined ? {} : { personal: { reasonNote: command.reason.note } }),
          },
        },
      ];
    }
  }
}

const STATUS_AFTER = {
  AccessRequestApproved: 'approved',
  AccessRequestDeclined: 'declined',
  AccessRequestWithdrawn: 'withdrawn',
  AccessRevoked: 'revoked',
} as const;

/** Typed over Opaque events: the state never holds a sealed note. */
export function evolveAccessRequest(state: AccessRequestState, event: Opaque<AccessRequestEvent>): AccessRequestState {
  if (event.type === 'AccessRequested') {
    const d = event.data;
    return {
      status: 'requested',
      accessRequestId: d.accessRequestId,
      clientId: d.clientId,
      requesterOrganisationId: d.requesterOrganisationId,
      requestedScope: [...d.scope],
      expiresAt: d.expiresAt,
    };
  }
  if (state.status === 'none') return state;
  return { ...state, status: STATUS_AFTER[event.type] };
}

export const accessRequestDecider: Decider<AccessRequestState, AccessRequestCommand, AccessRequestEvent> = {
  initialState: () => ({ status: 'none' }),
  decide,
  evolve: evolveAccessRequest,
};
