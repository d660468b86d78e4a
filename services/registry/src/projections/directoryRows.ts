import type { OrganisationKind, OrganisationStatus } from '../domain/organisation/organisation.js';
import type { Intake, LegalStatus } from '../domain/service/serviceDetails.js';

/**
 * Rows of the directory read model (tables in directorySchema.ts), as the queries return them,
 * plus the assembled records the HSDS mapping and the search API read.
 */
export interface OrganisationRow {
  id: string;
  name: string;
  kind: OrganisationKind;
  legal_identifier: string;
  country: string;
  region: string;
  street: string;
  locality: string;
  postal_code: string;
  latitude: number;
  longitude: number;
  email: string;
  phone: string | null;
  website: string | null;
  status: OrganisationStatus;
  licence_valid_until: string | null;
  accepted_code_version: number | null;
  updated_at: string;
}

export interface ServiceRow {
  id: string;
  organisation_id: string;
  name: string;
  description: string;
  category_id: string;
  min_age: number | null;
  max_age: number | null;
  response_time_hours: number;
  available: number;
  maximum: number;
  intake: Intake;
  status: 'active' | 'withdrawn';
  updated_at: string;
}

export interface LocationRow {
  /** Deterministic UUID derived from service id + the service's own location id. */
  id: string;
  service_id: string;
  sal_id: string;
  location_key: string;
  name: string;
  street: string;
  locality: string;
  postal_code: string;
  region: string;
  country: string;
  latitude: number;
  longitude: number;
}

export interface ScheduleRow {
  location_id: string;
  weekday: number;
  opens: string;
  closes: string;
}

export interface LocationRecord extends LocationRow {
  schedules: ScheduleRow[];
}

export interface ServiceRecord extends ServiceRow {
  organisation: OrganisationRow;
  languages: string[];
  legal_statuses: LegalStatus[];
  areas: string[];
  locations: LocationRecord[];
  /** Set by a distance search: km from the searched point to the nearest location. */
  distance_km?: number;
}
