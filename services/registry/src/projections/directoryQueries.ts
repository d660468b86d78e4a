import type { SqlExecutor } from '@estia/infra/sql/types.js';
import { boundingBox, distanceKm, type Coordinates } from '../domain/shared/geo.js';
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

class Params {
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

// IN (subquery on the (value, service_id) key) lets the planner start from the filter's index rather
// than test every active service; the public-status checks then run on the few candidates.
const whereClauses = (search: ServiceSearch, p: Params): string[] => {
  const where: string[] = [];
  if (search.publishedOnly ?? true) where.push(`s.status = 'active'`, `o.status = 'approved'`);
  if (search.category)
    where.push(
      `s.id IN (SELECT c.service_id FROM registry_service_categories c WHERE c.term_id = ${p.add(search.category)})`,
    );
  if (search.language)
    where.push(
      `s.id IN (SELECT l.service_id FROM registry_service_languages l WHERE l.code = ${p.add(search.language)})`,
    );
  if (search.legalStatus)
    where.push(
      `s.id IN (SELECT ls.service_id FROM registry_service_legal_statuses ls WHERE ls.legal_status = ${p.add(search.legalStatus)})`,
    );
  if (search.region)
    where.push(`s.id IN (SELECT a.service_id FROM registry_service_areas a WHERE a.region = ${p.add(search.region)})`);
  if (search.intakeOpen) where.push(`s.intake = 'open'`);
  if (search.organisationId) where.push(`s.organisation_id = ${p.add(search.organisationId)}`);
  if (search.text) {
    const like = p.add(likePattern(search.text));
    where.push(
      `(LOWER(s.name) LIKE ${like} ESCAPE '\\' OR LOWER(s.description) LIKE ${like} ESCAPE '\\' OR LOWER(o.name) LIKE ${like} ESCAPE '\\')`,
    );
  }
  if (search.modifiedAfter) where.push(`s.updated_at > ${p.add(search.modifiedAfter)}`);
  return where;
};

/**
 * Searches services; with `near`, only services with a location within the radius, nearest first
 * (distance to the service's nearest location). The bounding box lets the (latitude, longitude) index
 * discard far rows; haversine then decides exactly.
 */
export async function searchServices(
  db: SqlExecutor,
  search: ServiceSearch,
  paging: Paging,
): Promise<{ items: ServiceRecord[]; total: number }> {
  const perPage = Math.min(Math.max(1, paging.perPage), MAX_PER_PAGE);
  const offset = (Math.max(1, paging.page) - 1) * perPage;
  const p = new Params();
  const where = whereClauses(search, p);

  if (search.near) {
    const box = boundingBox(search.near, search.near.radiusKm);
    where.push(
      `loc.latitude BETWEEN ${p.add(box.minLat)} AND ${p.add(box.maxLat)}`,
      `loc.longitude BETWEEN ${p.add(box.minLon)} AND ${p.add(box.maxLon)}`,
    );
    const rows = await db.query<{ id: string; latitude: number; longitude: number }>(
      `SELECT s.id, loc.latitude, loc.longitude
         FROM registry_service_locations loc
         JOIN registry_services s ON s.id = loc.service_id
         JOIN registry_organisations o ON o.id = s.organisation_id
        WHERE ${where.join(' AND ')}`,
      p.values,
    );
    const nearest = new Map<string, number>();
    for (const row of rows) {
      const d = distanceKm(search.near, { latitude: Number(row.latitude), longitude: Number(row.longitude) });
      if (d > search.near.radiusKm) continue;
      const known = nearest.get(row.id);
      if (known === undefined || d < known) nearest.set(row.id, d);
    }
    const ordered = [...nearest.entries()].sort((a, b) => a[1] - b[1] || (a[0] < b[0] ? -1 : 1));
    const pageIds = ordered.slice(offset, offset + perPage);
    const records = await loadServiceRecords(
      db,
      pageIds.map(([id]) => id),
    );
    return {
      items: pageIds.map(([id, d]) => ({ ...records.get(id)!, distance_km: Math.round(d * 100) / 100 })),
      total: ordered.length,
    };
  }

  const from = `FROM registry_services s JOIN registry_organisations o ON o.id = s.organisation_id WHERE ${where.length ? where.join(' AND ') : '1 = 1'}`;
  const [count] = await db.query<{ total: number | string }>(`SELECT COUNT(*) AS total ${from}`, p.values);
  const ids = await db.query<{ id: string }>(
    `SELECT s.id ${from} ORDER BY s.name, s.id LIMIT ${p.add(perPage)} OFFSET ${p.add(offset)}`,
    p.values,
  );
  const records = await loadServiceRecords(
    db,
    ids.map((r) => r.id),
  );
  return { items: ids.map((r) => records.get(r.id)!), total: Number(count?.total ?? 0) };
}

const normaliseOrganisation = (row: OrganisationRow): OrganisationRow => ({
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
  const services = await db.query<ServiceRow>(`SELECT * FROM registry_services WHERE id IN (${inList})`, p.values);
  const orgIds = [...new Set(services.map((s) => s.organisation_id))];
  const op = new Params();
  const organisations = new Map(
    (
      await db.query<OrganisationRow>(
        `SELECT * FROM registry_organisations WHERE id IN (${op.list(orgIds)})`,
        op.values,
      )
    ).map((o) => [o.id, normaliseOrganisation(o)]),
  );
  const children = async <Row extends { service_id: string }>(sql: string): Promise<Map<string, Row[]>> => {
    const grouped = new Map<string, Row[]>();
    for (const row of await db.query<Row>(sql, p.values)) {
      const list = grouped.get(row.service_id) ?? [];
      list.push(row);
      grouped.set(row.service_id, list);
    }
    return grouped;
  };
  const languages = await children<{ service_id: string; code: string }>(
    `SELECT service_id, code FROM registry_service_languages WHERE service_id IN (${inList}) ORDER BY code`,
  );
  const statuses = await children<{ service_id: string; legal_status: LegalStatus }>(
    `SELECT service_id, legal_status FROM registry_service_legal_statuses WHERE service_id IN (${inList}) ORDER BY legal_status`,
  );
  const areas = await children<{ service_id: string; region: string }>(
    `SELECT service_id, region FROM registry_service_areas WHERE service_id IN (${inList}) ORDER BY region`,
  );
  const locations = await children<LocationRow>(
    `SELECT * FROM registry_service_locations WHERE service_id IN (${inList}) ORDER BY location_key`,
  );
  const schedules = new Map<string, ScheduleRow[]>();
  for (const row of await db.query<ScheduleRow>(
    `SELECT sc.* FROM registry_location_schedules sc JOIN registry_service_locations l ON l.id = sc.location_id
      WHERE l.service_id IN (${inList}) ORDER BY sc.weekday, sc.opens`,
    p.values,
  )) {
    const list = schedules.get(row.location_id) ?? [];
    list.push({ ...row, weekday: Number(row.weekday) });
    schedules.set(row.location_id, list);
  }
  for (const s of services) {
    const organisation = organisations.get(s.organisation_id);
    if (!organisation) continue;
    const locs: LocationRecord[] = (locations.get(s.id) ?? []).map((l) => ({
      ...l,
      latitude: Number(l.latitude),
      longitude: Number(l.longitude),
      schedules: schedules.get(l.id) ?? [],
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

export async function listOrganisations(
  db: SqlExecutor,
  paging: Paging,
  options: OrganisationSearch = {},
): Promise<{ items: OrganisationRow[]; total: number }> {
  const perPage = Math.min(Math.max(1, paging.perPage), MAX_PER_PAGE);
  const offset = (Math.max(1, paging.page) - 1) * perPage;
  const p = new Params();
  const where: string[] = [];
  if (options.publishedOnly ?? true) where.push(`o.status = 'approved'`);
  if (options.text) where.push(`LOWER(o.name) LIKE ${p.add(likePattern(options.text))} ESCAPE '\\'`);
  if (options.modifiedAfter) where.push(`o.updated_at > ${p.add(options.modifiedAfter)}`);
  if (options.category)
    where.push(`EXISTS (SELECT 1 FROM registry_services s JOIN registry_service_categories c ON c.service_id = s.id
      WHERE s.organisation_id = o.id AND s.status = 'active' AND c.term_id = ${p.add(options.category)})`);
  const from = `FROM registry_organisations o ${where.length ? `WHERE ${where.join(' AND ')}` : ''}`;
  const [count] = await db.query<{ total: number | string }>(`SELECT COUNT(*) AS total ${from}`, p.values);
  const rows = await db.query<OrganisationRow>(
    `SELECT o.* ${from} ORDER BY o.name, o.id LIMIT ${p.add(perPage)} OFFSET ${p.add(offset)}`,
    p.values,
  );
  return { items: rows.map(normaliseOrganisation), total: Number(count?.total ?? 0) };
}

/** Service-at-location pairs of published services, paged (HSDS /service_at_locations). */
export async function listServiceAtLocations(
  db: SqlExecutor,
  paging: Paging,
  search: Omit<ServiceSearch, 'publishedOnly'> = {},
): Promise<{ items: { service: ServiceRecord; locationId: string; distance_km?: number }[]; total: number }> {
  const perPage = Math.min(Math.max(1, paging.perPage), MAX_PER_PAGE);
  const offset = (Math.max(1, paging.page) - 1) * perPage;
  const p = new Params();
  const where = whereClauses({ ...search, publishedOnly: true }, p);
  if (search.near) {
    // Each connection point on its own: nearest first, like the service search but per location.
    const box = boundingBox(search.near, search.near.radiusKm);
    where.push(
      `l.latitude BETWEEN ${p.add(box.minLat)} AND ${p.add(box.maxLat)}`,
      `l.longitude BETWEEN ${p.add(box.minLon)} AND ${p.add(box.maxLon)}`,
    );
    const near = search.near;
    const rows = await db.query<{ service_id: string; id: string; latitude: number; longitude: number }>(
      `SELECT l.service_id, l.id, l.latitude, l.longitude FROM registry_service_locations l
         JOIN registry_services s ON s.id = l.service_id JOIN registry_organisations o ON o.id = s.organisation_id
        WHERE ${where.join(' AND ')}`,
      p.values,
    );
    const ordered = rows
      .map((r) => ({ ...r, d: distanceKm(near, { latitude: Number(r.latitude), longitude: Number(r.longitude) }) }))
      .filter((r) => r.d <= near.radiusKm)
      .sort((a, b) => a.d - b.d || (a.id < b.id ? -1 : 1));
    const pageRows = ordered.slice(offset, offset + perPage);
    const records = await loadServiceRecords(db, [...new Set(pageRows.map((r) => r.service_id))]);
    return {
      items: pageRows.map((r) => ({
        service: records.get(r.service_id)!,
        locationId: r.id,
        distance_km: Math.round(r.d * 100) / 100,
      })),
      total: ordered.length,
    };
  }
  const from = `FROM registry_service_locations l JOIN registry_services s ON s.id = l.service_id
    JOIN registry_organisations o ON o.id = s.organisation_id WHERE ${where.join(' AND ')}`;
  const [count] = await db.query<{ total: number | string }>(`SELECT COUNT(*) AS total ${from}`, p.values);
  const rows = await db.query<{ service_id: string; id: string }>(
    `SELECT l.service_id, l.id ${from} ORDER BY s.name, s.id, l.location_key LIMIT ${p.add(perPage)} OFFSET ${p.add(offset)}`,
    p.values,
  );
  const records = await loadServiceRecords(db, [...new Set(rows.map((r) => r.service_id))]);
  return {
    items: rows.map((r) => ({ service: records.get(r.service_id)!, locationId: r.id })),
    total: Number(count?.total ?? 0),
  };
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
