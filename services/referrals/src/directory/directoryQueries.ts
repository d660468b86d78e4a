import { mayExchangeAt, type ExchangeTerms } from '@estia/contracts';
import type { SqlExecutor } from '@estia/infra/sql/types.js';

export interface OrganisationFacts {
  approved: boolean;
  mayExchange: boolean;
}

/**
 * May an organisation exchange at `now`? From the terms the registry sent (a row written before terms
 * were kept falls back to the answer its event gave, until the registry's next event about it).
 */
export const mayExchangeFrom = (
  row: { terms: string | null; may_exchange: number | boolean | null } | undefined,
  now: string,
): boolean =>
  row?.terms ? mayExchangeAt(JSON.parse(row.terms) as ExchangeTerms, now) : Number(row?.may_exchange ?? 0) === 1;

/** Unknown to us (the registry has not told us yet) means: not approved, may not exchange. */
export async function organisationFacts(
  db: SqlExecutor,
  organisationId: string,
  now: string,
): Promise<OrganisationFacts> {
  const [row] = await db.query<{ status: string; may_exchange: number | boolean; terms: string | null }>(
    `SELECT o.status, o.may_exchange, t.terms FROM rf_organisations o
     LEFT JOIN rf_exchange_terms t ON t.organisation_id = o.organisation_id WHERE o.organisation_id = $1`,
    [organisationId],
  );
  return { approved: row?.status === 'approved', mayExchange: row !== undefined && mayExchangeFrom(row, now) };
}

export interface ServiceFacts {
  organisationId: string;
  category: string;
  /** From the registry's service events: how long the receiver has to answer before the referral expires. */
  responseTimeHours: number;
}

export async function serviceFacts(db: SqlExecutor, serviceId: string): Promise<ServiceFacts | null> {
  const [row] = await db.query<{ organisation_id: string; category: string; response_time_hours: number | string }>(
    'SELECT organisation_id, category, response_time_hours FROM rf_directory WHERE service_id = $1 AND withdrawn = 0',
    [serviceId],
  );
  return row
    ? {
        organisationId: row.organisation_id,
        category: row.category,
        responseTimeHours: Number(row.response_time_hours),
      }
    : null;
}

export interface SuggestionCriteria {
  category: string;
  legalStatus: string | undefined;
  languages: readonly string[];
  location: { country: string; region: string; coordinates?: { lat: number; lon: number } } | undefined;
  /** The asking organisation: its own services are not suggested to it. */
  excludeOrganisationId?: string;
  limit?: number;
  /** The decision time: members whose licence or grace period has run out are not suggested. */
  now: string;
}

export interface Suggestion {
  serviceId: string;
  organisationId: string;
  organisationName: string;
  name: string;
  category: string;
  categoryCode: string;
  languages: string[];
  available: number | null;
  responseTimeHours: number;
  /** Nearest location of the service, km; null when the client's or the service's coordinates are unknown. */
  distanceKm: number | null;
  nearestLocality: string | null;
}

const EARTH_RADIUS_KM = 6371;
const toRad = (deg: number): number => (deg * Math.PI) / 180;
export const haversineKm = (a: { lat: number; lon: number }, b: { lat: number; lon: number }): number => {
  const dLat = toRad(b.lat - a.lat);
  const dLon = toRad(b.lon - a.lon);
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(toRad(a.lat)) * Math.cos(toRad(b.lat)) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)));
};

interface Area {
  country: string;
  region?: string;
}

/**
 * Services for an open need: approved category, member organisation that may exchange cases, intake
 * open, eligible for the client's legal status, delivered in a language the client speaks, serving
 * the client's area (no region = whole country); nearest first, then by name.
 */
export async function suggestServices(db: SqlExecutor, criteria: SuggestionCriteria): Promise<Suggestion[]> {
  const rows = await db.query<{
    service_id: string;
    organisation_id: string;
    organisation_name: string;
    name: string;
    category: string;
    category_code: string;
    legal_statuses: string;
    languages: string;
    service_areas: string;
    locations: string;
    available: number | string | null;
    response_time_hours: number | string;
    may_exchange: number | boolean;
    terms: string | null;
  }>(
    `SELECT d.service_id, d.organisation_id, d.organisation_name, d.name, d.category, d.category_code, d.legal_statuses,
       d.languages, d.service_areas, d.locations, d.available, d.response_time_hours, o.may_exchange, t.terms
     FROM rf_directory d JOIN rf_organisations o ON o.organisation_id = d.organisation_id
     LEFT JOIN rf_exchange_terms t ON t.organisation_id = d.organisation_id
     WHERE d.category = $1 AND d.withdrawn = 0 AND d.intake_status = 'open'
       AND o.status = 'approved' AND d.organisation_id <> $2`,
    [criteria.category, criteria.excludeOrganisationId ?? ''],
  );
  const spoken = new Set(criteria.languages);
  const out: Suggestion[] = [];
  for (const r of rows) {
    if (!mayExchangeFrom(r, criteria.now)) continue;
    const statuses = JSON.parse(r.legal_statuses) as string[];
    if (criteria.legalStatus === undefined || !statuses.includes(criteria.legalStatus)) continue;
    const languages = JSON.parse(r.languages) as string[];
    if (!languages.some((l) => spoken.has(l))) continue;
    const areas = JSON.parse(r.service_areas) as Area[];
    const loc = criteria.location;
    if (!loc || !areas.some((a) => a.country === loc.country && (a.region === undefined || a.region === loc.region)))
      continue;
    let distanceKm: number | null = null;
    let nearestLocality: string | null = null;
    if (loc.coordinates)
      for (const l of JSON.parse(r.locations) as { locality: string; coordinates: { lat: number; lon: number } }[]) {
        const d = haversineKm(loc.coordinates, l.coordinates);
        if (distanceKm === null || d < distanceKm) {
          distanceKm = d;
          nearestLocality = l.locality;
        }
      }
    out.push({
      serviceId: r.service_id,
      organisationId: r.organisation_id,
      organisationName: r.organisation_name,
      name: r.name,
      category: r.category,
      categoryCode: r.category_code,
      languages,
      available: r.available === null ? null : Number(r.available),
      responseTimeHours: Number(r.response_time_hours),
      distanceKm: distanceKm === null ? null : Math.round(distanceKm * 10) / 10,
      nearestLocality,
    });
  }
  // Remote-only services (no location) after every service with a known distance.
  out.sort(
    (a, b) =>
      (a.distanceKm ?? Number.POSITIVE_INFINITY) - (b.distanceKm ?? Number.POSITIVE_INFINITY) ||
      a.name.localeCompare(b.name) ||
      a.serviceId.localeCompare(b.serviceId),
  );
  return out.slice(0, criteria.limit ?? 20);
}
