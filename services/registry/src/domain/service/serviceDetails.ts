import { INTAKE_STATUSES, LEGAL_STATUSES } from '@estia/contracts';
import type { Coordinates } from '../shared/geo.js';

/** What a service offers, to whom, where and when: validated in serviceValidation.ts. */
// Shared vocabularies come from the public contract (common.v1).
export { LEGAL_STATUSES };
export type LegalStatus = (typeof LEGAL_STATUSES)[number];

export const INTAKE_STATES = INTAKE_STATUSES;
export type Intake = (typeof INTAKE_STATES)[number];

/** ISO 8601 weekday: 1 = Monday … 7 = Sunday; times are local wall-clock "HH:MM", opens < closes. */
export interface OpeningHours {
  weekday: 1 | 2 | 3 | 4 | 5 | 6 | 7;
  opens: string;
  closes: string;
}

/** A connection point: where clients meet the service. */
export interface ServiceLocation {
  locationId: string;
  name: string;
  address: { street: string; locality: string; postalCode: string; region: string; country: string };
  coordinates: Coordinates;
  schedule: OpeningHours[];
}

export interface ServiceDetails {
  name: string;
  /** A term id of the taxonomy (see taxonomy.ts); may be a sub-term. */
  categoryId: string;
  description: string;
  eligibility: { legalStatuses: LegalStatus[]; minAge: number | null; maxAge: number | null };
  /** ISO 639-1 / 639-3 codes. */
  languages: string[];
  /** Region codes served (NUTS, e.g. EL30). */
  serviceAreas: string[];
  locations: ServiceLocation[];
  /** Expected time to answer a referral. */
  responseTimeHours: number;
}

export interface Capacity {
  available: number;
  maximum: number;
  intake: Intake;
}
