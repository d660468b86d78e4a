import { CEFR_LEVELS, CONSENT_PURPOSES, LEGAL_STATUSES, REFERRAL_STATUSES, SERVICE_CATEGORIES } from '@estia/contracts';

// The closed vocabularies other services speak too come from the contracts (generated from
// contracts/events/common.v1.schema.json), so a term added there reaches the deciders unchanged.
export { CEFR_LEVELS, CONSENT_PURPOSES, LEGAL_STATUSES, REFERRAL_STATUSES, SERVICE_CATEGORIES };
export type ServiceCategory = (typeof SERVICE_CATEGORIES)[number];
export type LegalStatusKind = (typeof LEGAL_STATUSES)[number];
export type CefrLevel = (typeof CEFR_LEVELS)[number];
export type ConsentPurpose = (typeof CONSENT_PURPOSES)[number];
export type ReferralStatus = (typeof REFERRAL_STATUSES)[number];

// Referrals' own vocabularies (the event contracts restate them inline, not in common.v1).

export const CONSENT_SCOPES = [
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
] as const;
export type ConsentScope = (typeof CONSENT_SCOPES)[number];

export const CONSENT_METHODS = ['written', 'verbal', 'electronic'] as const;
export type ConsentMethod = (typeof CONSENT_METHODS)[number];

export const NEED_PRIORITIES = ['low', 'medium', 'high', 'urgent'] as const;
export type NeedPriority = (typeof NEED_PRIORITIES)[number];

export const REFERRAL_OUTCOMES = [
  'need_met',
  'need_partially_met',
  'need_not_met',
  'client_declined',
  'client_unreachable',
] as const;
export type ReferralOutcome = (typeof REFERRAL_OUTCOMES)[number];

export const isOneOf = <T extends string>(list: readonly T[], value: unknown): value is T =>
  typeof value === 'string' && (list as readonly string[]).includes(value);

// One list of ISO 3166-1 codes for the whole network, kept with the contracts.
export { isCountryCode } from '@estia/contracts';

/** ISO 639-1 or 639-3 shape; the list itself is long and changes, so only the shape is checked. */
export const isLanguageCode = (value: unknown): value is string =>
  typeof value === 'string' && /^[a-z]{2,3}$/.test(value);
