import type { SqlExecutor } from '@estia/infra/sql/types.js';
import type { StoredEvent } from '@estia/infra/eventStore/types.js';
import type { OrganisationEvent, OrganisationProfile } from '../domain/organisation/organisation.js';
import type { ServiceDetails } from '../domain/service/serviceDetails.js';
import type { ServiceEvent } from '../domain/service/service.js';
import { withAncestors } from '../domain/service/taxonomy.js';
import { locationUuid, serviceAtLocationUuid } from '../hsds/ids.js';

/** Event types this projection reads (the subscription filters on them). */
export const DIRECTORY_EVENT_TYPES = [
  'OrganisationApplied',
  'OrganisationApproved',
  'OrganisationRejected',
  'CodeOfConductAccepted',
  'OrganisationSuspended',
  'OrganisationReinstated',
  'LicenceRenewed',
  'OrganisationProfileUpdated',
  'OrganisationWithdrawn',
  'ServiceRegistered',
  'ServiceDetailsUpdated',
  'ServiceCapacityChanged',
  'ServiceWithdrawn',
] as const;

const setOrganisationStatus = (tx: SqlExecutor, id: string, status: string, at: string) =>
  tx.execute('UPDATE registry_organisations SET status = $2, updated_at = $3 WHERE id = $1', [id, status, at]);

/** Address, map position and contacts, in the column order street … website of registry_organisations. */
const whereabouts = (p: OrganisationProfile) => [
  p.address.street,
  p.address.locality,
  p.address.postalCode,
  p.coordinates.latitude,
  p.coordinates.longitude,
  p.contact.email,
  p.contact.phone ?? null,
  p.contact.website ?? null,
];

/**
 * Applies one event to the directory tables. Every write is an upsert or keyed replace, so applying
 * an event twice leaves the same rows (the runner also commits the checkpoint with these writes).
 */
export async function projectDirectoryEvent(tx: SqlExecutor, stored: StoredEvent): Promise<void> {
  const event = { type: stored.type, data: stored.data } as OrganisationEvent | ServiceEvent;
  switch (event.type) {
    case 'OrganisationApplied': {
      const { organisationId: id, profile: p, appliedAt } = event.data;
      await tx.execute(
        `INSERT INTO registry_organisations (id, name, kind, legal_identifier, country, region, street, locality, postal_code,
           latitude, longitude, email, phone, website, status, licence_valid_until, accepted_code_version, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, 'applied', NULL, NULL, $15)
         ON CONFLICT (id) DO UPDATE SET name = excluded.name, kind = excluded.kind, legal_identifier = excluded.legal_identifier,
           country = excluded.country, region = excluded.region, street = excluded.street, locality = excluded.locality,
           postal_code = excluded.postal_code, latitude = excluded.latitude, longitude = excluded.longitude,
           email = excluded.email, phone = excluded.phone, website = excluded.website, status = 'applied',
           updated_at = excluded.updated_at`,
        [id, p.name, p.kind, p.legalIdentifier, p.country, p.region, ...whereabouts(p), appliedAt],
      );
      return;
    }
    case 'OrganisationApproved':
    case 'LicenceRenewed': {
      const at = event.type === 'OrganisationApproved' ? event.data.approvedAt : event.data.renewedAt;
      await tx.execute(
        `UPDATE registry_organisations SET licence_valid_until = $2, updated_at = $3${event.type === 'OrganisationApproved' ? ", status = 'approved'" : ''} WHERE id = $1`,
        [event.data.organisationId, event.data.licenceValidUntil, at],
      );
      return;
    }
    case 'OrganisationProfileUpdated': {
      const { organisationId: id, profile: p, updatedAt } = event.data;
      await tx.execute(
        `UPDATE registry_organisations SET name = $2, region = $3, street = $4, locality = $5, postal_code = $6,
           latitude = $7, longitude = $8, email = $9, phone = $10, website = $11, updated_at = $12 WHERE id = $1`,
        [id, p.name, p.region, ...whereabouts(p), updatedAt],
      );
      return;
    }
    case 'OrganisationRejected':
      return void (await setOrganisationStatus(tx, event.data.organisationId, 'rejected', event.data.rejectedAt));
    case 'OrganisationSuspended':
      return void (await setOrganisationStatus(tx, event.data.organisationId, 'suspended', event.data.suspendedAt));
    case 'OrganisationReinstated':
      return void (await setOrganisationStatus(tx, event.data.organisationId, 'approved', event.data.reinstatedAt));
    case 'OrganisationWithdrawn':
      return void (await setOrganisationStatus(tx, event.data.organisationId, 'withdrawn', event.data.withdrawnAt));
    case 'CodeOfConductAccepted':
      await tx.execute('UPDATE registry_organisations SET accepted_code_version = $2, updated_at = $3 WHERE id = $1', [
        event.data.organisationId,
        event.data.version,
        event.data.acceptedAt,
      ]);
      return;
    case 'ServiceRegistered': {
      const { serviceId, organisationId, details, capacity, registeredAt } = event.data;
      await tx.execute(
        `INSERT INTO registry_services (id, organisation_id, name, description, category_id, min_age, max_age, response_time_hours,
           available, maximum, intake, status, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 'active', $12)
         ON CONFLICT (id) DO NOTHING`,
        [
          serviceId,
          organisationId,
          details.name,
          details.description,
          details.categoryId,
          details.eligibility.minAge,
          details.eligibility.maxAge,
          details.responseTimeHours,
          capacity.available,
          capacity.maximum,
          capacity.intake,
          registeredAt,
        ],
      );
      await replaceServiceChildren(tx, serviceId, details);
      return;
    }
    case 'ServiceDetailsUpdated': {
      const { serviceId, details, updatedAt } = event.data;
      await tx.execute(
        `UPDATE registry_services SET name = $2, description = $3, category_id = $4, min_age = $5, max_age = $6,
           response_time_hours = $7, updated_at = $8 WHERE id = $1`,
        [
          serviceId,
          details.name,
          details.description,
          details.categoryId,
          details.eligibility.minAge,
          details.eligibility.maxAge,
          details.responseTimeHours,
          updatedAt,
        ],
      );
      await replaceServiceChildren(tx, serviceId, details);
      return;
    }
    case 'ServiceCapacityChanged': {
      const { serviceId, capacity, changedAt } = event.data;
      await tx.execute(
        'UPDATE registry_services SET available = $2, maximum = $3, intake = $4, updated_at = $5 WHERE id = $1',
        [serviceId, capacity.available, capacity.maximum, capacity.intake, changedAt],
      );
      return;
    }
    case 'ServiceWithdrawn':
      await tx.execute(`UPDATE registry_services SET status = 'withdrawn', updated_at = $2 WHERE id = $1`, [
        event.data.serviceId,
        event.data.withdrawnAt,
      ]);
      return;
  }
}

