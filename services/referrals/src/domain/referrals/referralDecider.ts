import type { Decider } from '@estia/infra/decider/types.js';
import { AppError } from '@estia/infra/errors/appError.js';
import { consentCovers } from '../consent/consent.js';
import { actedBy, hasRole, requireRole, type Actor } from '../shared/actor.js';
import type { Opaque, Reason } from '../shared/personal.js';
import { Problems, addHours, isNonBlank, isReasonCode, REQUIRED } from '../shared/validation.js';
import { CONSENT_SCOPES, REFERRAL_OUTCOMES, SERVICE_CATEGORIES, isOneOf } from '../shared/vocabulary.js';
import {
  TERMINAL_STATUSES,
  type ActiveReferral,
  type ConsentBasis,
  type ReferralCommand,
  type ReferralEvent,
  type ReferralState,
  type ReferralStatus,
  type Route,
  type SendReferral,
} from './referralTypes.js';

const MAX_MESSAGE_LENGTH = 10_000;

const illegal = (state: ActiveReferral, action: string): AppError =>
  new AppError('ILLEGAL_TRANSITION', `cannot ${action} referral ${state.referralId}: it is ${state.status}`, {
    extensions: { currentStatus: state.status },
  });

const routeOf = (r: ActiveReferral): Route => ({
  referralId: r.referralId,
  clientId: r.clientId,
  senderOrganisationId: r.senderOrganisationId,
  receiverOrganisationId: r.receiverOrganisationId,
  category: r.category,
  ...(r.serviceId === undefined ? {} : { serviceId: r.serviceId }),
});

const requireExisting = (state: ReferralState, referralId: string): ActiveReferral => {
  if (state.status === 'none') throw new AppError('NOT_FOUND', `referral ${referralId} does not exist`);
  return state;
};

const requireFrom = (state: ActiveReferral, allowed: readonly ReferralStatus[], action: string): void => {
  if (!allowed.includes(state.status)) throw illegal(state, action);
};

const requireParty = (state: ActiveReferral, actor: Actor, party: 'sender' | 'receiver', action: string): void => {
  const organisationId = party === 'sender' ? state.senderOrganisationId : state.receiverOrganisationId;
  if (actor.organisationId !== organisationId)
    throw new AppError('FORBIDDEN', `only the ${party} organisation may ${action} referral ${state.referralId}`);
};

const requireMayExchange = (mayExchange: boolean, organisationId: string, who: string): void => {
  if (!mayExchange)
    throw new AppError('FORBIDDEN', `${who} organisation ${organisationId} may not exchange cases in the network`);
};

/** Reason code in plaintext (reports), free-text note under `personal` (sealed). */
const reasonParts = (
  reason: Reason | undefined,
  pointer = '/reason',
): { reasonCode: string; personal?: { reasonNote: string } } => {
  if (reason === undefined || !isReasonCode(reason.code))
    new Problems()
      .add(`${pointer}/code`, 'is required: a reason code (a-z, 0-9, _)')
      .throwIfAny('a reason is required');
  const { code, note } = reason!;
  return { reasonCode: code, ...(isNonBlank(note) ? { personal: { reasonNote: note } } : {}) };
};

