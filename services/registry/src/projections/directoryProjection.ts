import type { SqlExecutor } from '@estia/infra/sql/types.js';
import type { StoredEvent } from '@estia/infra/eventStore/types.js';
import { keyedRounds } from '@estia/infra/projections/keyedRounds.js';
import type { OrganisationEvent, OrganisationProfile } from '../domain/organisation/organisation.js';
import type { ServiceDetails } from '../domain/service/serviceDetails.js';
import type { ServiceEvent } from '../domain/service/service.js';
import { replaceServiceChildren } from './directoryServiceChildren.js';
import { insertRows, into, updateRows, type Column } from '@estia/infra/sql/multiRow.js';

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

/** One kind of keyed UPDATE: its columns (the key first) and what it sets from them (`v.<column>`). */
interface UpdateKind {
  table: string;
  columns: readonly Column[];
  set: string;
}

const text = (name: string): Column => [name, 'TEXT'];
const assign = (columns: readonly Column[], extra = '') =>
  [...columns.slice(1).map(([name]) => `${name} = v.${name}`), ...(extra ? [extra] : [])].join(', ');
const update = (table: string, columns: readonly Column[], extra = ''): UpdateKind => ({
  table,
  columns,
  set: assign(columns, extra),
});

const WHEREABOUTS: readonly Column[] = [
  text('street'),
  text('locality'),
  text('postal_code'),
  ['latitude', 'DOUBLE PRECISION'],
  ['longitude', 'DOUBLE PRECISION'],
  text('email'),
  text('phone'),
  text('website'),
];
const ORGANISATIONS = 'registry_organisations';
const SERVICES = 'registry_services';
const APPROVED = update(
  ORGANISATIONS,
  [text('id'), text('licence_valid_until'), text('updated_at')],
  "status = 'approved'",
);
const APPLIED_COLUMNS: readonly Column[] = [
  text('id'),
  text('name'),
  text('kind'),
  text('legal_identifier'),
  text('country'),
  text('region'),
  ...WHEREABOUTS,
  text('status'),
  text('licence_valid_until'),
  ['accepted_code_version', 'INTEGER'],
  text('updated_at'),
];
const REGISTERED_COLUMNS: readonly Column[] = [
  text('id'),
  text('organisation_id'),
  text('name'),
  text('description'),
  text('category_id'),
  ['min_age', 'INTEGER'],
  ['max_age', 'INTEGER'],
  ['response_time_hours', 'INTEGER'],
  ['available', 'INTEGER'],
  ['maximum', 'INTEGER'],
  text('intake'),
  text('status'),
  text('updated_at'),
];
const RENEWED = update(ORGANISATIONS, [text('id'), text('licence_valid_until'), text('updated_at')]);
const STATUS = update(ORGANISATIONS, [text('id'), text('status'), text('updated_at')]);
const CODE = update(ORGANISATIONS, [text('id'), ['accepted_code_version', 'INTEGER'], text('updated_at')]);
const PROFILE = update(ORGANISATIONS, [text('id'), text('name'), text('region'), ...WHEREABOUTS, text('updated_at')]);
const DETAILS = update(SERVICES, [
  text('id'),
  text('name'),
  text('description'),
  text('category_id'),
  ['min_age', 'INTEGER'],
  ['max_age', 'INTEGER'],
  ['response_time_hours', 'INTEGER'],
  text('updated_at'),
]);
const CAPACITY = update(SERVICES, [
  text('id'),
  ['available', 'INTEGER'],
  ['maximum', 'INTEGER'],
  text('intake'),
  text('updated_at'),
]);
const SERVICE_WITHDRAWN = update(SERVICES, [text('id'), text('updated_at')], "status = 'withdrawn'");

const ORGANISATION_STATUS = {
  OrganisationRejected: 'rejected',
  OrganisationSuspended: 'suspended',
  OrganisationReinstated: 'approved',
  OrganisationWithdrawn: 'withdrawn',
} as const;

/**
 * The rows an event writes: every event writes the rows of one organisation or of one service (and
 * its children) only, so events of different organisations and services commute (keyedRounds.ts).
 */
const directoryKey = (stored: StoredEvent): string => {
  const data = stored.data as { organisationId: string; serviceId?: string };
  return stored.type.startsWith('Service') ? `service/${data.serviceId}` : `organisation/${data.organisationId}`;
};

/**
 * Applies a batch of events to the directory tables. The batch is cut into rounds in which each
 * organisation and service appears at most once, and each round is written with one statement per
 * kind of write (PostgreSQL parses and plans every statement, which one per row made the rebuild's
 * cost): the same rows as applying the events one by one, in a few statements a batch. Every write is
 * an upsert or keyed replace, so applying an event twice leaves the same rows (the runner also commits
 * the checkpoint with these writes).
 */
