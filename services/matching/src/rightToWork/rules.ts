import type { LegalStatusKind, OpportunityType } from '../domain/shared/vocabulary.js';

/** How a status gives access to an activity. */
export type WorkRule =
  /** From the asylum application date plus a waiting period, while the asylum seeker's card is valid. */
  | { kind: 'after_application'; months: number }
  /** While the residence permit that comes with the status is valid. */
  | { kind: 'while_residence_permit' }
  /** From the application (or the status decision) on: e.g. unpaid volunteering, mentoring. */
  | { kind: 'immediate' }
  | { kind: 'not_allowed' };

export interface StatusRule {
  rule: WorkRule;
  basis: string;
  /** Activities treated differently from paid work (unpaid volunteering, training, mentoring). */
  byType?: Partial<Record<OpportunityType, { rule: WorkRule; basis: string }>>;
}

/**
 * One country's rules. CONFIGURABLE SAMPLE DATA: a plausible reading of national law for development and tests,
 * not legal advice. A deployment reviews and replaces it with its legal team; `reviewed` says whether anyone has.
 * A valid work permit (`workPermit` in the legal status) always grants access for its period, whatever the table.
 */
export interface CountryRules {
  country: string;
  reviewed: boolean;
  note: string;
  statuses: Record<LegalStatusKind, StatusRule>;
}

export type RightToWorkTable = Record<string, CountryRules>;

export interface RightToWorkDecision {
  allowed: boolean;
  /** A sentence a person can read: which rule, which document, which dates. */
  basis: string;
  /** When access starts (also given when it is not allowed YET). */
  from?: string;
  /** When it ends (permit expiry). */
  until?: string;
}
