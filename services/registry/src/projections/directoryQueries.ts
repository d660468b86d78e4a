import type { SqlExecutor } from '@estia/infra/sql/types.js';
import type { Coordinates } from '../domain/shared/geo.js';
import { directoryIndexFor } from './directoryIndexCache.js';
import type { LegalStatus } from '../domain/service/serviceDetails.js';
import type {
  LocationRecord,
  LocationRow,
  OrganisationRow,
  ScheduleRow,
  ServiceRecord,
  ServiceRow,
} from './directoryRows.js';

export interface ServiceSearch {
  /** A taxonomy term id; services of its sub-terms match too. */
  category?: string;
  language?: string;
  legalStatus?: LegalStatus;
  /** A region served (service area). */
  region?: string;
  near?: Coordinates & { radiusKm: number };
  intakeOpen?: boolean;
  organisationId?: string;
  /** Free text: a case-insensitive substring of the service's or its organisation's name or description. */
  text?: string;
  /** ISO instant: only services changed after it. */
  modifiedAfter?: string;
  /** Public directory: only active services of approved organisations (the default). */
  publishedOnly?: boolean;
}

export interface Paging {
  /** 1-based. */
  page: number;
  perPage: number;
}

export const MAX_PER_PAGE = 100;
/** Deep pages cost an OFFSET scan; past this, narrow the search (bounded so a huge page is a 400, not a 500). */
export const MAX_PAGE = 10_000;

export class Params {
  readonly values: unknown[] = [];
  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
  list(values: readonly unknown[]): string {
    return values.map((v) => this.add(v)).join(', ');
  }
}

