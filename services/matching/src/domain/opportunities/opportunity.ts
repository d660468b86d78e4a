import type { CefrLevel, ContractType, DrivingLicence, OpportunityType, PayPeriod } from '../shared/vocabulary.js';

export interface LanguageRequirement {
  /** ISO 639 code. */
  language: string;
  minLevel: CefrLevel;
}

export type OpportunityLocation =
  | { remote: true; country?: string }
  | { remote: false; latitude: number; longitude: number; country?: string; locality?: string };

export interface Pay {
  amount: number;
  currency: string;
  per: PayPeriod;
}

/** What an organisation publishes. ESCO ids are the short ids (UUID of the ESCO URI). */
export interface OpportunityDetails {
  type: OpportunityType;
  title: string;
  occupation: string;
  essentialSkills: string[];
  optionalSkills: string[];
  languages: LanguageRequirement[];
  location: OpportunityLocation;
  contractType: ContractType;
  hoursPerWeek: number;
  /** null: unpaid (volunteering, mentoring, some internships). */
  pay: Pay | null;
  positions: number;
  startDate: string;
  closingDate: string | null;
  /** Licence category the work needs, or null. */
  drivingLicence: DrivingLicence | null;
}

export type OpportunityStatus = 'open' | 'paused' | 'filled' | 'closed';