function decideSend(command: SendReferral, state: ReferralState): ReferralEvent[] {
  const { actor, now, referralId } = command;
  requireRole(actor, 'referral_officer', 'sending a referral');
  if (state.status !== 'none') throw new AppError('CONFLICT', `referral ${referralId} already exists`);

  const problems = new Problems()
    .check(isOneOf(SERVICE_CATEGORIES, command.category), '/category', 'is not a known service category')
    .check(
      Number.isFinite(command.responseTimeHours) && command.responseTimeHours > 0,
      '/responseTimeHours',
      'must be a positive number of hours',
    )
    .check(
      Array.isArray(command.share) && command.share.length > 0,
      '/share',
      'must name the data shared with the receiver',
    )
    .check(
      command.receiver.organisationId !== actor.organisationId,
      '/receiver/organisationId',
      'an organisation does not refer to itself',
    );
  (command.share ?? []).forEach((s, i) =>
    problems.check(isOneOf(CONSENT_SCOPES, s), `/share/${i}`, 'is not a known scope'),
  );
  const message = command.personal?.message;
  if (message !== undefined)
    problems.check(
      message.length <= MAX_MESSAGE_LENGTH,
      '/personal/message',
      `must be at most ${MAX_MESSAGE_LENGTH} characters`,
    );
  problems.throwIfAny('referral is not valid');

  requireMayExchange(command.actorOrganisation.mayExchange, actor.organisationId, 'sending');
  if (!command.receiver.mayExchange)
    throw new AppError(
      'BUSINESS_RULE_VIOLATED',
      `receiving organisation ${command.receiver.organisationId} may not exchange cases in the network`,
    );
  if (command.client.status === 'unknown')
    throw new AppError('NOT_FOUND', `client ${command.clientId} is not registered`);
  if (command.client.status === 'erased') throw new AppError('GONE', `client ${command.clientId} was erased`);
  if (!command.client.visibleToSender)
    throw new AppError('FORBIDDEN', `organisation ${actor.organisationId} has no access to client ${command.clientId}`);

  const target = { organisationId: command.receiver.organisationId, serviceCategory: command.category };
  const consent = consentCovers(command.consents, 'referral', target, now, command.share);
  let consentBasis: ConsentBasis;
  let overrideNote: string | undefined;
  if (consent) {
    consentBasis = { kind: 'consent', consentId: consent.consentId };
  } else if (command.consentOverride === undefined) {
    throw new AppError(
      'BUSINESS_RULE_VIOLATED',
      `no consent of client ${command.clientId} covers a referral to ${target.organisationId} for ${target.serviceCategory} sharing ${command.share.join(', ')}`,
      { extensions: { rule: 'consent_required' } },
    );
  } else {
    if (!hasRole(actor, 'consent_override'))
      throw new AppError('FORBIDDEN', 'sending without consent requires the consent_override permission');
    const { reasonCode, personal } = reasonParts(command.consentOverride, '/consentOverride');
    consentBasis = { kind: 'override', reasonCode, overriddenBy: actedBy(actor) };
    overrideNote = personal?.reasonNote;
  }

  const personal = {
    ...(isNonBlank(message) ? { message } : {}),
    ...(overrideNote === undefined ? {} : { overrideNote }),
  };
  return [
    {
      type: 'ReferralRequested',
      data: {
        referralId,
        clientId: command.clientId,
        senderOrganisationId: actor.organisationId,
        receiverOrganisationId: command.receiver.organisationId,
        ...(command.serviceId === undefined ? {} : { serviceId: command.serviceId }),
        category: command.category,
        ...(command.needId === undefined ? {} : { needId: command.needId }),
        share: [...new Set(command.share)],
        by: actedBy(actor),
        at: now,
        respondBy: addHours(now, command.responseTimeHours),
        consentBasis,
        flaggedForReporting: consentBasis.kind === 'override',
        ...(command.forwardedFrom === undefined ? {} : { forwardedFromReferralId: command.forwardedFrom.referralId }),
        ...(Object.keys(personal).length === 0 ? {} : { personal }),
      },
    },
  ];
}