/** `%text%` with LIKE's wildcards escaped, lower-cased (both dialects compare LOWER() = LOWER()). */
export const likePattern = (text: string): string => `%${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/**
 * Searches services; with `near`, only services with a location within the radius, nearest first
 * (distance to the service's nearest location). The in-memory index (directoryIndex.ts) decides which
 * services and how many; the page's records come from the read model.
 */
export async function searchServices(
  db: SqlExecutor,
  search: ServiceSearch,
  paging: Paging,
): Promise<{ items: ServiceRecord[]; total: number }> {
  const { offset, perPage } = pageWindow(paging);
  const index = await directoryIndexFor(db);
  const { hits, total } = index.searchServices(search, offset, perPage);
  const records = await loadServiceRecords(
    db,
    hits.map((h) => h.id),
  );
  const items: ServiceRecord[] = [];
  for (const hit of hits) {
    // Absent only if the read model was emptied (a rebuild) since the index answered.
    const record = records.get(hit.id);
    if (!record) continue;
    items.push(hit.distanceKm === undefined ? record : { ...record, distance_km: roundKm(hit.distanceKm) });
  }
  return { items, total };
}

export const pageWindow = (paging: Paging): { offset: number; perPage: number } => {
  const perPage = Math.min(Math.max(1, paging.perPage), MAX_PER_PAGE);
  return { offset: (Math.max(1, paging.page) - 1) * perPage, perPage };
};

export const roundKm = (d: number): number => Math.round(d * 100) / 100;

export const normaliseOrganisation = (row: OrganisationRow): OrganisationRow => ({
  ...row,
  latitude: Number(row.latitude),
  longitude: Number(row.longitude),
  accepted_code_version: row.accepted_code_version === null ? null : Number(row.accepted_code_version),
});

/** Services with their organisation and children, keyed by id (ids not found are absent). */
export async function loadServiceRecords(db: SqlExecutor, ids: readonly string[]): Promise<Map<string, ServiceRecord>> {
  const result = new Map<string, ServiceRecord>();
  if (ids.length === 0) return result;
  const p = new Params();
  const inList = p.list(ids);
  const grouped = async <Row, Key extends string>(sql: string, key: (row: Row) => Key): Promise<Map<Key, Row[]>> => {
    const groups = new Map<Key, Row[]>();
    for (const row of await db.query<Row>(sql, p.values)) {
      const list = groups.get(key(row));
      if (list) list.push(row);
      else groups.set(key(row), [row]);
    }
    return groups;
  };
  // Independent reads, issued together: on PostgreSQL they run on several pooled connections at once
  // instead of costing seven round trips one after another (SQLite runs them in turn regardless).
  const [services, organisationRows, languages, statuses, areas, locations, schedules] = await Promise.all([
    db.query<ServiceRow>(`SELECT * FROM registry_services WHERE id IN (${inList})`, p.values),
    db.query<OrganisationRow>(
      `SELECT * FROM registry_organisations WHERE id IN
         (SELECT organisation_id FROM registry_services WHERE id IN (${inList}))`,
      p.values,
    ),
    grouped<{ service_id: string; code: string }, string>(
      `SELECT service_id, code FROM registry_service_languages WHERE service_id IN (${inList}) ORDER BY code`,
      (r) => r.service_id,
    ),
    grouped<{ service_id: string; legal_status: LegalStatus }, string>(
      `SELECT service_id, legal_status FROM registry_service_legal_statuses WHERE service_id IN (${inList}) ORDER BY legal_status`,
      (r) => r.service_id,
    ),
    grouped<{ service_id: string; region: string }, string>(
      `SELECT service_id, region FROM registry_service_areas WHERE service_id IN (${inList}) ORDER BY region`,
      (r) => r.service_id,
    ),
    grouped<LocationRow, string>(
      `SELECT * FROM registry_service_locations WHERE service_id IN (${inList}) ORDER BY location_key`,
      (r) => r.service_id,
    ),
    grouped<ScheduleRow, string>(
      `SELECT location_id, weekday, opens, closes FROM registry_location_schedules
        WHERE service_id IN (${inList}) ORDER BY weekday, opens`,
      (r) => r.location_id,
    ),
  ]);
  const organisations = new Map(organisationRows.map((o) => [o.id, normaliseOrganisation(o)]));
  for (const s of services) {
    const organisation = organisations.get(s.organisation_id);
    if (!organisation) continue;
    const locs: LocationRecord[] = (locations.get(s.id) ?? []).map((l) => ({
      ...l,
      latitude: Number(l.latitude),
      longitude: Number(l.longitude),
      schedules: (schedules.get(l.id) ?? []).map((row) => ({ ...row, weekday: Number(row.weekday) })),
    }));
    result.set(s.id, {
      ...s,
      min_age: s.min_age === null ? null : Number(s.min_age),
      max_age: s.max_age === null ? null : Number(s.max_age),
      response_time_hours: Number(s.response_time_hours),
      available: Number(s.available),
      maximum: Number(s.maximum),
      organisation,
      languages: (languages.get(s.id) ?? []).map((r) => r.code),
      legal_statuses: (statuses.get(s.id) ?? []).map((r) => r.legal_status),
      areas: (areas.get(s.id) ?? []).map((r) => r.region),
      locations: locs,
    });
  }
  return result;
}

export async function getOrganisation(
  db: SqlExecutor,
  id: string,
  options: { publishedOnly?: boolean } = {},
): Promise<OrganisationRow | null> {
  const rows = await db.query<OrganisationRow>('SELECT * FROM registry_organisations WHERE id = $1', [id]);
  const row = rows[0];
  if (!row || ((options.publishedOnly ?? true) && row.status !== 'approved')) return null;
  return normaliseOrganisation(row);
}

export interface OrganisationSearch {
  publishedOnly?: boolean;
  /** Case-insensitive substring of the name. */
  text?: string;
  modifiedAfter?: string;
  /** Organisations offering an active service in this taxonomy term (or a sub-term). */
  category?: string;
}

/** Organisations by (name, id): the index (directoryIndex.ts) decides which, the read model gives the rows. */
export async function listOrganisations(
  db: SqlExecutor,
  paging: Paging,
  options: OrganisationSearch = {},
): Promise<{ items: OrganisationRow[]; total: number }> {
  const { offset, perPage } = pageWindow(paging);
  const index = await directoryIndexFor(db);
  const { ids, total } = index.searchOrganisations(options, offset, perPage);
  if (ids.length === 0) return { items: [], total };
  const p = new Params();
  const rows = new Map(
    (
      await db.query<OrganisationRow>(`SELECT * FROM registry_organisations WHERE id IN (${p.list(ids)})`, p.values)
    ).map((o) => [o.id, normaliseOrganisation(o)]),
  );
  // Absent only if the read model was emptied (a rebuild) since the index answered.
  return { items: ids.flatMap((id) => rows.get(id) ?? []), total };
}

/** Service-at-location pairs of published services, paged (HSDS /service_at_locations). */
export async function listServiceAtLocations(
  db: SqlExecutor,
  paging: Paging,
  search: Omit<ServiceSearch, 'publishedOnly'> = {},
): Promise<{ items: { service: ServiceRecord; locationId: string; distance_km?: number }[]; total: number }> {
  const { offset, perPage } = pageWindow(paging);
  const index = await directoryIndexFor(db);
  const { hits, total } = index.searchLocations(search, offset, perPage);
  const records = await loadServiceRecords(db, [...new Set(hits.map((h) => h.serviceId))]);
  const items: { service: ServiceRecord; locationId: string; distance_km?: number }[] = [];
  for (const hit of hits) {
    const service = records.get(hit.serviceId);
    if (!service) continue;
    items.push({
      service,
      locationId: hit.locationId,
      ...(hit.distanceKm === undefined ? {} : { distance_km: roundKm(hit.distanceKm) }),
    });
  }
  return { items, total };
}

/** One published service-at-location by its HSDS id. */
export async function getServiceAtLocation(
  db: SqlExecutor,
  salId: string,
): Promise<{ service: ServiceRecord; locationId: string } | null> {
  const [row] = await db.query<{ service_id: string; id: string }>(
    'SELECT service_id, id FROM registry_service_locations WHERE sal_id = $1',
    [salId],
  );
  if (!row) return null;
  const service = await getPublishedService(db, row.service_id);
  return service ? { service, locationId: row.id } : null;
}

/** One service if it is active and its organisation approved (what the public directory may show). */
export async function getPublishedService(db: SqlExecutor, id: string): Promise<ServiceRecord | null> {
  const record = (await loadServiceRecords(db, [id])).get(id);
  return record && record.status === 'active' && record.organisation.status === 'approved' ? record : null;
}
