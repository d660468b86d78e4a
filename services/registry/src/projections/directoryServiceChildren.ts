import type { SqlExecutor } from '@estia/infra/sql/types.js';
import type { ServiceDetails } from '../domain/service/serviceDetails.js';
import { withAncestors } from '../domain/service/taxonomy.js';
import { locationUuid, serviceAtLocationUuid } from '../hsds/ids.js';
import { insertRows, into, withIdChunks, type Column } from '@estia/infra/sql/multiRow.js';

const CHILD_TABLES = [
  'registry_location_schedules',
  'registry_service_locations',
  'registry_service_areas',
  'registry_service_legal_statuses',
  'registry_service_languages',
  'registry_service_categories',
] as const;

const text = (name: string): Column => [name, 'TEXT'];
const LOCATION_COLUMNS: readonly Column[] = [
  text('id'),
  text('service_id'),
  text('sal_id'),
  text('location_key'),
  text('name'),
  text('street'),
  text('locality'),
  text('postal_code'),
  text('region'),
  text('country'),
  ['latitude', 'DOUBLE PRECISION'],
  ['longitude', 'DOUBLE PRECISION'],
];
const SCHEDULE_COLUMNS: readonly Column[] = [
  text('service_id'),
  text('location_id'),
  ['weekday', 'INTEGER'],
  text('opens'),
  text('closes'),
];

/**
 * Replaces the children (categories with their ancestors, languages, legal statuses, areas, locations
 * and their schedules) of several services at once: one DELETE and one INSERT per table for them all.
 * The services must be distinct (a round of keyedRounds.ts), so no service's rows are written twice.
 */
export async function replaceServiceChildren(
  tx: SqlExecutor,
  services: readonly { serviceId: string; details: ServiceDetails }[],
): Promise<void> {
  if (services.length === 0) return;
  const ids = services.map((s) => s.serviceId);
  for (const table of CHILD_TABLES) await withIdChunks(tx, `DELETE FROM ${table} WHERE service_id IN (%IDS%)`, ids);

  const categories: string[][] = [];
  const languages: string[][] = [];
  const statuses: string[][] = [];
  const areas: string[][] = [];
  const locations: unknown[][] = [];
  // A slot given twice keeps its last closing time, as one upsert per slot did; one statement cannot
  // upsert a row twice on PostgreSQL.
  const schedules = new Map<string, unknown[]>();
  for (const { serviceId, details } of services) {
    for (const term of withAncestors(details.categoryId)) categories.push([term, serviceId]);
    for (const code of new Set(details.languages)) languages.push([code, serviceId]);
    for (const status of new Set(details.eligibility.legalStatuses)) statuses.push([status, serviceId]);
    for (const region of new Set(details.serviceAreas)) areas.push([region, serviceId]);
    for (const location of details.locations) {
      const id = locationUuid(serviceId, location.locationId);
      const a = location.address;
      locations.push([
        id,
        serviceId,
        serviceAtLocationUuid(serviceId, id),
        location.locationId,
        location.name,
        a.street,
        a.locality,
        a.postalCode,
        a.region,
        a.country,
        location.coordinates.latitude,
        location.coordinates.longitude,
      ]);
      for (const slot of location.schedule)
        schedules.set(JSON.stringify([id, slot.weekday, slot.opens]), [
          serviceId,
          id,
          slot.weekday,
          slot.opens,
          slot.closes,
        ]);
    }
  }
  await insertRows(tx, into('registry_service_categories', [text('term_id'), text('service_id')]), categories);
  await insertRows(tx, into('registry_service_languages', [text('code'), text('service_id')]), languages);
  await insertRows(tx, into('registry_service_legal_statuses', [text('legal_status'), text('service_id')]), statuses);
  await insertRows(tx, into('registry_service_areas', [text('region'), text('service_id')]), areas);
  await insertRows(tx, into('registry_service_locations', LOCATION_COLUMNS), locations);
  await insertRows(
    tx,
    into('registry_location_schedules', SCHEDULE_COLUMNS),
    [...schedules.values()],
    'ON CONFLICT (service_id, location_id, weekday, opens) DO UPDATE SET closes = excluded.closes',
  );
}
