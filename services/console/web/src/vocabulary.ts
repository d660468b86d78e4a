import type { components as Referrals } from '@estia/contracts/generated/openapi.referrals.js';

// Closed vocabularies: the network-wide ones come from the contracts at run time; the referrals API's
// own enums are listed here and checked against its generated types, so a term added to the contract
// fails the type check until it is offered (and translated: the catalogue test walks these lists).
import type { CONSENT_PURPOSES as Purposes } from '@estia/contracts/generated/vocabulary.js';

export {
  CEFR_LEVELS,
  CONSENT_PURPOSES,
  INTAKE_STATUSES,
  LEGAL_STATUSES,
  REFERRAL_STATUSES,
  SERVICE_CATEGORIES,
} from '@estia/contracts/generated/vocabulary.js';

type Schemas = Referrals['schemas'];
type Exhaustive<Union, List extends readonly Union[]> = [Exclude<Union, List[number]>] extends [never] ? List : never;
const exhaustive =
  <Union>() =>
  <const List extends readonly Union[]>(list: Exhaustive<Union, List>): List =>
    list;

export const CONSENT_SCOPES = exhaustive<Schemas['ConsentScope']>()([
  'legal_status',
  'legal_status_dates',
  'languages',
  'location',
  'skills',
  'occupations',
  'education',
  'driving_licences',
  'availability',
  'needs',
  'contact_details',
  'case_history',
]);
export type ConsentScope = Schemas['ConsentScope'];

export const CONSENT_METHODS = exhaustive<Schemas['GiveConsentRequest']['method']>()([
  'written',
  'verbal',
  'electronic',
]);

export const NEED_PRIORITIES = exhaustive<Schemas['AssessNeedRequest']['priority']>()([
  'low',
  'medium',
  'high',
  'urgent',
]);

export const REFERRAL_OUTCOMES = exhaustive<NonNullable<Schemas['TransitionRequest']['outcome']>>()([
  'need_met',
  'need_partially_met',
  'need_not_met',
  'client_declined',
  'client_unreachable',
]);

/**
 * Reason codes the console offers per step. The API takes any `^[a-z0-9_]{1,64}$` code (reports group
 * by it); these are the common ones, each translated. A code from elsewhere is shown as it is.
 */
export const REASONS = {
  reject: ['no_capacity', 'not_eligible', 'out_of_area', 'service_unavailable', 'duplicate', 'client_declined'],
  hold: ['waiting_for_client', 'waiting_for_documents', 'no_capacity', 'client_unavailable'],
  fail: ['client_unreachable', 'client_declined', 'service_unavailable', 'not_eligible'],
  cancel: ['need_met_elsewhere', 'client_declined', 'sent_in_error', 'client_moved'],
  forward: ['better_suited_service', 'out_of_area', 'no_capacity'],
  closeNeed: ['need_met', 'need_met_elsewhere', 'client_declined', 'client_moved', 'no_longer_relevant'],
  withdrawConsent: ['client_request', 'purpose_ended', 'recorded_in_error'],
  override: ['vital_interest', 'legal_obligation', 'client_cannot_consent_now'],
  declineAccess: ['client_refused', 'not_the_same_person', 'no_basis_for_sharing'],
  revokeAccess: ['client_request', 'purpose_ended', 'recorded_in_error'],
} as const;

/** Why one member asks another for a case it holds (the access request's purpose codes the console offers). */
export const ACCESS_PURPOSES = ['continuity_of_care'] as const;

export const ALL_REASON_CODES = [...new Set(Object.values(REASONS).flat())].sort();

/** The regions the demo network and the registry name (NUTS-2, Greece); others show as their code. */
export const REGIONS = [
  'EL30',
  'EL41',
  'EL42',
  'EL43',
  'EL51',
  'EL52',
  'EL53',
  'EL54',
  'EL61',
  'EL62',
  'EL63',
  'EL64',
  'EL65',
] as const;

/** Languages a service may be offered in, for the directory filter (ISO 639-1; names come from Intl). */
export const SERVICE_LANGUAGES = [
  'el',
  'en',
  'ar',
  'fa',
  'prs',
  'fr',
  'ln',
  'kmr',
  'ckb',
  'ps',
  'ur',
  'ti',
  'so',
  'uk',
  'ru',
];

/** Scopes a purpose cannot do without (the referrals API refuses a job-matching consent without them). */
export const REQUIRED_SCOPES: Record<(typeof Purposes)[number], readonly ConsentScope[]> = {
  referral: [],
  job_matching: ['legal_status', 'location', 'availability'],
  employer_sharing: [],
};

/** What the form pre-selects for a purpose: the minimum that purpose usually needs. */
export const SUGGESTED_SCOPES: Record<keyof typeof REQUIRED_SCOPES, readonly ConsentScope[]> = {
  referral: ['legal_status', 'languages', 'needs'],
  job_matching: [
    'legal_status',
    'legal_status_dates',
    'location',
    'availability',
    'languages',
    'skills',
    'occupations',
  ],
  employer_sharing: ['languages', 'skills', 'occupations', 'availability'],
};

export const ACCESS_REQUEST_STATUSES = exhaustive<Schemas['AccessRequestStatus']>()([
  'requested',
  'approved',
  'declined',
  'withdrawn',
  'revoked',
  'expired',
]);

/** The events of a client's case an auditor reads (the referrals service's own types), each translated. */
export const CASE_EVENT_TYPES = [
  'ClientRegistered',
  'ClientRegistrationLinked',
  'ClientPersonalDataCorrected',
  'LegalStatusChanged',
  'ConsentGiven',
  'ConsentWithdrawn',
  'ClientErased',
  'CandidateProfileShared',
  'NeedAssessed',
  'NeedReassessed',
  'NeedClosed',
  'OpenReferralSlotTaken',
  'ReferralRequested',
  'ReferralAccepted',
  'ReferralRejected',
  'ReferralStarted',
  'ReferralPutOnHold',
  'ReferralResumed',
  'ReferralCompleted',
  'ReferralFailed',
  'ReferralCancelled',
  'ReferralForwarded',
  'ReferralExpired',
  'ReferralMessagePosted',
  'AccessRequested',
  'AccessRequestApproved',
  'AccessRequestDeclined',
  'AccessRequestWithdrawn',
  'AccessRevoked',
  'DeadlineReminderIssued',
] as const;

/** Why a data protection officer erases a client (codes for reports; each translated). */
export const ERASURE_REASONS = [
  'data_subject_request',
  'consent_withdrawn_no_other_basis',
  'retention_period_ended',
  'recorded_in_error',
] as const;