function decide(command: ReferralCommand, state: ReferralState): ReferralEvent[] {
  if (command.type === 'SendReferral') return decideSend(command, state);

  const referral = requireExisting(state, command.referralId);
  const referralId = referral.referralId;

  if (command.type === 'ExpireReferral') {
    requireFrom(referral, ['requested'], 'expire');
    if (Date.parse(command.now) < Date.parse(referral.respondBy))
      throw new AppError('BUSINESS_RULE_VIOLATED', `referral ${referralId} is not due before ${referral.respondBy}`);
    return [
      {
        type: 'ReferralExpired',
        data: { ...routeOf(referral), at: command.now, respondBy: referral.respondBy, previousStatus: 'requested' },
      },
    ];
  }

  const { actor, now } = command;
  requireRole(actor, 'referral_officer', 'handling a referral');
  const change = { ...routeOf(referral), by: actedBy(actor), at: now };
  const transition = { ...change, previousStatus: referral.status };
  // A suspended organisation may still withdraw what it sent (that only reduces sharing).
  if (command.type !== 'CancelReferral')
    requireMayExchange(command.actorOrganisation.mayExchange, actor.organisationId, 'acting');

  switch (command.type) {
    case 'AcceptReferral':
      requireParty(referral, actor, 'receiver', 'accept');
      requireFrom(referral, ['requested'], 'accept');
      return [{ type: 'ReferralAccepted', data: transition }];

    case 'RejectReferral': {
      requireParty(referral, actor, 'receiver', 'reject');
      requireFrom(referral, ['requested'], 'reject');
      return [{ type: 'ReferralRejected', data: { ...transition, ...reasonParts(command.reason) } }];
    }

    case 'StartReferral':
      requireParty(referral, actor, 'receiver', 'start');
      requireFrom(referral, ['accepted'], 'start');
      return [{ type: 'ReferralStarted', data: transition }];

    case 'PutReferralOnHold':
      requireParty(referral, actor, 'receiver', 'put on hold');
      requireFrom(referral, ['accepted', 'in-progress'], 'put on hold');
      return [{ type: 'ReferralPutOnHold', data: { ...transition, ...reasonParts(command.reason) } }];

    case 'ResumeReferral':
      requireParty(referral, actor, 'receiver', 'resume');
      requireFrom(referral, ['on-hold'], 'resume');
      return [{ type: 'ReferralResumed', data: { ...transition, resumedTo: referral.heldFrom ?? 'accepted' } }];

    case 'CompleteReferral': {
      requireParty(referral, actor, 'receiver', 'complete');
      requireFrom(referral, ['in-progress'], 'complete');
      if (!isOneOf(REFERRAL_OUTCOMES, command.outcome))
        new Problems()
          .add('/outcome', `must be one of ${REFERRAL_OUTCOMES.join(', ')}`)
          .throwIfAny('outcome is required');
      return [
        {
          type: 'ReferralCompleted',
          data: {
            ...transition,
            outcome: command.outcome,
            ...(isNonBlank(command.note) ? { personal: { outcomeNote: command.note } } : {}),
          },
        },
      ];
    }

    case 'FailReferral':
      requireParty(referral, actor, 'receiver', 'fail');
      requireFrom(referral, ['accepted', 'in-progress', 'on-hold'], 'fail');
      return [{ type: 'ReferralFailed', data: { ...transition, ...reasonParts(command.reason) } }];

    case 'CancelReferral':
      requireParty(referral, actor, 'sender', 'cancel');
      requireFrom(referral, ['requested', 'accepted', 'in-progress', 'on-hold'], 'cancel');
      return [{ type: 'ReferralCancelled', data: { ...transition, ...reasonParts(command.reason) } }];

    case 'ForwardReferral': {
      requireParty(referral, actor, 'receiver', 'forward');
      // The link is written after the new referral exists and may be retried: once recorded, nothing more.
      if (referral.forwardedTo.includes(command.newReferralId)) return [];
      requireFrom(referral, ['requested', 'accepted', 'in-progress', 'on-hold'], 'forward');
      if (command.to.organisationId === actor.organisationId)
        new Problems().add('/to/organisationId', 'must be another organisation').throwIfAny('forward is not valid');
      const reason = reasonParts(command.reason);
      const forwarded: ReferralEvent = {
        type: 'ReferralForwarded',
        data: {
          ...change,
          ...reason,
          newReferralId: command.newReferralId,
          toOrganisationId: command.to.organisationId,
        },
      };
      // Forwarding an unanswered referral answers it: the receiver declines and points elsewhere.
      if (referral.status === 'requested')
        return [{ type: 'ReferralRejected', data: { ...transition, ...reason, reasonCode: 'forwarded' } }, forwarded];
      return [forwarded];
    }

    case 'PostReferralMessage': {
      if (
        actor.organisationId !== referral.senderOrganisationId &&
        actor.organisationId !== referral.receiverOrganisationId
      )
        throw new AppError('FORBIDDEN', `only the sender and the receiver write on referral ${referralId}`);
      if (referral.messageIds.includes(command.messageId)) return [];
      const text = command.personal?.text;
      new Problems()
        .check(isNonBlank(text), '/personal/text', 'must not be empty', REQUIRED)
        .check(
          (text ?? '').length <= MAX_MESSAGE_LENGTH,
          '/personal/text',
          `must be at most ${MAX_MESSAGE_LENGTH} characters`,
        )
        .throwIfAny('message is not valid');
      return [
        { type: 'ReferralMessagePosted', data: { ...change, messageId: command.messageId, personal: { text: text! } } },
      ];
    }
  }
}

/** Typed over Opaque events: it cannot read `personal`, so the state never holds personal data. */
export function evolveReferral(state: ReferralState, event: Opaque<ReferralEvent>): ReferralState {
  if (event.type === 'ReferralRequested') {
    const d = event.data;
    return {
      status: 'requested',
      referralId: d.referralId,
      clientId: d.clientId,
      senderOrganisationId: d.senderOrganisationId,
      receiverOrganisationId: d.receiverOrganisationId,
      category: d.category,
      ...(d.serviceId === undefined ? {} : { serviceId: d.serviceId }),
      share: d.share,
      respondBy: d.respondBy,
      heldFrom: null,
      forwardedTo: [],
      messageIds: [],
    };
  }
  if (state.status === 'none') return state;
  switch (event.type) {
    case 'ReferralAccepted':
      return { ...state, status: 'accepted' };
    case 'ReferralRejected':
      return { ...state, status: 'rejected' };
    case 'ReferralStarted':
      return { ...state, status: 'in-progress' };
    case 'ReferralPutOnHold':
      return { ...state, status: 'on-hold', heldFrom: state.status === 'in-progress' ? 'in-progress' : 'accepted' };
    case 'ReferralResumed':
      return { ...state, status: event.data.resumedTo, heldFrom: null };
    case 'ReferralCompleted':
      return { ...state, status: 'completed' };
    case 'ReferralFailed':
      return { ...state, status: 'failed' };
    case 'ReferralCancelled':
      return { ...state, status: 'cancelled' };
    case 'ReferralExpired':
      return { ...state, status: 'expired' };
    case 'ReferralForwarded':
      return { ...state, forwardedTo: [...state.forwardedTo, event.data.newReferralId] };
    case 'ReferralMessagePosted':
      return { ...state, messageIds: [...state.messageIds, event.data.messageId] };
  }
}

export const isTerminal = (status: ReferralStatus): boolean => TERMINAL_STATUSES.includes(status);

export const referralDecider: Decider<ReferralState, ReferralCommand, ReferralEvent> = {
  initialState: () => ({ status: 'none' }),
  decide,
  evolve: evolveReferral,
};