/** `INSERT INTO <table> VALUES (value, serviceId), …` for every value (none: no statement). */
async function insertRows(tx: SqlExecutor, table: string, values: Iterable<string>, serviceId: string): Promise<void> {
  const params: unknown[] = [serviceId];
  const rows: string[] = [];
  for (const value of values) {
    params.push(value);
    rows.push(`($${params.length}, $1)`);
  }
  if (rows.length > 0) await tx.execute(`INSERT INTO ${table} VALUES ${rows.join(', ')}`, params);
}

async function replaceServiceChildren(tx: SqlExecutor, serviceId: string, details: ServiceDetails): Promise<void> {
  await tx.execute(
    'DELETE FROM registry_location_schedules WHERE location_id IN (SELECT id FROM registry_service_locations WHERE service_id = $1)',
    [serviceId],
  );
  for (const table of [
    'registry_service_locations',
    'registry_service_areas',
    'registry_service_legal_statuses',
    'registry_service_languages',
    'registry_service_categories',
  ])
    await tx.execute(`DELETE FROM ${table} WHERE service_id = $1`, [serviceId]);

  // One statement per child table (not per row): the same rows, a fraction of the statements.
  await insertRows(
    tx,
    'registry_service_categories (term_id, service_id)',
    withAncestors(details.categoryId),
    serviceId,
  );
  await insertRows(tx, 'registry_service_languages (code, service_id)', new Set(details.languages), serviceId);
  await insertRows(
    tx,
    'registry_service_legal_statuses (legal_status, service_id)',
    new Set(details.eligibility.legalStatuses),
    serviceId,
  );
  await insertRows(tx, 'registry_service_areas (region, service_id)', new Set(details.serviceAreas), serviceId);
  for (const location of details.locations) {
    const id = locationUuid(serviceId, location.locationId);
    const a = location.address;
    await tx.execute(
      `INSERT INTO registry_service_locations (id, service_id, sal_id, location_key, name, street, locality, postal_code, region, country, latitude, longitude)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
      [
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
      ],
    );
    for (const slot of location.schedule)
      await tx.execute(
        `INSERT INTO registry_location_schedules (location_id, weekday, opens, closes) VALUES ($1, $2, $3, $4)
         ON CONFLICT (location_id, weekday, opens) DO UPDATE SET closes = excluded.closes`,
        [id, slot.weekday, slot.opens, slot.closes],
      );
  }
}
