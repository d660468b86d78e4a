// Closed vocabularies of matching. Those shared with the other services come from the contracts
// (generated from contracts/events/common.v1.schema.json), so they cannot drift apart.
import { CEFR_LEVELS, DRIVING_LICENCE_CATEGORIES, LEGAL_STATUSES, OPPORTUNITY_KINDS } from '@estia/contracts';

export const OPPORTUNITY_TYPES = OPPORTUNITY_KINDS;
export type OpportunityType = (typeof OPPORTUNITY_TYPES)[number];

export const CONTRACT_TYPES = ['permanent', 'fixed_term', 'temporary', 'seasonal', 'freelance', 'unpaid'] as const;
export type ContractType = (typeof CONTRACT_TYPES)[number];

export const PAY_PERIODS = ['hour', 'month', 'year', 'total'] as const;
export type PayPeriod = (typeof PAY_PERIODS)[number];

export { LEGAL_STATUSES, CEFR_LEVELS };
export type LegalStatusKind = (typeof LEGAL_STATUSES)[number];

export type CefrLevel = (typeof CEFR_LEVELS)[number];

/** Driving licence categories of Directive 2006/126/EC. */
export const DRIVING_LICENCES = DRIVING_LICENCE_CATEGORIES;
export type DrivingLicence = (typeof DRIVING_LICENCES)[number];

export const isOneOf = <T extends string>(list: readonly T[], value: unknown): value is T =>
  typeof value === 'string' && (list as readonly string[]).includes(value);

/** 0 for A1 … 5 for C2. */
export const cefrRank = (level: CefrLevel): number => CEFR_LEVELS.indexOf(level);

/** ISO 639-1 (two letters) or 639-3 (three letters), lower case. */
export const isLanguageCode = (value: unknown): value is string =>
  typeof value === 'string' && /^[a-z]{2,3}$/.test(value);
