import type { Consent } from '../consent/consent.js';
import type { Actor } from '../shared/actor.js';
import type { Reason } from '../shared/personal.js';
import type { ConsentScope, ReferralOutcome, ReferralStatus, ServiceCategory } from '../shared/vocabulary.js';

export const referralStreamId = (referralId: string): string => `referral-${referralId}`;

/** FHIR Task vocabulary for closed-loop referrals, plus expiry (the contracts' list). */
export type { ReferralStatus };

export const TERMINAL_STATUSES: readonly ReferralStatus[] = ['rejected', 'completed', 'failed', 'cancelled', 'expired'];

interface Base {
  referralId: string;
  now: string;
  actor: Actor;
  /** From the registry read model: the acting organisation may exchange cases now (not suspended). */
  actorOrganisation: { mayExchange: boolean };
}

export interface SendReferral extends Base {
  type: 'SendReferral';
  clientId: string;
  receiver: { organisationId: string; mayExchange: boolean };
  serviceId?: string;
  category: ServiceCategory;
  needId?: string;
  /** Which kinds of client data the receiver will see; each must be in the consent's scope. */
  share: ConsentScope[];
  /** The service's promised response time (registry); the referral expires when it passes unanswered. */
  responseTimeHours: number;
  /** Pre-computed by the application from the client stream / read models. */
  client: { status: 'active' | 'erased' | 'unknown'; visibleToSender: boolean };
  consents: readonly Consent[];
  /** Only with the consent_override permission, and only if no consent covers the referral. */
  consentOverride?: Reason;
  forwardedFrom?: { referralId: string };
  personal?: { message?: string };
}

export type ReferralCommand =
  | SendReferral
  | (Base & { type: 'AcceptReferral' })
  | (Base & { type: 'RejectReferral'; reason: Reason })
  | (Base & { type: 'StartReferral' })
  | (Base & { type: 'PutReferralOnHold'; reason: Reason })
  | (Base & { type: 'ResumeReferral' })
  | (Base & { type: 'CompleteReferral'; outcome: ReferralOutcome; note?: string })
  | (Base & { type: 'FailReferral'; reason: Reason })
  | (Base & { type: 'CancelReferral'; reason: Reason })
  | (Base & {
      type: 'ForwardReferral';
      newReferralId: string;
      to: { organisationId: string };
      reason: Reason;
    })
  | (Base & { type: 'PostReferralMessage'; messageId: string; personal: { text: string } })
  /** Issued by the scheduler, not by a person. */
  | { type: 'ExpireReferral'; referralId: string; now: string };

export type By = { organisationId: string; userId: string };

export type ConsentBasis =
  { kind: 'consent'; consentId: string } | { kind: 'override'; reasonCode: string; overriddenBy: By };

/**
 * Every event names the client (whoever decrypts its `personal` part needs the client's key) and the
 * route (sender, receiver, category), so a public event can be derived from one stored event alone.
 */
export interface Route {
  referralId: string;
  clientId: string;
  senderOrganisationId: string;
  receiverOrganisationId: string;
  category: ServiceCategory;
  serviceId?: string;
}
type Change<T extends string, Extra = object> = { type: T; data: Route & { by: By; at: string } & Extra };
/** A move in the loop records where it came from. */
type Transition<T extends string, Extra = object> = Change<T, { previousStatus: ReferralStatus } & Extra>;
type WithReason = { reasonCode: string; personal?: { reasonNote: string } };

export type ReferralEvent =
  | {
      type: 'ReferralRequested';
      data: {
        referralId: string;
        clientId: string;
        senderOrganisationId: string;
        receiverOrganisationId: string;
        serviceId?: string;
        category: ServiceCategory;
        needId?: string;
        share: ConsentScope[];
        by: By;
        at: string;
        respondBy: string;
        consentBasis: ConsentBasis;
        /** Sent without consent under an override: listed in the data-protection report. */
        flaggedForReporting: boolean;
        forwardedFromReferralId?: string;
        personal?: { message?: string; overrideNote?: string };
      };
    }
  | Transition<'ReferralAccepted'>
  | Transition<'ReferralRejected', WithReason>
  | Transition<'ReferralStarted'>
  | Transition<'ReferralPutOnHold', WithReason>
  | Transition<'ReferralResumed', { resumedTo: 'accepted' | 'in-progress' }>
  | Transition<'ReferralCompleted', { outcome: ReferralOutcome; personal?: { outcomeNote: string } }>
  | Transition<'ReferralFailed', WithReason>
  | Transition<'ReferralCancelled', WithReason>
  | Change<'ReferralForwarded', WithReason & { newReferralId: string; toOrganisationId: string }>
  | Change<'ReferralMessagePosted', { messageId: string; personal: { text: string } }>
  | { type: 'ReferralExpired'; data: Route & { at: string; respondBy: string; previousStatus: 'requested' } };

export type ReferralState =
  | { status: 'none' }
  | {
      status: ReferralStatus;
      referralId: string;
      clientId: string;
      senderOrganisationId: string;
      receiverOrganisationId: string;
      category: ServiceCategory;
      serviceId?: string;
      share: ConsentScope[];
      respondBy: string;
      /** Where a resume returns to. */
      heldFrom: 'accepted' | 'in-progress' | null;
      forwardedTo: string[];
      messageIds: string[];
    };

export type ActiveReferral = Exclude<ReferralState, { status: 'none' }>;