export async function projectDirectoryEvents(tx: SqlExecutor, events: readonly StoredEvent[]): Promise<void> {
  for (const round of keyedRounds(events, directoryKey)) await projectRound(tx, round);
}

async function projectRound(tx: SqlExecutor, round: readonly StoredEvent[]): Promise<void> {
  const applied: unknown[][] = [];
  const registered: unknown[][] = [];
  const children: { serviceId: string; details: ServiceDetails }[] = [];
  const updates = new Map<UpdateKind, unknown[][]>();
  const push = (kind: UpdateKind, row: unknown[]) => {
    const rows = updates.get(kind);
    if (rows) rows.push(row);
    else updates.set(kind, [row]);
  };
  for (const stored of round) {
    const event = { type: stored.type, data: stored.data } as OrganisationEvent | ServiceEvent;
    switch (event.type) {
      case 'OrganisationApplied': {
        const { organisationId: id, profile: p, appliedAt } = event.data;
        applied.push([
          id,
          p.name,
          p.kind,
          p.legalIdentifier,
          p.country,
          p.region,
          ...whereabouts(p),
          'applied',
          null,
          null,
          appliedAt,
        ]);
        break;
      }
      case 'OrganisationApproved':
        push(APPROVED, [event.data.organisationId, event.data.licenceValidUntil, event.data.approvedAt]);
        break;
      case 'LicenceRenewed':
        push(RENEWED, [event.data.organisationId, event.data.licenceValidUntil, event.data.renewedAt]);
        break;
      case 'OrganisationProfileUpdated': {
        const { organisationId: id, profile: p, updatedAt } = event.data;
        push(PROFILE, [id, p.name, p.region, ...whereabouts(p), updatedAt]);
        break;
      }
      case 'OrganisationRejected':
        push(STATUS, [event.data.organisationId, ORGANISATION_STATUS[event.type], event.data.rejectedAt]);
        break;
      case 'OrganisationSuspended':
        push(STATUS, [event.data.organisationId, ORGANISATION_STATUS[event.type], event.data.suspendedAt]);
        break;
      case 'OrganisationReinstated':
        push(STATUS, [event.data.organisationId, ORGANISATION_STATUS[event.type], event.data.reinstatedAt]);
        break;
      case 'OrganisationWithdrawn':
        push(STATUS, [event.data.organisationId, ORGANISATION_STATUS[event.type], event.data.withdrawnAt]);
        break;
      case 'CodeOfConductAccepted':
        push(CODE, [event.data.organisationId, event.data.version, event.data.acceptedAt]);
        break;
      case 'ServiceRegistered': {
        const { serviceId, organisationId, details, capacity, registeredAt } = event.data;
        registered.push([
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
          'active',
          registeredAt,
        ]);
        children.push({ serviceId, details });
        break;
      }
      case 'ServiceDetailsUpdated': {
        const { serviceId, details, updatedAt } = event.data;
        const { minAge, maxAge } = details.eligibility;
        push(DETAILS, [
          serviceId,
          details.name,
          details.description,
          details.categoryId,
          minAge,
          maxAge,
          details.responseTimeHours,
          updatedAt,
        ]);
        children.push({ serviceId, details });
        break;
      }
      case 'ServiceCapacityChanged': {
        const { serviceId, capacity, changedAt } = event.data;
        push(CAPACITY, [serviceId, capacity.available, capacity.maximum, capacity.intake, changedAt]);
        break;
      }
      case 'ServiceWithdrawn':
        push(SERVICE_WITHDRAWN, [event.data.serviceId, event.data.withdrawnAt]);
        break;
    }
  }
  // A round's events touch distinct rows, so the order of these statements does not matter.
  await insertRows(
    tx,
    into(ORGANISATIONS, APPLIED_COLUMNS),
    applied,
    `ON CONFLICT (id) DO UPDATE SET name = excluded.name, kind = excluded.kind, legal_identifier = excluded.legal_identifier,
       country = excluded.country, region = excluded.region, street = excluded.street, locality = excluded.locality,
       postal_code = excluded.postal_code, latitude = excluded.latitude, longitude = excluded.longitude,
       email = excluded.email, phone = excluded.phone, website = excluded.website, status = 'applied',
       updated_at = excluded.updated_at`,
  );
  await insertRows(tx, into(SERVICES, REGISTERED_COLUMNS), registered, 'ON CONFLICT (id) DO NOTHING');
  for (const [kind, rows] of updates) await updateRows(tx, kind.table, kind.columns, kind.set, rows);
  await replaceServiceChildren(tx, children);
}
