// Closed vocabularies of matching. The legal statuses and CEFR levels mirror the referrals service
// (contracts/events/common.v1.schema.json), whose events feed candidate profiles.

export const OPPORTUNITY_TYPES = [
  'job',
  'internship',
  'traineeship',
  'apprenticeship',
  'volunteering',
  'mentoring',
] as const;
export type OpportunityType = (typeof OPPORTUNITY_TYPES)[number];

export const CONTRACT_TYPES = ['permanent', 'fixed_term', 'temporary', 'seasonal', 'freelance', 'unpaid'] as const;
export type ContractType = (typeof CONTRACT_TYPES)[number];

export const PAY_PERIODS = ['hour', 'month', 'year', 'total'] as const;
export type PayPeriod = (typeof PAY_PERIODS)[number];

export const LEGAL_STATUSES = [
  'asylum_seeker',
  'refugee',
  'subsidiary_protection',
  'resettled',
  'humanitarian_admission',
  'other',
] as const;
export type LegalStatusKind = (typeof LEGAL_STATUSES)[number];

export const CEFR_LEVELS = ['A1', 'A2', 'B1', 'B2', 'C1', 'C2'] as const;
export type CefrLevel = (typeof CEFR_LEVELS)[number];

/** Driving licence categories of Directive 2006/126/EC. */
export const DRIVING_LICENCES = [
  'AM',
  'A1',
  'A2',
  'A',
  'B',
  'BE',
  'C1',
  'C1E',
  'C',
  'CE',
  'D1',
  'D1E',
  'D',
  'DE',
] as const;
export type DrivingLicence = (typeof DRIVING_LICENCES)[number];

export const isOneOf = <T extends string>(list: readonly T[], value: unknown): value is T =>
  typeof value === 'string' && (list as readonly string[]).includes(value);

/** 0 for A1 … 5 for C2. */
export const cefrRank = (level: CefrLevel): number => CEFR_LEVELS.indexOf(level);

/** ISO 639-1 (two letters) or 639-3 (three letters), lower case. */
export const isLanguageCode = (value: unknown): value is string =>
  typeof value === 'string' && /^[a-z]{2,3}$/.test(value);
