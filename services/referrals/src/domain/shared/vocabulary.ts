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

// ISO 3166-1 alpha-2, officially assigned codes.
const ISO_3166_ALPHA2 = new Set(
  (
    'AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ ' +
    'CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR ' +
    'GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO ' +
    'JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR ' +
    'MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO ' +
    'RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV ' +
    'TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW'
  ).split(' '),
);
export const isCountryCode = (value: unknown): value is string =>
  typeof value === 'string' && ISO_3166_ALPHA2.has(value);

/** ISO 639-1 or 639-3 shape; the list itself is long and changes, so only the shape is checked. */
export const isLanguageCode = (value: unknown): value is string =>
  typeof value === 'string' && /^[a-z]{2,3}$/.test(value);
