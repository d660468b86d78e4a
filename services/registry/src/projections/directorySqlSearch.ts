import type { SqlExecutor } from '@estia/infra/sql/types.js';
import { boundingBox, distanceKm } from '../domain/shared/geo.js';
import type { OrganisationRow, ServiceRecord } from './directoryRows.js';
import {
  likePattern,
  loadServiceRecords,
  MAX_PER_PAGE,
  normaliseOrganisation,
  Params,
  type OrganisationSearch,
  type Paging,
  type ServiceSearch,
} from './directoryQueries.js';

/**
 * The directory search written as plain SQL over the read model: how search worked before the
 * in-memory index, kept as its specification. The index must answer exactly what these answer
 * (directoryIndex.int.spec.ts compares them on both dialects); they also serve a caller that has only
 * a transaction. Too slow for the public API at network scale: every request counts and sorts all
 * matches (see services/registry/bench).
 */
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
 * The reference formulation of searchServices: what it answers, in SQL. With `near`, only services with a location within the radius, nearest first
 * (distance to the service's nearest location). The bounding box lets the (latitude, longitude) index
 * discard far rows; haversine then decides exactly.
 */
export async function searchServicesInSql(
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

/** The reference formulation of listServiceAtLocations. */
export async function listServiceAtLocationsInSql(
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

/** The reference formulation of listOrganisations. */
export async function listOrganisationsInSql(
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
  // Uncorrelated: the organisations of the category's active services, found once per query.
  if (options.category)
    where.push(`o.id IN (SELECT s.organisation_id FROM registry_service_categories c
      JOIN registry_services s ON s.id = c.service_id
      WHERE c.term_id = ${p.add(options.category)} AND s.status = 'active')`);
  const from = `FROM registry_organisations o ${where.length ? `WHERE ${where.join(' AND ')}` : ''}`;
  const [count] = await db.query<{ total: number | string }>(`SELECT COUNT(*) AS total ${from}`, p.values);
  const rows = await db.query<OrganisationRow>(
    `SELECT o.* ${from} ORDER BY o.name, o.id LIMIT ${p.add(perPage)} OFFSET ${p.add(offset)}`,
    p.values,
  );
  return { items: rows.map(normaliseOrganisation), total: Number(count?.total ?? 0) };
}
