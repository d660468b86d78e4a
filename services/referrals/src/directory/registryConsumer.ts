import type {
  EventEnvelope,
  OrganisationMembershipChangedV1,
  ServiceCapacityChangedV1,
  ServicePublishedV1,
  ServiceWithdrawnV1,
} from '@estia/contracts';
import { exchangeTermsOf } from '@estia/contracts';
import type { SqlExecutor } from '@estia/infra/sql/types.js';

/** The registry topics this service reads, and the consumer group that keeps its directory. */
export const REGISTRY_FACTS_GROUP = 'referrals.registry-facts';

/**
 * Consumer handler (infra/processors/consumer.ts: inbox and checkpoint in the same transaction)
 * keeping the local directory. Events may arrive out of order across partitions: the service entry
 * keeps the highest registry revision, membership and capacity the latest `changedAt`.
 */
export async function applyRegistryEvent(tx: SqlExecutor, envelope: EventEnvelope): Promise<void> {
  switch (envelope.type) {
    case 'estia.registry.organisation.membership-changed.v1': {
      const d = envelope.data as OrganisationMembershipChangedV1;
      await tx.execute(
        `INSERT INTO rf_organisations (organisation_id, status, may_exchange, changed_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (organisation_id) DO UPDATE SET status = excluded.status, may_exchange = excluded.may_exchange,
           changed_at = excluded.changed_at WHERE rf_organisations.changed_at <= excluded.changed_at`,
        [d.organisationId, d.status, d.mayExchange ? 1 : 0, d.changedAt],
      );
      await tx.execute(
        `INSERT INTO rf_exchange_terms (organisation_id, terms, changed_at) VALUES ($1, $2, $3)
         ON CONFLICT (organisation_id) DO UPDATE SET terms = excluded.terms, changed_at = excluded.changed_at
           WHERE rf_exchange_terms.changed_at <= excluded.changed_at`,
        [d.organisationId, JSON.stringify(exchangeTermsOf(d)), d.changedAt],
      );
      // A rename reaches the entries of the organisation's services, unless a later membership event won.
      await tx.execute(
        `UPDATE rf_directory SET organisation_name = $2 WHERE organisation_id = $1 AND organisation_name <> $2
           AND EXISTS (SELECT 1 FROM rf_organisations o WHERE o.organisation_id = $1 AND o.changed_at = $3)`,
        [d.organisationId, d.name, d.changedAt],
      );
      return;
    }
    case 'estia.registry.service.published.v1':
    case 'estia.registry.service.updated.v1': {
      const d = envelope.data as ServicePublishedV1;
      await tx.execute(
        `INSERT INTO rf_directory (service_id, organisation_id, organisation_name, name, category, category_code,
           legal_statuses, languages, service_areas, locations, intake_status, available, response_time_hours,
           revision, withdrawn, changed_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, 0, $15)
         ON CONFLICT (service_id) DO UPDATE SET organisation_id = excluded.organisation_id,
           organisation_name = excluded.organisation_name, name = excluded.name, category = excluded.category,
           category_code = excluded.category_code, legal_statuses = excluded.legal_statuses,
           languages = excluded.languages, service_areas = excluded.service_areas, locations = excluded.locations,
           intake_status = excluded.intake_status, available = excluded.available,
           response_time_hours = excluded.response_time_hours, revision = excluded.revision, withdrawn = 0,
           changed_at = excluded.changed_at
         WHERE rf_directory.revision < excluded.revision
            OR (rf_directory.revision = excluded.revision AND rf_directory.withdrawn = 0)`,
        [
          d.serviceId,
          d.organisationId,
          d.organisationName,
          d.name,
          d.category.topLevel,
          d.category.term.code,
          JSON.stringify(d.eligibility.legalStatuses),
          JSON.stringify(d.languages),
          JSON.stringify(
            d.serviceAreas.map((a) => ({ country: a.country, ...(a.region ? { region: a.region } : {}) })),
          ),
          JSON.stringify(d.locations.map((l) => ({ locality: l.address.locality, coordinates: l.coordinates }))),
          d.capacity.intakeStatus,
          d.capacity.available,
          d.expectedResponseTimeHours,
          d.revision,
          d.changedAt,
        ],
      );
      return;
    }
    case 'estia.registry.service.capacity-changed.v1': {
      const d = envelope.data as ServiceCapacityChangedV1;
      await tx.execute(
        `UPDATE rf_directory SET intake_status = $2, available = $3, changed_at = $4
         WHERE service_id = $1 AND changed_at <= $4`,
        [d.serviceId, d.capacity.intakeStatus, d.capacity.available, d.changedAt],
      );
      return;
    }
    case 'estia.registry.service.withdrawn.v1': {
      const d = envelope.data as ServiceWithdrawnV1;
      // Only a later revision (published again) brings the entry back.
      await tx.execute('UPDATE rf_directory SET withdrawn = 1, changed_at = $2 WHERE service_id = $1', [
        d.serviceId,
        d.withdrawnAt,
      ]);
      return;
    }
    default:
      return;
  }
}
